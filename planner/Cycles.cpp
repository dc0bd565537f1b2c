// Cycle detection and reporting (Cycles.h).
#include "planner/Cycles.h"

#include "llvm/ADT/STLExtras.h"

#include <boost/graph/strong_components.hpp>

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {
namespace {

/// The targets of `from`'s edges, in id order so that ties between equally
/// short cycles go to the lower ids.
std::vector<unsigned> successors(const BuildGraph &graph, unsigned from) {
  std::vector<unsigned> next;
  for (auto [it, end] = boost::out_edges(from, graph.graph); it != end; ++it)
    next.push_back(boost::target(*it, graph.graph));
  llvm::sort(next);
  return next;
}

/// The shortest cycle through `start` inside its component, by breadth-first
/// search: `start` first, then the nodes in edge order.
std::vector<unsigned> shortestCycle(const BuildGraph &graph, unsigned start,
                                    const std::vector<int> &component) {
  std::vector<int> parent(graph.nodes.size(), -1);
  std::deque<unsigned> queue = {start};
  std::optional<unsigned> last;
  while (!queue.empty() && !last) {
    unsigned from = queue.front();
    queue.pop_front();
    for (unsigned to : successors(graph, from)) {
      if (component[to] != component[start])
        continue;
      if (to == start) {
        last = from;
        break;
      }
      if (parent[to] == -1) {
        parent[to] = from;
        queue.push_back(to);
      }
    }
  }
  std::vector<unsigned> path = {start};
  for (unsigned at = *last; at != start; at = parent[at])
    path.insert(path.begin() + 1, at);
  return path;
}

void reportCycle(readers::DiagnosticEngine &diags, const BuildGraph &graph,
                 const AfterLocations &afterLocs, const std::vector<unsigned> &path) {
  unsigned start = path.front();
  std::string text;
  for (unsigned id : path)
    text += "'" + graph.nodes[id].name + "' -> ";
  text += "'" + graph.nodes[start].name + "'";
  diags.error(graph.nodes[start].loc, "dependency cycle: " + text);
  for (size_t i = 0; i < path.size(); ++i) {
    unsigned from = path[i], to = path[(i + 1) % path.size()];
    auto loc = afterLocs.find({from, to});
    if (loc != afterLocs.end())
      diags.note(loc->second,
                 "'" + graph.nodes[to].name + "' runs after '" + graph.nodes[from].name + "' here");
  }
}

} // namespace

void checkCycles(readers::DiagnosticEngine &diags, const BuildGraph &graph,
                 const AfterLocations &afterLocs) {
  std::vector<int> component(graph.nodes.size());
  int count = boost::strong_components(
      graph.graph, boost::make_iterator_property_map(component.begin(),
                                                     boost::get(boost::vertex_index, graph.graph)));
  std::vector<unsigned> size(count, 0);
  for (int c : component)
    ++size[c];
  std::vector<bool> reported(count, false);
  for (const Node &node : graph.nodes) {
    int c = component[node.id];
    if (size[c] < 2 || reported[c])
      continue;
    reported[c] = true;
    reportCycle(diags, graph, afterLocs, shortestCycle(graph, node.id, component));
  }
}

} // namespace imageplan::planner
