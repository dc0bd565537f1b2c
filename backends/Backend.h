// The output formats imageplan can write from a plan. Each backend is one entry
// in the registry (see Registry.cpp); backends see only the plan, and the
// options say which engine the output is for.
#pragma once

#include "backends/DialectRules.h"
#include "planner/Plan.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::backends {

/// What every backend is told besides the plan.
struct Options {
  Dialect dialect = Dialect::BuildKit; // the engine the output is for
};

struct Backend {
  const char *name;            // what --emit takes: "dockerfile"
  const char *defaultFileName; // where gen writes it by default: "Dockerfile"
  std::string (*emit)(const plan::Plan &plan, const Options &options);
};

/// Every backend, in a fixed order.
llvm::ArrayRef<Backend> allBackends();
/// The backend called `name`, or nullptr.
const Backend *findBackend(llvm::StringRef name);

std::string emitDockerfile(const plan::Plan &plan, const Options &options = {});
std::string emitDockerignore(const plan::Plan &plan, const Options &options = {});
/// `imageplan explain`: the plan with its costs, rates and reasons.
std::string emitExplain(const plan::Plan &plan, const Options &options = {});
std::string emitExplainJson(const plan::Plan &plan, const Options &options = {});
/// docker-bake.hcl: one buildx bake target per image, with its registry cache.
std::string emitBake(const plan::Plan &plan, const Options &options = {});
/// A GitHub Actions workflow that builds the bake file's images with buildx.
std::string emitCiWorkflow(const plan::Plan &plan, const Options &options = {});

/// One stage of the Dockerfile as `imageplan diff` compares it: the
/// instructions BuildKit's cache sees, without comments or blank lines.
struct DockerfileStageText {
  std::string header;              // FROM, SHELL, ARG and the stage's ENV block (the
                                   // first stage's after the plan's global ARGs)
  std::vector<std::string> layers; // each layer's instructions, in plan order
  std::string settings;            // the image settings after the last layer
};
/// The Dockerfile of `plan`, stage by stage (in plan order).
std::vector<DockerfileStageText> dockerfileStages(const plan::Plan &plan,
                                                  const Options &options = {});

} // namespace imageplan::backends
