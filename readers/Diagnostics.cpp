// The DiagnosticEngine: one SourceMgr for every file imageplan reads, so each
// message of every phase prints the same way, with a caret under the culprit.
#include "readers/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

namespace imageplan::readers {

DiagnosticEngine::DiagnosticEngine(llvm::raw_ostream &os) : os(os) {}

llvm::Expected<unsigned> DiagnosticEngine::addFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read '%s': %s", path.str().c_str(),
                                   buffer.getError().message().c_str());
  // getFile names the buffer after `path` exactly as given, which is what
  // messages should show: the user's own spelling, never an absolute path.
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

// Colours are off: output must be the same bytes on a terminal, in a pipe and
// in the golden files.
void DiagnosticEngine::print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
                             const llvm::Twine &msg) {
  if (loc.isValid()) {
    sm.PrintMessage(os, loc, kind, msg, {}, {}, /*ShowColors=*/false);
    return;
  }
  // SourceMgr would print "<unknown>:0:" for a missing location.
  llvm::SMDiagnostic(/*FileName=*/"", kind, msg.str()).print(nullptr, os, /*ShowColors=*/false);
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
