// What every node builder of the graph reads and none changes: the spec, the
// base images it resolves to, and where its Python comes from. Decided once,
// before the first node exists.
#pragma once

#include "dsl/Spec.h"
#include "planner/Base.h"
#include "readers/Diagnostics.h"

#include <string>
#include <vector>

namespace imageplan::planner {

struct PlanOptions;

struct GraphInputs {
  const dsl::Spec &spec;
  BaseImages base; // with the spec's `system.manager` applied
  /// A Python version the base does not ship, installed by uv; "" otherwise.
  std::string managedPython;
  bool venvInBuilder = false; // the venv is built in the builder stage
  /// The constraints file of the pins (dsl/Pins.h), one line each: read by
  /// every pip install of the venv and by the wheel build. Empty: no file
  /// (nothing installs after the pins, or no pip venv).
  std::vector<std::string> pinLines;
  /// The venv built in the builder reaches the runtime in two layers: the
  /// pins (torch), then what installs after them, from builder-venv.
  bool splitVenv = false;
  /// Poetry comes from a stage of its own and is bind-mounted for the
  /// install, so that it never becomes part of a runtime-built venv's image.
  bool poetryStage = false;

  bool hasPython() const { return spec.python.has_value(); }
  /// The uv image the managed CPython and the uv binary come from.
  std::string uvImage() const;
  /// `index_urls`, else the index the table derives for a pinned torch on a
  /// CUDA base (dsl/CompatCheck.h).
  std::vector<std::string> indexUrls() const;
  std::vector<std::string> constraintFiles() const;
  /// The user the runtime runs as: "" for root.
  std::string runtimeUser() const;
};

/// Resolves the base (or `options.baseOverride`) and checks the spec's Python
/// version against what it ships, reporting a version no source can provide
/// through `diags`.
GraphInputs graphInputs(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                        const PlanOptions &options);

} // namespace imageplan::planner
