// The repository's commit history as imageplan uses it: for each of the last N
// first-parent commits, the files it changed (merges by their first-parent
// diff), with paths made relative to the build context.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace imageplan::planner {

struct Commit {
  std::string id;                 // full hash
  std::vector<std::string> files; // changed paths, relative to the build context,
                                  // sorted; files outside the context are dropped
  bool touchesOutsideContext = false; // it changed files outside the context too
};

struct History {
  std::vector<Commit> commits; // newest first
};

/// Reads up to `maxCommits` commits of the git repository that holds
/// `contextDir`, running `git` from PATH. Errors (not a repository, no git)
/// come back as an llvm::Error with a one-line message.
llvm::Expected<History> readHistory(llvm::StringRef contextDir, unsigned maxCommits);

/// Parses `git log --format=%x01%H --name-only` output, keeping the paths under
/// `contextPrefix` (a repository-relative folder ending in '/', or "" for the
/// root) relative to it. Exposed for tests.
History parseGitLog(llvm::StringRef log, llvm::StringRef contextPrefix);

/// True when `file` (context-relative) is `input` or lies under it: "app/" and
/// "app" both cover "app/main.py"; "." covers everything.
bool coveredBy(llvm::StringRef file, llvm::StringRef input);

} // namespace imageplan::planner
