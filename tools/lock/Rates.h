// Change rates measured from the repository's history and kept in the lock
// (`imageplan tune`), and the check that they still hold (`gen --check`).
#pragma once

#include "dsl/Lock.h"
#include "dsl/Spec.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"
#include "tools/lock/LockFile.h"

#include "llvm/Support/Error.h"

namespace imageplan::lock {

/// The rate of every step of `spec` that reads context files, measured over
/// the last `window` commits of the repository holding `contextDir`.
/// `options` are the plan options the spec compiles with (its base); their
/// history and lock are ignored. Errors: no repository, a graph that fails.
llvm::Expected<Rates> measureRates(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                   planner::PlanOptions options, llvm::StringRef contextDir,
                                   unsigned window, double tolerance);

/// Re-measures the lock's rates over its own window and reports, as errors
/// of a stale lock at each rate, those that moved by more than its
/// tolerance. A history shorter than the one measured (a shallow clone)
/// gets a warning and no check. Returns false when it reported an error.
bool checkRatesCurrent(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                       const planner::PlanOptions &options, llvm::StringRef contextDir,
                       const dsl::Lock &lock);

} // namespace imageplan::lock
