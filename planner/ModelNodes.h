// Every node a model makes: a baked model's own stage with its download, the
// runtime's copy of it, and the empty folder the runtime gets for a model it
// downloads when it runs.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/PythonBaseStage.h"
#include "planner/StageAnchors.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

/// A baked model's stage and the download the runtime copies from it.
struct ModelStage {
  const dsl::ModelSpec *model = nullptr;
  unsigned stage = 0;
  unsigned download = 0;
};

/// True when `model` can download in the Python base stage: on the runtime's
/// base, with nothing that stage does not install (`installed`, sorted).
bool downloadsOnPythonBase(const GraphInputs &in, const dsl::ModelSpec &model,
                           const std::vector<std::string> &installed);

/// The stage `model-<slug>` that downloads `model` (bake: true): from the
/// Python base stage when there is one that has all its download needs.
ModelStage addModelStage(BuildGraph &graph, const GraphInputs &in, const dsl::ModelSpec &model,
                         const std::optional<PythonBase> &pythonBase);

/// One copy into the runtime per baked model, after its download.
void addModelCopies(BuildGraph &graph, const StageAnchors &runtime,
                    const std::vector<ModelStage> &models);

/// The folder of each model that is not baked, owned by the runtime user.
void addModelDirs(BuildGraph &graph, const GraphInputs &in, const StageAnchors &runtime);

/// The revision a baked model is downloaded at: the commit the lock pins for
/// its `revision` (default main), else that revision as written.
std::string modelRevision(const GraphInputs &in, const dsl::ModelSpec &model);

/// HF_HOME of an image whose models are fetched at run time: the path of the
/// first model that is not baked (a volume), or "" when every model is baked.
std::string hubHome(const dsl::Spec &spec);

} // namespace imageplan::planner
