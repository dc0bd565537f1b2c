// The builder's compile steps and the stages that serve a venv (BuildNodes.h).
#include "planner/BuildNodes.h"

#include "dsl/BuildCheck.h"
#include "dsl/PythonProject.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/InterpreterNodes.h"
#include "planner/PythonNodes.h"
#include "planner/StageNodes.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {
namespace {

/// What `pip wheel --no-build-isolation` compiles against besides the venv:
/// `build_requires`, and the pins too when the venv is not built here (the
/// builder then has a venv of its own for building only). With the venv
/// built here they go to a folder of their own, out of what the runtime
/// copies.
std::optional<unsigned> addBuildTools(BuildGraph &graph, const GraphInputs &in,
                                      const StageAnchors &builder) {
  const dsl::PythonSpec &python = *in.spec.python;
  std::vector<std::string> packages =
      in.venvInBuilder ? std::vector<std::string>{} : values(python.packages);
  llvm::append_range(packages, values(python.buildRequires));
  if (packages.empty())
    return std::nullopt;
  plan::PipInstall op = pipInstallOp(in, packages);
  if (in.venvInBuilder)
    op.target = kBuildToolsDir;
  // With the pins in it, it changes whenever they or the tools do.
  double rate = in.venvInBuilder || python.packages.empty()
                    ? costs::kBuildRequiresRate
                    : 1 - (1 - costs::kPinnedPackagesRate) * (1 - costs::kBuildRequiresRate);
  Node &node = addNode(graph, NodeKind::BuildRequires, "build requirements", builder.stage,
                       python.loc, rate, costs::pipInstallCost(packages), {std::move(op)},
                       {"python"});
  needs(graph, node, builder.interpreter);
  needs(graph, node, builder.system);
  needs(graph, node, builder.pins);
  return node.id;
}

} // namespace

std::optional<unsigned> addPinsStage(BuildGraph &graph, const GraphInputs &in) {
  if (in.pinLines.empty())
    return std::nullopt;
  StageInfo info;
  info.name = kPinsStage;
  info.from = in.base.runtime;
  info.purpose = "the pins of python.packages and python.build as the constraints file every "
                 "pip install of the venv reads";
  info.posixShell = lacksBash(in.base.manager);
  unsigned stage = addStage(graph, std::move(info));
  const dsl::PythonSpec &python = *in.spec.python;
  llvm::SMLoc loc = !python.packages.empty() ? python.packages.front().loc : python.loc;
  addNode(graph, NodeKind::PinsFile, "pins as constraints", stage, loc,
          costs::kPinnedPackagesRate, costs::kPinsFile,
          {plan::WriteFile{kPinsFile, llvm::join(in.pinLines, "\n") + "\n", "0644"}},
          {"python"});
  return stage;
}

unsigned addPoetryStage(BuildGraph &graph, const GraphInputs &in) {
  unsigned stage = addStage(
      graph, stageOnBase(kPoetryStage, in.runtimeFrom(),
                         "installs poetry into a venv of its own, which the runtime's "
                         "dependency install mounts and never keeps",
                         in, /*python=*/true));
  std::optional<unsigned> interpreter = addInterpreter(graph, in, stage, /*withHeaders=*/false);
  const dsl::PythonSpec &python = *in.spec.python;
  std::string version = dsl::poetryVersion(python);
  Node &node = addNode(
      graph, NodeKind::PythonManager, "poetry " + version, stage,
      python.manager ? python.manager->loc : python.loc, costs::kManagerRate,
      costs::kPoetryInstall,
      {plan::InstallPoetry{std::string(kVenv) + "/bin/python", version, kPoetryHome}}, {"python"});
  needs(graph, node, interpreter);
  return stage;
}

unsigned addWheelBuild(BuildGraph &graph, const GraphInputs &in, const StageAnchors &builder) {
  const dsl::PythonSpec &python = *in.spec.python;
  std::optional<unsigned> tools = addBuildTools(graph, in, builder);
  std::vector<plan::Op> ops;
  for (dsl::WheelBuildGroup &group : dsl::wheelBuilds(in.spec)) {
    plan::PipWheel wheel;
    wheel.packages = std::move(group.packages);
    wheel.indexUrls = in.indexUrls();
    wheel.outDir = kWheelDir;
    wheel.isolated = group.isolated;
    if (tools && in.venvInBuilder && !group.isolated)
      wheel.toolsDir = kBuildToolsDir;
    wheel.env = std::move(group.env);
    if (!in.pinLines.empty()) {
      wheel.pinsStage = kPinsStage;
      wheel.pinsFile = kPinsFile;
    }
    wheel.constraintFiles = in.constraintFiles();
    ops.push_back(std::move(wheel));
  }
  double cost = 0;
  for (const dsl::LString &package : python.build)
    cost += costs::wheelBuildCost(package.value);
  Node &node = addNode(graph, NodeKind::WheelBuild,
                       "wheels: " + llvm::join(values(python.build), " "), builder.stage,
                       python.build.front().loc, costs::kWheelBuildRate, cost, std::move(ops),
                       {"python"});
  node.inputs = in.constraintFiles();
  needs(graph, node, builder.system);
  needs(graph, node, builder.interpreter);
  needs(graph, node, tools);
  needs(graph, node, builder.pins);
  return node.id;
}

unsigned addBuilderVenvStage(BuildGraph &graph, const GraphInputs &in) {
  StageInfo info;
  info.name = kBuilderVenvStage;
  info.from = kBuilderStage;
  info.fromStage = true;
  info.purpose = "installs what comes after the pins into the builder's venv, and gathers it "
                 "for a layer of its own";
  info.posixShell = lacksBash(in.base.manager);
  return addStage(graph, std::move(info));
}

unsigned addVenvSplit(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                      const std::vector<unsigned> &installs) {
  Node &node = addNode(graph, NodeKind::VenvSplit, "venv beyond the pins", stage,
                       in.spec.python->loc, 0, costs::kVenvSplit,
                       {plan::SplitVenv{kVenv, kVenvRecordDir, kVenvRestDir}}, {"python"});
  unsigned id = node.id;
  for (unsigned install : installs)
    addEdge(graph, install, id);
  return id;
}

void addVenvCopies(BuildGraph &graph, const GraphInputs &in, const StageAnchors &runtime,
                   const StageAnchors &builder) {
  if (!in.splitVenv) {
    addVenvCopy(graph, in, runtime.stage, runtime.interpreter, builder.stage);
    return;
  }
  llvm::SMLoc loc = in.spec.python->loc;
  // The pins' part is the builder's venv as the pins left it: nothing after
  // them in the builder writes to it.
  Node &pins = addNode(graph, NodeKind::VenvCopy, "python packages from builder", runtime.stage,
                       loc, 0, costs::kVenvCopy,
                       {plan::CopyStage{kBuilderStage, kVenv, kVenv, ""}}, {"python"});
  pins.consumesStage = builder.stage;
  pins.consumesUpTo = builder.pins;
  needs(graph, pins, runtime.interpreter);
  unsigned pinsId = pins.id;
  Node &rest = addNode(
      graph, NodeKind::VenvCopy, "venv beyond the pins from builder-venv", runtime.stage, loc, 0,
      costs::kVenvRestCopy,
      {plan::CopyStage{kBuilderVenvStage, std::string(kVenvRestDir) + "/", std::string(kVenv) + "/",
                       ""}},
      {"python"});
  rest.consumesStage = findStage(graph, kBuilderVenvStage);
  addEdge(graph, pinsId, rest.id);
}

} // namespace imageplan::planner
