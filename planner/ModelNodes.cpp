// Model stages, downloads, copies and folders (ModelNodes.h).
#include "planner/ModelNodes.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/SystemManager.h"

namespace imageplan::planner {

ModelStage addModelStage(BuildGraph &graph, const GraphInputs &in, const dsl::ModelSpec &model) {
  const BaseImages &base = in.base;
  StageInfo info;
  info.name = uniqueStageName(graph, "model-" + modelSlug(model.id.value));
  info.from = in.runtimeFrom();
  info.purpose = "downloads " + model.id.value + " so the runtime stage can copy it";
  info.args = {"HF_ENDPOINT"};
  info.posixShell = lacksBash(base.manager);
  unsigned stage = addStage(graph, std::move(info));

  std::optional<unsigned> interpreter;
  if (base.python == PythonSource::System) {
    // Only the interpreter itself (python3, or Wolfi's python-3.12): the
    // download uses the standard library.
    std::string python = interpreterPackages(base, "", /*withHeaders=*/false).front();
    interpreter =
        addNode(graph, NodeKind::Interpreter, "python for the download", stage, model.loc,
                costs::kInterpreterRate, costs::kInterpreter,
                {plan::SystemInstall{sortedUnique({"ca-certificates", python}), base.manager}})
            .id;
  }
  std::string revision = model.revision ? model.revision->value : "main";
  std::string secret = model.tokenSecret ? model.tokenSecret->value : "";
  Node &download =
      addNode(graph, NodeKind::ModelDownload, "download " + model.id.value, stage, model.loc,
              costs::kModelRate, costs::kModelDownload,
              {plan::ModelDownload{model.id.value, revision, model.path.value, secret}});
  applyChanges(download, model.changes);
  needs(graph, download, interpreter);
  return {&model, stage, download.id};
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

} // namespace imageplan::planner
