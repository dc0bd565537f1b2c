// The fixed Python program that downloads a Hugging Face model snapshot in a
// RUN (backends/model_download.py, embedded at build time). It reads its
// parameters from the environment, so no user data is ever part of the
// program text.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace imageplan::backends {

/// The program, one source line per element, without line breaks, comment
/// lines or blank lines. No line contains a single quote, so shell-quoting a
/// line never needs '\''. Its environment is described in model_download.py.
llvm::ArrayRef<llvm::StringRef> modelDownloadProgram();

} // namespace imageplan::backends
