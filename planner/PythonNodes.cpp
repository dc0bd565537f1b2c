// Python dependency, wheel and project-install nodes (PythonNodes.h).
#include "planner/PythonNodes.h"

#include "dsl/PythonProject.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {
namespace {

double pipCost(const std::vector<std::string> &packages) {
  double cost = costs::kPipBase;
  for (const std::string &package : packages)
    cost += costs::pipPackageCost(package);
  return cost;
}

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

std::optional<unsigned> addPins(BuildGraph &graph, const GraphInputs &in,
                                const StageAnchors &where) {
  const dsl::PythonSpec &python = *in.spec.python;
  if (python.packages.empty())
    return std::nullopt;
  std::vector<std::string> packages = values(python.packages);
  std::vector<std::string> constraints = in.constraintFiles();
  double cost = pipCost(packages);
  return addPipNode(graph, where, NodeKind::PythonPackages, "python packages",
                    python.packages.front().loc, costs::kPinnedPackagesRate, cost,
                    {packages, {}, in.indexUrls(), "", "", constraints, {}}, constraints)
      .id;
}

std::vector<unsigned> addRequirementFiles(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &where) {
  std::vector<std::string> constraints = in.constraintFiles();
  std::vector<unsigned> nodes;
  for (const dsl::LString &file : in.spec.python->requirements) {
    std::vector<std::string> inputs = {file.value};
    llvm::append_range(inputs, constraints);
    nodes.push_back(addPipNode(graph, where, NodeKind::Requirements, file.value, file.loc,
                               costs::kRequirementsRate, costs::kRequirementsFile,
                               {{}, {file.value}, in.indexUrls(), "", "", constraints, {}},
                               std::move(inputs))
                        .id);
  }
  return nodes;
}

/// Packages with options of their own, one pip call per set of options,
/// after everything else pip installs: `--no-deps` means their dependencies
/// come from the other entries.
void addOptionedPackages(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where,
                         const std::vector<unsigned> &requirementNodes) {
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
  std::vector<std::string> constraints = in.constraintFiles();
  for (const auto &[options, packages] : groups) {
    std::vector<std::string> names;
    for (const dsl::OptionedPackage *package : packages)
      names.push_back(package->name.value);
    std::string name = "python packages";
    if (!options.empty())
      name += " (" + llvm::join(options, " ") + ")";
    Node &node = addPipNode(graph, where, NodeKind::PythonPackages, name, packages.front()->loc,
                            costs::kPinnedPackagesRate, pipCost(names),
                            {names, {}, in.indexUrls(), "", "", constraints, options}, constraints);
    for (unsigned requirement : requirementNodes)
      addEdge(graph, requirement, node.id);
  }
}

/// The pinned uv binary or poetry, where the venv is built; none for pip.
std::optional<unsigned> addManager(BuildGraph &graph, const dsl::PythonSpec &python,
                                   const StageAnchors &where) {
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
void addLockedDependencies(BuildGraph &graph, const dsl::PythonSpec &python,
                           const StageAnchors &where) {
  std::optional<unsigned> manager = addManager(graph, python, where);
  if (!manager)
    return;
  std::vector<std::string> files = dsl::manifestFiles(python);
  std::vector<std::string> extras = values(python.extras);
  std::string dir = dsl::projectDir(python);
  plan::Op op = dsl::pythonManager(python) == dsl::PythonManager::Uv
                    ? plan::Op(plan::UvSync{files, dir, extras, kVenv})
                    : plan::Op(plan::PoetryInstall{files, dir, extras,
                                                   std::string(kPoetryHome) + "/bin/poetry"});
  Node &node = addNode(graph, NodeKind::ProjectDependencies, dsl::lockFile(python), where.stage,
                       python.lock ? python.lock->loc : python.loc, costs::kLockedDependenciesRate,
                       costs::kLockedDependencies, {op}, {"python"});
  node.inputs = files;
  needs(graph, node, where.interpreter);
  needs(graph, node, manager);
  needs(graph, node, where.system);
}

/// What `pip wheel --no-build-isolation` compiles against: the pins (unless
/// the venv built here has them already) and `build_requires`.
std::optional<unsigned> addBuildRequirements(BuildGraph &graph, const GraphInputs &in,
                                             const StageAnchors &builder) {
  const dsl::PythonSpec &python = *in.spec.python;
  std::vector<std::string> packages =
      in.venvInBuilder ? std::vector<std::string>{} : values(python.packages);
  llvm::append_range(packages, values(python.buildRequires));
  if (packages.empty())
    return std::nullopt;
  Node &node =
      addNode(graph, NodeKind::BuildRequires, "build requirements", builder.stage, python.loc,
              costs::kBuildRequiresRate, pipCost(packages),
              {plan::PipInstall{packages, {}, in.indexUrls(), "", "", {}, {}}}, {"python"});
  needs(graph, node, builder.interpreter);
  needs(graph, node, builder.system);
  needs(graph, node, builder.pins);
  return node.id;
}

} // namespace

std::optional<unsigned> addPythonDependencies(BuildGraph &graph, const GraphInputs &in,
                                              const StageAnchors &where) {
  StageAnchors pinned = where; // everything after the pins installs against them
  pinned.pins = addPins(graph, in, where);
  std::vector<unsigned> requirementNodes = addRequirementFiles(graph, in, pinned);
  addOptionedPackages(graph, in, pinned, requirementNodes);
  addLockedDependencies(graph, *in.spec.python, pinned);
  return pinned.pins;
}

unsigned addWheelBuild(BuildGraph &graph, const GraphInputs &in, const StageAnchors &builder) {
  const dsl::PythonSpec &python = *in.spec.python;
  std::optional<unsigned> requirements = addBuildRequirements(graph, in, builder);
  double cost = 0;
  for (const dsl::LString &package : python.build)
    cost += costs::wheelBuildCost(package.value);
  Node &node =
      addNode(graph, NodeKind::WheelBuild, "wheels: " + llvm::join(values(python.build), " "),
              builder.stage, python.build.front().loc, costs::kWheelBuildRate, cost,
              {plan::PipWheel{values(python.build), in.indexUrls(), kWheelDir}}, {"python"});
  needs(graph, node, builder.system);
  needs(graph, node, builder.interpreter);
  needs(graph, node, requirements);
  needs(graph, node, builder.pins);
  return node.id;
}

unsigned addWheelInstall(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where,
                         const StageAnchors &builder) {
  const dsl::PythonSpec &python = *in.spec.python;
  bool inBuilder = where.stage == builder.stage;
  Node &node =
      addNode(graph, NodeKind::WheelInstall, "built wheels", where.stage, python.build.front().loc,
              inBuilder ? costs::kWheelBuildRate : 0, costs::kWheelInstall,
              {plan::PipInstall{values(python.build),
                                {},
                                in.indexUrls(),
                                inBuilder ? "" : kBuilderStage,
                                kWheelDir,
                                in.constraintFiles(),
                                {}}},
              {"python"});
  needs(graph, node, builder.wheels);
  if (inBuilder) {
    // The wheel build already came after the builder's interpreter and
    // system packages.
    needs(graph, node, where.pins);
    return node.id;
  }
  node.consumesStage = builder.stage;
  needs(graph, node, where.interpreter);
  needs(graph, node, where.pins);
  needs(graph, node, where.system);
  return node.id;
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
