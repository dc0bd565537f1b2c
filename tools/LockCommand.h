// `imageplan lock` and `imageplan tune`: write imageplan.lock (docs/lock.md)
// with what the spec's image tags and model revisions resolve to now, and,
// for tune (or lock --history), the change rates measured from git history.
#pragma once

#include "tools/Compile.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::driver {

struct LockOptions {
  CompileOptions compile;        // the spec, its context and base override
  std::string outputFile;        // -o; default: imageplan.lock beside the spec
  std::vector<std::string> pins; // --pin IMAGE=sha256:... or ID@REVISION=COMMIT
  std::string resolver = "auto"; // --resolver
  std::string hubEndpoint;       // --hub-endpoint; default $HF_ENDPOINT, else huggingface.co
  std::string hubTokenFile;      // --hub-token-file; default $HF_TOKEN
  std::optional<unsigned> history; // tune, lock --history: measure rates over N commits
  std::optional<double> tolerance; // --tolerance for gen --check of the rates
  bool ratesOnly = false;          // tune: keep the pins, measure the rates
};

/// Writes the lock; diagnostics to `err`. Nothing is written when anything
/// cannot be resolved. Returns the exit code.
int runLock(const LockOptions &options, llvm::raw_ostream &err);

} // namespace imageplan::driver
