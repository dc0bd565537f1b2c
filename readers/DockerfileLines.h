// The lines of a Dockerfile as BuildKit's parser sees them: parser directives
// at the top, then logical lines (continuations joined, comment and blank
// lines dropped, heredoc bodies read off the lines that follow), each able to
// map any offset back to its source location.
#pragma once

#include "readers/DockerfileParser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"

#include <string>
#include <utility>
#include <vector>

namespace imageplan::readers {

/// One instruction's text with its continuation lines joined, and where each
/// piece of it came from, so any offset maps back to a source location.
struct LogicalLine {
  std::string text;
  std::vector<std::pair<size_t, const char *>> pieces; // offset in text -> source
  unsigned line = 0;

  void append(llvm::StringRef piece) {
    pieces.push_back({text.size(), piece.data()});
    text += piece;
  }
  llvm::SMLoc locAt(size_t offset) const {
    auto it = llvm::upper_bound(
        pieces, offset, [](size_t value, const auto &piece) { return value < piece.first; });
    if (it == pieces.begin())
      return llvm::SMLoc::getFromPointer(pieces.empty() ? nullptr : pieces.front().second);
    --it;
    return llvm::SMLoc::getFromPointer(it->second + (offset - it->first));
  }
};

/// Where a reader of lines reports a problem.
using LineError = llvm::function_ref<void(llvm::SMLoc, const llvm::Twine &)>;

class DockerfileLines {
public:
  /// The physical lines of `text` (a byte-order mark and CRs dropped).
  explicit DockerfileLines(llvm::StringRef text);

  /// `# key=value` lines at the very top into `file` (directives, escape);
  /// the first other line ends them.
  void readDirectives(Dockerfile &file, LineError error);
  /// The next instruction's logical line with `escape` as the continuation
  /// character; false at the end.
  bool nextLogicalLine(LogicalLine &line, char escape);
  /// `<<EOF`, `<<-EOF`, `<<"EOF"` markers outside quotes in `line` from
  /// offset `from` (`escape` quotes the character after it outside '...');
  /// each body runs to a line holding only its name.
  void readHeredocs(const LogicalLine &line, size_t from, char escape,
                    std::vector<DockerfileHeredoc> &heredocs, LineError error);
  /// Where the text ends, for problems found there.
  llvm::SMLoc end() const { return llvm::SMLoc::getFromPointer(endOfText); }

private:
  std::vector<llvm::StringRef> lines;
  const char *endOfText = nullptr;
  size_t next = 0;
};

} // namespace imageplan::readers
