// The stages the graph is made of, each with the order its nodes are added
// in: the builder, custom stages, the runtime and the targets built on it.
// Model stages are ModelNodes.h; what a stage's nodes do is in the files named
// for them (InterpreterNodes, PythonNodes, AppNodes, StepNodes).
#pragma once

#include "planner/Graph.h"
#include "planner/AssetNodes.h"
#include "planner/GraphInputs.h"
#include "planner/ModelNodes.h"
#include "planner/StageAnchors.h"
#include "planner/StepNodes.h"
#include "readers/Diagnostics.h"

#include <optional>
#include <vector>

namespace imageplan::planner {

/// A custom stage (`stages:`) and its index.
struct CustomStage {
  const dsl::StageSpec *spec = nullptr;
  unsigned stage = 0;
};

/// The stages before the runtime, which it copies from.
struct EarlierStages {
  const std::optional<StageAnchors> &builder;
  const std::vector<ModelStage> &models;
  const std::vector<AssetStage> &assets;
  const std::vector<CustomStage> &custom;
  const StepIndex &steps;
  /// The stage the runtime starts from, with its interpreter installed.
  const PythonBase *pythonBase = nullptr;
};

/// A stage on an image of the base; with `python`, its environment runs the
/// venv's interpreter (or that of the base image's environment).
StageInfo stageOnBase(std::string name, std::string from, std::string purpose,
                      const GraphInputs &in, bool python);

/// True when something is compiled or built with the full toolchain: wheels,
/// the venv (`venv: builder`) or a `stage: builder` step.
bool needsBuilder(const GraphInputs &in);

/// The builder stage: build packages, its venv with what wheels compile
/// against, the wheel build, and the workdir of builder steps.
StageAnchors addBuilderStage(BuildGraph &graph, const GraphInputs &in);

/// A custom stage: its workdir, its steps (registered in `steps`) and their
/// `after:` edges.
CustomStage addCustomStage(BuildGraph &graph, const dsl::StageSpec &stageSpec, StepIndex &steps);

/// The runtime stage with every node of its own; custom steps come later.
/// Reports a health check that cannot run (the runtime's metadata, without
/// targets).
StageAnchors addRuntimeStage(BuildGraph &graph, readers::DiagnosticEngine &diags,
                             const GraphInputs &in, const EarlierStages &earlier);

/// A final stage FROM runtime with its own metadata and environment.
void addTarget(BuildGraph &graph, readers::DiagnosticEngine &diags, const GraphInputs &in,
               const dsl::TargetSpec &target);

} // namespace imageplan::planner
