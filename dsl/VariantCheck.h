// The rules of `variants`: unique build arguments that are not Docker's or
// imageplan's own, values that are unique and include the default, at most
// one variant that selects the base, and what each value selects fitting the
// spec's Python manager.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

namespace imageplan::dsl {

/// Build arguments Docker predefines or imageplan declares itself.
inline constexpr const char *kReservedBuildArgs[] = {
    "HF_ENDPOINT",   "TARGETPLATFORM", "TARGETOS",  "TARGETARCH",   "TARGETVARIANT",
    "BUILDPLATFORM", "BUILDOS",        "BUILDARCH", "BUILDVARIANT", "HTTP_PROXY",
    "HTTPS_PROXY",   "FTP_PROXY",      "NO_PROXY",  "ALL_PROXY"};

void checkVariants(readers::DiagnosticEngine &diags, const Spec &spec);

} // namespace imageplan::dsl
