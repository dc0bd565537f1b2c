// The lock applied to a finished plan (docs/lock.md): every image tag the
// lock resolved becomes `tag@digest`, and what it leaves unpinned (image
// tags, model revisions that can move) or holds for nothing the spec uses is
// reported: as warnings for gen and check, as errors of a stale lock for
// gen --check. Model commits are applied while the graph is built
// (ModelNodes.h), rates by applyLockedRates (History.h).
#pragma once

#include "dsl/Spec.h"
#include "planner/Plan.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"

namespace imageplan::planner {

/// Pins `plan`'s images with `options.lock` and reports as `options` asks.
void applyLockToPlan(readers::DiagnosticEngine &diags, plan::Plan &plan, const dsl::Spec &spec,
                     const PlanOptions &options);

/// Where the spec asks for image `ref` (for a message about it): the key
/// that names it, else the base.
llvm::SMLoc imageOrigin(const dsl::Spec &spec, llvm::StringRef ref);

} // namespace imageplan::planner
