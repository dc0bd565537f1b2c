// Cycle reports on hand-made graphs: the exact text, the shortest cycle, one
// report per component, and notes only where `after:` asked for an edge.
#include "planner/Cycles.h"

#include "planner/GraphCore.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

// Three steps, each after the one before it, the first after the last.
constexpr const char *kSteps = "a after c\n"
                               "b after a\n"
                               "c after b\n";

struct Reported {
  std::string text;
  unsigned errors = 0;
};

/// Nodes n0..n<count-1> in one stage, with `edges`; each (from, to) also in
/// `after` gets the location of `after`'s offset into kSteps.
Reported report(unsigned count, const std::vector<std::pair<unsigned, unsigned>> &edges,
                const std::map<std::pair<unsigned, unsigned>, size_t> &after = {},
                const std::vector<std::string> &names = {}) {
  Reported out;
  llvm::raw_string_ostream os(out.text);
  readers::DiagnosticEngine diags(os);
  unsigned buffer = diags.addBuffer(kSteps, "steps.txt");
  BuildGraph graph;
  addStage(graph, StageInfo{});
  for (unsigned i = 0; i < count; ++i) {
    std::string name = i < names.size() ? names[i] : "n" + std::to_string(i);
    addNode(graph, NodeKind::CustomStep, name, 0, diags.locAt(buffer, i < 3 ? i * 10 : 0), 0, 0,
            {});
  }
  for (auto [from, to] : edges)
    addEdge(graph, from, to);
  AfterLocations afterLocs;
  for (auto [edge, offset] : after)
    afterLocs[edge] = diags.locAt(buffer, offset);
  checkCycles(diags, graph, afterLocs);
  out.errors = diags.errorCount();
  return out;
}

TEST(CyclesTest, ReportsTheCycleWithANoteAtEveryAfter) {
  // c -> a, a -> b and b -> c come from `after:`; d -> a is built in.
  Reported reported = report(4, {{2, 0}, {0, 1}, {1, 2}, {3, 0}},
                             {{{2, 0}, 8}, {{0, 1}, 18}, {{1, 2}, 28}}, {"a", "b", "c", "d"});
  EXPECT_EQ(reported.errors, 1u);
  EXPECT_EQ(reported.text, "steps.txt:1:1: error: dependency cycle: 'a' -> 'b' -> 'c' -> 'a'\n"
                           "a after c\n"
                           "^\n"
                           "steps.txt:2:9: note: 'b' runs after 'a' here\n"
                           "b after a\n"
                           "        ^\n"
                           "steps.txt:3:9: note: 'c' runs after 'b' here\n"
                           "c after b\n"
                           "        ^\n"
                           "steps.txt:1:9: note: 'a' runs after 'c' here\n"
                           "a after c\n"
                           "        ^\n");
}

TEST(CyclesTest, EdgesNotFromAfterGetNoNote) {
  Reported reported = report(2, {{0, 1}, {1, 0}}, {{{1, 0}, 18}}, {"a", "b"});
  EXPECT_EQ(reported.text, "steps.txt:1:1: error: dependency cycle: 'a' -> 'b' -> 'a'\n"
                           "a after c\n"
                           "^\n"
                           "steps.txt:2:9: note: 'a' runs after 'b' here\n"
                           "b after a\n"
                           "        ^\n");
}

TEST(CyclesTest, TheShortestCycleWithTiesToTheLowerIds) {
  // n0 -> n1 -> n2 -> n0 and n0 -> n3 -> n0: one component, the short cycle.
  Reported shortest = report(4, {{0, 1}, {1, 2}, {2, 0}, {0, 3}, {3, 0}});
  // n0 -> n2 -> n0 and n0 -> n1 -> n0, the edges added in that order.
  Reported tied = report(3, {{0, 2}, {2, 0}, {0, 1}, {1, 0}});
  EXPECT_EQ(shortest.errors, 1u);
  std::string source = "a after c\n"
                       "^\n";
  EXPECT_EQ(shortest.text,
            "steps.txt:1:1: error: dependency cycle: 'n0' -> 'n3' -> 'n0'\n" + source);
  EXPECT_EQ(tied.text, "steps.txt:1:1: error: dependency cycle: 'n0' -> 'n1' -> 'n0'\n" + source);
}

TEST(CyclesTest, OneReportPerComponentInIdOrder) {
  // {n1, n2} and {n3, n4} are cycles; n0 only leads into the first.
  Reported reported = report(5, {{0, 1}, {3, 4}, {4, 3}, {1, 2}, {2, 1}});
  EXPECT_EQ(reported.errors, 2u);
  EXPECT_EQ(reported.text, "steps.txt:2:1: error: dependency cycle: 'n1' -> 'n2' -> 'n1'\n"
                           "b after a\n"
                           "^\n"
                           "steps.txt:1:1: error: dependency cycle: 'n3' -> 'n4' -> 'n3'\n"
                           "a after c\n"
                           "^\n");
}

TEST(CyclesTest, AnAcyclicGraphReportsNothing) {
  Reported reported = report(4, {{0, 1}, {1, 2}, {0, 2}, {3, 2}});
  EXPECT_EQ(reported.errors, 0u);
  EXPECT_EQ(reported.text, "");
}

} // namespace
} // namespace imageplan::planner
