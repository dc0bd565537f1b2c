// Turns a checked spec into a build plan: builds the dependency graph, orders
// each stage's steps by expected rebuild work, assigns stages and merges
// adjacent steps into layers.
#pragma once

#include "dsl/Lock.h"
#include "dsl/ProjectDependencies.h"
#include "dsl/Spec.h"
#include "planner/History.h"
#include "planner/Plan.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace imageplan::planner {

struct PlanOptions {
  /// Overrides the base image of every stage (tests that build for real use a
  /// local image instead of CUDA bases that cannot be pulled).
  std::string baseOverride;
  /// Measured history: nodes that read build-context files get the rate at
  /// which those files changed, and ordering replays these commits.
  const History *history = nullptr;
  /// Overrides the spec's `cache.ref` (`--cache-ref`).
  std::string cacheRef;
  /// imageplan.lock: image digests, model commits and, when no history is
  /// given, measured rates (docs/lock.md).
  const dsl::Lock *lock = nullptr;
  /// gen and check: warn about every image tag and model revision left
  /// unpinned, and lock entries the spec no longer uses.
  bool reportPins = false;
  /// gen --check: a lock that does not cover the spec (or holds entries it
  /// does not use) is an error: the lock is stale.
  bool lockMustMatch = false;
  /// A pip project's declared dependencies (dsl::readProjectRequirements),
  /// installed in a layer of their own.
  std::optional<dsl::ProjectRequirements> projectRequirements;
};

/// Builds the plan. Errors found here (dependency cycles, python versions a base
/// cannot provide) are reported through `diags` before the error is returned.
llvm::Expected<plan::Plan> buildPlan(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                     const PlanOptions &options = {});

} // namespace imageplan::planner
