// What the bake and CI backends share: the images a plan builds, the build
// secrets their RUNs mount, and how images, caches and registries are named.
// Internal to backends/.
#pragma once

#include "planner/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::backends {

/// One image of the plan: a stage with runtime metadata (the runtime stage,
/// or each of the spec's targets).
struct ImageTarget {
  std::string stage;                 // what `--target` builds; the bake target's name
  const plan::RuntimeConfig *runtime; // its labels
};

/// The plan's images, in plan order.
std::vector<ImageTarget> imageTargets(const plan::Plan &plan);

/// The repository the images are pushed to: the spec's publish.image, else
/// its name.
std::string imageRepository(const plan::Plan &plan);

/// The build secrets the plan's RUNs mount, in first-use order.
std::vector<std::string> buildSecrets(const plan::Plan &plan);

/// The environment variable a build secret is read from: HF_TOKEN for
/// hf_token (uppercase, '_' for any character but letters and digits).
std::string secretEnvName(llvm::StringRef secretId);

/// The registry a repository lives in: its first component when that names
/// a host (has a '.' or ':', or is localhost), else Docker Hub, "docker.io".
std::string registryHost(llvm::StringRef repository);

} // namespace imageplan::backends
