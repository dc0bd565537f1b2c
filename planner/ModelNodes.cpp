// Model stages, downloads, copies and folders (ModelNodes.h).
#include "planner/ModelNodes.h"

#include "dsl/ModelCheck.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/InterpreterNodes.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace imageplan::planner {
namespace {

/// The image a model's download stage starts from, described like a base:
/// the spec's `image` ("runtime": the runtime base), else a python:* runtime
/// base itself (slim already), else a slim Python image. A test's base
/// override stands in for every image.
BaseImages modelStageBase(const GraphInputs &in, const dsl::ModelSpec &model) {
  if (!in.baseOverride.empty() || (model.image && model.image->value == "runtime"))
    return in.base;
  if (model.image)
    return resolveBase({}, model.image->value);
  if (in.base.python == PythonSource::Image)
    return in.base;
  return resolveBase({}, dsl::kDefaultModelImage);
}

/// The distribution packages a download on `base` needs: Python (without
/// the venv module and pip for the standard library's client) and CA
/// certificates. None where the image has Python.
std::vector<std::string> downloadPackages(const BaseImages &base, bool hub) {
  if (base.python != PythonSource::System)
    return {};
  std::vector<std::string> packages = interpreterPackages(base, "", /*withHeaders=*/false);
  if (!hub)
    llvm::erase_if(packages, [](const std::string &p) {
      return llvm::StringRef(p).endswith("-venv") || llvm::StringRef(p).endswith("-pip");
    });
  packages.push_back("ca-certificates");
  return sortedUnique(packages);
}

/// True when `model` downloads on the runtime's own base.
bool onRuntimeBase(const GraphInputs &in, const dsl::ModelSpec &model) {
  return modelStageBase(in, model).runtime == in.base.runtime;
}

/// True when `model` can download in the Python base stage: on the runtime's
/// base, with nothing the stage does not install.
bool fitsPythonBase(const GraphInputs &in, const dsl::ModelSpec &model, const PythonBase &shared) {
  if (!onRuntimeBase(in, model))
    return false;
  std::vector<std::string> needed = downloadPackages(in.base, !dsl::usesUrllib(model));
  return !needed.empty() && std::includes(shared.packages.begin(), shared.packages.end(),
                                          needed.begin(), needed.end());
}

/// What the download needs before it runs: Python (from the distribution
/// where the image has none, unless the stage starts from the Python base)
/// with CA certificates, and for huggingface_hub a venv with it installed
/// from the spec's indexes. Nothing on a python:* image with the urllib
/// downloader.
std::optional<unsigned> addDownloadTools(BuildGraph &graph, const GraphInputs &in,
                                         const BaseImages &base, const dsl::ModelSpec &model,
                                         unsigned stage, bool onPythonBase) {
  bool hub = !dsl::usesUrllib(model);
  std::vector<plan::Op> ops;
  double cost = 0;
  if (std::vector<std::string> packages = downloadPackages(base, hub);
      !packages.empty() && !onPythonBase) {
    ops.push_back(plan::SystemInstall{std::move(packages), base.manager});
    cost += costs::kInterpreter;
  }
  std::string name = "python for the download";
  if (hub) {
    std::string version = dsl::hubVersion(model);
    std::vector<std::string> packages = {"huggingface_hub==" + version};
    if (model.hfTransfer && model.hfTransfer->value)
      packages.push_back(std::string("hf_transfer==") + dsl::kHfTransferVersion);
    ops.push_back(plan::CreateVenv{pythonCommand(base.manager, "", base.wolfi), kVenv});
    plan::PipInstall install;
    install.packages = std::move(packages);
    install.indexUrls = in.indexUrls();
    ops.push_back(std::move(install));
    cost += 2 * costs::kPipBase;
    name = "huggingface_hub " + version;
  }
  if (ops.empty())
    return std::nullopt;
  return addNode(graph, NodeKind::Interpreter, name, stage, model.loc, costs::kInterpreterRate,
                 cost, std::move(ops))
      .id;
}

} // namespace

std::optional<PythonBase> addPythonBaseStage(BuildGraph &graph, const GraphInputs &in) {
  // Packages from added apt repositories (a newer python3) install after
  // the repositories, in the runtime stage.
  if (!in.spec.system.repositories.empty())
    return std::nullopt;
  PythonBase shared;
  shared.packages = runtimeInterpreterPackages(in);
  if (shared.packages.empty())
    return std::nullopt;
  shared.packages.push_back("ca-certificates");
  shared.packages = sortedUnique(std::move(shared.packages));
  if (llvm::none_of(in.spec.models, [&](const dsl::ModelSpec &model) {
        return model.bake.value && fitsPythonBase(in, model, shared);
      }))
    return std::nullopt;
  StageInfo info;
  info.name = uniqueStageName(graph, "runtime-base");
  info.from = in.runtimeFrom();
  info.purpose = "python for the runtime and the model downloads, installed once";
  info.posixShell = lacksBash(in.base.manager);
  shared.stage = addStage(graph, std::move(info));
  addNode(graph, NodeKind::Interpreter, "python and CA certificates", shared.stage,
          in.spec.python->loc, costs::kInterpreterRate, costs::kInterpreter,
          {plan::SystemInstall{shared.packages, in.base.manager}}, {"python"});
  return shared;
}

ModelStage addModelStage(BuildGraph &graph, const GraphInputs &in, const dsl::ModelSpec &model,
                         const std::optional<PythonBase> &pythonBase) {
  BaseImages base = modelStageBase(in, model);
  bool hub = !dsl::usesUrllib(model);
  bool onPythonBase = pythonBase && fitsPythonBase(in, model, *pythonBase);
  StageInfo info;
  info.name = uniqueStageName(graph, "model-" + modelSlug(model.id.value));
  // On the runtime's own base, a variant's choice of base holds here too.
  info.from = base.runtime == in.base.runtime ? in.runtimeFrom() : base.runtime;
  if (onPythonBase) {
    info.from = graph.stages[pythonBase->stage].name;
    info.fromStage = true;
  }
  info.purpose = "downloads " + model.id.value + " so the runtime stage can copy it";
  info.args = {"HF_ENDPOINT"};
  info.posixShell = lacksBash(base.manager);
  if (hub) {
    info.env = {{"PYTHONDONTWRITEBYTECODE", "1"},
                {"PIP_DISABLE_PIP_VERSION_CHECK", "1"},
                {"VIRTUAL_ENV", kVenv}};
    info.pathPrepend = std::string(kVenv) + "/bin";
  }
  unsigned stage = addStage(graph, std::move(info));
  std::optional<unsigned> tools = addDownloadTools(graph, in, base, model, stage, onPythonBase);

  plan::ModelDownload op;
  op.repo = model.id.value;
  op.revision = modelRevision(in, model);
  op.path = model.path.value;
  op.secretId = model.tokenSecret ? model.tokenSecret->value : "";
  op.client = hub ? "huggingface_hub" : "urllib";
  op.allowPatterns = values(model.allowPatterns);
  op.ignorePatterns = values(model.ignorePatterns);
  op.hfTransfer = hub && model.hfTransfer && model.hfTransfer->value;
  Node &download = addNode(graph, NodeKind::ModelDownload, "download " + model.id.value, stage,
                           model.loc, costs::kModelRate, costs::kModelDownload, {std::move(op)});
  applyChanges(download, model.changes);
  needs(graph, download, tools);
  return {&model, stage, download.id};
}

std::string modelRevision(const GraphInputs &in, const dsl::ModelSpec &model) {
  std::string revision = model.revision ? model.revision->value : "main";
  if (const std::string *commit = in.lockedCommit(model.id.value, revision))
    return *commit;
  return revision;
}

void addModelCopies(BuildGraph &graph, const StageAnchors &runtime,
                    const std::vector<ModelStage> &models) {
  for (const ModelStage &baked : models) {
    const dsl::ModelSpec &model = *baked.model;
    Node &copy = addNode(
        graph, NodeKind::ModelCopy, "model " + model.id.value, runtime.stage, model.loc, 0,
        costs::kModelCopy,
        {plan::CopyStage{graph.stages[baked.stage].name, model.path.value, model.path.value, ""}},
        {"models"});
    copy.consumesStage = baked.stage;
    addEdge(graph, baked.download, copy.id);
  }
}

void addModelDirs(BuildGraph &graph, const GraphInputs &in, const StageAnchors &runtime) {
  std::string user = in.runtimeUser();
  for (const dsl::ModelSpec &model : in.spec.models) {
    if (model.bake.value)
      continue;
    Node &dir = addNode(graph, NodeKind::ModelDir, "model dir for " + model.id.value, runtime.stage,
                        model.loc, costs::kDirsRate, costs::kDirs,
                        {plan::MakeDirs{{model.path.value}, user}}, {"models"});
    needs(graph, dir, runtime.user);
  }
}

std::string hubHome(const dsl::Spec &spec) {
  for (const dsl::ModelSpec &model : spec.models)
    if (!model.bake.value)
      return model.path.value;
  return "";
}

} // namespace imageplan::planner
