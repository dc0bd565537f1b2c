// `imageplan diff`: what changes in the plan between two specs (or between a
// spec and its version at a git revision), and the cache impact, as text or
// as Markdown for a review comment.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace imageplan::driver {

struct DiffOptions {
  std::string oldSpec;     // without --git: the old spec's path
  std::string newSpec;     // the new spec's path
  std::string gitRevision; // --git REV: the old spec is newSpec as of REV
  std::string format = "text"; // text or markdown
};

/// Prints the diff to `out`, diagnostics to `err`; returns the exit code.
int runDiff(const DiffOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace imageplan::driver
