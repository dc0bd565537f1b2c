// The history helpers the planner applies: which context paths a change to a
// file touches, and the change rates that follow for the graph's nodes.
// Reading the history from git is analysis/GitHistory.cpp.
#include "planner/History.h"

#include "planner/Graph.h"

#include "readers/DockerignoreMatcher.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <set>

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

std::vector<InputRate> measureInputRates(const BuildGraph &graph, const History &history) {
  std::vector<InputRate> rates;
  for (const Node &node : graph.nodes) {
    if (node.inputs.empty() || node.rateSource == RateSource::Spec)
      continue;
    if (llvm::any_of(rates, [&](const InputRate &r) {
          return r.paths == node.inputs && r.exclude == node.excludes;
        }))
      continue;
    Node measured = node;
    measure(measured, history);
    size_t changed = 0;
    for (uint64_t word : measured.changedIn)
      changed += __builtin_popcountll(word);
    rates.push_back({node.inputs, node.excludes, changed});
  }
  return rates;
}

void applyLockedRates(readers::DiagnosticEngine &diags, BuildGraph &graph, const dsl::Lock &lock,
                      bool report, bool mustMatch) {
  const dsl::LockedRates &rates = *lock.rates;
  std::string name = "'" + lock.path + "'";
  // A stale lock for gen --check, else a warning when asked for.
  auto problem = [&](llvm::SMLoc loc, const std::string &stale, const std::string &warning) {
    if (mustMatch)
      diags.error(loc, name + " is stale: " + stale);
    else if (report)
      diags.warning(loc, name + warning);
  };
  std::set<const dsl::LockedInput *> used; // membership only
  for (Node &node : graph.nodes) {
    if (node.inputs.empty() || node.rateSource == RateSource::Spec)
      continue;
    const dsl::LockedInput *input = lock.findInput(node.inputs, node.excludes);
    if (!input) {
      std::string what = "measured rate for " + llvm::join(node.inputs, ", ");
      problem(node.loc, "it has no " + what + "; run 'imageplan tune'",
              " has no " + what + "; using the default rate (run 'imageplan tune')");
      continue;
    }
    used.insert(input);
    if (rates.commits.value == 0)
      continue;
    node.changeRate = double(input->changed.value) / double(rates.commits.value);
    node.rateSource = RateSource::Lock;
  }
  for (const dsl::LockedInput &input : rates.inputs) {
    if (used.count(&input))
      continue;
    std::string what;
    for (const dsl::LString &path : input.paths)
      what += (what.empty() ? "" : ", ") + path.value;
    problem(input.loc, "it has a rate for " + what + ", which no step reads; run 'imageplan tune'",
            " has a rate for " + what + ", which no step reads");
  }
}

} // namespace imageplan::planner
