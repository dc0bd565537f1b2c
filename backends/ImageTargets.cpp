// The images a plan builds and their names (see ImageTargets.h).
#include "backends/ImageTargets.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::backends {

std::vector<ImageTarget> imageTargets(const plan::Plan &plan) {
  std::vector<ImageTarget> targets;
  for (const plan::Stage &stage : plan.stages)
    if (stage.runtime)
      targets.push_back({stage.name, &*stage.runtime});
  return targets;
}

std::string imageRepository(const plan::Plan &plan) {
  return plan.publish.image.empty() ? plan.name : plan.publish.image;
}

std::vector<std::string> buildSecrets(const plan::Plan &plan) {
  std::vector<std::string> secrets;
  for (const plan::Stage &stage : plan.stages)
    for (const plan::Layer &layer : stage.layers)
      for (const plan::Op &op : layer.ops)
        if (const auto *download = std::get_if<plan::ModelDownload>(&op))
          if (!download->secretId.empty() && !llvm::is_contained(secrets, download->secretId))
            secrets.push_back(download->secretId);
  return secrets;
}

std::string secretEnvName(llvm::StringRef secretId) {
  std::string name;
  for (char c : secretId)
    name += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  return name;
}

std::string registryHost(llvm::StringRef repository) {
  auto [first, rest] = repository.split('/');
  if (!rest.empty() && (first.contains('.') || first.contains(':') || first == "localhost"))
    return first.str();
  return "docker.io";
}

} // namespace imageplan::backends
