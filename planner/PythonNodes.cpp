// Python dependency and project-install nodes (PythonNodes.h).
#include "planner/PythonNodes.h"

#include "dsl/PythonProject.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/VariantNodes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {
namespace {

/// A pip install into the venv (or base environment) of `where`, run by its
/// installer. Every pip step needs the system packages: an sdist may compile
/// against them, and users expect what they list under `system` to be there.
Node &addPipNode(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where,
                 NodeKind kind, std::string name, llvm::SMLoc loc, double rate, double cost,
                 plan::PipInstall op, std::vector<std::string> inputs) {
  in.useInstaller(op, in.envPrefix());
  Node &node = addNode(graph, kind, std::move(name), where.stage, loc, rate, cost, {std::move(op)},
                       {"python"});
  node.inputs = std::move(inputs);
  needs(graph, node, where.interpreter);
  needs(graph, node, where.pins);
  needs(graph, node, where.system);
  needs(graph, node, where.installer);
  return node;
}

/// The freeze RecordVenv writes, for installs after a split venv's pins.
void freezeInto(plan::PipInstall &op, bool frozen) {
  if (frozen)
    op.stageConstraints.push_back(std::string(kVenvRecordDir) + "/freeze.txt");
}

/// The pinned uv binary, copied from its image into `stage`.
unsigned addUvBinary(BuildGraph &graph, const dsl::PythonSpec &python, unsigned stage,
                     llvm::SMLoc loc) {
  std::string version = dsl::uvVersion(python);
  return addNode(graph, NodeKind::PythonManager, "uv " + version, stage, loc, costs::kManagerRate,
                 costs::kUvBinary, {plan::CopyStage{kUvImage + version, "/uv", "/bin/uv", ""}},
                 {"python"})
      .id;
}

/// The dependencies a pip project declares (`project_dependencies`), keyed on
/// the manifest they are read from; none without them.
std::optional<unsigned> addDeclaredDependencies(BuildGraph &graph, const GraphInputs &in,
                                                const StageAnchors &where, bool frozen) {
  const dsl::ProjectRequirements *declared = in.projectRequirements;
  if (!declared || declared->requirements.empty())
    return std::nullopt;
  std::vector<std::string> inputs = {declared->manifest};
  llvm::append_range(inputs, in.constraintFiles());
  plan::PipInstall op = pipInstallOp(in, declared->requirements);
  freezeInto(op, frozen);
  return addPipNode(graph, in, where, NodeKind::ProjectDependencies,
                    declared->manifest + " dependencies", in.spec.python->projectDependencies->loc,
                    costs::kRequirementsRate, costs::kRequirementsFile, std::move(op),
                    std::move(inputs))
      .id;
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
    nodes.push_back(addPipNode(graph, in, where, NodeKind::Requirements, file.value, file.loc,
                               costs::kRequirementsRate, costs::kRequirementsFile, std::move(op),
                               std::move(inputs))
                        .id);
  }
  return nodes;
}

/// Packages with options of their own, one pip call per set of options and
/// index, after the built wheels and the requirement files (`--no-deps`
/// means their dependencies come from the other entries); a package from an
/// index of its own without `--no-deps` goes before the requirement files,
/// like the pins (torch from its own index must be there before a
/// requirement that pulls in torch).
std::vector<unsigned> addOptionedPackages(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &where,
                                          const std::vector<unsigned> &wheels,
                                          const std::vector<unsigned> &requirementNodes,
                                          bool frozen) {
  // By options and index (a package's own `index_url`, else the spec's),
  // in first-use order.
  using Key = std::pair<std::vector<std::string>, std::vector<std::string>>;
  std::vector<std::pair<Key, std::vector<const dsl::OptionedPackage *>>> groups;
  for (const dsl::OptionedPackage &package : in.spec.python->optionedPackages) {
    Key key{values(package.options),
            package.indexUrl ? std::vector<std::string>{package.indexUrl->value} : in.indexUrls()};
    auto group = llvm::find_if(groups, [&](const auto &g) { return g.first == key; });
    if (group == groups.end())
      groups.push_back({key, {&package}});
    else
      group->second.push_back(&package);
  }
  std::vector<unsigned> nodes;
  for (const auto &[key, packages] : groups) {
    const auto &[options, indexUrls] = key;
    std::vector<std::string> names;
    for (const dsl::OptionedPackage *package : packages)
      names.push_back(package->name.value);
    std::vector<std::string> about = options;
    if (packages.front()->indexUrl)
      about.push_back("from " + indexUrls.front());
    std::string name = "python packages";
    if (!about.empty())
      name += " (" + llvm::join(about, " ") + ")";
    plan::PipInstall op = pipInstallOp(in, names);
    op.indexUrls = indexUrls;
    op.options = options;
    freezeInto(op, frozen);
    Node &node = addPipNode(graph, in, where, NodeKind::PythonPackages, name,
                            packages.front()->loc, costs::kPinnedPackagesRate,
                            costs::pipInstallCost(names), std::move(op), in.constraintFiles());
    bool first = packages.front()->indexUrl && !llvm::is_contained(options, "--no-deps");
    unsigned id = node.id;
    nodes.push_back(id);
    for (unsigned wheel : wheels)
      addEdge(graph, wheel, id);
    for (unsigned requirement : requirementNodes)
      first ? addEdge(graph, id, requirement) : addEdge(graph, requirement, id);
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
  case dsl::PythonManager::Uv: return addUvBinary(graph, python, where.stage, loc);
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

/// The install of the lock with `extras`: uv sync or poetry install (with
/// poetry mounted from its stage when it has one).
plan::VariantInstall lockedInstall(const GraphInputs &in, std::vector<std::string> extras) {
  const dsl::PythonSpec &python = *in.spec.python;
  std::vector<std::string> files = dsl::manifestFiles(python);
  std::string dir = dsl::projectDir(python);
  if (dsl::pythonManager(python) == dsl::PythonManager::Uv)
    return plan::UvSync{files, dir, std::move(extras), kVenv};
  return plan::PoetryInstall{files,
                             dir,
                             std::move(extras),
                             std::string(kPoetryHome) + "/bin/poetry",
                             in.poetryStage ? kPoetryStage : "",
                             kPoetryHome};
}

/// The lock's install, or, with a variant that selects extras, one install
/// per value with the spec's extras and the value's.
std::vector<plan::Op> lockedInstallOps(const GraphInputs &in) {
  const dsl::PythonSpec &python = *in.spec.python;
  const dsl::VariantSpec *variant = extrasVariant(in.spec);
  if (!variant)
    return {std::visit([](auto install) { return plan::Op(std::move(install)); },
                       lockedInstall(in, values(python.extras)))};
  plan::VariantSwitch choice{variant->arg.value, {}};
  for (const dsl::VariantValueSpec &value : variant->values) {
    std::vector<std::string> extras = values(python.extras);
    for (const std::string &extra : values(value.extras))
      if (!llvm::is_contained(extras, extra))
        extras.push_back(extra);
    choice.cases.push_back({value.name.value, {lockedInstall(in, std::move(extras))}});
  }
  return {plan::DeclareArg{variant->arg.value, defaultValue(*variant)}, std::move(choice)};
}

/// uv sync or poetry install of the lock, without the project, after the
/// manager that runs it.
void addLockedDependencies(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where) {
  const dsl::PythonSpec &python = *in.spec.python;
  if (dsl::pythonManager(python) == dsl::PythonManager::Pip)
    return;
  std::optional<unsigned> managerNode = addManager(graph, in, where);
  std::vector<std::string> files = dsl::manifestFiles(python);
  Node &node = addNode(graph, NodeKind::ProjectDependencies, dsl::lockFile(python), where.stage,
                       python.lock ? python.lock->loc : python.loc, costs::kLockedDependenciesRate,
                       costs::kLockedDependencies, lockedInstallOps(in), {"python"});
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

std::optional<unsigned> addPins(BuildGraph &graph, const GraphInputs &in, StageAnchors &where,
                                bool record) {
  const dsl::PythonSpec &python = *in.spec.python;
  std::optional<unsigned> last = where.pins;
  // pip installs on top of what conda installed (an environment.yml may
  // bring the interpreter's own libraries), so conda comes first.
  if (python.conda) {
    Node &conda = addNode(graph, NodeKind::CondaEnvironment, python.conda->value, where.stage,
                          python.conda->loc, costs::kRequirementsRate, costs::kCondaEnvironment,
                          {plan::CondaEnvUpdate{python.conda->value, in.envPrefix(),
                                                dsl::condaTool(in.spec)}},
                          {"python"});
    conda.inputs = {python.conda->value};
    needs(graph, conda, where.system);
    last = conda.id;
  }
  if (in.uvInstaller())
    where.installer = addUvBinary(graph, python, where.stage,
                                  python.installer ? python.installer->loc : python.loc);
  if (!python.packages.empty()) {
    std::vector<std::string> packages = values(python.packages);
    StageAnchors after = where;
    after.pins = last;
    last = addPipNode(graph, in, after, NodeKind::PythonPackages, "python packages",
                      python.packages.front().loc, costs::kPinnedPackagesRate,
                      costs::pipInstallCost(packages), pipInstallOp(in, packages),
                      in.constraintFiles())
               .id;
  }
  StageAnchors after = where;
  after.pins = last;
  last = addVariantPackages(graph, in, after);
  // The record comes after everything the first venv layer holds.
  if (record && last)
    graph.nodes[*last].ops.push_back(plan::RecordVenv{kVenv, kVenvRecordDir});
  return last;
}

std::vector<unsigned> addLaterInstalls(BuildGraph &graph, const GraphInputs &in,
                                       const StageAnchors &where, const StageAnchors *builder,
                                       bool frozen) {
  std::vector<unsigned> wheels;
  // The wheels first: a requirement that asks for a package built there then
  // finds it installed instead of compiling it from its sdist.
  if (builder && builder->wheels)
    wheels.push_back(addWheelInstall(graph, in, where, *builder, frozen));
  std::vector<unsigned> requirements = addRequirementFiles(graph, in, where, frozen);
  if (std::optional<unsigned> declared = addDeclaredDependencies(graph, in, where, frozen))
    requirements.push_back(*declared);
  for (unsigned requirement : requirements)
    for (unsigned wheel : wheels)
      addEdge(graph, wheel, requirement);
  std::vector<unsigned> nodes = wheels;
  llvm::append_range(nodes, requirements);
  llvm::append_range(nodes, addOptionedPackages(graph, in, where, wheels, requirements, frozen));
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
  node.inputs = copySources(app);
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
