// Dockerfile line writer (see DockerfileWriter.h).
#include "backends/DockerfileWriter.h"

#include "backends/DockerfileSyntax.h"

#include <cassert>

namespace imageplan::backends {

void DockerfileWriter::writeLine(llvm::StringRef line) {
  assert(line.find_first_of("\n\r") == llvm::StringRef::npos && "line break inside a line");
  assert(line == line.rtrim() && "trailing blank");
  out += line;
  out += '\n';
}

void DockerfileWriter::comment(llvm::StringRef text) {
  if (!comments)
    return;
  std::string safe = commentText(text);
  writeLine(safe.empty() ? "#" : "# " + safe);
}

void DockerfileWriter::blankLine() {
  if (comments)
    out += '\n';
}

void DockerfileWriter::instructionLines(llvm::StringRef keyword,
                                        llvm::ArrayRef<std::string> lines) {
  assert(!lines.empty() && "instruction without arguments");
  for (size_t i = 0; i < lines.size(); ++i) {
    // BuildKit drops a continuation line whose first non-blank character is
    // '#' (it is a comment) and ends the instruction at a blank one; either
    // would silently change the command.
    assert((i == 0 || !llvm::StringRef(lines[i]).ltrim().startswith("#")) &&
           "continuation line read as a comment");
    assert((i == 0 || !llvm::StringRef(lines[i]).trim().empty()) && "empty continuation line");
    // A line of ours ending in a backslash would swallow the next line.
    assert(!llvm::StringRef(lines[i]).endswith("\\") && "line ends in a backslash");
    std::string line = i == 0 ? keyword.str() + " " + lines[i] : lines[i];
    if (i + 1 < lines.size())
      line += " \\";
    writeLine(line);
  }
}

void DockerfileWriter::instruction(llvm::StringRef keyword, llvm::StringRef args) {
  std::string line = args.str();
  instructionLines(keyword, llvm::makeArrayRef(line));
}

void DockerfileWriter::heredocInstruction(llvm::StringRef keyword, llvm::StringRef args,
                                          llvm::ArrayRef<llvm::StringRef> body,
                                          llvm::StringRef delimiter) {
  instruction(keyword, args);
  for (llvm::StringRef line : body) {
    // Body lines are content: trailing blanks and a leading '#' are kept.
    assert(line.find_first_of("\n\r") == llvm::StringRef::npos && "line break inside a line");
    assert(line != delimiter && "heredoc body line equals its delimiter");
    out += line;
    out += '\n';
  }
  writeLine(delimiter);
}

} // namespace imageplan::backends
