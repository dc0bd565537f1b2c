// The rules of `assets` that relate keys and entries: a source (a URL with
// its sha256, or a git repository at a commit), keys that belong to the
// other source, and names and paths that must be unique.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

namespace imageplan::dsl {

void checkAssets(readers::DiagnosticEngine &diags, const Spec &spec);

} // namespace imageplan::dsl
