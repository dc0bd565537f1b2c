// Every node an asset makes (`assets`): its own stage, on the runtime's base,
// with the tools it needs and the fetch (a download checked against its
// sha256, or a git checkout at a commit), and the runtime's copy of it. Like
// a model, an asset builds in parallel and never invalidates the app.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/StageAnchors.h"

#include <vector>

namespace imageplan::planner {

/// An asset's stage and the fetch the runtime copies from it.
struct AssetStage {
  const dsl::AssetSpec *asset = nullptr;
  unsigned stage = 0;
  unsigned fetch = 0;
};

/// The stage `asset-<name>` that fetches `asset`.
AssetStage addAssetStage(BuildGraph &graph, const GraphInputs &in, const dsl::AssetSpec &asset);

/// One copy into the runtime per asset, after its fetch.
void addAssetCopies(BuildGraph &graph, const StageAnchors &runtime,
                    const std::vector<AssetStage> &assets);

} // namespace imageplan::planner
