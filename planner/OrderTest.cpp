// The ordering is checked against brute force: every permutation of up to 8
// steps, with random costs, rates and dependency edges.
#include "planner/Order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace imageplan::planner {
namespace {

using Edges = std::vector<std::pair<unsigned, unsigned>>;

bool respects(const std::vector<unsigned> &order, const Edges &edges) {
  std::vector<unsigned> position(order.size());
  for (unsigned i = 0; i < order.size(); ++i)
    position[order[i]] = i;
  return std::all_of(edges.begin(), edges.end(),
                     [&](auto edge) { return position[edge.first] < position[edge.second]; });
}

/// The least expected work over all valid orders, and the lexicographically
/// first order that reaches it.
std::pair<double, std::vector<unsigned>> bruteForce(const std::vector<OrderItem> &items,
                                                    const Edges &edges, size_t commits = 0) {
  std::vector<unsigned> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  double best = INFINITY;
  std::vector<unsigned> bestOrder;
  do {
    if (!respects(order, edges))
      continue;
    double work = expectedRebuildWork(items, order, commits);
    if (bestOrder.empty() || work < best - 1e-9 * std::max(1.0, best)) {
      best = work;
      bestOrder = order;
    }
  } while (std::next_permutation(order.begin(), order.end()));
  return {best, bestOrder};
}

TEST(OrderTest, ExpectedWorkFollowsDockersCacheRule) {
  // A changes with 0.5, B never: B after A is rebuilt whenever A is.
  std::vector<OrderItem> items = {{10, 0.5}, {100, 0}};
  EXPECT_DOUBLE_EQ(expectedRebuildWork(items, {0, 1}), 10 * 0.5 + 100 * 0.5);
  EXPECT_DOUBLE_EQ(expectedRebuildWork(items, {1, 0}), 10 * 0.5);
}

TEST(OrderTest, StableHeavyStepGoesFirst) {
  // torch-like: expensive, rarely changes; app code: cheap, nearly always.
  std::vector<OrderItem> items = {{2, 0.9}, {120, 0.02}};
  EXPECT_EQ(orderForRebuildWork(items, {}), (std::vector<unsigned>{1, 0}));
}

TEST(OrderTest, DependenciesWin) {
  std::vector<OrderItem> items = {{2, 0.9}, {120, 0.02}};
  EXPECT_EQ(orderForRebuildWork(items, {{0, 1}}), (std::vector<unsigned>{0, 1}));
}

TEST(OrderTest, TiesKeepDeclarationOrder) {
  std::vector<OrderItem> items = {{5, 0.1}, {5, 0.1}, {5, 0.1}};
  EXPECT_EQ(orderForRebuildWork(items, {}), (std::vector<unsigned>{0, 1, 2}));
  std::vector<OrderItem> free = {{0, 0}, {0, 0}};
  EXPECT_EQ(orderForRebuildWork(free, {}), (std::vector<unsigned>{0, 1}));
}

TEST(OrderTest, BeatsOrEqualsKindOrderOnConstructedCases) {
  // Kind order as people write it: system, app copy, requirements, a build step.
  std::vector<OrderItem> items = {{30, 0.01}, {2, 0.9}, {60, 0.1}, {300, 0.02}};
  std::vector<unsigned> kindOrder = {0, 1, 2, 3};
  std::vector<unsigned> planned = orderForRebuildWork(items, {{0, 2}, {0, 3}});
  EXPECT_LT(expectedRebuildWork(items, planned), expectedRebuildWork(items, kindOrder));
  EXPECT_EQ(planned, (std::vector<unsigned>{0, 3, 2, 1}));
}

TEST(OrderTest, ExactOnEveryBruteForceCase) {
  std::mt19937 random(20261128);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> coarseCost(0, 4);
  for (unsigned trial = 0; trial < 600; ++trial) {
    unsigned n = 1 + trial % 8;
    std::vector<OrderItem> items(n);
    for (OrderItem &item : items) {
      // Coarse values make exact ties common, which exercises tie-breaking.
      bool coarse = trial % 3 == 0;
      item.cost = coarse ? 10.0 * coarseCost(random) : 1 + 300 * unit(random);
      item.rate = coarse ? 0.25 * coarseCost(random) : unit(random) * unit(random);
    }
    Edges edges;
    for (unsigned a = 0; a < n; ++a)
      for (unsigned b = a + 1; b < n; ++b)
        if (unit(random) < 0.2)
          edges.push_back({a, b});
    auto [best, bestOrder] = bruteForce(items, edges);
    std::vector<unsigned> planned = orderForRebuildWork(items, edges);
    ASSERT_TRUE(respects(planned, edges)) << "trial " << trial;
    EXPECT_NEAR(expectedRebuildWork(items, planned), best, 1e-9 * std::max(1.0, best))
        << "trial " << trial;
    EXPECT_EQ(planned, bestOrder) << "trial " << trial;
  }
}

TEST(OrderTest, ReplayedCommitsCountChangesThatComeTogether) {
  // a and b change in the same commits: after a, b adds no rebuilds of its own.
  std::vector<uint64_t> together = {0b0011}, alone = {0b0100};
  std::vector<OrderItem> items = {{10, 0.5, &together}, {10, 0.5, &together}, {10, 0.25, &alone}};
  EXPECT_DOUBLE_EQ(expectedRebuildWork(items, {0, 1, 2}, 4), 10 * 0.5 + 10 * 0.5 + 10 * 0.75);
  EXPECT_DOUBLE_EQ(expectedRebuildWork(items, {2, 0, 1}, 4), 10 * 0.25 + 10 * 0.75 + 10 * 0.75);
}

TEST(OrderTest, ExactOnTheReplayedObjective) {
  std::mt19937 random(42);
  std::uniform_real_distribution<double> unit(0, 1);
  for (unsigned trial = 0; trial < 300; ++trial) {
    unsigned n = 1 + trial % 7;
    size_t commits = 1 + trial % 90;
    std::vector<std::vector<uint64_t>> bits(n, std::vector<uint64_t>((commits + 63) / 64, 0));
    std::vector<OrderItem> items(n);
    for (unsigned v = 0; v < n; ++v) {
      items[v].cost = 1 + 100 * unit(random);
      items[v].rate = unit(random) * 0.5;
      if (v % 3 != 2) { // the others keep the independence model
        for (size_t k = 0; k < commits; ++k)
          if (unit(random) < items[v].rate)
            bits[v][k / 64] |= uint64_t(1) << (k % 64);
        items[v].changedIn = &bits[v];
      }
    }
    Edges edges;
    for (unsigned a = 0; a < n; ++a)
      for (unsigned b = a + 1; b < n; ++b)
        if (unit(random) < 0.2)
          edges.push_back({a, b});
    auto [best, bestOrder] = bruteForce(items, edges, commits);
    std::vector<unsigned> planned = orderForRebuildWork(items, edges, commits);
    EXPECT_NEAR(expectedRebuildWork(items, planned, commits), best, 1e-9 * std::max(1.0, best))
        << "trial " << trial;
    EXPECT_EQ(planned, bestOrder) << "trial " << trial;
  }
}

TEST(OrderTest, FallsBackToRatioRuleBeyondTheStateLimit) {
  std::vector<OrderItem> items;
  for (unsigned i = 0; i < 30; ++i)
    items.push_back({double(1 + i % 7), 0.01 * (1 + i % 5)});
  std::vector<unsigned> planned = orderForRebuildWork(items, {}, /*commitCount=*/0, /*exactStateLimit=*/16);
  EXPECT_EQ(planned, ratioRuleOrder(items, {}));
  EXPECT_EQ(planned.size(), items.size());
}

TEST(OrderTest, RatioRuleIsOptimalWithoutDependencies) {
  // Without precedence constraints the exchange argument makes the ratio rule exact.
  std::mt19937 random(7);
  std::uniform_real_distribution<double> unit(0.01, 0.99);
  for (unsigned trial = 0; trial < 100; ++trial) {
    std::vector<OrderItem> items(6);
    for (OrderItem &item : items)
      item = {1 + 100 * unit(random), unit(random)};
    double best = bruteForce(items, {}).first;
    EXPECT_NEAR(expectedRebuildWork(items, ratioRuleOrder(items, {})), best, 1e-9 * best);
  }
}

} // namespace
} // namespace imageplan::planner
