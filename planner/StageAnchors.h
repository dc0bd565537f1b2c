// The nodes of one stage that the nodes added after them hang off. A builder
// asks for "the system packages of this stage" here, and each anchor is set
// by the builder that creates the node, so no builder depends on which other
// builder happened to run first.
#pragma once

#include <optional>

namespace imageplan::planner {

struct StageAnchors {
  unsigned stage = 0;                  // index into BuildGraph::stages
  std::optional<unsigned> system;      // system packages (the builder's build packages)
  std::optional<unsigned> interpreter; // the venv, or the python3 a copied venv links to
  std::optional<unsigned> pins;        // python.packages, where the venv is built
  std::optional<unsigned> wheels;      // the wheel build (builder only)
  std::optional<unsigned> installer;   // the uv binary that runs `pip install` (installer: uv)
  std::optional<unsigned> user;        // the non-root user (runtime only)
  std::optional<unsigned> env;         // the app environment (runtime only)
  std::optional<unsigned> workdir;     // where custom steps and app copies run
};

} // namespace imageplan::planner
