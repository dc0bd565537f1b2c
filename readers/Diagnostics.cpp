// The DiagnosticEngine: one SourceMgr for every file imageplan reads, so each
// message of every phase prints the same way, with a caret under the culprit.
#include "readers/Diagnostics.h"

#include "readers/TextEscape.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Unicode.h"

#include <algorithm>

namespace imageplan::readers {

DiagnosticEngine::DiagnosticEngine(llvm::raw_ostream &os) : os(os) {}

llvm::Expected<unsigned> DiagnosticEngine::addFile(llvm::StringRef path, InputLimit limit,
                                                   llvm::StringRef bufferName,
                                                   llvm::StringRef insideDir) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readInputFile(path, limit, bufferName, insideDir);
  if (!buffer)
    return buffer.takeError();
  return sm.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
}

unsigned DiagnosticEngine::addBuffer(llvm::StringRef contents, llvm::StringRef name) {
  return sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(contents, name), llvm::SMLoc());
}

llvm::SMLoc DiagnosticEngine::locAt(unsigned bufferId, size_t offset) const {
  llvm::StringRef text = sm.getMemoryBuffer(bufferId)->getBuffer();
  // A parser may report "end of input" one past the last byte; clamping keeps
  // the location inside the buffer, where SourceMgr can still find its line.
  return llvm::SMLoc::getFromPointer(text.data() + std::min(offset, text.size()));
}

std::string DiagnosticEngine::describe(llvm::SMLoc loc) const {
  if (!loc.isValid())
    return "<unknown>";
  unsigned bufferId = sm.FindBufferContainingLoc(loc);
  if (bufferId == 0)
    return "<unknown>";
  auto [line, column] = sm.getLineAndColumn(loc, bufferId);
  return (sm.getMemoryBuffer(bufferId)->getBufferIdentifier() + ":" + llvm::Twine(line) + ":" +
          llvm::Twine(column))
      .str();
}

namespace {

constexpr unsigned kTabStop = 8;

/// One byte of a source line as it is shown: itself, a tab expanded, or an
/// escape; `width` is the columns it takes on a terminal.
struct ShownByte {
  std::string text;
  unsigned width = 0;
};

/// A source line as the terminal gets it: tabs expanded as LLVM expands them,
/// control characters and bytes that are not UTF-8 escaped (TextEscape.h),
/// UTF-8 characters kept with their display width. One entry per byte of the
/// line (the continuation bytes of a character are empty), so that a column
/// in bytes maps to a position on screen.
std::vector<ShownByte> showLine(llvm::StringRef line) {
  std::vector<ShownByte> shown(line.size());
  unsigned column = 0;
  for (size_t i = 0; i < line.size();) {
    unsigned char c = line[i];
    unsigned length = c < 0x80 ? 1 : llvm::getNumBytesForUTF8(c);
    llvm::StringRef character = line.substr(i, length);
    ShownByte &out = shown[i];
    if (c == '\t') {
      do {
        out.text += ' ';
        ++out.width;
      } while ((column + out.width) % kTabStop != 0);
    } else if (c >= 0x20 && c < 0x7F) {
      out.text = std::string(1, static_cast<char>(c));
      out.width = 1;
    } else if (c >= 0x80 && character.size() == length && length > 1 && isLegalUtf8(character) &&
               !isC1ControlAt(character, 0) && !bidiControlAt(character, 0)) {
      out.text = character.str();
      int width = llvm::sys::unicode::columnWidthUTF8(character);
      out.width = width > 0 ? static_cast<unsigned>(width) : 1;
    } else {
      if (isC1ControlAt(line, i))
        length = 2;
      else if (!bidiControlAt(line, i))
        length = 1; // a bidirectional formatting character keeps its length
      out.text = escapeText(line.substr(i, length));
      out.width = out.text.size();
    }
    column += out.width;
    i += length;
  }
  return shown;
}

} // namespace

// Colours are off: output must be the same bytes on a terminal, in a pipe and
// in the golden files. The source line is printed here rather than by
// SourceMgr, which would copy control bytes of a hostile file to the
// terminal and drops the caret under a line with any non-ASCII byte.
void DiagnosticEngine::print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
                             const llvm::Twine &msg) {
  std::string message = escapeText(msg.str());
  if (!loc.isValid()) {
    // SourceMgr would print "<unknown>:0:" for a missing location.
    llvm::SMDiagnostic("", kind, message).print(nullptr, os, /*ShowColors=*/false);
    return;
  }
  llvm::SMDiagnostic diag = sm.GetMessage(loc, kind, message, {}, {});
  os << escapeText(diag.getFilename()) << ':' << diag.getLineNo() << ':'
     << diag.getColumnNo() + 1 << ": ";
  switch (kind) {
  case llvm::SourceMgr::DK_Error:
    os << "error: ";
    break;
  case llvm::SourceMgr::DK_Warning:
    os << "warning: ";
    break;
  case llvm::SourceMgr::DK_Note:
    os << "note: ";
    break;
  case llvm::SourceMgr::DK_Remark:
    os << "remark: ";
    break;
  }
  os << message << '\n';
  printSourceLine(diag.getLineContents(), diag.getColumnNo());
}

void DiagnosticEngine::printSourceLine(llvm::StringRef line, size_t column) {
  // A line of megabytes (one huge string) is shown as the part around the
  // caret, elided with "..." on either side.
  constexpr size_t kLongLine = 240, kBefore = 80, kShown = 200;
  size_t begin = 0, end = line.size();
  if (line.size() > kLongLine) {
    begin = column > kBefore ? column - kBefore : 0;
    while (begin > 0 && (static_cast<unsigned char>(line[begin]) & 0xC0) == 0x80)
      --begin; // never inside a UTF-8 character
    end = std::min(line.size(), begin + kShown);
    while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80)
      ++end;
  }
  column = std::min(column, end) - begin;
  std::vector<ShownByte> shown = showLine(line.slice(begin, end));
  std::string caret(begin > 0 ? 3 : 0, ' ');
  os << (begin > 0 ? "..." : "");
  for (size_t i = 0; i < shown.size(); ++i) {
    os << shown[i].text;
    if (i < column)
      caret.append(shown[i].width, ' ');
  }
  os << (end < line.size() ? "..." : "");
  // As SourceMgr does, a caret under a tab fills the tab's columns.
  unsigned carets = column < shown.size() && line[begin + column] == '\t' ? shown[column].width : 1;
  os << '\n' << caret << std::string(carets, '^') << '\n';
}

void DiagnosticEngine::error(llvm::SMLoc loc, const llvm::Twine &msg) {
  ++errors;
  print(loc, llvm::SourceMgr::DK_Error, msg);
}

void DiagnosticEngine::warning(llvm::SMLoc loc, const llvm::Twine &msg) {
  ++warnings;
  print(loc, llvm::SourceMgr::DK_Warning, msg);
}

void DiagnosticEngine::note(llvm::SMLoc loc, const llvm::Twine &msg) {
  print(loc, llvm::SourceMgr::DK_Note, msg);
}

void DiagnosticEngine::error(const llvm::Twine &msg) { error(llvm::SMLoc(), msg); }

static void printCount(llvm::raw_ostream &os, unsigned count, llvm::StringRef noun) {
  os << count << ' ' << noun << (count == 1 ? "" : "s") << " generated.\n";
}

void DiagnosticEngine::printSummary() {
  if (errors)
    printCount(os, errors, "error");
  else if (warnings)
    printCount(os, warnings, "warning");
  os.flush();
}

char DiagnosticsReported::ID = 0;

void DiagnosticsReported::log(llvm::raw_ostream &os) const {
  os << count << (count == 1 ? " error" : " errors");
}

std::error_code DiagnosticsReported::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

llvm::Error diagnosticsReported(unsigned count) {
  return llvm::make_error<DiagnosticsReported>(count);
}

std::string closestMatch(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates) {
  // Case is ignored so that `Python` still finds `python`. A suggestion must be
  // closer than the word is long, or one-letter typos would "match" anything.
  std::string lowered = word.lower();
  unsigned limit = std::max<unsigned>(2, lowered.size() / 3);
  limit = std::min<unsigned>(limit, lowered.empty() ? 0 : lowered.size() - 1);
  std::string best;
  unsigned bestDistance = limit + 1;
  for (llvm::StringRef candidate : candidates) {
    unsigned distance = llvm::StringRef(lowered).edit_distance(
        candidate.lower(), /*AllowReplacements=*/true, /*MaxEditDistance=*/limit);
    if (distance < bestDistance) { // strict: the earlier candidate wins a tie
      bestDistance = distance;
      best = candidate.str();
    }
  }
  return best;
}

} // namespace imageplan::readers
