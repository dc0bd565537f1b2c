// The metadata of an image that runs (the runtime stage, or a target built
// on it): user, ports, command, OCI labels and the health-check probe.
#pragma once

#include "planner/GraphInputs.h"
#include "planner/Plan.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::planner {

/// Health-check start periods when the spec gives none and the image has
/// models: one baked in loads; one fetched on first start downloads first.
inline constexpr const char *kBakedModelStartPeriod = "2m";
inline constexpr const char *kFetchedModelStartPeriod = "10m";

/// The app's metadata, or `target`'s where it says more (null: the app's
/// alone). Reports an http health check that cannot run in the image.
plan::RuntimeConfig runtimeConfig(readers::DiagnosticEngine &diags, const GraphInputs &in,
                                  const dsl::TargetSpec *target);

/// Seconds in a duration the DSL has checked (30s, 1m30s, 500ms), as the
/// shortest decimal text: "30", "90", "0.5".
std::string secondsText(llvm::StringRef duration);

} // namespace imageplan::planner
