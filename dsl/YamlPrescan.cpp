// prescanYaml (YamlPrescan.h). Block collections are frames on a stack keyed
// by the column of their indicators, as YAML's indentation defines them;
// flow collections are frames pushed at each bracket. A frame counts its
// entries, the stack's height is the nesting, and every scalar, alias and
// collection counts as a value. Strings are measured as written, from the
// opening quote or first character to the end of their last line.
#include "dsl/YamlPrescan.h"

#include "readers/TextEscape.h"

#include "llvm/Support/ConvertUTF.h"

#include <optional>
#include <vector>

namespace imageplan::dsl {
namespace {

bool isBreak(char c) { return c == '\n' || c == '\r'; }
bool isBlank(char c) { return c == ' ' || c == '\t'; }
bool isFlowIndicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

/// The first byte YAML text may not hold: NUL, another control character
/// (tab, line feed and carriage return aside), or a byte that is not UTF-8.
std::optional<std::pair<size_t, std::string>> findBadByte(llvm::StringRef text) {
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0)
      return std::pair<size_t, std::string>(
          i, "the spec holds a NUL byte ('\\x00'); a spec is YAML text in UTF-8");
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
      return std::pair<size_t, std::string>(i, "control character " +
                                                   readers::quoteText(text.substr(i, 1)) +
                                                   " in the spec; YAML text may not hold one");
    if (c < 0x80) {
      ++i;
      continue;
    }
    unsigned length = llvm::getNumBytesForUTF8(c);
    llvm::StringRef character = text.substr(i, length);
    if (character.size() != length || !readers::isLegalUtf8(character))
      return std::pair<size_t, std::string>(
          i, "invalid UTF-8 byte " + readers::quoteText(text.substr(i, 1)) +
                 " in the spec; a spec is YAML text in UTF-8");
    if (readers::isC1ControlAt(text, i))
      return std::pair<size_t, std::string>(i, "control character " +
                                                   readers::quoteText(character) +
                                                   " in the spec; YAML text may not hold one");
    if (readers::bidiControlAt(text, i))
      return std::pair<size_t, std::string>(
          i, "bidirectional formatting character " + readers::quoteText(character) +
                 " in the spec; it makes text display in another order than it is read");
    i += length;
  }
  return std::nullopt;
}

struct Frame {
  enum Kind { BlockMap, BlockSeq, FlowMap, FlowSeq } kind;
  long column; // block frames: the column of their entries; flow frames: -1
  size_t offset;
  size_t entries = 0;
  bool expectEntry = true; // flow frames: the next token starts an entry

  bool isBlock() const { return kind == BlockMap || kind == BlockSeq; }
  bool isMap() const { return kind == BlockMap || kind == FlowMap; }
};

/// One scan. A problem that leaves the rest of the text unreadable sets
/// `stopped`, and every function returns as soon as it sees it.
class Prescanner {
public:
  Prescanner(llvm::StringRef text, const SpecLimits &limits, const PrescanReport &report)
      : text(text), limits(limits), report(report) {}

  bool run() {
    if (auto bad = findBadByte(text)) {
      report(bad->first, bad->second);
      return false;
    }
    pos = text.startswith("\xEF\xBB\xBF") ? 3 : 0;
    while (pos < text.size() && !stopped)
      blockLine();
    return !stopped && !tagErrors;
  }

private:
  // --- lines --------------------------------------------------------------

  size_t lineEndFrom(size_t p) const {
    while (p < text.size() && !isBreak(text[p]))
      ++p;
    return p;
  }
  size_t afterBreak(size_t p) const {
    if (p < text.size() && text[p] == '\r' && p + 1 < text.size() && text[p + 1] == '\n')
      return p + 2;
    return p < text.size() ? p + 1 : p;
  }
  /// Moves `p` past one line break, keeping track of where lines start.
  size_t crossBreak(size_t p) {
    p = afterBreak(p);
    lineStart = p;
    return p;
  }
  long columnOf(size_t p) const { return static_cast<long>(p - lineStart); }
  bool indicatorAt(size_t p, char c) const {
    return p < text.size() && text[p] == c &&
           (p + 1 >= text.size() || isBlank(text[p + 1]) || isBreak(text[p + 1]));
  }

  /// One line in block context, from its first byte.
  void blockLine() {
    lineStart = pos;
    size_t p = pos;
    while (p < text.size() && text[p] == ' ')
      ++p;
    long indent = static_cast<long>(p - pos);
    size_t end = lineEndFrom(p);
    size_t first = p;
    while (first < end && isBlank(text[first]))
      ++first;
    if (first == end || text[first] == '#') { // blank or comment only
      // A comment line ends a plain scalar; a blank one folds into it.
      if (first != end)
        plainOpen = false;
      pos = afterBreak(end);
      return;
    }
    if (plainOpen && indent > plainParentColumn) {
      // A plain scalar's next line, however it reads.
      plainBytes += afterBreak(end) - pos;
      checkStringSize(plainStart, plainBytes);
      pos = afterBreak(end);
      return;
    }
    plainOpen = false;
    if (indent == 0 && (startsMarker(p, "---") || startsMarker(p, "..."))) {
      frames.clear(); // a new document
      p += 3;
    } else if (indent == 0 && text[p] == '%' && frames.empty()) {
      pos = afterBreak(end); // a directive
      return;
    }
    while (!frames.empty() && frames.back().column > indent)
      frames.pop_back();
    pos = p;
    blockNodes();
  }

  bool startsMarker(size_t p, llvm::StringRef marker) const {
    return text.substr(p).startswith(marker) &&
           (p + 3 >= text.size() || isBlank(text[p + 3]) || isBreak(text[p + 3]));
  }

  /// The tokens of one line in block context, from `pos`. Leaves `pos` at
  /// the start of the next line to scan.
  void blockNodes() {
    while (!stopped) {
      while (pos < text.size() && isBlank(text[pos]))
        ++pos;
      if (pos >= text.size())
        return;
      char c = text[pos];
      if (isBreak(c) || c == '#') {
        pos = afterBreak(lineEndFrom(pos));
        return;
      }
      if (indicatorAt(pos, '-') || indicatorAt(pos, '?')) {
        blockEntry(c == '-' ? Frame::BlockSeq : Frame::BlockMap, columnOf(pos), pos);
        ++pos;
      } else if (indicatorAt(pos, ':')) {
        ++pos; // the value of an explicit `?` key
      } else if (c == '&') {
        pos = tokenEnd(pos, /*flow=*/false);
      } else if (c == '!') {
        tag(pos, /*flow=*/false);
      } else if (c == '|' || c == '>') {
        blockScalar();
        return;
      } else {
        size_t start = pos;
        long column = columnOf(pos);
        if (!scalarOrFlow(/*flow=*/false))
          return;
        if (!keyFollows(start, column))
          return;
      }
    }
  }

  /// After a scalar or flow collection that began at `start`: a ':' makes it
  /// a key of a block mapping at `column`. Returns whether the line goes on.
  bool keyFollows(size_t start, long column) {
    while (pos < text.size() && isBlank(text[pos]))
      ++pos;
    if (pos < text.size() && text[pos] == ':') {
      blockEntry(Frame::BlockMap, column, start);
      ++pos;
      return true;
    }
    if (pos < text.size() && !isBreak(text[pos]) && text[pos] != '#')
      return true;
    pos = afterBreak(lineEndFrom(pos));
    return false;
  }

  /// A quoted scalar, an alias, a flow collection or a plain scalar at
  /// `pos`. Returns false when the line is done (a plain scalar value).
  bool scalarOrFlow(bool flow) {
    char c = text[pos];
    if (c == '"' || c == '\'')
      return quoted();
    if (c == '[' || c == '{')
      return flowCollection();
    if (c == '*') {
      countValue(pos);
      pos = tokenEnd(pos, flow);
      return true;
    }
    return plain(flow);
  }

  // --- collections --------------------------------------------------------

  /// A `- ` item or a key of a block collection whose entries sit at `column`.
  void blockEntry(Frame::Kind kind, long column, size_t offset) {
    if (!frames.empty() && frames.back().isBlock() && frames.back().column == column) {
      Frame &top = frames.back();
      if (top.kind == kind) {
        countEntry(top, offset);
        return;
      }
      if (kind == Frame::BlockMap) {
        // A list written at its key's indentation ends with the next key.
        frames.pop_back();
        if (!frames.empty() && frames.back().isBlock() && frames.back().column == column &&
            frames.back().kind == Frame::BlockMap) {
          countEntry(frames.back(), offset);
          return;
        }
      }
    }
    push(Frame{kind, column, offset});
    if (!stopped)
      countEntry(frames.back(), offset);
  }

  void push(Frame frame) {
    countValue(frame.offset);
    if (stopped)
      return;
    if (frames.size() >= limits.maxDepth) {
      stop(frame.offset, "lists and mappings nested deeper than " +
                             std::to_string(limits.maxDepth) + " levels");
      return;
    }
    frames.push_back(frame);
  }

  void countEntry(Frame &frame, size_t offset) {
    if (++frame.entries <= limits.maxEntries)
      return;
    stop(offset, std::string("more than ") + std::to_string(limits.maxEntries) +
                     (frame.isMap() ? " keys in one mapping" : " items in one list"));
  }

  void countValue(size_t offset) {
    if (++values > limits.maxValues)
      stop(offset, "more than " + std::to_string(limits.maxValues) + " values in the spec");
  }

  void checkStringSize(size_t offset, size_t bytes) {
    if (bytes > limits.maxStringBytes)
      stop(offset, "a string longer than " + std::to_string(limits.maxStringBytes / 1024) +
                       " KiB; that is the most one value may hold");
  }

  /// `[` or `{` at `pos` up to its closing bracket, on any line.
  bool flowCollection() {
    size_t outer = frames.size();
    while (!stopped) {
      if (pos >= text.size()) {
        const Frame &open = frames.back();
        stop(open.offset, open.kind == Frame::FlowSeq
                              ? "unterminated flow list; the '[' here is never closed"
                              : "unterminated flow mapping; the '{' here is never closed");
        return false;
      }
      char c = text[pos];
      if (isBreak(c)) {
        pos = crossBreak(pos);
      } else if (isBlank(c)) {
        ++pos;
      } else if (c == '#' && (pos == lineStart || isBlank(text[pos - 1]))) {
        pos = lineEndFrom(pos);
      } else if (c == ',') {
        if (frames.size() > outer)
          frames.back().expectEntry = true;
        ++pos;
      } else if (c == ']' || c == '}') {
        ++pos;
        if (frames.size() > outer)
          frames.pop_back();
        if (frames.size() == outer)
          return true;
      } else if (c == ':' || (c == '?' && indicatorAt(pos, '?'))) {
        ++pos;
      } else {
        flowToken(outer);
      }
    }
    return false;
  }

  /// One token inside a flow collection (or the bracket that opens it).
  void flowToken(size_t outer) {
    if (frames.size() > outer && frames.back().expectEntry) {
      frames.back().expectEntry = false;
      countEntry(frames.back(), pos);
      if (stopped)
        return;
    }
    char c = text[pos];
    if (c == '[' || c == '{') {
      push(Frame{c == '[' ? Frame::FlowSeq : Frame::FlowMap, -1, pos});
      ++pos;
    } else if (c == '&') {
      pos = tokenEnd(pos, /*flow=*/true);
    } else if (c == '!') {
      tag(pos, /*flow=*/true);
    } else {
      scalarOrFlow(/*flow=*/true);
    }
  }

  // --- scalars ------------------------------------------------------------

  /// The end of an anchor, alias or tag name that starts at `p`.
  size_t tokenEnd(size_t p, bool flow) const {
    ++p;
    while (p < text.size() && !isBlank(text[p]) && !isBreak(text[p]) &&
           !(flow && isFlowIndicator(text[p])))
      ++p;
    return p;
  }

  /// A tag: `!!str` says what the schema assumes anyway; any other would ask
  /// for a type the spec has no use for, and yaml-cpp would drop it silently.
  void tag(size_t p, bool flow) {
    size_t end = tokenEnd(p, flow);
    if (text.substr(p).startswith("!<")) {
      size_t close = text.find('>', p);
      end = std::min(close == llvm::StringRef::npos ? text.size() : close + 1, lineEndFrom(p));
    }
    llvm::StringRef name = text.slice(p, end);
    if (name != "!!str") {
      report(p, "unsupported YAML tag " + readers::quoteText(name) +
                    "; a spec holds untagged strings, lists and mappings");
      tagErrors = true;
    }
    pos = end;
  }

  bool quoted() {
    size_t start = pos;
    char quote = text[pos++];
    while (true) {
      if (pos >= text.size()) {
        stop(start, quote == '"'
                        ? "unterminated string; the '\"' here is never closed"
                        : "unterminated string; the \"'\" here is never closed");
        return false;
      }
      char c = text[pos];
      if (isBreak(c)) {
        pos = crossBreak(pos);
      } else if (quote == '"' && c == '\\') {
        ++pos; // an escape; "\" before a line break joins the lines
        if (pos < text.size() && isBreak(text[pos]))
          pos = crossBreak(pos);
        else if (pos < text.size())
          ++pos;
      } else if (c == quote && quote == '\'' && pos + 1 < text.size() && text[pos + 1] == '\'') {
        pos += 2;
      } else if (c == quote) {
        ++pos;
        break;
      } else {
        ++pos;
      }
    }
    countValue(start);
    checkStringSize(start, pos - start);
    return !stopped;
  }

  /// A plain scalar at `pos`. In block context, a ':' followed by a blank
  /// ends a key; anything else runs to the end of the line and may go on on
  /// the lines below. Returns whether more tokens may follow.
  bool plain(bool flow) {
    size_t start = pos;
    while (pos < text.size() && !isBreak(text[pos])) {
      char c = text[pos];
      if (c == ':' && (pos + 1 >= text.size() || isBlank(text[pos + 1]) ||
                       isBreak(text[pos + 1]) || (flow && isFlowIndicator(text[pos + 1]))))
        break;
      if (c == '#' && pos > start && isBlank(text[pos - 1]))
        break;
      if (flow && isFlowIndicator(c))
        break;
      ++pos;
    }
    countValue(start);
    checkStringSize(start, pos - start);
    if (stopped || flow)
      return !stopped;
    if (pos < text.size() && text[pos] == ':')
      return true; // a key: keyFollows() opens the mapping entry
    plainOpen = true;
    plainStart = start;
    plainBytes = pos - start;
    plainParentColumn = blockColumn();
    pos = afterBreak(lineEndFrom(pos));
    return false;
  }

  /// The column of the innermost block collection, -1 at the top level.
  long blockColumn() const {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it)
      if (it->isBlock())
        return it->column;
    return -1;
  }

  /// `|` or `>` at `pos`: the header's line, then every line indented more
  /// than the enclosing collection (or blank) up to the first that is not.
  void blockScalar() {
    size_t header = pos;
    long parent = blockColumn();
    size_t p = afterBreak(lineEndFrom(pos));
    size_t start = p;
    long contentIndent = -1;
    while (p < text.size()) {
      size_t q = p;
      while (q < text.size() && text[q] == ' ')
        ++q;
      long indent = static_cast<long>(q - p);
      size_t end = lineEndFrom(q);
      bool blank = true;
      for (size_t i = q; i < end; ++i)
        blank = blank && isBlank(text[i]);
      if (!blank) {
        if (indent == 0 && (startsMarker(q, "---") || startsMarker(q, "...")))
          break;
        if (contentIndent < 0 && indent <= parent)
          break;
        if (contentIndent < 0)
          contentIndent = indent;
        if (indent < contentIndent)
          break;
      }
      p = afterBreak(end);
    }
    countValue(header);
    checkStringSize(header, p - start);
    pos = p;
  }

  void stop(size_t offset, const std::string &message) {
    if (stopped)
      return;
    report(offset, message);
    stopped = true;
  }

  llvm::StringRef text;
  const SpecLimits &limits;
  const PrescanReport &report;
  size_t pos = 0;
  size_t lineStart = 0;
  std::vector<Frame> frames;
  size_t values = 0;
  bool stopped = false;
  bool tagErrors = false;
  // The last line ended in a plain scalar value, which more indented lines
  // continue.
  bool plainOpen = false;
  size_t plainStart = 0;
  size_t plainBytes = 0;
  long plainParentColumn = -1;
};

} // namespace

bool prescanYaml(llvm::StringRef text, const SpecLimits &limits, const PrescanReport &report) {
  return Prescanner(text, limits, report).run();
}

} // namespace imageplan::dsl
