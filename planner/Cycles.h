// Dependency cycles in the graph, reported as the shortest cycle through the
// first node of each strongly connected component, with a note at every
// `after:` that asked for one of its edges.
#pragma once

#include "planner/Graph.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/SMLoc.h"

#include <map>
#include <utility>

namespace imageplan::planner {

/// Where the spec asked for an edge with `after:`, by (from, to).
using AfterLocations = std::map<std::pair<unsigned, unsigned>, llvm::SMLoc>;

/// Reports every cycle of `graph` through `diags`, one per component.
void checkCycles(readers::DiagnosticEngine &diags, const BuildGraph &graph,
                 const AfterLocations &afterLocs);

} // namespace imageplan::planner
