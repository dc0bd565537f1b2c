// `imageplan explain` and `imageplan graph`: the plan and the dependency graph
// behind a spec, for people and tools.
#pragma once

#include "tools/Compile.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace imageplan::driver {

struct ExplainOptions {
  CompileOptions compile;
  std::string format; // explain: "text" (default) or "json"
};

/// Prints the explanation of every stage and layer to `out`.
int runExplain(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);
/// Prints the dependency graph as Graphviz DOT to `out`.
int runGraph(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace imageplan::driver
