// Line-level output of a Dockerfile. Instructions arrive as lines of already
// quoted text; the writer adds the continuation backslashes and checks the
// invariants every generated file keeps (no trailing blanks, no line breaks
// inside a line, no continuation line the parser would take for a comment).
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::backends {

class DockerfileWriter {
public:
  /// Without `comments`, comment() and blankLine() write nothing: only what
  /// BuildKit's cache sees remains (`imageplan diff` compares that).
  explicit DockerfileWriter(bool comments = true) : comments(comments) {}

  /// `# text`; `text` is made safe with commentText().
  void comment(llvm::StringRef text);
  /// The empty line between stages.
  void blankLine();
  /// `KEYWORD lines[0] \`, then each further line as given (it carries its own
  /// indentation), all but the last ending in ` \`.
  void instructionLines(llvm::StringRef keyword, llvm::ArrayRef<std::string> lines);
  /// A one-line instruction.
  void instruction(llvm::StringRef keyword, llvm::StringRef args);
  /// `KEYWORD args` whose args open a heredoc, then `body` as written (each
  /// element a line, kept byte for byte) and the `delimiter` line. No line of
  /// `body` may be the delimiter or hold a line break.
  void heredocInstruction(llvm::StringRef keyword, llvm::StringRef args,
                          llvm::ArrayRef<llvm::StringRef> body, llvm::StringRef delimiter);

  const std::string &text() const { return out; }

private:
  void writeLine(llvm::StringRef line);

  std::string out;
  bool comments;
};

} // namespace imageplan::backends
