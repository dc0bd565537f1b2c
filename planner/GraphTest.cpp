// Base image resolution and the cost tables behind the graph.
#include "planner/Base.h"
#include "planner/Costs.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

dsl::BaseSpec cuda(std::string version, std::string cudnn, std::string os) {
  dsl::BaseSpec base;
  base.cuda = dsl::LString{std::move(version), {}};
  if (!cudnn.empty())
    base.cudnn = dsl::LString{std::move(cudnn), {}};
  base.os = dsl::LString{std::move(os), {}};
  return base;
}

dsl::BaseSpec image(std::string ref, std::string digest = "") {
  dsl::BaseSpec base;
  base.image = dsl::LString{std::move(ref), {}};
  if (!digest.empty())
    base.digest = dsl::LString{std::move(digest), {}};
  return base;
}

TEST(BaseTest, CudaTagsForRuntimeAndDevel) {
  BaseImages images = resolveBase(cuda("11.8", "8", "ubuntu22.04"), "");
  EXPECT_EQ(images.runtime, "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04");
  EXPECT_EQ(images.devel, "nvidia/cuda:11.8.0-cudnn8-devel-ubuntu22.04");
  EXPECT_EQ(images.shippedPython, "3.10");
  EXPECT_EQ(images.python, PythonSource::System);
  BaseImages noCudnn = resolveBase(cuda("12.1.1", "", "ubuntu20.04"), "");
  EXPECT_EQ(noCudnn.runtime, "nvidia/cuda:12.1.1-runtime-ubuntu20.04");
  EXPECT_EQ(noCudnn.shippedPython, "3.8");
}

TEST(BaseTest, CudaFlavorAndRegistry) {
  dsl::BaseSpec base = cuda("12.4.1", "", "ubuntu24.04");
  base.flavor = dsl::LString{"base", {}};
  base.registry = dsl::LString{"nvcr.io/nvidia", {}};
  BaseImages images = resolveBase(base, "");
  EXPECT_EQ(images.runtime, "nvcr.io/nvidia/cuda:12.4.1-base-ubuntu24.04");
  EXPECT_EQ(images.devel, "nvcr.io/nvidia/cuda:12.4.1-devel-ubuntu24.04");
  EXPECT_EQ(images.shippedPython, "3.12");
}

TEST(BaseTest, PythonImagesShipTheirInterpreter) {
  BaseImages images = resolveBase(image("python:3.11-slim"), "");
  EXPECT_EQ(images.python, PythonSource::Image);
  EXPECT_EQ(images.shippedPython, "3.11");
  EXPECT_TRUE(interpreterPackages(images, "3.11", true).empty());
  EXPECT_EQ(resolveBase(image("docker.io/library/python:3.12.1-bookworm"), "").shippedPython,
            "3.12");
}

TEST(BaseTest, DigestPinsTheRuntimeBase) {
  std::string digest = "sha256:" + std::string(64, 'a');
  BaseImages images = resolveBase(image("debian:bookworm-slim", digest), "");
  EXPECT_EQ(images.runtime, "debian:bookworm-slim@" + digest);
  EXPECT_EQ(images.shippedPython, "3.11");
  EXPECT_EQ(interpreterPackages(images, "3.11", true),
            (std::vector<std::string>{"python3", "python3-venv", "python3-dev"}));
}

TEST(BaseTest, PackageManagerFollowsTheBase) {
  using plan::PackageManager;
  EXPECT_EQ(resolveBase(image("alpine:3.19"), "").manager, PackageManager::Apk);
  EXPECT_EQ(resolveBase(image("alpine:3.19"), "").shippedPython, "3.11");
  EXPECT_EQ(resolveBase(image("registry.access.redhat.com/ubi9/ubi-minimal"), "").manager,
            PackageManager::Microdnf);
  EXPECT_EQ(resolveBase(image("ubuntu:22.04"), "").manager, PackageManager::Apt);
  EXPECT_EQ(resolveBase(cuda("12.4.1", "", "ubi9"), "").manager, PackageManager::Dnf);
  EXPECT_EQ(resolveBase(cuda("12.4.1", "", "ubi9"), "").shippedPython, "");
  EXPECT_EQ(resolveBase(cuda("11.8", "8", "ubuntu22.04"), "alpine:3.20").manager,
            PackageManager::Apk);
}

TEST(BaseTest, EveryCudaFlavor) {
  EXPECT_EQ(cudaTag("12.4.1", "", "cudnn-runtime", "ubuntu22.04"),
            "12.4.1-cudnn-runtime-ubuntu22.04");
  EXPECT_EQ(cudaTag("12.4.1", "", "cudnn-devel", "ubi9"), "12.4.1-cudnn-devel-ubi9");
  EXPECT_EQ(cudaTag("11.8", "8", "cudnn-devel", "ubuntu20.04"), "11.8.0-cudnn8-devel-ubuntu20.04");
  EXPECT_EQ(cudaTag("11.8", "8", "runtime", "ubi8"), "11.8.0-cudnn8-runtime-ubi8");
  EXPECT_EQ(cudaTag("12.6.2", "9", "runtime", "ubuntu24.04"), "12.6.2-cudnn-runtime-ubuntu24.04");
  EXPECT_EQ(cudaTag("12.4.1", "", "base", "ubuntu22.04"), "12.4.1-base-ubuntu22.04");
  EXPECT_EQ(cudaTag("12.4.1", "", "devel", "ubuntu22.04"), "12.4.1-devel-ubuntu22.04");
}

TEST(BaseTest, BuilderFlavorFollowsCudnnUnlessGiven) {
  dsl::BaseSpec base = cuda("12.4.1", "", "ubuntu24.04");
  base.flavor = dsl::LString{"cudnn-runtime", {}};
  BaseImages images = resolveBase(base, "");
  EXPECT_EQ(images.runtime, "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu24.04");
  EXPECT_EQ(images.devel, "nvidia/cuda:12.4.1-cudnn-devel-ubuntu24.04");
  base.builderFlavor = dsl::LString{"devel", {}};
  EXPECT_EQ(resolveBase(base, "").devel, "nvidia/cuda:12.4.1-devel-ubuntu24.04");
}

TEST(BaseTest, OverrideWins) {
  BaseImages images = resolveBase(cuda("11.8", "8", "ubuntu22.04"), "localhost/base:1");
  EXPECT_EQ(images.runtime, "localhost/base:1");
  EXPECT_EQ(images.devel, "localhost/base:1");
}

TEST(CostsTest, HeavyPackagesCostMore) {
  EXPECT_GT(costs::pipPackageCost("torch==2.0.1"), costs::pipPackageCost("einops==0.8.0"));
  EXPECT_EQ(costs::pipPackageCost("Torch>=2"), costs::pipPackageCost("torch"));
  EXPECT_GT(costs::wheelBuildCost("flash-attn==2.3.6"), costs::wheelBuildCost("mypkg"));
}

} // namespace
} // namespace imageplan::planner
