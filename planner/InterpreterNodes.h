// The nodes that give a stage its Python: the venv at /opt/venv with the
// interpreter it is made from, or, where the runtime copies the builder's
// venv whole, that copy and the interpreter its links point to.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"

#include <optional>

namespace imageplan::planner {

/// The node that gives `stage` a venv at /opt/venv; `withHeaders` adds the
/// C headers wheels compile against. None with `environment: base`, where
/// the base image's environment is used as it is.
std::optional<unsigned> addInterpreter(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                                       bool withHeaders);

/// The interpreter alone, for a runtime that copies its venv from the builder
/// (`builderStage`): the same python3 at the same path the venv's links point
/// to. None on an image that ships Python.
std::optional<unsigned> addBareInterpreter(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                                           unsigned builderStage);

/// The builder's venv, copied whole into `stage` after its interpreter.
unsigned addVenvCopy(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                     std::optional<unsigned> interpreter, unsigned builderStage);

} // namespace imageplan::planner
