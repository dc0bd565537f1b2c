// The fixed Python programs behind RecordVenv and SplitVenv: the manifest of
// a venv's files right after its pins were installed, and the copy of what
// was installed after them into a folder of its own. Like the model
// download, they take their parameters as arguments, never as program text.
#pragma once

#include "llvm/ADT/ArrayRef.h"

namespace imageplan::backends {

/// Arguments: the venv, the file to write. One line per file or symbolic
/// link of the venv, `<size> <path relative to the venv>`, sorted.
llvm::ArrayRef<const char *> venvManifestProgram();

/// Arguments: the venv, the manifest, the folder to fill. Exits with a
/// message naming them when files the manifest lists are gone or resized.
llvm::ArrayRef<const char *> venvSplitProgram();

} // namespace imageplan::backends
