// Nodes, edges and stages of a BuildGraph (GraphCore.h).
#include "planner/GraphCore.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {

Node &addNode(BuildGraph &graph, NodeKind kind, std::string name, unsigned stage, llvm::SMLoc loc,
              double rate, double cost, std::vector<plan::Op> ops,
              std::vector<std::string> groups) {
  Node node;
  node.id = graph.nodes.size();
  node.kind = kind;
  node.name = std::move(name);
  node.stage = stage;
  node.loc = loc;
  node.changeRate = rate;
  node.cost = cost;
  node.ops = std::move(ops);
  node.groups = std::move(groups);
  boost::add_vertex(graph.graph);
  graph.nodes.push_back(std::move(node));
  return graph.nodes.back();
}

void addEdge(BuildGraph &graph, unsigned from, unsigned to) {
  if (!boost::edge(from, to, graph.graph).second)
    boost::add_edge(from, to, graph.graph);
}

void needs(BuildGraph &graph, const Node &node, std::optional<unsigned> dependency) {
  if (dependency)
    addEdge(graph, *dependency, node.id);
}

void applyChanges(Node &node, const std::optional<dsl::ChangeSpec> &changes) {
  if (!changes)
    return;
  node.changeRate = changes->probability;
  node.rateSource = RateSource::Spec;
}

unsigned addStage(BuildGraph &graph, StageInfo info) {
  graph.stages.push_back(std::move(info));
  return graph.stages.size() - 1;
}

std::optional<unsigned> findStage(const BuildGraph &graph, llvm::StringRef name) {
  for (unsigned s = 0; s < graph.stages.size(); ++s)
    if (graph.stages[s].name == name)
      return s;
  return std::nullopt;
}

std::string uniqueStageName(const BuildGraph &graph, std::string name) {
  auto taken = [&](const std::string &candidate) {
    return llvm::any_of(graph.stages,
                        [&](const StageInfo &stage) { return stage.name == candidate; });
  };
  if (!taken(name))
    return name;
  for (unsigned suffix = 2;; ++suffix) {
    std::string candidate = name + "-" + std::to_string(suffix);
    if (!taken(candidate))
      return candidate;
  }
}

} // namespace imageplan::planner
