// Runs git: the repository's own view of its history and files, without a
// libgit2 dependency. `score`, `diff --git` and `--history` all go through here.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>

namespace imageplan::analysis {

/// Runs git from PATH with `args` and returns what it printed on stdout. On
/// failure, an error naming the subcommand (the first argument that is not
/// an option or its value) and the first line git printed on stderr:
/// "git rev-parse failed: not a git repository ...".
llvm::Expected<std::string> runGit(llvm::ArrayRef<llvm::StringRef> args);

/// The file `path` as of git revision `revision`: its text, and the name
/// diagnostics give it ("REV:path/in/repository").
llvm::Expected<std::pair<std::string, std::string>> fileAtRevision(llvm::StringRef path,
                                                                   llvm::StringRef revision);

} // namespace imageplan::analysis
