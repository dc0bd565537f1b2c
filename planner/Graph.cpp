// Builds the dependency graph from the AST: which nodes exist, in which stage,
// what each does (its plan operations), what it reads, and which nodes it needs.
#include "planner/Graph.h"

#include "dsl/PythonProject.h"
#include "planner/Base.h"
#include "planner/Costs.h"
#include "planner/Cycles.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/Planner.h"
#include "planner/SystemManager.h"

#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

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
  }
  return "step";
}

const char *toString(RateSource source) {
  switch (source) {
  case RateSource::Default: return "default";
  case RateSource::Spec: return "spec";
  case RateSource::History: return "history";
  }
  return "default";
}

namespace {

class GraphBuilder {
public:
  GraphBuilder(readers::DiagnosticEngine &diags, const dsl::Spec &spec, const PlanOptions &options)
      : diags(diags), spec(spec), options(options),
        base(resolveBase(spec.base, options.baseOverride)),
        overridden(!options.baseOverride.empty()), venvHere(dsl::venvInBuilder(spec)) {}

  llvm::Expected<BuildGraph> build() {
    checkBase();
    if (needsBuilder())
      addBuilderStage();
    for (const dsl::ModelSpec &model : spec.models)
      if (model.bake.value)
        addModelStage(model);
    for (const dsl::StageSpec &stage : spec.stages)
      addCustomStage(stage);
    addRuntimeStage();
    addCustomSteps();
    for (const dsl::TargetSpec &target : spec.targets)
      addTarget(target);
    if (options.history)
      applyHistory(out, *options.history);
    if (!failed) {
      unsigned errors = diags.errorCount();
      checkCycles(diags, out, afterLocs);
      failed = diags.errorCount() != errors;
    }
    if (failed)
      return readers::diagnosticsReported(diags.errorCount());
    return std::move(out);
  }

private:
  // --- nodes and edges ---------------------------------------------------

  // The mechanics are GraphCore.h; these spare every call site the graph.
  Node &addNode(NodeKind kind, std::string name, unsigned stage, llvm::SMLoc loc,
                double rate, double cost, std::vector<plan::Op> ops,
                std::vector<std::string> groups = {}) {
    return planner::addNode(out, kind, std::move(name), stage, loc, rate, cost, std::move(ops),
                            std::move(groups));
  }

  void addEdge(unsigned from, unsigned to) { planner::addEdge(out, from, to); }

  void needs(const Node &node, std::optional<unsigned> dependency) {
    planner::needs(out, node, dependency);
  }

  unsigned addStage(StageInfo info) { return planner::addStage(out, std::move(info)); }

  // --- base and interpreter ------------------------------------------------

  void checkBase() {
    // An explicit manager wins over the one the base image's name suggests.
    if (spec.system.manager)
      if (auto manager = plan::parsePackageManager(spec.system.manager->value))
        base.manager = *manager;
    if (!spec.python || !spec.python->version || overridden || base.shippedPython.empty())
      return;
    const dsl::LString &version = *spec.python->version;
    if (version.value == base.shippedPython)
      return;
    if (base.python == PythonSource::Image) {
      error(version.loc, "python " + version.value + " is not the python " + base.distro +
                             " ships (" + base.shippedPython + "); use version \"" +
                             base.shippedPython + "\" or a base image that ships " +
                             version.value);
      return;
    }
    // A distribution base: a Python it does not ship comes from uv.
    if (managedPythonInstallable(version.value)) {
      managedPython = version.value;
      return;
    }
    error(version.loc,
          "python " + version.value + " is neither the python " + base.distro + " ships (" +
              base.shippedPython + ") nor one imageplan can install there: uv-managed CPython "
              "covers " + kManagedPythonFirst + " to " + kManagedPythonLast +
              " on glibc bases (apt, dnf); use version \"" + base.shippedPython +
              "\" or a python:" + version.value + " image");
  }

  /// uv's standalone CPython builds: glibc bases, 3.8 to 3.13 with uv 0.5.
  bool managedPythonInstallable(llvm::StringRef version) const {
    if (base.manager == plan::PackageManager::Apk)
      return false;
    unsigned minor = 0;
    llvm::StringRef digits = version;
    if (!digits.consume_front("3.") || digits.getAsInteger(10, minor))
      return false;
    return minor >= 8 && minor <= 13;
  }

  std::string uvImage() const {
    return kUvImage + (spec.python ? dsl::uvVersion(*spec.python) : dsl::kDefaultUvVersion);
  }

  bool hasPython() const { return spec.python.has_value(); }

  /// Adds the node that gives `stage` a venv at /opt/venv.
  Node &addInterpreter(unsigned stage, bool withHeaders) {
    std::vector<plan::Op> ops;
    if (!managedPython.empty())
      return addNode(NodeKind::Interpreter, "python " + managedPython + " (uv-managed) venv",
                     stage, spec.python->version->loc, costs::kInterpreterRate,
                     costs::kManagedPython,
                     {plan::InstallPython{managedPython, uvImage(), kManagedPythonDir, kVenv}},
                     {"python"});
    std::string pythonVersion = spec.python->version ? spec.python->version->value : "";
    std::vector<std::string> packages = interpreterPackages(base, pythonVersion, withHeaders);
    double cost = costs::kPipBase;
    std::string python = "python3";
    if (!packages.empty()) {
      ops.push_back(plan::SystemInstall{sortedUnique(packages), base.manager});
      cost = costs::kInterpreter;
      python = pythonCommand(base.manager, pythonVersion, base.wolfi);
    }
    ops.push_back(plan::CreateVenv{python, kVenv});
    std::string version = spec.python->version ? " " + spec.python->version->value : "";
    return addNode(NodeKind::Interpreter, "python" + version + " venv", stage,
                   spec.python->loc, costs::kInterpreterRate, cost, std::move(ops),
                   {"python"});
  }

  /// The interpreter alone, for a runtime that copies its venv from the
  /// builder: the same python3 at the same path the venv's links point to.
  /// Nothing to add on an image that ships Python.
  std::optional<unsigned> addBareInterpreter(unsigned stage) {
    if (base.python == PythonSource::Image)
      return std::nullopt;
    if (!managedPython.empty()) {
      // The venv links to the builder's uv-managed CPython: the same folder.
      Node &copy = addNode(NodeKind::Interpreter, "python " + managedPython + " from builder",
                           stage, spec.python->version->loc, 0, costs::kVenvCopy,
                           {plan::CopyStage{kBuilderStage, kManagedPythonDir, kManagedPythonDir,
                                            ""}},
                           {"python"});
      copy.consumesStage = builder;
      return copy.id;
    }
    std::string pythonVersion = spec.python->version ? spec.python->version->value : "";
    std::vector<std::string> packages =
        interpreterPackages(base, pythonVersion, /*withHeaders=*/false);
    // The venv module is only needed where the venv is made.
    llvm::erase_if(packages,
                   [](const std::string &p) { return llvm::StringRef(p).endswith("-venv"); });
    if (packages.empty())
      return std::nullopt;
    std::string version = pythonVersion.empty() ? "" : " " + pythonVersion;
    return addNode(NodeKind::Interpreter, "python" + version, stage, spec.python->loc,
                   costs::kInterpreterRate, costs::kInterpreter,
                   {plan::SystemInstall{sortedUnique(packages), base.manager}}, {"python"})
        .id;
  }

  plan::Pairs pythonEnv() const {
    return {{"PYTHONUNBUFFERED", "1"},
            {"PYTHONDONTWRITEBYTECODE", "1"},
            {"PIP_DISABLE_PIP_VERSION_CHECK", "1"},
            {"VIRTUAL_ENV", kVenv}};
  }

  std::vector<std::string> indexUrls() const {
    return spec.python ? values(spec.python->indexUrls) : std::vector<std::string>{};
  }

  Node &addSystemPackages(unsigned stage, const std::vector<dsl::LString> &packages,
                          llvm::SMLoc loc, llvm::StringRef name) {
    double cost = costs::kAptBase + costs::kAptPerPackage * packages.size();
    return addNode(NodeKind::SystemPackages, name.str(), stage, loc,
                   costs::kSystemPackagesRate, cost,
                   {plan::SystemInstall{sortedUnique(values(packages)), base.manager}},
                   {"system"});
  }

  // --- builder stage -------------------------------------------------------

  bool needsBuilder() const {
    if (spec.python && (!spec.python->build.empty() || venvHere))
      return true;
    return llvm::any_of(spec.steps, [](const dsl::StepSpec &step) {
      return step.stage && step.stage->value == kBuilderStage;
    });
  }

  void addBuilderStage() {
    StageInfo info;
    info.name = kBuilderStage;
    info.from = base.devel;
    info.purpose = "compiles Python wheels and runs build steps with the full toolchain";
    info.posixShell = lacksBash(base.manager);
    bool buildsWheels = hasPython() && !spec.python->build.empty();
    if (buildsWheels || venvHere) {
      info.env = pythonEnv();
      info.pathPrepend = std::string(kVenv) + "/bin";
    }
    if (venvHere)
      info.purpose = "builds the Python venv with the full toolchain; the runtime copies it whole";
    builder = addStage(std::move(info));

    std::optional<unsigned> system, interpreter, requires_, pins;
    if (!spec.system.buildPackages.empty())
      system = addSystemPackages(*builder, spec.system.buildPackages, spec.system.loc,
                                 "build packages")
                   .id;
    if (buildsWheels || venvHere)
      interpreter = addInterpreter(*builder, /*withHeaders=*/true).id;
    if (venvHere)
      addPythonDependencies(*builder, *interpreter, pins, system);
    if (buildsWheels) {
      const dsl::PythonSpec &python = *spec.python;
      // With the venv built here the pins are installed already.
      std::vector<std::string> packages = venvHere ? std::vector<std::string>{}
                                                   : values(python.packages);
      llvm::append_range(packages, values(python.buildRequires));
      if (!packages.empty()) {
        double cost = costs::kPipBase;
        for (const std::string &package : packages)
          cost += costs::pipPackageCost(package);
        Node &node = addNode(NodeKind::BuildRequires, "build requirements", *builder,
                             python.loc, costs::kBuildRequiresRate, cost,
                             {plan::PipInstall{packages, {}, indexUrls(), "", "", {}, {}}},
                             {"python"});
        needs(node, interpreter);
        needs(node, system);
        needs(node, pins);
        requires_ = node.id;
      }
      {
        double cost = 0;
        for (const dsl::LString &package : python.build)
          cost += costs::wheelBuildCost(package.value);
        Node &node =
            addNode(NodeKind::WheelBuild, "wheels: " + llvm::join(values(python.build), " "),
                    *builder, python.build.front().loc, costs::kWheelBuildRate, cost,
                    {plan::PipWheel{values(python.build), indexUrls(), kWheelDir}}, {"python"});
        needs(node, system);
        needs(node, interpreter);
        needs(node, requires_);
        needs(node, pins);
        wheelBuild = node.id;
      }
      if (venvHere) {
        Node &node = addNode(NodeKind::WheelInstall, "built wheels", *builder,
                             python.build.front().loc, costs::kWheelBuildRate,
                             costs::kWheelInstall,
                             {plan::PipInstall{values(python.build), {}, indexUrls(), "", kWheelDir,
                                               constraintFiles(), {}}},
                             {"python"});
        needs(node, wheelBuild);
        needs(node, pins);
      }
    }
    if (llvm::any_of(spec.steps, [](const dsl::StepSpec &step) {
          return step.stage && step.stage->value == kBuilderStage;
        }))
      builderWorkdir = addNode(NodeKind::Workdir, std::string("workdir ") + kBuilderWorkdir,
                               *builder, spec.base.loc, costs::kWorkdirRate, 0,
                               {plan::SetWorkdir{kBuilderWorkdir}})
                           .id;
  }

  // --- model stages --------------------------------------------------------

  void addModelStage(const dsl::ModelSpec &model) {
    StageInfo info;
    info.name = uniqueStageName(out, "model-" + modelSlug(model.id.value));
    info.from = base.runtime;
    info.purpose = "downloads " + model.id.value + " so the runtime stage can copy it";
    info.args = {"HF_ENDPOINT"};
    info.posixShell = lacksBash(base.manager);
    unsigned stage = addStage(std::move(info));

    std::optional<unsigned> interpreter;
    if (base.python == PythonSource::System) {
      // Only the interpreter itself (python3, or Wolfi's python-3.12): the
      // download uses the standard library.
      std::string python = interpreterPackages(base, "", /*withHeaders=*/false).front();
      interpreter = addNode(NodeKind::Interpreter, "python for the download", stage, model.loc,
                            costs::kInterpreterRate, costs::kInterpreter,
                            {plan::SystemInstall{sortedUnique({"ca-certificates", python}),
                                                 base.manager}})
                        .id;
    }
    std::string revision = model.revision ? model.revision->value : "main";
    std::string secret = model.tokenSecret ? model.tokenSecret->value : "";
    Node &download = addNode(NodeKind::ModelDownload, "download " + model.id.value, stage,
                             model.loc, costs::kModelRate, costs::kModelDownload,
                             {plan::ModelDownload{model.id.value, revision, model.path.value,
                                                  secret}});
    applyChanges(download, model.changes);
    needs(download, interpreter);
    modelDownloads[&model] = download.id;
    modelStages.push_back({&model, stage});
  }

  // --- runtime stage -------------------------------------------------------

  std::string runtimeUser() const {
    std::string user = spec.app.user ? spec.app.user->value : "app";
    return user == "root" ? "" : user;
  }

  void addRuntimeStage() {
    StageInfo info;
    info.name = kRuntimeStage;
    info.from = base.runtime;
    info.purpose = "the image that runs: runtime base, dependencies, models and the app";
    info.posixShell = lacksBash(base.manager);
    if (hasPython()) {
      info.env = pythonEnv();
      info.pathPrepend = std::string(kVenv) + "/bin";
    }
    if (spec.targets.empty())
      info.runtime = runtimeConfig(nullptr);
    runtime = addStage(std::move(info));
    unsigned stage = *runtime;
    std::string user = runtimeUser();

    if (!spec.system.packages.empty())
      runtimeSystem = addSystemPackages(stage, spec.system.packages, spec.system.loc,
                                        "system packages")
                          .id;
    std::optional<unsigned> interpreter, pins, userNode;
    if (hasPython() && !venvHere)
      interpreter = addInterpreter(stage, /*withHeaders=*/false).id;
    else if (hasPython())
      interpreter = addBareInterpreter(stage);
    if (!user.empty()) {
      std::vector<plan::Op> ops;
      if (std::vector<std::string> tools = userToolPackages(base.manager); !tools.empty())
        ops.push_back(plan::SystemInstall{tools, base.manager});
      ops.push_back(plan::CreateUser{user, 10001, usesBusyboxUserTools(base.manager)});
      userNode = addNode(NodeKind::User, "user " + user, stage,
                         spec.app.user ? spec.app.user->loc : spec.app.loc, costs::kUserRate,
                         costs::kUser, std::move(ops))
                     .id;
    }
    if (hasPython() && !venvHere)
      addPythonDependencies(stage, *interpreter, pins, runtimeSystem);
    else if (hasPython())
      addVenvCopy(stage, interpreter);
    for (const auto &[model, modelStage] : modelStages) {
      Node &copy = addNode(NodeKind::ModelCopy, "model " + model->id.value, stage, model->loc,
                           0, costs::kModelCopy,
                           {plan::CopyStage{out.stages[modelStage].name, model->path.value,
                                            model->path.value, ""}},
                           {"models"});
      copy.consumesStage = modelStage;
      addEdge(modelDownloads.at(model), copy.id);
    }
    for (const dsl::ModelSpec &model : spec.models) {
      if (model.bake.value)
        continue;
      Node &dir = addNode(NodeKind::ModelDir, "model dir for " + model.id.value, stage,
                          model.loc, costs::kDirsRate, costs::kDirs,
                          {plan::MakeDirs{{model.path.value}, user}}, {"models"});
      needs(dir, userNode);
    }
    for (const dsl::ArtifactSpec &artifact : spec.artifacts) {
      Node &copy = addNode(NodeKind::ImageArtifact,
                           artifact.from.value + " from " + artifact.image.value, stage,
                           artifact.loc, costs::kModelRate, costs::kArtifactCopy,
                           {plan::CopyStage{artifact.image.value, artifact.from.value,
                                            artifact.to.value, ""}});
      applyChanges(copy, artifact.changes);
    }
    for (const auto &[stageSpec, custom] : customStages)
      for (const auto &[from, to] : stageSpec->exports) {
        Node &copy = addNode(NodeKind::StageArtifact, from.value + " from " + stageSpec->name.value,
                             stage, from.loc, 0, costs::kArtifactCopy,
                             {plan::CopyStage{stageSpec->name.value, from.value, to.value, ""}});
        copy.consumesStage = custom;
        for (const dsl::StepSpec &step : stageSpec->steps)
          addEdge(stepNodes[step.name.value].second, copy.id);
      }
    addAppNodes(stage, user, userNode);
    addInlineFiles(stage);
    if (hasPython())
      addProjectInstall(stage, interpreter);
  }

  /// Files the spec gives inline: root-owned, written after the system
  /// packages so that no package overwrites them.
  void addInlineFiles(unsigned stage) {
    for (const dsl::FileSpec &file : spec.files) {
      std::string mode = file.mode ? file.mode->value : "0644";
      if (mode.size() < 4)
        mode.insert(0, 4 - mode.size(), '0');
      Node &node = addNode(NodeKind::InlineFile, "file " + file.path.value, stage, file.loc,
                           costs::kInlineFileRate, costs::kInlineFile,
                           {plan::WriteFile{file.path.value, file.content.value, mode}}, {"app"});
      applyChanges(node, file.changes);
      needs(node, runtimeSystem);
    }
  }

  void addVenvCopy(unsigned stage, std::optional<unsigned> interpreter) {
    Node &copy = addNode(NodeKind::VenvCopy, std::string("venv ") + kVenv + " from builder",
                         stage, spec.python->loc, 0, costs::kVenvCopy,
                         {plan::CopyStage{kBuilderStage, kVenv, kVenv, ""}}, {"python"});
    copy.consumesStage = builder;
    needs(copy, interpreter);
  }

  /// The app as a package, after the code copy it is built from: a code edit
  /// rebuilds this small layer and nothing that resolves dependencies.
  void addProjectInstall(unsigned stage, std::optional<unsigned> interpreter) {
    const dsl::PythonSpec &python = *spec.python;
    std::string dir = dsl::projectDir(python);
    if (!dsl::installsProject(python))
      return;
    std::string workdir = spec.app.workdir ? spec.app.workdir->value : "/app";
    dsl::PythonManager manager = dsl::pythonManager(python);
    plan::InstallProject op{manager == dsl::PythonManager::Uv ? "uv" : "pip",
                            destinationUnder(workdir, dir), ""};
    if (manager == dsl::PythonManager::Uv && venvHere)
      op.uvImage = kUvImage + dsl::uvVersion(python);
    llvm::SMLoc loc = python.project ? python.project->loc : python.loc;
    Node &node = addNode(NodeKind::ProjectInstall, "app as a package", stage, loc,
                         costs::kAppCodeRate, costs::kProjectInstall, {op}, {"app"});
    // It is built from the code copies, not from the context.
    node.inputs = values(spec.app.copy);
    applyChanges(node, spec.app.changes);
    needs(node, interpreter);
    // After every Python dependency and every code copy of its stage.
    for (const Node &other : out.nodes)
      if (other.stage == stage && other.id != node.id &&
          (other.kind == NodeKind::AppCopy || llvm::is_contained(other.groups, "python")))
        addEdge(other.id, node.id);
  }

  std::vector<std::string> constraintFiles() const {
    return spec.python ? values(spec.python->constraints) : std::vector<std::string>{};
  }

  /// The pinned uv binary or poetry, where the venv is built.
  std::optional<unsigned> addManager(unsigned stage, unsigned interpreter) {
    const dsl::PythonSpec &python = *spec.python;
    llvm::SMLoc loc = python.manager ? python.manager->loc : python.loc;
    switch (dsl::pythonManager(python)) {
    case dsl::PythonManager::Pip:
      return std::nullopt;
    case dsl::PythonManager::Uv: {
      std::string version = dsl::uvVersion(python);
      return addNode(NodeKind::PythonManager, "uv " + version, stage, loc, costs::kManagerRate,
                     costs::kUvBinary,
                     {plan::CopyStage{kUvImage + version, "/uv", "/bin/uv", ""}}, {"python"})
          .id;
    }
    case dsl::PythonManager::Poetry: {
      std::string version = dsl::poetryVersion(python);
      Node &node = addNode(NodeKind::PythonManager, "poetry " + version, stage, loc,
                           costs::kManagerRate, costs::kPoetryInstall,
                           {plan::InstallPoetry{std::string(kVenv) + "/bin/python", version,
                                                kPoetryHome}}, {"python"});
      needs(node, interpreter);
      return node.id;
    }
    }
    return std::nullopt;
  }

  // --- custom stages and targets -------------------------------------------

  void addCustomStage(const dsl::StageSpec &stageSpec) {
    StageInfo info;
    info.name = stageSpec.name.value;
    info.from = stageSpec.image.value;
    info.purpose = "custom stage on " + stageSpec.image.value + "; the runtime copies its exports";
    unsigned stage = addStage(std::move(info));
    customStages.push_back({&stageSpec, stage});
    std::string workdir = stageSpec.workdir ? stageSpec.workdir->value : "/src";
    unsigned dir = addNode(NodeKind::Workdir, "workdir " + workdir, stage, stageSpec.loc,
                           costs::kWorkdirRate, 0, {plan::SetWorkdir{workdir}})
                       .id;
    for (const dsl::StepSpec &step : stageSpec.steps) {
      double cost = step.cost ? step.cost->value : costs::kCustomStep;
      // A custom stage is a workspace: each step sees what the steps before
      // it wrote (npm ci's node_modules) beside its inputs, so the inputs are
      // copied in rather than mounted over that work.
      Node &node = addNode(
          NodeKind::CustomStep, step.name.value, stage, step.name.loc, costs::kCustomStepRate,
          cost,
          {plan::RunScript{step.name.value, step.run.value, values(step.inputs), true}});
      node.inputs = values(step.inputs);
      applyChanges(node, step.changes);
      stepNodes[step.name.value] = {&step, node.id};
      addEdge(dir, node.id);
    }
    // Names were checked: `after` names a step of this stage.
    for (const dsl::StepSpec &step : stageSpec.steps)
      for (const dsl::LString &target : step.after) {
        auto found = stepNodes.find(target.value);
        if (found == stepNodes.end())
          continue;
        unsigned id = stepNodes[step.name.value].second;
        addEdge(found->second.second, id);
        afterLocs[{found->second.second, id}] = target.loc;
      }
  }

  /// A final stage FROM runtime with its own metadata and environment.
  void addTarget(const dsl::TargetSpec &target) {
    StageInfo info;
    info.name = target.name.value;
    info.from = kRuntimeStage;
    info.fromStage = true;
    info.purpose = "target " + target.name.value + ": the runtime with its own command";
    info.runtime = runtimeConfig(&target);
    info.posixShell = lacksBash(base.manager);
    unsigned stage = addStage(std::move(info));
    if (target.env.empty())
      return;
    plan::Pairs vars;
    for (const auto &[key, value] : target.env)
      vars.push_back({key.value, value.value});
    addNode(NodeKind::AppEnv, target.name.value + " environment", stage, target.loc,
            costs::kEnvRate, 0, {plan::SetEnv{std::move(vars)}});
  }

  // Every pip step needs the system packages: an sdist may compile against
  // them, and users expect what they list under `system` to be there.
  void addPythonDependencies(unsigned stage, unsigned interpreter,
                             std::optional<unsigned> &pins, std::optional<unsigned> system) {
    const dsl::PythonSpec &python = *spec.python;
    std::vector<std::string> constraints = constraintFiles();
    if (!python.packages.empty()) {
      double cost = costs::kPipBase;
      for (const dsl::LString &package : python.packages)
        cost += costs::pipPackageCost(package.value);
      Node &node = addNode(NodeKind::PythonPackages, "python packages", stage,
                           python.packages.front().loc, costs::kPinnedPackagesRate, cost,
                           {plan::PipInstall{values(python.packages), {}, indexUrls(), "", "",
                                             constraints, {}}},
                           {"python"});
      node.inputs = constraints;
      needs(node, interpreter);
      needs(node, system);
      pins = node.id;
    }
    std::vector<unsigned> requirementNodes;
    for (const dsl::LString &file : python.requirements) {
      Node &node = addNode(
          NodeKind::Requirements, file.value, stage, file.loc, costs::kRequirementsRate,
          costs::kRequirementsFile,
          {plan::PipInstall{{}, {file.value}, indexUrls(), "", "", constraints, {}}}, {"python"});
      node.inputs = {file.value};
      llvm::append_range(node.inputs, constraints);
      needs(node, interpreter);
      needs(node, pins);
      needs(node, system);
      requirementNodes.push_back(node.id);
    }
    addOptionedPackages(stage, interpreter, pins, system, requirementNodes);
    if (std::optional<unsigned> manager = addManager(stage, interpreter)) {
      dsl::PythonManager kind = dsl::pythonManager(python);
      std::vector<std::string> files = dsl::manifestFiles(python);
      std::vector<std::string> extras = values(python.extras);
      std::string dir = dsl::projectDir(python);
      plan::Op op = kind == dsl::PythonManager::Uv
                        ? plan::Op(plan::UvSync{files, dir, extras, kVenv})
                        : plan::Op(plan::PoetryInstall{files, dir, extras,
                                                       std::string(kPoetryHome) + "/bin/poetry"});
      Node &node = addNode(NodeKind::ProjectDependencies, dsl::lockFile(python), stage,
                           python.lock ? python.lock->loc : python.loc,
                           costs::kLockedDependenciesRate, costs::kLockedDependencies, {op},
                           {"python"});
      node.inputs = files;
      needs(node, interpreter);
      needs(node, manager);
      needs(node, system);
    }
    if (!venvHere && !python.build.empty()) {
      Node &node = addNode(NodeKind::WheelInstall, "built wheels", stage,
                           python.build.front().loc, 0, costs::kWheelInstall,
                           {plan::PipInstall{values(python.build), {}, indexUrls(), kBuilderStage,
                                             kWheelDir, constraints, {}}},
                           {"python"});
      node.consumesStage = builder;
      needs(node, wheelBuild);
      needs(node, interpreter);
      needs(node, pins);
      needs(node, runtimeSystem);
    }
  }

  /// Packages with options of their own, one pip call per set of options,
  /// after everything else pip installs: `--no-deps` means their dependencies
  /// come from the other entries.
  void addOptionedPackages(unsigned stage, unsigned interpreter, std::optional<unsigned> pins,
                           std::optional<unsigned> system,
                           const std::vector<unsigned> &requirementNodes) {
    const dsl::PythonSpec &python = *spec.python;
    std::vector<std::pair<std::vector<std::string>, std::vector<const dsl::OptionedPackage *>>>
        groups; // by options, in first-use order
    for (const dsl::OptionedPackage &package : python.optionedPackages) {
      std::vector<std::string> options = values(package.options);
      auto group = llvm::find_if(groups, [&](const auto &g) { return g.first == options; });
      if (group == groups.end())
        groups.push_back({options, {&package}});
      else
        group->second.push_back(&package);
    }
    std::vector<std::string> constraints = constraintFiles();
    for (const auto &[options, packages] : groups) {
      std::vector<std::string> names;
      double cost = costs::kPipBase;
      for (const dsl::OptionedPackage *package : packages) {
        names.push_back(package->name.value);
        cost += costs::pipPackageCost(package->name.value);
      }
      std::string name = "python packages";
      if (!options.empty())
        name += " (" + llvm::join(options, " ") + ")";
      Node &node = addNode(NodeKind::PythonPackages, name, stage, packages.front()->loc,
                           costs::kPinnedPackagesRate, cost,
                           {plan::PipInstall{names, {}, indexUrls(), "", "", constraints, options}},
                           {"python"});
      node.inputs = constraints;
      needs(node, interpreter);
      needs(node, pins);
      needs(node, system);
      for (unsigned requirement : requirementNodes)
        addEdge(requirement, node.id);
    }
  }

  void addAppNodes(unsigned stage, const std::string &user, std::optional<unsigned> userNode) {
    const dsl::AppSpec &app = spec.app;
    if (!app.env.empty()) {
      plan::Pairs vars;
      for (const auto &[key, value] : app.env)
        vars.push_back({key.value, value.value});
      appEnv = addNode(NodeKind::AppEnv, "app environment", stage, app.env.front().first.loc,
                       costs::kEnvRate, 0, {plan::SetEnv{std::move(vars)}}, {"app"})
                   .id;
    }
    std::string workdir = app.workdir ? app.workdir->value : "/app";
    runtimeWorkdir = addNode(NodeKind::Workdir, "workdir " + workdir, stage,
                             app.workdir ? app.workdir->loc : app.loc, costs::kWorkdirRate, 0,
                             {plan::SetWorkdir{workdir}})
                         .id;
    if (!app.dirs.empty()) {
      Node &dirs = addNode(NodeKind::AppDirs, "app directories", stage, app.dirs.front().loc,
                           costs::kDirsRate, costs::kDirs,
                           {plan::MakeDirs{values(app.dirs), user}}, {"app"});
      needs(dirs, runtimeWorkdir);
      needs(dirs, userNode);
    }
    for (const dsl::LString &path : app.copy) {
      Node &copy = addNode(NodeKind::AppCopy, "app " + path.value, stage, path.loc,
                           costs::kAppCodeRate, costs::kAppCopy,
                           {plan::CopyContext{{path.value}, destinationUnder(workdir, path.value),
                                              ""}},
                           {"app"});
      copy.inputs = {path.value};
      if (path.value == ".")
        copy.excludes = values(app.exclude);
      applyChanges(copy, app.changes);
      needs(copy, runtimeWorkdir);
    }
  }

  /// The final image's metadata: the app's, or a target's where it says more.
  plan::RuntimeConfig runtimeConfig(const dsl::TargetSpec *target) {
    const dsl::AppSpec &app = spec.app;
    plan::RuntimeConfig config;
    config.user = runtimeUser();
    const std::vector<dsl::LInt> &expose =
        target && !target->expose.empty() ? target->expose : app.expose;
    for (const dsl::LInt &port : expose)
      config.expose.push_back(static_cast<int>(port.value));
    bool ownCommand = target && (!target->entrypoint.empty() || !target->cmd.empty());
    config.entrypoint = values(ownCommand ? target->entrypoint : app.entrypoint);
    config.cmd = values(ownCommand ? target->cmd : app.cmd);
    const std::optional<dsl::HealthcheckSpec> &check =
        target && target->healthcheck ? target->healthcheck : app.healthcheck;
    if (check)
      config.healthcheck = healthcheck(*check, expose);
    std::string title = target ? spec.name.value + "-" + target->name.value : spec.name.value;
    config.labels = {{"org.opencontainers.image.title", title},
                     {"org.opencontainers.image.base.name", base.runtime}};
    for (const auto &[key, value] : spec.labels) {
      auto existing = llvm::find_if(config.labels, [&](const auto &label) {
        return label.first == key.value;
      });
      if (existing != config.labels.end())
        existing->second = value.value;
      else
        config.labels.push_back({key.value, value.value});
    }
    return config;
  }

  /// Seconds in a duration the DSL has checked (30s, 1m30s, 500ms), as the
  /// shortest decimal text: "30", "90", "0.5".
  static std::string secondsText(llvm::StringRef duration) {
    long long millis = dsl::durationMillis(duration).value_or(0);
    std::string text = std::to_string(millis / 1000);
    if (long long rest = millis % 1000) {
      std::string fraction = std::to_string(rest + 1000).substr(1); // 3 digits
      text += "." + llvm::StringRef(fraction).rtrim('0').str();
    }
    return text;
  }

  std::optional<plan::Healthcheck> healthcheck(const dsl::HealthcheckSpec &spec_,
                                               const std::vector<dsl::LInt> &expose) {
    plan::Healthcheck check;
    check.interval = spec_.interval ? spec_.interval->value : "";
    check.timeout = spec_.timeout ? spec_.timeout->value : "";
    check.startPeriod = spec_.startPeriod ? spec_.startPeriod->value : "";
    check.retries = spec_.retries ? static_cast<int>(spec_.retries->value) : 0;
    if (!spec_.http) {
      check.cmd = values(spec_.cmd);
      return check;
    }
    std::string url = spec_.http->value;
    if (!llvm::StringRef(url).startswith("http")) {
      long long port = spec_.port ? spec_.port->value
                       : expose.empty()    ? 0
                                           : expose.front().value;
      if (port == 0) {
        error(spec_.http->loc, "health check path '" + url +
                                   "' needs a port: give 'port' or 'expose' one");
        return std::nullopt;
      }
      url = "http://127.0.0.1:" + std::to_string(port) + url;
    }
    std::string python;
    if (hasPython())
      python = "python";
    else if (base.python == PythonSource::Image)
      python = "python3";
    else {
      error(spec_.http->loc, "an http health check runs python, and this image has none; add "
                             "a 'python' section or give the check as 'cmd'");
      return std::nullopt;
    }
    // The URL and the timeout are arguments, not part of the program text, so
    // they need no escaping. The request gives up when Docker would kill the
    // check: after the spec's timeout, else Docker's default of 30 s.
    check.cmd = {python, "-c",
                 "import sys, urllib.request; "
                 "urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2]))",
                 url, secondsText(spec_.timeout ? spec_.timeout->value : "30s")};
    return check;
  }

  // --- custom steps --------------------------------------------------------

  void addCustomSteps() {
    for (const dsl::StepSpec &step : spec.steps) {
      bool inBuilder = step.stage && step.stage->value == kBuilderStage;
      unsigned stage = inBuilder ? *builder : *runtime;
      double cost = step.cost ? step.cost->value : costs::kCustomStep;
      Node &node = addNode(NodeKind::CustomStep, step.name.value, stage, step.name.loc,
                           costs::kCustomStepRate, cost,
                           {plan::RunScript{step.name.value, step.run.value, values(step.inputs)}});
      node.inputs = values(step.inputs);
      applyChanges(node, step.changes);
      stepNodes[step.name.value] = {&step, node.id};
    }
    for (const dsl::StepSpec &step : spec.steps)
      addStepEdges(step);
    for (const dsl::StepSpec &step : spec.steps)
      addStepOutputs(step);
  }

  /// Nodes of a built-in group in one stage, in id order. Built-in nodes all
  /// exist before the first custom step, so the index is built once.
  const std::vector<unsigned> &groupMembers(llvm::StringRef group, unsigned stage) {
    if (!groupIndexBuilt) {
      for (const Node &node : out.nodes)
        if (node.kind != NodeKind::CustomStep)
          for (const std::string &name : node.groups)
            groupIndex[{name, node.stage}].push_back(node.id);
      groupIndexBuilt = true;
    }
    static const std::vector<unsigned> none;
    auto found = groupIndex.find({group.str(), stage});
    return found == groupIndex.end() ? none : found->second;
  }

  void addStepEdges(const dsl::StepSpec &step) {
    unsigned id = stepNodes[step.name.value].second;
    unsigned stage = out.nodes[id].stage;
    // A step runs with its stage's system and Python dependencies installed,
    // in its stage's workdir, with the app environment set.
    for (llvm::StringRef group : {"system", "python"})
      for (unsigned member : groupMembers(group, stage))
        addEdge(member, id);
    if (stage == *runtime) {
      if (appEnv)
        addEdge(*appEnv, id);
      addEdge(*runtimeWorkdir, id);
    } else if (builderWorkdir) {
      addEdge(*builderWorkdir, id);
    }
    for (const dsl::LString &target : step.after)
      addAfterEdge(step, id, stage, target);
  }

  void addAfterEdge(const dsl::StepSpec &step, unsigned id, unsigned stage,
                    const dsl::LString &target) {
    auto found = stepNodes.find(target.value);
    if (found != stepNodes.end()) {
      unsigned dependency = found->second.second;
      if (out.nodes[dependency].stage == stage) {
        addEdge(dependency, id);
        afterLocs[{dependency, id}] = target.loc;
        return;
      }
      if (stage == *builder) {
        error(target.loc, "step '" + step.name.value + "' runs in stage 'builder' and cannot "
                          "run after '" + target.value + "', which runs in stage 'runtime'");
        return;
      }
      // A runtime step after a builder step needs what that step produced.
      pendingArtifactAfter.push_back({&step, &target, id});
      return;
    }
    const std::vector<unsigned> &members = groupMembers(target.value, stage);
    if (members.empty()) {
      // Unknown names were reported by checkSpec; this is a group with
      // nothing in the step's stage.
      if (llvm::is_contained(dsl::kBuiltinGroups, target.value))
        error(target.loc, "'" + target.value + "' has nothing in stage '" +
                              out.stages[stage].name + "' for step '" + step.name.value +
                              "' to run after");
      return;
    }
    for (unsigned member : members)
      addEdge(member, id);
  }

  void addStepOutputs(const dsl::StepSpec &step) {
    unsigned id = stepNodes[step.name.value].second;
    std::vector<unsigned> copies;
    for (const dsl::LString &output : step.outputs) {
      Node &copy = addNode(NodeKind::StageArtifact, output.value + " from " + step.name.value,
                           *runtime, output.loc, 0, costs::kArtifactCopy,
                           {plan::CopyStage{kBuilderStage, output.value, output.value, ""}});
      copy.consumesStage = builder;
      addEdge(id, copy.id);
      copies.push_back(copy.id);
    }
    for (const auto &pending : pendingArtifactAfter) {
      if (pending.target->value != step.name.value)
        continue;
      if (copies.empty())
        error(pending.target->loc, "step '" + pending.step->name.value +
                                       "' runs after builder step '" + step.name.value +
                                       "', which has no 'outputs' to copy into the runtime stage");
      for (unsigned copy : copies)
        addEdge(copy, pending.node);
    }
  }

  void error(llvm::SMLoc loc, const llvm::Twine &message) {
    diags.error(loc, message);
    failed = true;
  }

  struct PendingAfter {
    const dsl::StepSpec *step;
    const dsl::LString *target;
    unsigned node;
  };

  readers::DiagnosticEngine &diags;
  const dsl::Spec &spec;
  const PlanOptions &options;
  BaseImages base;
  bool overridden;
  bool failed = false;
  BuildGraph out;
  std::optional<unsigned> builder, runtime;
  std::optional<unsigned> wheelBuild, builderWorkdir, runtimeWorkdir, runtimeSystem, appEnv;
  bool venvHere = false; // the venv is built in the builder stage
  std::string managedPython; // a version the base does not ship, installed by uv
  std::vector<std::pair<const dsl::ModelSpec *, unsigned>> modelStages;
  // Ordered maps: looked up only, but ordered keeps iteration safe if ever added.
  std::map<std::string, std::pair<const dsl::StepSpec *, unsigned>> stepNodes;
  AfterLocations afterLocs;
  std::map<const dsl::ModelSpec *, unsigned> modelDownloads;
  std::vector<std::pair<const dsl::StageSpec *, unsigned>> customStages;
  std::map<std::pair<std::string, unsigned>, std::vector<unsigned>> groupIndex;
  bool groupIndexBuilt = false;
  std::vector<PendingAfter> pendingArtifactAfter;
};

} // namespace

llvm::Expected<BuildGraph> buildGraph(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                      const PlanOptions &options) {
  return GraphBuilder(diags, spec, options).build();
}

} // namespace imageplan::planner
