// What every node builder of the graph reads and none changes: the spec, the
// base images it resolves to, and where its Python comes from. Decided once,
// before the first node exists.
#pragma once

#include "dsl/Lock.h"
#include "dsl/ProjectDependencies.h"
#include "dsl/Spec.h"
#include "planner/Base.h"
#include "readers/Diagnostics.h"

#include <string>
#include <vector>

namespace imageplan::planner {

struct PlanOptions;

/// The variant that selects the base: its build argument, default, and the
/// base of each value (all of one distribution, so one plan fits them all).
struct BaseVariant {
  std::string arg;
  std::string defaultValue;
  std::vector<std::pair<std::string, BaseImages>> bases; // per value, in spec order
  bool develDiffers = false; // some value's builder image is not its runtime image
};

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
  std::string baseOverride;   // a test's stand-in for every base image, or ""
  const dsl::Lock *lock = nullptr;
  /// `environment: base`: pip installs into the base image's environment at
  /// `basePrefix` (it ships the interpreter); no venv is made.
  bool baseEnvironment = false;
  std::string basePrefix = {};
  /// A pip project's declared dependencies (`project_dependencies`), read
  /// from its manifest by the driver; null when there are none to install.
  const dsl::ProjectRequirements *projectRequirements = nullptr;
  /// `system.repositories`, resolved against the base (RepositoryNodes.h).
  std::vector<plan::AptSource> aptSources = {};
  std::optional<BaseVariant> baseVariant = {};

  bool hasPython() const { return spec.python.has_value(); }
  /// What the runtime, model and asset stages start FROM: the base, or the
  /// variant's alias stage for the chosen value (`base-${BACKEND}`).
  std::string runtimeFrom() const;
  /// The same for the builder (`builder-base-${BACKEND}` when it differs).
  std::string develFrom() const;
  /// The uv image the managed CPython and the uv binary come from.
  std::string uvImage() const;
  /// `index_urls`, else the index the table derives for a pinned torch on a
  /// CUDA base (dsl/CompatCheck.h).
  std::vector<std::string> indexUrls() const;
  std::vector<std::string> constraintFiles() const;
  /// Where pip installs: the venv, /opt/venv, or the base image's environment.
  std::string envPrefix() const;
  /// True with `installer: uv`: uv's pip interface installs what pip would.
  bool uvInstaller() const;
  /// Sets the installer of a pip install of the venv or environment at
  /// `prefix`: uv and its index strategy, or pip.
  void useInstaller(plan::PipInstall &op, llvm::StringRef prefix) const;
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
