// The compiler pipeline every subcommand runs: read the spec, parse and check
// it, read the history it asks for, plan it, and settle the output options
// (the dialect) the backends get. Diagnostics go through the engine.
#pragma once

#include "backends/Backend.h"
#include "dsl/Lock.h"
#include "planner/Plan.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::driver {

/// What every subcommand that compiles a spec takes from the command line.
struct CompileOptions {
  std::string specPath;
  std::string contextDir; // --context; empty: the spec's folder
  std::string baseImage;  // --base-image
  std::string dialect;    // --dialect; empty: the spec's, else buildkit
  std::optional<unsigned> history; // --history[=N]; nothing: the spec's `history:`
  std::string cacheRef; // --cache-ref; empty: the spec's `cache.ref`
  std::string lockPath{}; // --lock; empty: imageplan.lock beside the spec, when there is one
  bool noLock = false;  // --no-lock: plan as if there were none
  bool reportPins = false;    // gen, check: warn about what the lock leaves unpinned
  bool lockMustMatch = false; // gen --check: a stale lock (pins or rates) is an error
  /// Plan with default change rates whatever the spec asks, running no git
  /// (the fuzzers, which must not spawn a process per input).
  bool ignoreHistory = false;
};

/// A spec compiled into a plan, what the backends are told, and the files
/// read on the way.
struct Compiled {
  plan::Plan plan;
  backends::Options output;
  std::vector<std::string> filesRead; // besides the spec, in first-read order
  std::optional<dsl::Lock> lock;      // the lock the plan used
  dsl::Spec spec;                     // checked; its locations live in the engine
};

/// The lock file `options` name: --lock, else imageplan.lock in the spec's
/// folder.
std::string lockPathOf(const CompileOptions &options);

/// The build context: --context, else the spec's folder.
std::string contextDirOf(const CompileOptions &options);

/// The spec a command line names: `path` itself, or `path`/imageplan.yaml
/// when `path` is a folder (`imageplan gen services/api`).
std::string specPathFor(llvm::StringRef path);

/// Parse, check and plan the spec at `options.specPath`. On failure every
/// diagnostic is printed and the returned error carries nothing more. With
/// `graphDot`, the dependency graph is also rendered there as Graphviz DOT.
llvm::Expected<Compiled> compileSpec(readers::DiagnosticEngine &diags,
                                     const CompileOptions &options,
                                     std::string *graphDot = nullptr);

/// compileSpec() for a spec already held in buffer `bufferId` of the engine
/// (a spec read from git, say); `options.specPath` stands for its location on
/// disk: the build context defaults to its folder, and generated text names it.
llvm::Expected<Compiled> compileSpecBuffer(readers::DiagnosticEngine &diags, unsigned bufferId,
                                           const CompileOptions &options,
                                           std::string *graphDot = nullptr);

/// compileSpec(), printing the diagnostics' summary either way; std::nullopt
/// on failure (everything already reported).
std::optional<Compiled> compileAndReport(readers::DiagnosticEngine &diags,
                                         const CompileOptions &options,
                                         std::string *graphDot = nullptr);

} // namespace imageplan::driver
