// The Python dependency nodes of a venv: pinned packages, requirement files,
// packages with options of their own, the uv or poetry manager with the
// locked dependencies, the builder's wheels and their installs, and the app
// installed as a package. The venv itself is InterpreterNodes.h.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/StageAnchors.h"

#include <optional>

namespace imageplan::planner {

/// Every Python dependency, in the stage where the venv is built, after that
/// stage's interpreter and system packages. Returns the pinned packages' node.
std::optional<unsigned> addPythonDependencies(BuildGraph &graph, const GraphInputs &in,
                                              const StageAnchors &where);

/// The builder's build requirements and `pip wheel` of `python.build`, after
/// its system packages, interpreter and pins. Returns the wheel build.
unsigned addWheelBuild(BuildGraph &graph, const GraphInputs &in, const StageAnchors &builder);

/// The built wheels installed into the venv of `where`: in the builder
/// itself (the venv is built there), or through a mount of the builder's
/// /wheels. `builder.wheels` is set.
unsigned addWheelInstall(BuildGraph &graph, const GraphInputs &in, const StageAnchors &where,
                         const StageAnchors &builder);

/// The app as a package (`project`), when the spec installs one: after every
/// Python dependency and every app copy of the runtime. None otherwise.
std::optional<unsigned> addProjectInstall(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &runtime);

} // namespace imageplan::planner
