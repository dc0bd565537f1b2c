// The Python dependency nodes of a venv: the pins, requirement files,
// packages with options of their own, the uv or poetry manager with the
// locked dependencies, the install of the builder's wheels, and the app
// installed as a package. Every pip install reads the pins' constraints
// file. The venv itself is InterpreterNodes.h; what the builder compiles and
// the stages that serve the venv (pins, poetry, builder-venv) BuildNodes.h.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/StageAnchors.h"

#include <optional>
#include <vector>

namespace imageplan::planner {

/// A pip install of `packages` into the venv, with the spec's indexes and
/// constraints files and the pins' constraints file.
plan::PipInstall pipInstallOp(const GraphInputs &in, std::vector<std::string> packages);

/// What the venv (or the base image's environment) starts with where it is
/// built, after that stage's interpreter and system packages: a conda
/// environment file, the pins (`packages`) and a variant's packages, in that
/// order; with `installer: uv` the uv binary too (set as `where.installer`).
/// With `record`, what they installed is recorded for the split
/// (RecordVenv). Returns the last of them: what later installs come after.
std::optional<unsigned> addPins(BuildGraph &graph, const GraphInputs &in, StageAnchors &where,
                                bool record);

/// What installs into the venv after its pins, in the stage of `where` (with
/// its `pins` anchor when they are in the same stage): the wheels `builder`
/// built (installed before anything else can ask for them), requirement
/// files, a pip project's declared dependencies, packages with options, and
/// the uv or poetry lock. With `frozen` they also read the pins' freeze.
/// Returns their nodes.
std::vector<unsigned> addLaterInstalls(BuildGraph &graph, const GraphInputs &in,
                                       const StageAnchors &where, const StageAnchors *builder,
                                       bool frozen);

/// The app as a package (`project`), when the spec installs one: after every
/// Python dependency and every app copy of the runtime. None otherwise.
std::optional<unsigned> addProjectInstall(BuildGraph &graph, const GraphInputs &in,
                                          const StageAnchors &runtime);

} // namespace imageplan::planner
