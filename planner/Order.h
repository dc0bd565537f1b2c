// Orders the steps of one stage to minimise expected rebuild work under
// Docker's cache rule: a layer is rebuilt when it or any layer before it
// changes. See docs/planner.md for the model and the algorithm's guarantee.
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace imageplan::planner {

struct OrderItem {
  double cost = 0; // seconds to rebuild the step
  double rate = 0; // probability per commit that the step's own inputs change
  /// With history: bit k set when replayed commit k changed the step's inputs.
  /// Steps with it are scored on the actual commits (changes that come
  /// together count together); steps without it by `rate`, independently.
  const std::vector<uint64_t> *changedIn = nullptr;
  /// Where expected work leaves the order open (exact ties), the lower rank
  /// comes first, then the lower index. OrderTies.h computes the planner's:
  /// cheaper first, then main files before `-dev`/`-test`/`-extra` ones.
  unsigned tieRank = 0;
};

/// Expected seconds of rebuild work per commit for `items` built in `order`:
/// sum over i of cost_i * P(some step j <= i changed), where P is the fraction
/// of the `commitCount` replayed commits for steps with history, times the
/// independent survival of the others: with no history, the familiar
/// sum_i cost_i * (1 - prod_{j <= i} (1 - rate_j)).
double expectedRebuildWork(llvm::ArrayRef<OrderItem> items, llvm::ArrayRef<unsigned> order,
                           size_t commitCount = 0);

/// For each position i of `order`, the probability that the step there is
/// rebuilt in a commit (some step at or before i changed), under the same
/// model as expectedRebuildWork.
std::vector<double> rebuildProbabilities(llvm::ArrayRef<OrderItem> items,
                                         llvm::ArrayRef<unsigned> order, size_t commitCount = 0);

/// An order of 0..n-1 that respects `edges` (pairs (a, b): a before b) and
/// minimises expectedRebuildWork. Exact (dynamic programming over the
/// dependency-closed prefixes) when the number of such prefixes stays within
/// `exactStateLimit`; otherwise a ratio-rule list schedule. Among optimal
/// orders, the lexicographically smallest by (tieRank, index): with equal
/// ranks, earlier-declared steps win ties.
std::vector<unsigned> orderForRebuildWork(llvm::ArrayRef<OrderItem> items,
                                          llvm::ArrayRef<std::pair<unsigned, unsigned>> edges,
                                          size_t commitCount = 0,
                                          size_t exactStateLimit = 1u << 18);

/// The ratio-rule list schedule alone: repeatedly the ready step with the
/// smallest rate / ((1 - rate) * cost), ties by lower rate, then lower
/// tieRank, then lower index.
std::vector<unsigned> ratioRuleOrder(llvm::ArrayRef<OrderItem> items,
                                     llvm::ArrayRef<std::pair<unsigned, unsigned>> edges);

} // namespace imageplan::planner
