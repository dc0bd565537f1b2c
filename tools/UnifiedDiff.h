// A line-based unified diff (Myers' O(ND) algorithm, as `diff -u` prints it),
// used by `gen --check` to show how a committed file differs from what the
// spec generates now.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::driver {

/// The unified diff turning `oldText` into `newText`, with `--- <oldLabel>` and
/// `+++ <newLabel>` headers and `context` unchanged lines around each change;
/// "" when the texts are identical. A last line without a newline is marked
/// `\ No newline at end of file`, as GNU diff does, so the diff applies with
/// `patch` and `git apply`.
std::string unifiedDiff(llvm::StringRef oldText, llvm::StringRef newText,
                        llvm::StringRef oldLabel, llvm::StringRef newLabel,
                        unsigned context = 3);

} // namespace imageplan::driver
