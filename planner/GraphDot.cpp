// DOT output of the dependency graph through Boost.Graph's write_graphviz.
#include "planner/GraphDot.h"

#include "planner/Planner.h"

#include <boost/graph/graphviz.hpp>

#include <cstdio>
#include <sstream>

namespace imageplan::planner {
namespace {

// Light fills that stay readable in print; stages cycle through them.
constexpr const char *kStageColors[] = {"#dbe9f6", "#fde2c8", "#d9f0d3", "#eadcf2",
                                        "#f9d5d3", "#fff2b3"};

std::string fixed(double value, const char *format) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

/// Text inside a DOT string literal: names and images come from the spec.
std::string escaped(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

} // namespace

std::string toDot(const BuildGraph &graph) {
  std::ostringstream out;
  auto vertexWriter = [&](std::ostream &os, unsigned v) {
    const Node &node = graph.nodes[v];
    // "\n" is DOT's own line break inside a label.
    os << "[label=\"" << escaped(node.name) << "\\nstage "
       << escaped(graph.stages[node.stage].name) << ", " << toString(node.kind)
       << "\\nrate " << fixed(node.changeRate, "%.3f") << " (" << toString(node.rateSource)
       << "), cost " << fixed(node.cost, "%.0f") << " s\", shape=box, style=filled, fillcolor=\""
       << kStageColors[node.stage % std::size(kStageColors)] << "\"]";
  };
  auto graphWriter = [&](std::ostream &os) {
    std::string stages;
    for (size_t s = 0; s < graph.stages.size(); ++s)
      stages += (s ? ", " : "") + graph.stages[s].name + " (" +
                kStageColors[s % std::size(kStageColors)] + ")";
    os << "rankdir=LR;\n";
    os << "node [fontname=\"Helvetica\", fontsize=10];\n";
    os << "label=\"imageplan dependency graph; stages: " << escaped(stages) << "\";\n";
  };
  boost::write_graphviz(out, graph.graph, vertexWriter, boost::default_writer(), graphWriter);
  return out.str();
}

llvm::Expected<std::string> graphDot(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                     const PlanOptions &options) {
  llvm::Expected<BuildGraph> graph = buildGraph(diags, spec, options);
  if (!graph)
    return graph.takeError();
  return toDot(*graph);
}

} // namespace imageplan::planner
