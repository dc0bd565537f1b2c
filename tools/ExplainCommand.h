// `imageplan explain` and `imageplan graph`: the plan and the dependency graph
// behind a spec, for people and tools.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace imageplan::driver {

struct ExplainOptions {
  std::string specPath;
  std::string contextDir;
  std::string dialect;
  std::string baseImage;
  std::optional<unsigned> history;
  std::string format; // explain: "text" (default) or "json"
};

/// Prints the explanation of every stage and layer to `out`.
int runExplain(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);
/// Prints the dependency graph as Graphviz DOT to `out`.
int runGraph(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace imageplan::driver
