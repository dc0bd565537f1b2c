// The history helpers the planner applies: which context paths a change to a
// file touches, and the change rates that follow for the graph's nodes.
// Reading the history from git is analysis/GitHistory.cpp.
#include "planner/History.h"

#include "planner/Graph.h"

#include "readers/DockerignoreMatcher.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {
namespace {

/// The node's exclude patterns, compiled. The patterns were checked by the
/// DSL; one that does not compile excludes nothing.
std::vector<readers::PathPattern> compiledExcludes(const Node &node) {
  std::vector<readers::PathPattern> excludes;
  for (const std::string &pattern : node.excludes) {
    if (auto compiled = readers::PathPattern::compile(readers::cleanPath(pattern)))
      excludes.push_back(std::move(*compiled));
    else
      llvm::consumeError(compiled.takeError());
  }
  return excludes;
}

bool reads(const Node &node, const std::vector<readers::PathPattern> &excludes,
           const std::string &file) {
  if (llvm::any_of(excludes,
                   [&](const readers::PathPattern &p) { return p.matchesOrParent(file); }))
    return false;
  return llvm::any_of(node.inputs,
                      [&](const std::string &input) { return coveredBy(file, input); });
}

void measure(Node &node, const History &history) {
  size_t count = history.commits.size();
  node.changedIn.assign((count + 63) / 64, 0);
  std::vector<readers::PathPattern> excludes = compiledExcludes(node);
  size_t changed = 0;
  for (size_t k = 0; k < count; ++k) {
    if (!llvm::any_of(history.commits[k].files,
                      [&](const std::string &file) { return reads(node, excludes, file); }))
      continue;
    node.changedIn[k / 64] |= uint64_t(1) << (k % 64);
    ++changed;
  }
  node.changeRate = double(changed) / double(count);
  node.rateSource = RateSource::History;
}

} // namespace

bool coveredBy(llvm::StringRef file, llvm::StringRef input) {
  input.consume_front("./");
  input = input.rtrim('/');
  if (input.empty() || input == ".")
    return true;
  return file == input || (file.startswith(input) && file.drop_front(input.size()).startswith("/"));
}

void applyHistory(BuildGraph &graph, const History &history) {
  if (history.commits.empty())
    return;
  graph.commitCount = history.commits.size();
  for (Node &node : graph.nodes)
    if (!node.inputs.empty() && node.rateSource != RateSource::Spec)
      measure(node, history);
}

} // namespace imageplan::planner
