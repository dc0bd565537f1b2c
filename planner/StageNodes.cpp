// The builder, custom, runtime and target stages (StageNodes.h).
#include "planner/StageNodes.h"

#include "planner/AppNodes.h"
#include "planner/BuildNodes.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/InterpreterNodes.h"
#include "planner/ModelNodes.h"
#include "planner/PythonNodes.h"
#include "planner/RepositoryNodes.h"
#include "planner/RuntimeConfig.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {
namespace {

bool hasBuilderSteps(const dsl::Spec &spec) {
  return llvm::any_of(spec.steps, [](const dsl::StepSpec &step) {
    return step.stage && step.stage->value == kBuilderStage;
  });
}

} // namespace

StageInfo stageOnBase(std::string name, std::string from, std::string purpose,
                      const GraphInputs &in, bool python) {
  StageInfo info;
  info.name = std::move(name);
  info.from = std::move(from);
  info.purpose = std::move(purpose);
  info.posixShell = lacksBash(in.base.manager);
  if (!python)
    return info;
  info.env = {{"PYTHONUNBUFFERED", "1"},
              {"PYTHONDONTWRITEBYTECODE", "1"},
              {"PIP_DISABLE_PIP_VERSION_CHECK", "1"}};
  if (!in.baseEnvironment) {
    info.env.push_back({"VIRTUAL_ENV", kVenv});
    info.pathPrepend = std::string(kVenv) + "/bin";
  } else if (in.basePrefix != "/usr" && in.basePrefix != "/usr/local") {
    // Conda images put their bin on PATH already; first is first either way.
    info.pathPrepend = in.basePrefix + "/bin";
  }
  return info;
}

namespace {

unsigned addSystemPackages(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                           const std::vector<dsl::LString> &packages, llvm::StringRef name) {
  double cost = costs::kAptBase + costs::kAptPerPackage * packages.size();
  return addNode(graph, NodeKind::SystemPackages, name.str(), stage, in.spec.system.loc,
                 costs::kSystemPackagesRate, cost,
                 {plan::SystemInstall{sortedUnique(values(packages)), in.base.manager}}, {"system"})
      .id;
}

/// Copies into the runtime from other images (`artifacts`) and from custom
/// stages (`exports`, after every step of the stage that makes them).
void addArtifactCopies(BuildGraph &graph, const dsl::Spec &spec, const StageAnchors &runtime,
                       const EarlierStages &earlier) {
  for (const dsl::ArtifactSpec &artifact : spec.artifacts) {
    Node &copy = addNode(
        graph, NodeKind::ImageArtifact, artifact.from.value + " from " + artifact.image.value,
        runtime.stage, artifact.loc, costs::kModelRate, costs::kArtifactCopy,
        {plan::CopyStage{artifact.image.value, artifact.from.value, artifact.to.value, ""}});
    applyChanges(copy, artifact.changes);
  }
  for (const CustomStage &custom : earlier.custom)
    for (const auto &[from, to] : custom.spec->exports) {
      const std::string &stageName = custom.spec->name.value;
      Node &copy = addNode(graph, NodeKind::StageArtifact, from.value + " from " + stageName,
                           runtime.stage, from.loc, 0, costs::kArtifactCopy,
                           {plan::CopyStage{stageName, from.value, to.value, ""}});
      copy.consumesStage = custom.stage;
      unsigned id = copy.id;
      for (const dsl::StepSpec &step : custom.spec->steps)
        addEdge(graph, earlier.steps.nodes.at(step.name.value), id);
    }
}

/// The runtime's Python dependencies: the builder's venv copied (whole, or
/// the pins and the rest), or installed here. Returns the runtime's pins.
std::optional<unsigned> addRuntimePython(BuildGraph &graph, const GraphInputs &in,
                                         const StageAnchors &runtime,
                                         const std::optional<StageAnchors> &builder) {
  if (in.venvInBuilder) {
    addVenvCopies(graph, in, runtime, *builder);
    return std::nullopt;
  }
  StageAnchors pinned = runtime;
  pinned.pins = addPins(graph, in, pinned, /*record=*/false);
  addLaterInstalls(graph, in, pinned, builder ? &*builder : nullptr, /*frozen=*/false);
  return pinned.pins;
}

/// What installs into a builder venv after its pins: in the builder, or with
/// a split venv in builder-venv, gathered there for the runtime's copy.
void addBuilderVenvInstalls(BuildGraph &graph, const GraphInputs &in,
                            const StageAnchors &builder) {
  if (!in.splitVenv) {
    addLaterInstalls(graph, in, builder, &builder, /*frozen=*/false);
    return;
  }
  StageAnchors rest;
  rest.stage = addBuilderVenvStage(graph, in);
  std::vector<unsigned> installs = addLaterInstalls(graph, in, rest, &builder, /*frozen=*/true);
  addVenvSplit(graph, in, rest.stage, installs);
}

} // namespace

bool needsBuilder(const GraphInputs &in) {
  const dsl::Spec &spec = in.spec;
  if (spec.python && (!spec.python->build.empty() || in.venvInBuilder))
    return true;
  return hasBuilderSteps(spec);
}

StageAnchors addBuilderStage(BuildGraph &graph, const GraphInputs &in) {
  bool buildsWheels = in.hasPython() && !in.spec.python->build.empty();
  bool python = buildsWheels || in.venvInBuilder;
  const char *purpose =
      in.venvInBuilder
          ? "builds the Python venv with the full toolchain; the runtime copies it whole"
          : "compiles Python wheels and runs build steps with the full toolchain";
  StageAnchors builder;
  builder.stage =
      addStage(graph, stageOnBase(kBuilderStage, in.develFrom(), purpose, in, python));
  if (!in.spec.system.buildPackages.empty())
    builder.system =
        addSystemPackages(graph, in, builder.stage, in.spec.system.buildPackages, "build packages");
  if (python)
    builder.interpreter = addInterpreter(graph, in, builder.stage, /*withHeaders=*/true);
  addRepositoryNodes(graph, in, builder.stage, {builder.system, builder.interpreter});
  if (in.venvInBuilder)
    builder.pins = addPins(graph, in, builder, /*record=*/in.splitVenv);
  if (buildsWheels)
    builder.wheels = addWheelBuild(graph, in, builder);
  // With the venv built here the wheels go into it here too.
  if (in.venvInBuilder)
    addBuilderVenvInstalls(graph, in, builder);
  if (hasBuilderSteps(in.spec))
    builder.workdir =
        addNode(graph, NodeKind::Workdir, std::string("workdir ") + kBuilderWorkdir, builder.stage,
                in.spec.base.loc, costs::kWorkdirRate, 0, {plan::SetWorkdir{kBuilderWorkdir}})
            .id;
  return builder;
}

CustomStage addCustomStage(BuildGraph &graph, const dsl::StageSpec &stageSpec, StepIndex &steps) {
  StageInfo info;
  info.name = stageSpec.name.value;
  info.from = stageSpec.image.value;
  info.purpose = "custom stage on " + stageSpec.image.value + "; the runtime copies its exports";
  info.posixShell = stageSpec.shell ? stageSpec.shell->value == "sh"
                                    : imageLacksBash(stageSpec.image.value);
  unsigned stage = addStage(graph, std::move(info));
  std::string workdir = stageSpec.workdir ? stageSpec.workdir->value : "/src";
  unsigned dir = addNode(graph, NodeKind::Workdir, "workdir " + workdir, stage, stageSpec.loc,
                         costs::kWorkdirRate, 0, {plan::SetWorkdir{workdir}})
                     .id;
  for (const dsl::StepSpec &step : stageSpec.steps)
    addEdge(graph, dir, addStepNode(graph, steps, step, stage, /*copyInputs=*/true));
  addStageAfterEdges(graph, steps, stageSpec.steps);
  return {&stageSpec, stage};
}

StageAnchors addRuntimeStage(BuildGraph &graph, readers::DiagnosticEngine &diags,
                             const GraphInputs &in, const EarlierStages &earlier) {
  const dsl::Spec &spec = in.spec;
  StageInfo info =
      stageOnBase(kRuntimeStage, in.runtimeFrom(),
                  "the image that runs: runtime base, dependencies, models and the app", in,
                  in.hasPython());
  // Models fetched at run time land in a volume, where huggingface_hub
  // (and what uses it) keeps its cache: a restart does not download again.
  bool ownHome = llvm::any_of(spec.app.env, [](const auto &e) { return e.first.value == "HF_HOME"; });
  if (std::string home = hubHome(spec); !home.empty() && !ownHome)
    info.env.push_back({"HF_HOME", home});
  // With targets, each target's stage carries the metadata instead.
  if (spec.targets.empty())
    info.runtime = runtimeConfig(diags, in, nullptr);
  if (earlier.pythonBase) {
    info.from = graph.stages[earlier.pythonBase->stage].name;
    info.fromStage = true;
  }
  StageAnchors runtime;
  runtime.stage = addStage(graph, std::move(info));
  if (!spec.system.packages.empty())
    runtime.system =
        addSystemPackages(graph, in, runtime.stage, spec.system.packages, "system packages");
  if (earlier.pythonBase)
    runtime.interpreter = addInterpreterOnPythonBase(graph, in, runtime.stage);
  else if (in.hasPython())
    runtime.interpreter = in.venvInBuilder
                              ? addBareInterpreter(graph, in, runtime.stage, earlier.builder->stage)
                              : addInterpreter(graph, in, runtime.stage, /*withHeaders=*/false);
  addRepositoryNodes(graph, in, runtime.stage, {runtime.system, runtime.interpreter});
  runtime.user = addUser(graph, in, runtime.stage);
  if (in.hasPython())
    runtime.pins = addRuntimePython(graph, in, runtime, earlier.builder);
  addModelCopies(graph, runtime, earlier.models);
  addAssetCopies(graph, runtime, earlier.assets);
  addModelDirs(graph, in, runtime);
  addArtifactCopies(graph, spec, runtime, earlier);
  runtime.env = addAppEnv(graph, spec.app, runtime.stage);
  runtime.workdir = addAppWorkdir(graph, spec.app, runtime.stage);
  addAppDirs(graph, in, runtime);
  addAppCopies(graph, spec.app, runtime);
  addInlineFiles(graph, spec, runtime);
  if (in.hasPython())
    addProjectInstall(graph, in, runtime);
  return runtime;
}

void addTarget(BuildGraph &graph, readers::DiagnosticEngine &diags, const GraphInputs &in,
               const dsl::TargetSpec &target) {
  StageInfo info =
      stageOnBase(target.name.value, kRuntimeStage,
                  "target " + target.name.value + ": the runtime with its own command", in,
                  /*python=*/false);
  info.fromStage = true;
  info.runtime = runtimeConfig(diags, in, &target);
  unsigned stage = addStage(graph, std::move(info));
  if (target.env.empty())
    return;
  addNode(graph, NodeKind::AppEnv, target.name.value + " environment", stage, target.loc,
          costs::kEnvRate, 0, {plan::SetEnv{values(target.env)}});
}

} // namespace imageplan::planner
