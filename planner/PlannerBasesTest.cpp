// End-to-end planner tests by base image: the Python versions a base can give,
// its package manager, shell and user tools.
#include "planner/Planner.h"

#include "planner/TestSupport.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

/// What planning a spec that asks `base` for python `version` printed, when
/// the plan must fail.
std::string failedVersion(llvm::StringRef base, llvm::StringRef version) {
  Planned planned = planFor("imageplan: 1\nname: x\nbase: " + base.str() +
                            "\npython: {version: \"" + version.str() + "\"}\napp: {}\n");
  EXPECT_FALSE(planned.plan);
  return planned.diagnostics;
}

TEST(PlannerTest, PythonVersionNeitherShippedNorInstallable) {
  EXPECT_EQ(failedVersion(R"({cuda: "12.1.1", os: ubuntu22.04})", "3.6"),
            "spec.yaml:4:19: error: python 3.6 is neither the python ubuntu22.04 ships (3.10) nor "
            "one imageplan can install there: uv-managed CPython covers 3.8 to 3.13 on glibc "
            "bases (apt, dnf); use version \"3.10\" or a python:3.6 image\n"
            "python: {version: \"3.6\"}\n"
            "                  ^\n");
}

TEST(PlannerTest, PythonImageMustShipTheVersion) {
  std::string printed = failedVersion(R"({image: "python:3.11-slim"})", "3.12");
  EXPECT_NE(printed.find("python 3.12 is not the python python image ships (3.11)"),
            std::string::npos)
      << printed;
}

TEST(PlannerTest, AlpineUsesApkBusyboxAndSh) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: "alpine:3.20"}
system: {packages: [libstdc++]}
python: {version: "3.12", packages: [flask==3.0.3]}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_TRUE(runtime.posixShell);
  auto installs = opsOf<plan::SystemInstall>(runtime);
  ASSERT_FALSE(installs.empty());
  for (const plan::SystemInstall &install : installs)
    EXPECT_EQ(install.manager, plan::PackageManager::Apk);
  auto users = opsOf<plan::CreateUser>(runtime);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_TRUE(users[0].busybox);
}

TEST(PlannerTest, AlpinePythonVersionIsChecked) {
  std::string printed = failedVersion(R"({image: "alpine:3.20"})", "3.11");
  EXPECT_NE(printed.find("is neither the python alpine3.20 ships (3.12)"), std::string::npos)
      << printed;
}

/// The system package installs of `stage` in the plan of `yaml`.
std::vector<plan::SystemInstall> systemInstalls(llvm::StringRef yaml, llvm::StringRef stage) {
  Planned planned = planFor(yaml);
  EXPECT_TRUE(planned.plan) << planned.diagnostics;
  if (!planned.plan)
    return {};
  return opsOf<plan::SystemInstall>(stageNamed(*planned.plan, stage));
}

TEST(PlannerTest, ModelStageOnTheRuntimeBaseGetsTheDistributionsPython) {
  auto installs = systemInstalls(R"(imageplan: 1
name: x
base: {image: "cgr.dev/chainguard/wolfi-base"}
models: [{id: org/model, path: /models/m, bake: true, image: runtime, downloader: urllib}]
app: {user: root}
)",
                                 "model-model");
  ASSERT_EQ(installs.size(), 1u);
  EXPECT_EQ(installs[0].manager, plan::PackageManager::Apk);
  EXPECT_EQ(installs[0].packages, (std::vector<std::string>{"ca-certificates", "python-3.12"}));
}

TEST(PlannerTest, ModelStageDefaultsToASlimPythonWithHuggingfaceHub) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {cuda: "12.4.1"}
python: {index_urls: [https://mirror.example/simple]}
models: [{id: org/model, path: /models/m, bake: true, hf_transfer: true,
          allow_patterns: ["*.json"]}]
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &stage = stageNamed(*planned.plan, "model-model");
  EXPECT_EQ(stage.from, "python:3.12-slim");
  EXPECT_EQ(stage.pathPrepend, "/opt/venv/bin");
  EXPECT_TRUE(opsOf<plan::SystemInstall>(stage).empty());
  ASSERT_EQ(opsOf<plan::CreateVenv>(stage).size(), 1u);
  std::vector<plan::PipInstall> pips = opsOf<plan::PipInstall>(stage);
  ASSERT_EQ(pips.size(), 1u);
  EXPECT_EQ(pips[0].packages,
            (std::vector<std::string>{"huggingface_hub==0.36.0", "hf_transfer==0.1.9"}));
  EXPECT_EQ(pips[0].indexUrls, (std::vector<std::string>{"https://mirror.example/simple"}));
  const plan::ModelDownload *download = findOp<plan::ModelDownload>(stage);
  ASSERT_TRUE(download);
  EXPECT_EQ(download->client, "huggingface_hub");
  EXPECT_TRUE(download->hfTransfer);
  EXPECT_EQ(download->allowPatterns, (std::vector<std::string>{"*.json"}));
  // A python:* runtime base is slim already: the stage reuses it.
  Planned python = planFor(R"(imageplan: 1
name: x
base: {image: "python:3.11-slim"}
models: [{id: org/model, path: /models/m, bake: true}]
app: {}
)");
  ASSERT_TRUE(python.plan) << python.diagnostics;
  EXPECT_EQ(stageNamed(*python.plan, "model-model").from, "python:3.11-slim");
}

TEST(PlannerTest, ModelFetchedAtRunTimeGetsAVolumeAndHfHome) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: "python:3.11-slim"}
models: [{id: org/a, path: /models/a}, {id: org/b, path: /models/b}]
app: {expose: [80], healthcheck: {http: /health}}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_EQ(runtime.runtime->volumes, (std::vector<std::string>{"/models/a", "/models/b"}));
  EXPECT_TRUE(llvm::is_contained(runtime.env, std::make_pair(std::string("HF_HOME"),
                                                             std::string("/models/a"))));
  EXPECT_EQ(runtime.runtime->healthcheck->startPeriod, "10m");
}

TEST(PlannerTest, UbiMinimalInstallsShadowUtilsForTheUser) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: "registry.access.redhat.com/ubi9/ubi-minimal:9.4"}
python: {version: "3.11"}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_FALSE(runtime.posixShell);
  std::vector<std::string> packages;
  for (const plan::SystemInstall &install : opsOf<plan::SystemInstall>(runtime)) {
    EXPECT_EQ(install.manager, plan::PackageManager::Microdnf);
    llvm::append_range(packages, install.packages);
  }
  EXPECT_TRUE(llvm::is_contained(packages, "shadow-utils"));
  EXPECT_TRUE(llvm::is_contained(packages, "python3.11"));
  auto venvs = opsOf<plan::CreateVenv>(runtime);
  ASSERT_EQ(venvs.size(), 1u);
  EXPECT_EQ(venvs[0].python, "python3.11");
}

TEST(PlannerTest, ExplicitManagerWins) {
  auto installs = systemInstalls(R"(imageplan: 1
name: x
base: {image: "example.com/internal/base:7"}
system: {packages: [curl], manager: dnf}
app: {user: root}
)",
                                 "runtime");
  ASSERT_EQ(installs.size(), 1u);
  EXPECT_EQ(installs[0].manager, plan::PackageManager::Dnf);
}

} // namespace
} // namespace imageplan::planner
