// Build-argument variants (`variants`): the one that selects the base becomes
// a global ARG and one alias stage per value (`FROM <image> AS base-cpu`),
// which the stages start FROM as `base-${BACKEND}`; the ones that select
// packages or extras become an install that switches on the argument,
// declared (ARG) right before it, so every layer before it is shared by all
// values.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/StageAnchors.h"
#include "readers/Diagnostics.h"

#include <optional>
#include <string>

namespace imageplan::planner {

/// `prefix${ARG}`: the alias stage of the value `arg` has at build time.
std::string variantBaseStage(llvm::StringRef prefix, llvm::StringRef arg);

/// The variant that selects the base, its values' bases resolved (each with
/// `override` when given). Reports, at the value, a base of another
/// distribution than the spec's `base`.
std::optional<BaseVariant> resolveBaseVariant(readers::DiagnosticEngine &diags,
                                              const dsl::Spec &spec, const BaseImages &base,
                                              llvm::StringRef override);

/// The global ARG and the alias stages of the base variant, if any; the
/// builder's aliases only when `builder` is built.
void addVariantBaseStages(BuildGraph &graph, const GraphInputs &in, bool builder);

/// The install of the packages each variant selects (pip), in the stage of
/// `where` after its pins; returns the last one, which later installs go
/// on top of, or `where.pins` when there is none.
std::optional<unsigned> addVariantPackages(BuildGraph &graph, const GraphInputs &in,
                                           const StageAnchors &where);

/// The variant whose values select extras of the lock, if any.
const dsl::VariantSpec *extrasVariant(const dsl::Spec &spec);

/// `value` of `variant`, or the default when `value` is empty.
std::string defaultValue(const dsl::VariantSpec &variant);

} // namespace imageplan::planner
