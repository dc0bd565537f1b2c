// Whole-spec checks for specs that are well-formed but cannot be meant:
// system directories as the workdir, as directories the app user owns or as
// copy destinations, and image references that name a stage of the plan.
// Part of checkSpec (Parser.h); internal to dsl/.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

namespace imageplan::dsl {

void checkSanity(readers::DiagnosticEngine &diags, const Spec &spec);

} // namespace imageplan::dsl
