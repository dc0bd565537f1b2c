// Reads the history the planner and `score` replay: the last N first-parent
// commits of the git repository holding the build context.
#pragma once

#include "planner/History.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace imageplan::analysis {

/// Reads up to `maxCommits` commits of the git repository that holds
/// `contextDir`, running `git` from PATH. Errors (not a repository, no git)
/// come back as an llvm::Error with a one-line message.
llvm::Expected<planner::History> readHistory(llvm::StringRef contextDir, unsigned maxCommits);

/// Parses `git log --format=%x01%H --name-only` output, keeping the paths under
/// `contextPrefix` (a repository-relative folder ending in '/', or "" for the
/// root) relative to it. Exposed for tests.
planner::History parseGitLog(llvm::StringRef log, llvm::StringRef contextPrefix);

} // namespace imageplan::analysis
