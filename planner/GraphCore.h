// The graph's mechanics, free of any feature's policy: adding nodes, edges and
// stages to a BuildGraph. Every node builder goes through these, so ids stay
// dense and in declaration order (the tie-breaker everywhere).
#pragma once

#include "planner/Graph.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

/// Appends a node with the next id. The reference is valid until the next
/// addNode.
Node &addNode(BuildGraph &graph, NodeKind kind, std::string name, unsigned stage, llvm::SMLoc loc,
              double rate, double cost, std::vector<plan::Op> ops,
              std::vector<std::string> groups = {});

/// Edge from -> to (to needs from); adding an existing edge does nothing.
void addEdge(BuildGraph &graph, unsigned from, unsigned to);

/// `node` needs `dependency`, when there is one.
void needs(BuildGraph &graph, const Node &node, std::optional<unsigned> dependency);

/// The spec's `changes:` overrides the default rate.
void applyChanges(Node &node, const std::optional<dsl::ChangeSpec> &changes);

/// Appends a stage; returns its index.
unsigned addStage(BuildGraph &graph, StageInfo info);

/// The index of the stage called `name`, if there is one.
std::optional<unsigned> findStage(const BuildGraph &graph, llvm::StringRef name);

/// `name`, or `name-2`, `name-3`, ... when a stage already has that name.
std::string uniqueStageName(const BuildGraph &graph, std::string name);

} // namespace imageplan::planner
