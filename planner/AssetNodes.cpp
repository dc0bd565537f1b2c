// Asset stages, fetches and copies (AssetNodes.h).
#include "planner/AssetNodes.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/SystemManager.h"

namespace imageplan::planner {
namespace {

/// What the fetch runs with, installed by the base's package manager: git
/// (and git-lfs), or for a download the python3 its program runs on; CA
/// certificates for https either way.
std::vector<std::string> fetchTools(const GraphInputs &in, const dsl::AssetSpec &asset) {
  std::vector<std::string> tools = {"ca-certificates"};
  if (asset.git) {
    tools.push_back("git");
    if (asset.lfs && asset.lfs->value)
      tools.push_back("git-lfs");
  } else if (in.base.python == PythonSource::System) {
    tools.push_back(interpreterPackages(in.base, "", /*withHeaders=*/false).front());
  }
  return sortedUnique(tools);
}

} // namespace

AssetStage addAssetStage(BuildGraph &graph, const GraphInputs &in, const dsl::AssetSpec &asset) {
  const BaseImages &base = in.base;
  StageInfo info;
  info.name = uniqueStageName(graph, "asset-" + asset.name.value);
  info.from = in.runtimeFrom();
  info.purpose = "fetches asset " + asset.name.value + " so the runtime stage can copy it";
  info.posixShell = lacksBash(base.manager);
  unsigned stage = addStage(graph, std::move(info));

  unsigned tools = addNode(graph, NodeKind::SystemPackages, "tools for " + asset.name.value, stage,
                           asset.loc, costs::kSystemPackagesRate, costs::kInterpreter,
                           {plan::SystemInstall{fetchTools(in, asset), base.manager}})
                       .id;
  plan::Op op =
      asset.git
          ? plan::Op(plan::GitCheckout{asset.git->value, asset.revision->value, asset.path.value,
                                       asset.lfs && asset.lfs->value})
          : plan::Op(plan::AssetDownload{asset.url->value, asset.sha256->value, asset.path.value,
                                         asset.unpack ? asset.unpack->value : ""});
  Node &fetch =
      addNode(graph, NodeKind::AssetFetch,
              (asset.git ? "checkout " : "download ") + asset.name.value, stage, asset.loc,
              costs::kModelRate, asset.git ? costs::kAssetCheckout : costs::kAssetDownload, {op});
  applyChanges(fetch, asset.changes);
  needs(graph, fetch, tools);
  return {&asset, stage, fetch.id};
}

void addAssetCopies(BuildGraph &graph, const StageAnchors &runtime,
                    const std::vector<AssetStage> &assets) {
  for (const AssetStage &fetched : assets) {
    const dsl::AssetSpec &asset = *fetched.asset;
    Node &copy = addNode(
        graph, NodeKind::AssetCopy, "asset " + asset.name.value, runtime.stage, asset.loc, 0,
        costs::kAssetCopy,
        {plan::CopyStage{graph.stages[fetched.stage].name, asset.path.value, asset.path.value, ""}},
        {"models"}); // baked content, like a model
    copy.consumesStage = fetched.stage;
    addEdge(graph, fetched.fetch, copy.id);
  }
}

} // namespace imageplan::planner
