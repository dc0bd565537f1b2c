// Every node a model makes: a baked model's own stage with its download, the
// runtime's copy of it, and the empty folder the runtime gets for a model it
// downloads when it runs.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
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

/// The stage `runtime-base` that the runtime and the model stages on the
/// runtime's base start from: it installs the runtime's interpreter packages
/// and the CA certificates once, where each stage would otherwise install
/// them itself (two `apt-get update`s and two installs of python3 on a cold
/// build). Made only when a baked model downloads on the runtime's base with
/// nothing but those packages; the runtime stage then makes only its venv.
struct PythonBase {
  unsigned stage = 0;
  std::vector<std::string> packages; // what it installs, sorted
};
std::optional<PythonBase> addPythonBaseStage(BuildGraph &graph, const GraphInputs &in);

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
