// The work of one instruction as the cost table adds it up, shared by
// InstructionCost.cpp (commands it prices itself) and BuildToolCost.cpp
// (commands that hand their work to a Makefile or a script of the build
// context). Internal to the analysis library.
#pragma once

#include "analysis/InstructionCost.h"

#include "planner/Costs.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::analysis {

/// What a build tool or script costs when what it runs cannot be read: as
/// much as the plan's own dependency install from a lock file, the largest
/// install it prices short of a wheel build. Conservative on purpose: a
/// Dockerfile that reinstalls everything behind `make install` must not look
/// cheaper than one that says what it installs.
inline constexpr double kOpaqueInstall = planner::costs::kLockedDependencies;

/// Nesting depth of scripts, `bash -c` and Makefile recipes priced inside
/// one another before the rest is taken as unknown work.
inline constexpr int kMaxScriptDepth = 4;

struct CostWork {
  double seconds = 0;
  std::vector<std::string> labels; // in first-seen order
  bool unknown = false;            // a command was not recognised
  std::vector<std::string> notes;

  void add(double cost, const std::string &label, bool unrecognised = false);
  /// Adds `inner`, the work of a build tool or script, under one label:
  /// "make install: pip install -r requirements.txt".
  void addNested(const std::string &label, const CostWork &inner);
};

/// InstructionCost.cpp: prices the simple commands of `script` into `work`.
void addScript(llvm::StringRef script, CostWork &work, const CostContext &context, int depth);

/// BuildToolCost.cpp: when `words` (from the program on) run make, another
/// task runner, or a script of the build context, adds what they run to
/// `work` and returns true.
bool addBuildTool(llvm::ArrayRef<std::string> words, CostWork &work, const CostContext &context,
                  int depth);

} // namespace imageplan::analysis
