// The output formats imageplan can write from a plan. Each backend is one entry
// in the registry (see Registry.cpp); backends see only the plan.
#pragma once

#include "planner/Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::backends {

struct Backend {
  const char *name;            // what --emit takes: "dockerfile"
  const char *defaultFileName; // where gen writes it by default: "Dockerfile"
  std::string (*emit)(const plan::Plan &plan);
};

/// Every backend, in a fixed order.
llvm::ArrayRef<Backend> allBackends();
/// The backend called `name`, or nullptr.
const Backend *findBackend(llvm::StringRef name);

std::string emitDockerfile(const plan::Plan &plan);
std::string emitDockerignore(const plan::Plan &plan);
/// `imageplan explain`: the plan with its costs, rates and reasons.
std::string emitExplain(const plan::Plan &plan);
std::string emitExplainJson(const plan::Plan &plan);

} // namespace imageplan::backends
