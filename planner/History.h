// The repository's commit history as the planner uses it: for each of the last
// N first-parent commits, the files it changed (merges by their first-parent
// diff), with paths made relative to the build context. analysis/GitHistory.h
// reads it from git; applyHistory turns it into the graph's change rates.
#pragma once

#include "dsl/Lock.h"
#include "readers/Diagnostics.h"

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

/// One step's inputs and how often they changed: what `imageplan tune`
/// records and applyLockedRates reads back.
struct InputRate {
  std::vector<std::string> paths;
  std::vector<std::string> exclude;
  size_t changed = 0;
};

/// The distinct input sets of the graph's steps that read context files and
/// whose rate the spec does not set, in node order, each with the number of
/// `history`'s commits that changed it (the share applyHistory would use).
std::vector<InputRate> measureInputRates(const BuildGraph &graph, const History &history);

/// The lock's measured rates (`rates:`) for every step that reads context
/// files and whose rate the spec does not set: changed / commits. A step the
/// lock has no rate for keeps its default, and a rate for inputs no step
/// reads is unused; both are warnings with `report`, errors of a stale lock
/// with `mustMatch`.
void applyLockedRates(readers::DiagnosticEngine &diags, BuildGraph &graph, const dsl::Lock &lock,
                      bool report, bool mustMatch);

} // namespace imageplan::planner
