// The dependency graph as Graphviz DOT, for `imageplan graph`: one box per
// step, coloured and labelled by the stage it was assigned to.
#pragma once

#include "planner/Graph.h"

#include <string>

namespace imageplan::planner {

/// DOT text for `graph`, written with boost::write_graphviz; deterministic.
std::string toDot(const BuildGraph &graph);

/// Builds the graph of `spec` and renders it; errors as buildGraph().
llvm::Expected<std::string> graphDot(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                     const PlanOptions &options);

} // namespace imageplan::planner
