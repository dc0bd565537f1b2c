// The replay model behind `imageplan score`: which instructions of a
// Dockerfile each past commit would have invalidated, and what rebuilding
// them costs per commit on average, beside the lower bound where each step
// rebuilds only when its own inputs change. docs/score.md describes the model.
#pragma once

#include "analysis/InstructionCost.h"
#include "planner/History.h"
#include "readers/Diagnostics.h"
#include "readers/DockerfileParser.h"
#include "readers/DockerignoreMatcher.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::analysis {

/// One instruction that builds a layer (RUN, COPY, ADD) and its replay.
struct ScoredInstruction {
  unsigned line = 0;
  std::string summary;  // InstructionEstimate::summary
  double cost = 0;      // seconds to rebuild it
  unsigned invalidated = 0; // commits that invalidate its cache
  unsigned ownChanges = 0;  // commits that change what it reads itself
  std::vector<std::string> notes; // InstructionEstimate::notes
};

struct ScoredStage {
  std::string name; // DockerfileStage::label()
  std::string base;
  /// False for a stage the last stage does not need: BuildKit builds only
  /// the target (by default the last stage) and what it needs, so such a
  /// stage is replayed and listed but left out of the totals.
  bool built = true;
  std::vector<ScoredInstruction> instructions;
};

struct Score {
  unsigned commits = 0; // replayed
  std::vector<ScoredStage> stages; // in Dockerfile order

  /// Seconds per commit: sum of cost * invalidated / commits over the
  /// stages that are built.
  double expectedSeconds() const;
  /// Seconds per commit if each instruction rebuilt only when its own
  /// inputs changed: sum of cost * ownChanges / commits.
  double lowerBoundSeconds() const;
};

double expectedSeconds(const ScoredInstruction &inst, unsigned commits);
double lowerBoundSeconds(const ScoredInstruction &inst, unsigned commits);
double expectedSeconds(const ScoredStage &stage, unsigned commits);

/// Replays `history` over `dockerfile`. `ignore` (may be null) is the
/// .dockerignore: files it excludes are not in the build context, so their
/// changes invalidate nothing. `readContext` reads the build context's files
/// today (a Makefile that a RUN runs; empty: none can be read).
Score scoreDockerfile(const readers::Dockerfile &dockerfile,
                      const readers::DockerignoreMatcher *ignore, const planner::History &history,
                      const ContextFileReader &readContext = {});

/// Parses the Dockerfile in buffer `bufferId` and the .dockerignore in buffer
/// `ignoreId` (0: none) of the engine, then replays `history` over them.
/// std::nullopt after reporting what could not be parsed.
std::optional<Score> scoreDockerfileBuffers(readers::DiagnosticEngine &diags, unsigned bufferId,
                                            unsigned ignoreId, const planner::History &history,
                                            const ContextFileReader &readContext = {});

/// Reads the files of the build context at `contextDir`: a path that leaves
/// it, or is not a regular file, reads as nothing.
ContextFileReader contextFileReader(llvm::StringRef contextDir);

/// The .dockerignore BuildKit uses with `dockerfile`: `<dockerfile>.dockerignore`
/// beside it, else the context's `.dockerignore`; "" when there is neither.
std::string ignoreFileFor(llvm::StringRef dockerfile, llvm::StringRef contextDir);

/// True when `file` (context-relative) is read by a COPY/ADD source or a bind
/// mount source written as `source`: the same path, a path under it, the
/// context root, or a glob that matches it or one of its directories.
bool sourceReads(llvm::StringRef source, llvm::StringRef file);

} // namespace imageplan::analysis
