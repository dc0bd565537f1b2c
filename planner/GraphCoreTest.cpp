// The graph's mechanics: dense ids, edges added once, optional dependencies,
// the spec's rate overriding a default, and unique stage names.
#include "planner/GraphCore.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

StageInfo stageNamed(std::string name) {
  StageInfo info;
  info.name = std::move(name);
  return info;
}

TEST(GraphCoreTest, NodesGetIdsInDeclarationOrder) {
  BuildGraph graph;
  unsigned stage = addStage(graph, stageNamed("runtime"));
  EXPECT_EQ(stage, 0u);
  Node &first = addNode(graph, NodeKind::Workdir, "workdir /app", stage, {}, 0.001, 0,
                        {plan::SetWorkdir{"/app"}});
  EXPECT_EQ(first.id, 0u);
  Node &second = addNode(graph, NodeKind::AppCopy, "app src/", stage, {}, 0.9, 2, {}, {"app"});
  EXPECT_EQ(second.id, 1u);
  EXPECT_EQ(second.groups, (std::vector<std::string>{"app"}));
  EXPECT_EQ(second.changeRate, 0.9);
  EXPECT_EQ(second.rateSource, RateSource::Default);
  EXPECT_EQ(boost::num_vertices(graph.graph), 2u);
  EXPECT_EQ(graph.nodes[0].name, "workdir /app");
}

TEST(GraphCoreTest, AnEdgeIsAddedOnce) {
  BuildGraph graph;
  for (int i = 0; i < 3; ++i)
    addNode(graph, NodeKind::CustomStep, "n" + std::to_string(i), 0, {}, 0, 0, {});
  addEdge(graph, 0, 1);
  addEdge(graph, 0, 1);
  needs(graph, graph.nodes[2], 1);
  needs(graph, graph.nodes[2], std::nullopt);
  EXPECT_EQ(boost::num_edges(graph.graph), 2u);
  EXPECT_TRUE(boost::edge(0, 1, graph.graph).second);
  EXPECT_TRUE(boost::edge(1, 2, graph.graph).second);
  EXPECT_FALSE(boost::edge(1, 0, graph.graph).second);
}

TEST(GraphCoreTest, TheSpecsChangesOverrideTheDefault) {
  BuildGraph graph;
  Node &node = addNode(graph, NodeKind::AppCopy, "app", 0, {}, 0.9, 2, {});
  applyChanges(node, std::nullopt);
  EXPECT_EQ(node.changeRate, 0.9);
  EXPECT_EQ(node.rateSource, RateSource::Default);
  dsl::ChangeSpec rarely;
  rarely.probability = 0.01;
  applyChanges(node, rarely);
  EXPECT_EQ(node.changeRate, 0.01);
  EXPECT_EQ(node.rateSource, RateSource::Spec);
}

TEST(GraphCoreTest, StageNamesGetASuffixWhenTaken) {
  BuildGraph graph;
  EXPECT_EQ(uniqueStageName(graph, "model-ocr"), "model-ocr");
  addStage(graph, stageNamed("model-ocr"));
  EXPECT_EQ(uniqueStageName(graph, "model-ocr"), "model-ocr-2");
  addStage(graph, stageNamed("model-ocr-2"));
  EXPECT_EQ(uniqueStageName(graph, "model-ocr"), "model-ocr-3");
  EXPECT_EQ(uniqueStageName(graph, "runtime"), "runtime");
}

} // namespace
} // namespace imageplan::planner
