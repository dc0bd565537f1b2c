// Ordering by expected rebuild work. With survival s_j = 1 - rate_j, the
// expected work of an order is sum_i cost_i * (1 - prod_{j<=i} s_j). The term a
// step adds depends only on the SET of steps before it, so the optimum over
// dependency-respecting orders is a shortest path over the dependency-closed
// subsets (order ideals): exact, and small for the sizes specs have.
#include "planner/Order.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_map>

namespace imageplan::planner {
namespace {

struct Dependencies {
  std::vector<uint64_t> predecessorMask; // exact search only (n <= 64)
  std::vector<std::vector<unsigned>> successors;
  std::vector<unsigned> predecessorCount;
};

Dependencies collect(size_t n, llvm::ArrayRef<std::pair<unsigned, unsigned>> edges) {
  Dependencies deps;
  deps.predecessorMask.assign(n <= 64 ? n : 0, 0);
  deps.successors.resize(n);
  deps.predecessorCount.assign(n, 0);
  for (auto [from, to] : edges) {
    if (n <= 64)
      deps.predecessorMask[to] |= uint64_t(1) << from;
    deps.successors[from].push_back(to);
    ++deps.predecessorCount[to];
  }
  return deps;
}

/// The ratio rule's key: for two independent adjacent steps, a before b is no
/// worse exactly when key(a) <= key(b) (exchange argument, docs/planner.md).
double ratioKey(const OrderItem &item) {
  if (item.rate >= 1 || item.cost <= 0)
    return item.rate > 0 ? std::numeric_limits<double>::infinity() : 0;
  return item.rate / ((1 - item.rate) * item.cost);
}

/// The probability that none of a set of steps changed in a commit: the
/// replayed fraction for steps with history, times the independent survival
/// of the others. It depends on the set only, which is what makes the
/// search over sets exact.
class Survival {
public:
  Survival(llvm::ArrayRef<OrderItem> items, size_t commitCount)
      : items(items), commitCount(commitCount), words((commitCount + 63) / 64) {}

  /// Starts an empty set.
  void reset() {
    independent = 1;
    changed.assign(words, 0);
    anyHistory = false;
  }
  void add(unsigned v) {
    const OrderItem &item = items[v];
    if (item.changedIn && commitCount > 0) {
      for (size_t w = 0; w < words && w < item.changedIn->size(); ++w)
        changed[w] |= (*item.changedIn)[w];
      anyHistory = true;
    } else {
      independent *= 1 - item.rate;
    }
  }
  double value() const {
    if (!anyHistory)
      return independent;
    size_t hit = 0;
    for (uint64_t word : changed)
      hit += __builtin_popcountll(word);
    return independent * double(commitCount - hit) / double(commitCount);
  }

private:
  llvm::ArrayRef<OrderItem> items;
  size_t commitCount, words;
  double independent = 1;
  std::vector<uint64_t> changed;
  bool anyHistory = false;
};

class ExactSearch {
public:
  ExactSearch(llvm::ArrayRef<OrderItem> items, const Dependencies &deps, size_t commitCount,
              size_t limit)
      : items(items), deps(deps), limit(limit),
        full(items.size() == 64 ? ~uint64_t(0) : (uint64_t(1) << items.size()) - 1),
        model(items, commitCount) {}

  /// The optimal order, or an empty vector when the state limit was hit.
  std::vector<unsigned> run() {
    double best = remaining(0);
    if (exhausted || !std::isfinite(best))
      return {};
    std::vector<unsigned> order;
    uint64_t done = 0;
    while (done != full) {
      // Of the choices that keep the total optimal, the first by tie rank.
      std::vector<std::pair<unsigned, double>> choices;
      double least = std::numeric_limits<double>::infinity();
      for (unsigned v = 0; v < items.size(); ++v) {
        if (!ready(done, v))
          continue;
        double total = stepCost(done, v) + remaining(done | bit(v));
        choices.push_back({v, total});
        least = std::min(least, total);
      }
      std::optional<unsigned> chosen;
      for (auto [v, total] : choices)
        if (total <= least + tolerance(least) && (!chosen || tiesBefore(v, *chosen)))
          chosen = v;
      order.push_back(*chosen);
      done |= bit(*chosen);
    }
    return order;
  }

private:
  static uint64_t bit(unsigned v) { return uint64_t(1) << v; }

  bool tiesBefore(unsigned a, unsigned b) const {
    return std::make_pair(items[a].tieRank, a) < std::make_pair(items[b].tieRank, b);
  }

  bool ready(uint64_t done, unsigned v) const {
    return !(done & bit(v)) && (deps.predecessorMask[v] & ~done) == 0;
  }

  static double tolerance(double value) { return 1e-9 * std::max(1.0, std::fabs(value)); }

  /// Survival of a set, accumulated in index order so it never depends on
  /// the path that reached the set; computed once per set.
  double survival(uint64_t set) {
    auto found = survivalMemo.find(set);
    if (found != survivalMemo.end())
      return found->second;
    model.reset();
    for (unsigned v = 0; v < items.size(); ++v)
      if (set & bit(v))
        model.add(v);
    double value = model.value();
    survivalMemo.emplace(set, value);
    return value;
  }

  double stepCost(uint64_t before, unsigned v) {
    return items[v].cost * (1 - survival(before | bit(v)));
  }

  /// Least expected work to build everything not in `done`, after `done`.
  double remaining(uint64_t done) {
    if (done == full)
      return 0;
    auto found = memo.find(done);
    if (found != memo.end())
      return found->second;
    if (memo.size() >= limit) {
      exhausted = true;
      return 0;
    }
    double best = std::numeric_limits<double>::infinity();
    for (unsigned v = 0; v < items.size() && !exhausted; ++v)
      if (ready(done, v))
        best = std::min(best, stepCost(done, v) + remaining(done | bit(v)));
    memo.emplace(done, best);
    return best;
  }

  llvm::ArrayRef<OrderItem> items;
  const Dependencies &deps;
  size_t limit;
  uint64_t full;
  bool exhausted = false;
  Survival model;
  // Looked up by key only, never iterated: cannot affect the output order.
  std::unordered_map<uint64_t, double> memo;
  std::unordered_map<uint64_t, double> survivalMemo;
};

} // namespace

std::vector<double> rebuildProbabilities(llvm::ArrayRef<OrderItem> items,
                                         llvm::ArrayRef<unsigned> order, size_t commitCount) {
  Survival survival(items, commitCount);
  survival.reset();
  std::vector<double> probabilities;
  probabilities.reserve(order.size());
  for (unsigned v : order) {
    survival.add(v);
    probabilities.push_back(1 - survival.value());
  }
  return probabilities;
}

double expectedRebuildWork(llvm::ArrayRef<OrderItem> items, llvm::ArrayRef<unsigned> order,
                           size_t commitCount) {
  std::vector<double> probabilities = rebuildProbabilities(items, order, commitCount);
  double work = 0;
  for (size_t i = 0; i < order.size(); ++i)
    work += items[order[i]].cost * probabilities[i];
  return work;
}

std::vector<unsigned> ratioRuleOrder(llvm::ArrayRef<OrderItem> items,
                                     llvm::ArrayRef<std::pair<unsigned, unsigned>> edges) {
  Dependencies deps = collect(items.size(), edges);
  std::vector<double> key(items.size());
  for (unsigned v = 0; v < items.size(); ++v)
    key[v] = ratioKey(items[v]);
  auto later = [&](unsigned a, unsigned b) {
    if (key[a] != key[b])
      return key[a] > key[b];
    if (items[a].rate != items[b].rate)
      return items[a].rate > items[b].rate;
    return std::make_pair(items[a].tieRank, a) > std::make_pair(items[b].tieRank, b);
  };
  std::priority_queue<unsigned, std::vector<unsigned>, decltype(later)> readyQueue(later);
  for (unsigned v = 0; v < items.size(); ++v)
    if (deps.predecessorCount[v] == 0)
      readyQueue.push(v);
  std::vector<unsigned> order;
  order.reserve(items.size());
  while (!readyQueue.empty()) {
    unsigned v = readyQueue.top();
    readyQueue.pop();
    order.push_back(v);
    for (unsigned next : deps.successors[v])
      if (--deps.predecessorCount[next] == 0)
        readyQueue.push(next);
  }
  return order;
}

std::vector<unsigned> orderForRebuildWork(llvm::ArrayRef<OrderItem> items,
                                          llvm::ArrayRef<std::pair<unsigned, unsigned>> edges,
                                          size_t commitCount, size_t exactStateLimit) {
  if (items.size() <= 64) {
    Dependencies deps = collect(items.size(), edges);
    std::vector<unsigned> exact =
        ExactSearch(items, deps, commitCount, exactStateLimit).run();
    if (!exact.empty() || items.empty())
      return exact;
  }
  return ratioRuleOrder(items, edges);
}

} // namespace imageplan::planner
