// What every node builder of the graph reads and none changes: the spec, the
// base images it resolves to, and where its Python comes from. Decided once,
// before the first node exists.
#pragma once

#include "dsl/Lock.h"
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
  std::string baseOverride;   // a test's stand-in for every base image, or ""
  const dsl::Lock *lock = nullptr;

  bool hasPython() const { return spec.python.has_value(); }
  /// The uv image the managed CPython and the uv binary come from.
  std::string uvImage() const;
  std::vector<std::string> indexUrls() const;
  std::vector<std::string> constraintFiles() const;
  /// The user the runtime runs as: "" for root.
  std::string runtimeUser() const;
  /// The commit the lock pins model `id` at `revision` to, or null.
  const std::string *lockedCommit(llvm::StringRef id, llvm::StringRef revision) const;
};

/// Resolves the base (or `options.baseOverride`) and checks the spec's Python
/// version against what it ships, reporting a version no source can provide
/// through `diags`.
GraphInputs graphInputs(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                        const PlanOptions &options);

} // namespace imageplan::planner
