// `imageplan score`: replays the repository's last commits over the
// Dockerfile generated from a spec (and over an existing Dockerfile given
// with --dockerfile) and reports how often each layer's cache would have
// been invalidated and the expected rebuild seconds per commit.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace imageplan::driver {

struct ScoreOptions {
  std::string specPath;
  std::string contextDir; // empty: the spec's folder
  std::string dockerfile; // --dockerfile: an existing Dockerfile to score beside it
  unsigned history = 500; // commits to replay
  std::string format = "text"; // text or json
  /// --max-file-size: the cap on the Dockerfile and .dockerignore read, as
  /// written ("32M"); empty: readers::limits::kDockerfile.
  std::string maxFileSize;
};

/// Prints the score to `out`, diagnostics to `err`; returns the exit code.
int runScore(const ScoreOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace imageplan::driver
