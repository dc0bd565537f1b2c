// Python dependency and project-install nodes (PythonNodes.h).
#include "planner/PythonNodes.h"

#include "dsl/PythonProject.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {
namespace {

/// A pip install into the venv of `where`. Every pip step needs the system
/// packages: an sdist may compile against them, and users expect what they
/// list under `system` to be there.
Node &addPipNode(BuildGraph &graph, const StageAnchors &where, NodeKind kind, std::string name,
                 llvm::SMLoc loc, double rate, double cost, plan::PipInstall op,
                 std::vector<std::string> inputs) {
  Node &node = addNode(graph, kind, std::move(name), where.stage, loc, rate, cost, {std::move(op)},
                       {"python"});
  node.inputs = std::move(inputs);
  needs(graph, node, where.interpreter);
  needs(graph, node, where.pins);
  needs(graph, node, where.system);
  return node;
}

/// The freeze RecordVenv writes, for installs after a split venv's pins.
void freezeInto(plan::PipInstall &op, bool frozen) {
  if (frozen)
    op.stageConstraints.push_back(std::string(kVenvRecordDir) + "/freeze.txt");
}

std::vector<unsigned> addRequirementFiles(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &where, bool frozen) {
  std::vector<std::string> constraints = in.constraintFiles();
  std::vector<unsigned> nodes;
  for (const dsl::LString &file : in.spec.python->requirements) {
    std::vector<std::string> inputs = {file.value};
    llvm::append_range(inputs, constraints);
    plan::PipInstall op = pipInstallOp(in, {});
    op.requirementFiles = {file.value};
    freezeInto(op, frozen);
    nodes.push_back(addPipNode(graph, where, NodeKind::Requirements, file.value, file.loc,
                               costs::kRequirementsRate, costs::kRequirementsFile, std::move(op),
                               std::move(inputs))
                        .id);
  }
  return nodes;
}

/// Packages with options of their own, one pip call per set of options,
/// after everything else pip installs: `--no-deps` means their dependencies
/// come from the other entries.
std::vector<unsigned> addOptionedPackages(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &where,
                                          const std::vector<unsigned> &before, bool frozen) {
  std::vector<std::pair<std::vector<std::string>, std::vector<const dsl::OptionedPackage *>>>
      groups; // by options, in first-use order
  for (const dsl::OptionedPackage &package : in.spec.python->optionedPackages) {
    std::vector<std::string> options = values(package.options);
    auto group = llvm::find_if(groups, [&](const auto &g) { return g.first == options; });
    if (group == groups.end())
      groups.push_back({options, {&package}});
    else
      group->second.push_back(&package);
  }
  std::vector<unsigned> nodes;
  for (const auto &[options, packages] : groups) {
    std::vector<std::string> names;
    for (const dsl::OptionedPackage *package : packages)
      names.push_back(package->name.value);
    std::string name = "python packages";
    if (!options.empty())
      name += " (" + llvm::join(options, " ") + ")";
    plan::PipInstall op = pipInstallOp(in, names);
    op.options = options;
    freezeInto(op, frozen);
    Node &node = addPipNode(graph, where, NodeKind::PythonPackages, name, packages.front()->loc,
                            costs::kPinnedPackagesRate, costs::pipInstallCost(names),
                            std::move(op), in.constraintFiles());
    nodes.push_back(node.id);
    for (unsigned earlier : before)
      addEdge(graph, earlier, node.id);
  }
  return nodes;
}

/// The pinned uv binary, where the venv is built; poetry there too, unless
/// it comes from a stage of its own (GraphInputs::poetryStage). None for pip.
std::optional<unsigned> addManager(BuildGraph &graph, const GraphInputs &in,
                                   const StageAnchors &where) {
  const dsl::PythonSpec &python = *in.spec.python;
  llvm::SMLoc loc = python.manager ? python.manager->loc : python.loc;
  switch (dsl::pythonManager(python)) {
  case dsl::PythonManager::Pip: return std::nullopt;
  case dsl::PythonManager::Uv: {
    std::string version = dsl::uvVersion(python);
    return addNode(graph, NodeKind::PythonManager, "uv " + version, where.stage, loc,
                   costs::kManagerRate, costs::kUvBinary,
                   {plan::CopyStage{kUvImage + version, "/uv", "/bin/uv", ""}}, {"python"})
        .id;
  }
  case dsl::PythonManager::Poetry: {
    if (in.poetryStage)
      return std::nullopt;
    std::string version = dsl::poetryVersion(python);
    Node &node =
        addNode(graph, NodeKind::PythonManager, "poetry " + version, where.stage, loc,
                costs::kManagerRate, costs::kPoetryInstall,
                {plan::InstallPoetry{std::string(kVenv) + "/bin/python", version, kPoetryHome}},
                {"python"});
    needs(graph, node, where.interpreter);
    return node.id;
  }
  }
  return std::nullopt;
}

/// uv sync or poetry install of the lock, without the project, after the
/// manager that runs it.
void addLockedDependencies(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where) {
  const dsl::PythonSpec &python = *in.spec.python;
  dsl::PythonManager manager = dsl::pythonManager(python);
  if (manager == dsl::PythonManager::Pip)
    return;
  std::optional<unsigned> managerNode = addManager(graph, in, where);
  std::vector<std::string> files = dsl::manifestFiles(python);
  std::vector<std::string> extras = values(python.extras);
  std::string dir = dsl::projectDir(python);
  plan::Op op = plan::UvSync{files, dir, extras, kVenv};
  if (manager == dsl::PythonManager::Poetry)
    op = plan::PoetryInstall{files,     dir, extras, std::string(kPoetryHome) + "/bin/poetry",
                             in.poetryStage ? kPoetryStage : "", kPoetryHome};
  Node &node = addNode(graph, NodeKind::ProjectDependencies, dsl::lockFile(python), where.stage,
                       python.lock ? python.lock->loc : python.loc, costs::kLockedDependenciesRate,
                       costs::kLockedDependencies, {op}, {"python"});
  node.inputs = files;
  needs(graph, node, where.interpreter);
  needs(graph, node, managerNode);
  needs(graph, node, where.system);
  if (in.poetryStage)
    node.consumesStage = findStage(graph, kPoetryStage);
}

/// The built wheels installed into the venv of `where`: from the builder's
/// /wheels in the same image (the builder or builder-venv), or through a
/// mount of it.
unsigned addWheelInstall(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where,
                         const StageAnchors &builder, bool frozen) {
  const dsl::PythonSpec &python = *in.spec.python;
  bool sameImage = where.stage == builder.stage || in.splitVenv;
  plan::PipInstall op = pipInstallOp(in, values(python.build));
  op.wheelStage = sameImage ? "" : kBuilderStage;
  op.wheelDir = kWheelDir;
  freezeInto(op, frozen);
  // In builder-venv (FROM builder) a new wheel rebuilds the whole stage.
  double rate = where.stage == builder.stage ? costs::kWheelBuildRate : 0;
  Node &node = addNode(graph, NodeKind::WheelInstall, "built wheels", where.stage,
                       python.build.front().loc, rate, costs::kWheelInstall, {std::move(op)},
                       {"python"});
  // An edge across stages orders nothing; `explain` names it among the needs.
  needs(graph, node, builder.wheels);
  if (!sameImage)
    node.consumesStage = builder.stage;
  needs(graph, node, where.interpreter);
  needs(graph, node, where.pins);
  needs(graph, node, where.system);
  return node.id;
}

} // namespace

plan::PipInstall pipInstallOp(const GraphInputs &in, std::vector<std::string> packages) {
  plan::PipInstall op;
  op.packages = std::move(packages);
  op.indexUrls = in.indexUrls();
  op.constraintFiles = in.constraintFiles();
  if (!in.pinLines.empty()) {
    op.pinsStage = kPinsStage;
    op.pinsFile = kPinsFile;
  }
  return op;
}

std::optional<unsigned> addPins(BuildGraph &graph, const GraphInputs &in,
                                const StageAnchors &where, bool record) {
  const dsl::PythonSpec &python = *in.spec.python;
  if (python.packages.empty())
    return std::nullopt;
  std::vector<std::string> packages = values(python.packages);
  std::vector<std::string> constraints = in.constraintFiles();
  Node &node = addPipNode(graph, where, NodeKind::PythonPackages, "python packages",
                          python.packages.front().loc, costs::kPinnedPackagesRate,
                          costs::pipInstallCost(packages), pipInstallOp(in, packages), constraints);
  if (record)
    node.ops.push_back(plan::RecordVenv{kVenv, kVenvRecordDir});
  return node.id;
}

std::vector<unsigned> addLaterInstalls(BuildGraph &graph, const GraphInputs &in,
                                       const StageAnchors &where, const StageAnchors *builder,
                                       bool frozen) {
  std::vector<unsigned> nodes;
  // The wheels first: a requirement that asks for a package built there then
  // finds it installed instead of compiling it from its sdist.
  if (builder && builder->wheels)
    nodes.push_back(addWheelInstall(graph, in, where, *builder, frozen));
  std::vector<unsigned> requirements = addRequirementFiles(graph, in, where, frozen);
  for (unsigned requirement : requirements)
    for (unsigned wheel : nodes)
      addEdge(graph, wheel, requirement);
  std::vector<unsigned> before = nodes;
  llvm::append_range(before, requirements);
  llvm::append_range(nodes, requirements);
  llvm::append_range(nodes, addOptionedPackages(graph, in, where, before, frozen));
  addLockedDependencies(graph, in, where);
  return nodes;
}

std::optional<unsigned> addProjectInstall(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &runtime) {
  const dsl::PythonSpec &python = *in.spec.python;
  if (!dsl::installsProject(python))
    return std::nullopt;
  const dsl::AppSpec &app = in.spec.app;
  dsl::PythonManager manager = dsl::pythonManager(python);
  plan::InstallProject op{manager == dsl::PythonManager::Uv ? "uv" : "pip",
                          destinationUnder(appWorkdir(app), dsl::projectDir(python)), ""};
  if (manager == dsl::PythonManager::Uv && in.venvInBuilder)
    op.uvImage = in.uvImage();
  llvm::SMLoc loc = python.project ? python.project->loc : python.loc;
  Node &node = addNode(graph, NodeKind::ProjectInstall, "app as a package", runtime.stage, loc,
                       costs::kAppCodeRate, costs::kProjectInstall, {op}, {"app"});
  // It is built from the code copies, not from the context.
  node.inputs = values(app.copy);
  applyChanges(node, app.changes);
  needs(graph, node, runtime.interpreter);
  // After every Python dependency and every code copy of its stage.
  unsigned id = node.id;
  for (const Node &other : graph.nodes)
    if (other.stage == runtime.stage && other.id != id &&
        (other.kind == NodeKind::AppCopy || llvm::is_contained(other.groups, "python")))
      addEdge(graph, other.id, id);
  return id;
}

} // namespace imageplan::planner
