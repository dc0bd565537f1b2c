// The repository's commit history as the planner uses it: for each of the last
// N first-parent commits, the files it changed (merges by their first-parent
// diff), with paths made relative to the build context. analysis/GitHistory.h
// reads it from git; applyHistory turns it into the graph's change rates.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::planner {

struct BuildGraph;

struct Commit {
  std::string id;                 // full hash
  std::vector<std::string> files; // changed paths, relative to the build context,
                                  // sorted; files outside the context are dropped
  bool touchesOutsideContext = false; // it changed files outside the context too
};

struct History {
  std::vector<Commit> commits; // newest first
};

/// True when `file` (context-relative) is `input` or lies under it: "app/" and
/// "app" both cover "app/main.py"; "." covers everything.
bool coveredBy(llvm::StringRef file, llvm::StringRef input);

/// Measured rates for every node that reads context files, unless the spec
/// set `changes:` explicitly: the share of `history`'s commits that changed
/// one of its inputs (app.exclude patterns excepted), with those commits
/// marked in Node::changedIn. Nodes without inputs keep their defaults; an
/// empty history changes nothing.
void applyHistory(BuildGraph &graph, const History &history);

} // namespace imageplan::planner
