// Python dependency, wheel and project-install nodes (PythonNodes.h).
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

double pipCost(const std::vector<std::string> &packages) {
  double cost = costs::kPipBase;
  for (const std::string &package : packages)
    cost += costs::pipPackageCost(package);
  return cost;
}

/// A pip install into the venv of `where`. Every pip step needs the system
/// packages: an sdist may compile against them, and users expect what they
/// list under `system` to be there.
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
                                                const StageAnchors &where) {
  const dsl::ProjectRequirements *declared = in.projectRequirements;
  if (!declared || declared->requirements.empty())
    return std::nullopt;
  std::vector<std::string> constraints = in.constraintFiles();
  std::vector<std::string> inputs = {declared->manifest};
  llvm::append_range(inputs, constraints);
  return addPipNode(graph, in, where, NodeKind::ProjectDependencies,
                    declared->manifest + " dependencies", in.spec.python->projectDependencies->loc,
                    costs::kRequirementsRate, costs::kRequirementsFile,
                    {declared->requirements, {}, in.indexUrls(), "", "", constraints, {}},
                    std::move(inputs))
      .id;
}

std::optional<unsigned> addPins(BuildGraph &graph, const GraphInputs &in,
                                const StageAnchors &where) {
  const dsl::PythonSpec &python = *in.spec.python;
  if (python.packages.empty())
    return std::nullopt;
  std::vector<std::string> packages = values(python.packages);
  std::vector<std::string> constraints = in.constraintFiles();
  double cost = pipCost(packages);
  return addPipNode(graph, in, where, NodeKind::PythonPackages, "python packages",
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
    nodes.push_back(addPipNode(graph, in, where, NodeKind::Requirements, file.value, file.loc,
                               costs::kRequirementsRate, costs::kRequirementsFile,
                               {{}, {file.value}, in.indexUrls(), "", "", constraints, {}},
                               std::move(inputs))
                        .id);
  }
  return nodes;
}

/// Packages with options of their own, one pip call per set of options and
/// index, after the requirement files (`--no-deps` means their dependencies
/// come from the other entries); a package from an index of its own without
/// `--no-deps` goes before them, like the pins (torch from its own index must
/// be there before a requirement that pulls in torch).
void addOptionedPackages(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where,
                         const std::vector<unsigned> &requirementNodes) {
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
  std::vector<std::string> constraints = in.constraintFiles();
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
    Node &node = addPipNode(graph, in, where, NodeKind::PythonPackages, name,
                            packages.front()->loc, costs::kPinnedPackagesRate, pipCost(names),
                            {names, {}, indexUrls, "", "", constraints, options}, constraints);
    bool first = packages.front()->indexUrl && !llvm::is_contained(options, "--no-deps");
    unsigned id = node.id;
    for (unsigned requirement : requirementNodes)
      first ? addEdge(graph, id, requirement) : addEdge(graph, requirement, id);
  }
}

/// The pinned uv binary or poetry, where the venv is built; none for pip.
std::optional<unsigned> addManager(BuildGraph &graph, const dsl::PythonSpec &python,
                                   const StageAnchors &where) {
  llvm::SMLoc loc = python.manager ? python.manager->loc : python.loc;
  switch (dsl::pythonManager(python)) {
  case dsl::PythonManager::Pip: return std::nullopt;
  case dsl::PythonManager::Uv: return addUvBinary(graph, python, where.stage, loc);
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

/// The install of the lock with `extras`: uv sync or poetry install.
plan::VariantInstall lockedInstall(const dsl::PythonSpec &python,
                                   std::vector<std::string> extras) {
  std::vector<std::string> files = dsl::manifestFiles(python);
  std::string dir = dsl::projectDir(python);
  if (dsl::pythonManager(python) == dsl::PythonManager::Uv)
    return plan::UvSync{files, dir, std::move(extras), kVenv};
  return plan::PoetryInstall{files, dir, std::move(extras),
                             std::string(kPoetryHome) + "/bin/poetry"};
}

/// The lock's install, or, with a variant that selects extras, one install
/// per value with the spec's extras and the value's.
std::vector<plan::Op> lockedInstallOps(const dsl::Spec &spec) {
  const dsl::PythonSpec &python = *spec.python;
  const dsl::VariantSpec *variant = extrasVariant(spec);
  if (!variant)
    return {std::visit([](auto install) { return plan::Op(std::move(install)); },
                       lockedInstall(python, values(python.extras)))};
  plan::VariantSwitch choice{variant->arg.value, {}};
  for (const dsl::VariantValueSpec &value : variant->values) {
    std::vector<std::string> extras = values(python.extras);
    for (const std::string &extra : values(value.extras))
      if (!llvm::is_contained(extras, extra))
        extras.push_back(extra);
    choice.cases.push_back({value.name.value, {lockedInstall(python, std::move(extras))}});
  }
  return {plan::DeclareArg{variant->arg.value, defaultValue(*variant)}, std::move(choice)};
}

/// uv sync or poetry install of the lock, without the project, after the
/// manager that runs it.
void addLockedDependencies(BuildGraph &graph, const dsl::Spec &spec, const StageAnchors &where) {
  const dsl::PythonSpec &python = *spec.python;
  std::optional<unsigned> manager = addManager(graph, python, where);
  if (!manager)
    return;
  std::vector<std::string> files = dsl::manifestFiles(python);
  Node &node = addNode(graph, NodeKind::ProjectDependencies, dsl::lockFile(python), where.stage,
                       python.lock ? python.lock->loc : python.loc, costs::kLockedDependenciesRate,
                       costs::kLockedDependencies, lockedInstallOps(spec), {"python"});
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
  const dsl::PythonSpec &python = *in.spec.python;
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
    pinned.pins = conda.id;
  }
  if (in.uvInstaller())
    pinned.installer = addUvBinary(graph, python, where.stage,
                                   python.installer ? python.installer->loc : python.loc);
  if (std::optional<unsigned> pins = addPins(graph, in, pinned))
    pinned.pins = pins;
  pinned.pins = addVariantPackages(graph, in, pinned);
  std::vector<unsigned> requirementNodes = addRequirementFiles(graph, in, pinned);
  if (std::optional<unsigned> declared = addDeclaredDependencies(graph, in, pinned))
    requirementNodes.push_back(*declared);
  addOptionedPackages(graph, in, pinned, requirementNodes);
  addLockedDependencies(graph, in.spec, pinned);
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
