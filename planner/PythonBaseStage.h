// The stage `runtime-base`: the runtime's Python installed once, for the
// runtime and every stage that starts from the runtime's own base and needs
// that Python too (the builder, model downloads).
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

/// The stage `runtime-base` that the runtime, the builder and the model
/// stages on the runtime's base start from: it installs the runtime's
/// interpreter packages (with the CA certificates when a model downloads from
/// it) once, where each stage would otherwise install them itself (one more
/// `apt-get update` and install of python3 per stage on a cold build). Made
/// when a baked model downloads on the runtime's base with nothing but those
/// packages, or when the builder makes its Python on the runtime's own base;
/// those stages then install only what they add (the builder its headers and
/// build packages), and the runtime makes only its venv.
struct PythonBase {
  unsigned stage = 0;
  std::vector<std::string> packages; // what it installs, sorted
  bool builder = false;               // the builder starts from it
};
std::optional<PythonBase> addPythonBaseStage(BuildGraph &graph, const GraphInputs &in);

} // namespace imageplan::planner
