// The package cost tables behind Costs.h.
#include "planner/Costs.h"

#include "llvm/ADT/StringExtras.h"

#include <string>

namespace imageplan::planner::costs {
namespace {

struct PackageCost {
  const char *name;
  double seconds;
};

// Downloads of several hundred MB to a few GB, or heavy native builds.
constexpr PackageCost kHeavyPackages[] = {
    {"torch", 120},     {"tensorflow", 120}, {"jax", 60},     {"jaxlib", 60},
    {"vllm", 120},      {"xformers", 40},    {"torchvision", 20},
    {"torchaudio", 20}, {"transformers", 15}, {"onnxruntime-gpu", 40},
    {"tensorrt", 120},  {"nvidia-cudnn-cu11", 60}, {"nvidia-cudnn-cu12", 60},
    {"opencv-python", 15}, {"scipy", 10}, {"pandas", 10}, {"numpy", 8},
};

constexpr PackageCost kHeavyBuilds[] = {
    {"flash-attn", 1800}, {"flash_attn", 1800}, {"xformers", 1200},
    {"apex", 1200},       {"deepspeed", 900},
};

/// The distribution name of a requirement: "torch==2.0.1" -> "torch".
std::string distributionName(llvm::StringRef requirement) {
  size_t end = requirement.find_first_of("=<>!~[;@ ");
  return requirement.take_front(end).lower();
}

double lookup(llvm::ArrayRef<PackageCost> table, llvm::StringRef requirement,
              double fallback) {
  std::string name = distributionName(requirement);
  for (const PackageCost &entry : table)
    if (name == entry.name)
      return entry.seconds;
  return fallback;
}

} // namespace

double pipPackageCost(llvm::StringRef requirement) {
  return lookup(kHeavyPackages, requirement, 3);
}

double pipInstallCost(const std::vector<std::string> &requirements) {
  double cost = kPipBase;
  for (const std::string &requirement : requirements)
    cost += pipPackageCost(requirement);
  return cost;
}

double wheelBuildCost(llvm::StringRef requirement) {
  return lookup(kHeavyBuilds, requirement, kWheelBuildPerPackage);
}

} // namespace imageplan::planner::costs
