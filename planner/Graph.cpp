// Builds the dependency graph from the AST: the stages in Dockerfile order,
// each filled by the node builders named for what they add (StageNodes.h
// lists them), then measured rates and the check for cycles.
#include "planner/Graph.h"

#include "planner/BuildNodes.h"
#include "planner/AssetNodes.h"
#include "planner/Cycles.h"
#include "planner/GraphInputs.h"
#include "planner/History.h"
#include "planner/ModelNodes.h"
#include "planner/Planner.h"
#include "planner/StageNodes.h"
#include "planner/StepNodes.h"
#include "planner/VariantNodes.h"

namespace imageplan::planner {

const char *toString(NodeKind kind) {
  switch (kind) {
  case NodeKind::SystemPackages: return "system-packages";
  case NodeKind::Interpreter: return "interpreter";
  case NodeKind::User: return "user";
  case NodeKind::PythonPackages: return "python-packages";
  case NodeKind::Requirements: return "requirements";
  case NodeKind::BuildRequires: return "build-requires";
  case NodeKind::WheelBuild: return "wheel-build";
  case NodeKind::WheelInstall: return "wheel-install";
  case NodeKind::ModelDownload: return "model-download";
  case NodeKind::ModelCopy: return "model-copy";
  case NodeKind::ModelDir: return "model-dir";
  case NodeKind::StageArtifact: return "stage-artifact";
  case NodeKind::ImageArtifact: return "image-artifact";
  case NodeKind::AppEnv: return "app-env";
  case NodeKind::Workdir: return "workdir";
  case NodeKind::AppDirs: return "app-dirs";
  case NodeKind::AppCopy: return "app-copy";
  case NodeKind::InlineFile: return "inline-file";
  case NodeKind::CustomStep: return "step";
  case NodeKind::PythonManager: return "python-manager";
  case NodeKind::ProjectDependencies: return "python-deps";
  case NodeKind::VenvCopy: return "venv-copy";
  case NodeKind::ProjectInstall: return "project-install";
  case NodeKind::PinsFile: return "pins-file";
  case NodeKind::VenvSplit: return "venv-split";
  case NodeKind::CondaEnvironment: return "conda-env";
  case NodeKind::AptRepository: return "apt-repository";
  case NodeKind::AssetFetch: return "asset-fetch";
  case NodeKind::AssetCopy: return "asset-copy";
  }
  return "step";
}

const char *toString(RateSource source) {
  switch (source) {
  case RateSource::Default: return "default";
  case RateSource::Spec: return "spec";
  case RateSource::History: return "history";
  case RateSource::Lock: return "lock";
  }
  return "default";
}

llvm::Expected<BuildGraph> buildGraph(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                      const PlanOptions &options) {
  unsigned errorsBefore = diags.errorCount();
  GraphInputs in = graphInputs(diags, spec, options);
  BuildGraph graph;
  // Stages in Dockerfile order: each copies only from the stages before it.
  addVariantBaseStages(graph, in, needsBuilder(in));
  addPinsStage(graph, in);
  if (in.poetryStage)
    addPoetryStage(graph, in);
  std::optional<StageAnchors> builder;
  if (needsBuilder(in))
    builder = addBuilderStage(graph, in);
  std::optional<PythonBase> pythonBase = addPythonBaseStage(graph, in);
  std::vector<ModelStage> models;
  for (const dsl::ModelSpec &model : spec.models)
    if (model.bake.value)
      models.push_back(addModelStage(graph, in, model, pythonBase));
  std::vector<AssetStage> assets;
  for (const dsl::AssetSpec &asset : spec.assets)
    assets.push_back(addAssetStage(graph, in, asset));
  StepIndex steps;
  std::vector<CustomStage> custom;
  for (const dsl::StageSpec &stage : spec.stages)
    custom.push_back(addCustomStage(graph, stage, steps));
  StageAnchors runtime =
      addRuntimeStage(graph, diags, in,
                      {builder, models, assets, custom, steps, pythonBase ? &*pythonBase : nullptr});
  // Custom steps last: `after:` may name any built-in node of their stage.
  addCustomSteps(graph, diags, spec.steps, builder, runtime, steps);
  for (const dsl::TargetSpec &target : spec.targets)
    addTarget(graph, diags, in, target);
  // Measured now, or measured before and committed: a history given on the
  // command line wins over the lock's rates.
  if (options.history)
    applyHistory(graph, *options.history);
  else if (options.lock && options.lock->rates)
    applyLockedRates(diags, graph, *options.lock, options.reportPins, options.lockMustMatch);
  // Only a graph built without errors is checked for cycles.
  if (diags.errorCount() == errorsBefore)
    checkCycles(diags, graph, steps.afterLocs);
  if (diags.errorCount() != errorsBefore)
    return readers::diagnosticsReported(diags.errorCount());
  return graph;
}

} // namespace imageplan::planner
