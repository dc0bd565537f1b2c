// The imageplan subcommands, one function each. imageplan.cpp parses the
// command line into these option structs; everything else happens here.
#pragma once

#include "planner/Plan.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::driver {

struct GenOptions {
  std::string specPath;
  std::vector<std::string> emit; // backend names; empty means {"dockerfile"}
  std::string outputFile;        // -o; "-" is stdout
  std::string outputDir;         // --output-dir
  std::string contextDir;        // --context; empty: the spec's folder
  bool writeIfChanged = false;
  std::string depfile;
  std::string checkFile; // --check: compare instead of writing
  std::string baseImage; // --base-image
  std::string dialect;   // --dialect; empty: the spec's, else buildkit
  std::optional<unsigned> history; // --history[=N]: commits to replay
};

struct CheckOptions {
  std::string specPath;
  std::string contextDir;
  std::string dialect;
  std::optional<unsigned> history;
};

/// A spec compiled into a plan, and the files read on the way.
struct Compiled {
  plan::Plan plan;
  std::vector<std::string> filesRead; // besides the spec, in first-read order
};

/// Parse, check and plan the spec at `specPath`, with the build context
/// `contextOption` (empty: the spec's folder) and `historyCommits` (nothing:
/// the spec's `history:`, if any). On failure every diagnostic is printed and
/// the returned error carries nothing more. With `graphDot`, the dependency
/// graph is also rendered there as Graphviz DOT.
llvm::Expected<Compiled> compileSpec(readers::DiagnosticEngine &diags, llvm::StringRef specPath,
                                     llvm::StringRef contextOption,
                                     planner::PlanOptions planOptions,
                                     std::optional<unsigned> historyCommits,
                                     std::string *graphDot = nullptr);

/// compileSpec() for a spec already held in buffer `bufferId` of the engine
/// (a spec read from git, say); `specPath` stands for its location on disk:
/// the build context defaults to its folder, and generated text names it.
llvm::Expected<Compiled> compileSpecBuffer(readers::DiagnosticEngine &diags, unsigned bufferId,
                                           llvm::StringRef specPath,
                                           llvm::StringRef contextOption,
                                           planner::PlanOptions planOptions,
                                           std::optional<unsigned> historyCommits,
                                           std::string *graphDot = nullptr);

/// The planner options from --base-image and --dialect; std::nullopt after
/// reporting an unknown dialect.
std::optional<planner::PlanOptions> planOptionsFor(readers::DiagnosticEngine &diags,
                                                   llvm::StringRef baseImage,
                                                   llvm::StringRef dialect);

/// What every subcommand that compiles a spec takes from the command line.
struct CompileOptions {
  std::string specPath;
  std::string contextDir; // empty: the spec's folder
  std::string baseImage;  // --base-image
  std::string dialect;    // --dialect
  std::optional<unsigned> history;
};

/// planOptionsFor() then compileSpec(), printing the diagnostics' summary
/// either way; std::nullopt on failure (everything already reported).
std::optional<Compiled> compileAndReport(readers::DiagnosticEngine &diags,
                                         const CompileOptions &options,
                                         std::string *graphDot = nullptr);

/// `imageplan gen`: generated text goes to `out` (stdout) or files,
/// diagnostics and messages to `err`. Returns the process exit code.
int runGen(const GenOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

/// `imageplan check`: parse, check and plan; print only diagnostics.
int runCheck(const CheckOptions &options, llvm::raw_ostream &err);

} // namespace imageplan::driver
