// Custom steps: their nodes, the edges that put each after its stage's
// system and Python dependencies, workdir and environment, the `after:`
// edges, and the copies of a builder step's `outputs` into the runtime.
#pragma once

#include "planner/Cycles.h"
#include "planner/Graph.h"
#include "planner/StageAnchors.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

/// Every custom step's node, by step name (the DSL checked that names are
/// unique across the spec), and where `after:` asked for each edge.
struct StepIndex {
  std::map<std::string, unsigned> nodes;
  AfterLocations afterLocs;
};

/// The nodes of each built-in group (system, python, models, app), by group
/// and stage, in id order. Custom steps belong to none.
using GroupIndex = std::map<std::pair<std::string, unsigned>, std::vector<unsigned>>;
GroupIndex groupIndex(const BuildGraph &graph);

/// A step's node in `stage`, registered in `steps`. `copyInputs`: the inputs
/// are copied into the stage instead of mounted over it (custom stages are
/// workspaces, where a step sees what the steps before it wrote).
unsigned addStepNode(BuildGraph &graph, StepIndex &steps, const dsl::StepSpec &step, unsigned stage,
                     bool copyInputs);

/// The `after:` edges among the steps of one custom stage.
void addStageAfterEdges(BuildGraph &graph, StepIndex &steps,
                        llvm::ArrayRef<dsl::StepSpec> stageSteps);

/// The top-level steps (`stage: builder`, else the runtime) with all their
/// edges and output copies. Reports `after:` targets the step cannot run
/// after. `builder` is set when any step runs there.
void addCustomSteps(BuildGraph &graph, readers::DiagnosticEngine &diags,
                    llvm::ArrayRef<dsl::StepSpec> specSteps,
                    const std::optional<StageAnchors> &builder, const StageAnchors &runtime,
                    StepIndex &steps);

} // namespace imageplan::planner
