// Every output format imageplan can write, one line each. To add a backend,
// write its emit function and add it here.
#include "backends/Backend.h"

namespace imageplan::backends {

static const Backend Backends[] = {
    {"dockerfile", "Dockerfile", emitDockerfile},
    {"dockerignore", ".dockerignore", emitDockerignore},
    {"explain", "explain.txt", emitExplain},
    {"explain-json", "explain.json", emitExplainJson},
    {"bake", "docker-bake.hcl", emitBake},
    {"ci", "imageplan-ci.yml", emitCiWorkflow},
};

llvm::ArrayRef<Backend> allBackends() { return Backends; }

const Backend *findBackend(llvm::StringRef name) {
  for (const Backend &backend : Backends)
    if (name == backend.name)
      return &backend;
  return nullptr;
}

} // namespace imageplan::backends
