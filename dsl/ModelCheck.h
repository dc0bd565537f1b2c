// The checks of a `models:` entry that relate its download settings to each
// other and to `bake` (internal to dsl/, called by checkSpec).
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

namespace imageplan::dsl {

/// Reports download settings on a model that is not baked, settings the
/// chosen downloader does not have, and hf_transfer with a huggingface_hub
/// that no longer uses it.
void checkModelDownloads(readers::DiagnosticEngine &diags, const Spec &spec);

/// The huggingface_hub release a baked model's stage installs.
std::string hubVersion(const ModelSpec &model);

/// True when the model is downloaded with the standard library only.
bool usesUrllib(const ModelSpec &model);

} // namespace imageplan::dsl
