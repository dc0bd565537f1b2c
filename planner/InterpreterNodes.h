// The nodes that give a stage its Python: the venv at /opt/venv with the
// interpreter it is made from, or, where the runtime copies the builder's
// venv whole, that copy and the interpreter its links point to.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"

#include <optional>
#include <string>
#include <vector>

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

/// The distribution packages the runtime's interpreter node installs: the
/// interpreter, and its venv module unless the venv comes from the builder.
/// Empty where the image ships Python, uv manages it, or the base's
/// environment is used.
std::vector<std::string> runtimeInterpreterPackages(const GraphInputs &in);

/// The runtime's interpreter node on a stage whose packages the shared Python
/// base stage installed already (ModelNodes.h): the venv made from it, or
/// nothing when the venv is copied from the builder.
std::optional<unsigned> addInterpreterOnPythonBase(BuildGraph &graph, const GraphInputs &in,
                                                   unsigned stage);

/// The builder's venv, copied whole into `stage` after its interpreter.
unsigned addVenvCopy(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                     std::optional<unsigned> interpreter, unsigned builderStage);

} // namespace imageplan::planner
