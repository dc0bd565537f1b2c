// What the builder compiles and the stages that serve a venv: the stage
// holding the pins' constraints file, poetry's own stage, the build tools
// and wheel build, and the split of a builder venv into the pins and what
// installs after them (builder-venv), which the runtime copies as two layers.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/StageAnchors.h"

#include <optional>
#include <vector>

namespace imageplan::planner {

/// The stage `python-pins` holding the pins' constraints file, first of all
/// stages (every pip install of the venv mounts the file from it); nothing
/// when nothing is pinned.
std::optional<unsigned> addPinsStage(BuildGraph &graph, const GraphInputs &in);

/// The stage `poetry` with poetry in a venv of its own, on the runtime's
/// base with the runtime's Python, for a venv built in the runtime: the
/// install bind-mounts it, so poetry is in no layer of the image.
unsigned addPoetryStage(BuildGraph &graph, const GraphInputs &in);

/// The builder's build requirements and `pip wheel` of `python.build`, after
/// its system packages, interpreter and pins. Returns the wheel build.
unsigned addWheelBuild(BuildGraph &graph, const GraphInputs &in, const StageAnchors &builder);

/// The stage `builder-venv` (FROM builder) that the later installs of a split
/// venv go into.
unsigned addBuilderVenvStage(BuildGraph &graph, const GraphInputs &in);

/// In builder-venv, after every one of `installs`: the files they added to
/// the venv, gathered for the runtime's second venv layer.
unsigned addVenvSplit(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                      const std::vector<unsigned> &installs);

/// The runtime's copy of the builder's venv: whole, or with a split venv its
/// pins (from builder, changing only with the layers up to them) and then
/// what installs after them (from builder-venv). After the interpreter its
/// links point to.
void addVenvCopies(BuildGraph &graph, const GraphInputs &in, const StageAnchors &runtime,
                   const StageAnchors &builder);

} // namespace imageplan::planner
