// The fixed Python program that downloads a Hugging Face model snapshot in a
// RUN. It reads its parameters from the environment, so no user data is ever
// part of the program text.
#pragma once

#include "llvm/ADT/ArrayRef.h"

namespace imageplan::backends {

/// The program, one source line per element, without line breaks. No line
/// contains a single quote, so shell-quoting a line never needs '\''.
///
/// Environment: IMAGEPLAN_MODEL_REPO, IMAGEPLAN_MODEL_REVISION,
/// IMAGEPLAN_MODEL_DIR, optional IMAGEPLAN_TOKEN_FILE and HF_ENDPOINT.
llvm::ArrayRef<const char *> modelDownloadProgram();

} // namespace imageplan::backends
