// Running external programs (git, and the skopeo, docker and curl that
// `imageplan lock` resolves with): output captured in temporary files,
// removed afterwards, and an optional time limit, so a registry that hangs
// cannot hang the lock.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace imageplan::analysis {

struct ProgramResult {
  int status = 0;
  std::string out;
  std::string err; // its first line, trimmed, is what a message quotes
};

/// True when `program` is on PATH.
bool onPath(llvm::StringRef program);

/// Runs `program` from PATH with `args`, stdin from /dev/null, for at most
/// `timeoutSeconds` (0: no limit). An error only when it could not run or ran
/// out of time; a non-zero exit is a result.
llvm::Expected<ProgramResult> runProgram(llvm::StringRef program,
                                         llvm::ArrayRef<std::string> args,
                                         unsigned timeoutSeconds = 120);

/// The first line of `text`, trimmed: what a one-line message can quote.
std::string firstLine(llvm::StringRef text);

} // namespace imageplan::analysis
