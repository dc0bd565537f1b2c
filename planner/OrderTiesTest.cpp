// The tie-break rules: which names count as secondary, the ranks they give,
// and what the ordering makes of them where expected work ties.
#include "planner/OrderTies.h"

#include "planner/Order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace imageplan::planner {
namespace {

TEST(OrderTiesTest, SecondaryNames) {
  for (const char *name :
       {"requirements-dev.txt", "requirements_test.txt", "requirements-extra.txt",
        "requirements.dev.txt", "dev-requirements.txt", "test_requirements.txt",
        "requirements-tests.in", "requirements/dev.txt", "reqs/extras.txt",
        "deps/requirements-lint.txt", "REQUIREMENTS-DEV.TXT", "requirements-ci.txt"})
    EXPECT_TRUE(isSecondaryName(name)) << name;
  for (const char *name :
       {"requirements.txt", "requirements-gpu.txt", "requirements/base.txt", "constraints.txt",
        "dev.txt", "tests/", "app/", "devtools.txt", "requirements-device.txt", ".", "",
        "latest.txt", "requirements/requirements.txt"})
    EXPECT_FALSE(isSecondaryName(name)) << name;
}

TEST(OrderTiesTest, NameRankNeedsEveryInputSecondary) {
  EXPECT_EQ(nameRank({"requirements-dev.txt"}), 1u);
  EXPECT_EQ(nameRank({"requirements-dev.txt", "constraints.txt"}), 0u);
  EXPECT_EQ(nameRank({"requirements.txt"}), 0u);
  EXPECT_EQ(nameRank({}), 0u);
}

TEST(OrderTiesTest, RanksByCostThenNameThenIndex) {
  std::vector<TieKey> keys = {{60, 1}, {60, 0}, {2, 1}, {60, 0}, {2, 0}};
  EXPECT_EQ(tieRanks(keys), (std::vector<unsigned>{4, 2, 1, 3, 0}));
  EXPECT_TRUE(tieRanks({}).empty());
}

TEST(OrderTiesTest, MainRequirementFileBeforeDevAndTestFiles) {
  // Three requirement files with the default rate and cost, declared with
  // the dev file first: expected work ties, the names decide.
  std::vector<std::string> names = {"requirements-dev.txt", "requirements.txt",
                                    "requirements-test.txt"};
  std::vector<OrderItem> items;
  std::vector<TieKey> keys;
  for (const std::string &name : names) {
    items.push_back({60, 0.1});
    keys.push_back({60, nameRank({name})});
  }
  std::vector<unsigned> ranks = tieRanks(keys);
  for (unsigned i = 0; i < items.size(); ++i)
    items[i].tieRank = ranks[i];
  EXPECT_EQ(orderForRebuildWork(items, {}), (std::vector<unsigned>{1, 0, 2}));
  EXPECT_EQ(ratioRuleOrder(items, {}), (std::vector<unsigned>{1, 0, 2}));
}

TEST(OrderTiesTest, CheaperFirstOnlyWhereWorkTies) {
  // Neither step ever changes: every order costs nothing, the cheaper goes first.
  std::vector<OrderItem> stable = {{30, 0}, {5, 0}};
  stable[0].tieRank = 1;
  stable[1].tieRank = 0;
  EXPECT_EQ(orderForRebuildWork(stable, {}), (std::vector<unsigned>{1, 0}));
  // With equal rates the dearer step first is strictly better, whatever the ranks.
  std::vector<OrderItem> changing = {{30, 0.1}, {5, 0.1}};
  changing[0].tieRank = 1;
  changing[1].tieRank = 0;
  EXPECT_EQ(orderForRebuildWork(changing, {}), (std::vector<unsigned>{0, 1}));
  // A dependency is never broken for a tie.
  EXPECT_EQ(orderForRebuildWork(stable, {{0, 1}}), (std::vector<unsigned>{0, 1}));
}

bool respects(const std::vector<unsigned> &order,
              const std::vector<std::pair<unsigned, unsigned>> &edges) {
  std::vector<unsigned> position(order.size());
  for (unsigned i = 0; i < order.size(); ++i)
    position[order[i]] = i;
  return std::all_of(edges.begin(), edges.end(),
                     [&](auto edge) { return position[edge.first] < position[edge.second]; });
}

TEST(OrderTiesTest, ExactSearchPicksTheFirstOptimalOrderByRank) {
  // Brute force over every order: of the optimal ones, the smallest sequence
  // of ranks must come out. Coarse values make ties common.
  std::mt19937 random(20261130);
  std::uniform_int_distribution<int> coarse(0, 3);
  for (unsigned trial = 0; trial < 300; ++trial) {
    unsigned n = 1 + trial % 7;
    std::vector<OrderItem> items(n);
    std::vector<unsigned> ranks(n);
    std::iota(ranks.begin(), ranks.end(), 0);
    std::shuffle(ranks.begin(), ranks.end(), random);
    for (unsigned i = 0; i < n; ++i)
      items[i] = {10.0 * coarse(random), coarse(random) == 0 ? 0.0 : 0.25 * coarse(random),
                  nullptr, ranks[i]};
    std::vector<std::pair<unsigned, unsigned>> edges;
    for (unsigned a = 0; a < n; ++a)
      for (unsigned b = a + 1; b < n; ++b)
        if (coarse(random) == 0)
          edges.push_back({a, b});
    std::vector<unsigned> order(n), best;
    std::iota(order.begin(), order.end(), 0);
    double least = INFINITY;
    auto rankSequence = [&](const std::vector<unsigned> &o) {
      std::vector<unsigned> seq;
      for (unsigned v : o)
        seq.push_back(items[v].tieRank);
      return seq;
    };
    do {
      if (!respects(order, edges))
        continue;
      double work = expectedRebuildWork(items, order);
      double tolerance = 1e-9 * std::max(1.0, least);
      if (best.empty() || work < least - tolerance ||
          (work <= least + tolerance && rankSequence(order) < rankSequence(best))) {
        least = std::min(least, work);
        best = order;
      }
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(orderForRebuildWork(items, edges), best) << "trial " << trial;
  }
}

} // namespace
} // namespace imageplan::planner
