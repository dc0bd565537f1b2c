// Tests for the planner's part of the spec features real ML repositories
// need (docs/spec.md): where steps that need no Python go, apt repositories
// before every install that uses them, the base image's own environment,
// uv as the installer, per-package indexes, assets in stages of their own,
// and build-argument variants.
#include "planner/TestSupport.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

using Names = std::vector<std::string>;

template <typename Op> std::vector<const Op *> opsOf(const plan::Stage &stage) {
  std::vector<const Op *> found;
  for (const plan::Layer &layer : stage.layers)
    for (const plan::Op &op : layer.ops)
      if (const auto *each = std::get_if<Op>(&op))
        found.push_back(each);
  return found;
}

size_t position(const plan::Stage &stage, llvm::StringRef what) {
  for (size_t i = 0; i < stage.layers.size(); ++i)
    if (llvm::StringRef(stage.layers[i].what).contains(what))
      return i;
  ADD_FAILURE() << "no layer " << what.str() << " in stage " << stage.name;
  return stage.layers.size();
}

constexpr const char *kDebianPython = R"(imageplan: 1
name: demo
base: {image: "debian:bookworm-slim"}
python: {version: "3.11", requirements: [requirements.txt]}
)";

TEST(SpecFeaturesTest, StepWithoutPythonGoesBeforeTheRequirements) {
  Planned planned = planFor(std::string(kDebianPython) + R"(app: {copy: [app/]}
steps:
  - {name: fonts, needs: [system], run: echo fonts, changes: rarely, cost: 40}
  - {name: check, run: python -V, changes: rarely, cost: 40}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_LT(position(runtime, "fonts"), position(runtime, "requirements.txt"));
  // Without `needs`, a step waits for every Python dependency.
  EXPECT_GT(position(runtime, "check"), position(runtime, "requirements.txt"));
}

TEST(SpecFeaturesTest, RepositoriesComeBeforeTheInstallsOfEachStage) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {cuda: "12.4.1"}
system:
  repositories:
    - name: vendor
      url: https://repo.example.com/apt
      key: {fingerprint: F23C5A6CF475977595C89F51BA6932366A755776}
  packages: [vendor-tool]
  build_packages: [vendor-dev]
python: {version: "3.10", build: [flash-attn==2.5.9]}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  for (llvm::StringRef name : {"builder", "runtime"}) {
    const plan::Stage &stage = stageNamed(*planned.plan, name);
    std::vector<const plan::AptSource *> sources = opsOf<plan::AptSource>(stage);
    ASSERT_EQ(sources.size(), 1u) << name.str();
    EXPECT_EQ(sources.front()->suites, Names{"jammy"}) << "the CUDA base's codename";
    EXPECT_EQ(sources.front()->components, Names{"main"});
    EXPECT_EQ(sources.front()->signedBy, "/etc/apt/keyrings/vendor.gpg");
    EXPECT_LT(position(stage, "apt repository vendor"),
              position(stage, name == "builder" ? "build packages" : "system packages"))
        << name.str();
  }
}

TEST(SpecFeaturesTest, RepositoryOnAnotherManagerIsAnError) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {image: "rockylinux:9"}
system:
  repositories:
    - {name: vendor, url: "https://repo.example.com/apt", key: {fingerprint: F23C5A6CF475977595C89F51BA6932366A755776}}
app: {}
)");
  EXPECT_FALSE(planned.plan);
  EXPECT_NE(planned.diagnostics.find("'repositories' are apt sources, and this base installs "
                                     "its packages with dnf"),
            std::string::npos)
      << planned.diagnostics;
}

TEST(SpecFeaturesTest, BaseEnvironmentMakesNoVenv) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {image: "pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime"}
python: {environment: base, conda: environment.yml, packages: [fastapi==0.111.0]}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_TRUE(opsOf<plan::CreateVenv>(runtime).empty());
  EXPECT_EQ(runtime.pathPrepend, "/opt/conda/bin");
  EXPECT_FALSE(llvm::any_of(runtime.env, [](const auto &v) { return v.first == "VIRTUAL_ENV"; }));
  std::vector<const plan::CondaEnvUpdate *> conda = opsOf<plan::CondaEnvUpdate>(runtime);
  ASSERT_EQ(conda.size(), 1u);
  EXPECT_EQ(conda.front()->prefix, "/opt/conda");
  EXPECT_EQ(conda.front()->tool, "conda");
  EXPECT_LT(position(runtime, "environment.yml"), position(runtime, "python packages"));
}

TEST(SpecFeaturesTest, UvInstallerAndPackageIndexes) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {image: "python:3.12-slim"}
python:
  installer: uv
  index_strategy: unsafe-best-match
  index_urls: [https://pypi.org/simple]
  packages:
    - {name: torch==2.3.1, index_url: https://download.pytorch.org/whl/cu121}
    - {name: torchvision==0.18.1, index_url: https://download.pytorch.org/whl/cu121}
    - {name: lxml==5.2.2, options: ["--no-binary=lxml"]}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  std::vector<const plan::PipInstall *> pips = opsOf<plan::PipInstall>(runtime);
  ASSERT_EQ(pips.size(), 2u);
  EXPECT_EQ(pips[0]->packages, (Names{"torch==2.3.1", "torchvision==0.18.1"}))
      << "one call per index";
  EXPECT_EQ(pips[0]->indexUrls, Names{"https://download.pytorch.org/whl/cu121"});
  EXPECT_EQ(pips[1]->indexUrls, Names{"https://pypi.org/simple"});
  for (const plan::PipInstall *pip : pips) {
    EXPECT_EQ(pip->installer, "uv");
    EXPECT_EQ(pip->indexStrategy, "unsafe-best-match");
    EXPECT_EQ(pip->python, "/opt/venv/bin/python");
  }
  EXPECT_LT(position(runtime, "uv 0.5.11"), position(runtime, "python packages"));
}

TEST(SpecFeaturesTest, AssetsHaveStagesOfTheirOwn) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {image: "debian:bookworm-slim"}
assets:
  - {name: data, url: "https://example.com/d.zip", unpack: zip, path: /opt/d,
     sha256: 7d4322bd2a7749724879683fc3912cb542f19906c83bcc1a52132556427170b2}
  - {name: repo, git: "https://example.com/r.git", lfs: true, path: /opt/r,
     revision: 3f2c1a9d8b7e6f5a4c3b2a1908f7e6d5c4b3a291}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &data = stageNamed(*planned.plan, "asset-data");
  // The tools cost minutes, so the download is a RUN of its own (layers by cost).
  EXPECT_EQ(layerNames(data), (Names{"tools for data", "download data"}));
  EXPECT_EQ(opsOf<plan::SystemInstall>(data).front()->packages,
            (Names{"ca-certificates", "python3"}));
  const plan::Stage &repo = stageNamed(*planned.plan, "asset-repo");
  EXPECT_EQ(opsOf<plan::SystemInstall>(repo).front()->packages,
            (Names{"ca-certificates", "git", "git-lfs"}));
  EXPECT_TRUE(opsOf<plan::GitCheckout>(repo).front()->lfs);
  std::vector<const plan::CopyStage *> copies =
      opsOf<plan::CopyStage>(stageNamed(*planned.plan, "runtime"));
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(copies[0]->stage, "asset-data");
  EXPECT_EQ(copies[1]->source, "/opt/r");
}

TEST(SpecFeaturesTest, VariantThatSelectsTheBase) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {image: "ubuntu:22.04"}
python: {version: "3.10"}
variants:
  - arg: BACKEND
    values:
      - {name: cpu, packages: [torch==2.3.1+cpu]}
      - {name: cuda, base: {cuda: "12.1.1"}, packages: [torch==2.3.1]}
app: {}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Plan &plan = *planned.plan;
  EXPECT_EQ(plan.args, (plan::Pairs{{"BACKEND", "cpu"}}));
  EXPECT_EQ(stageNamed(plan, "base-cpu").from, "ubuntu:22.04");
  EXPECT_EQ(stageNamed(plan, "base-cuda").from, "nvidia/cuda:12.1.1-runtime-ubuntu22.04");
  const plan::Stage &runtime = stageNamed(plan, "runtime");
  EXPECT_EQ(runtime.from, "base-${BACKEND}");
  std::vector<const plan::VariantSwitch *> switches = opsOf<plan::VariantSwitch>(runtime);
  ASSERT_EQ(switches.size(), 1u);
  ASSERT_EQ(switches.front()->cases.size(), 2u);
  EXPECT_EQ(switches.front()->cases[1].first, "cuda");
  std::vector<const plan::DeclareArg *> args = opsOf<plan::DeclareArg>(runtime);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args.front()->defaultValue, "cpu");
  EXPECT_FALSE(llvm::any_of(runtime.runtime->labels, [](const auto &label) {
    return label.first == "org.opencontainers.image.base.name";
  }));
}

TEST(SpecFeaturesTest, VariantBasesMustBeOfOneDistribution) {
  Planned planned = planFor(R"(imageplan: 1
name: demo
base: {image: "ubuntu:22.04"}
variants:
  - arg: BACKEND
    values: [{name: cpu}, {name: ubi, base: {image: "registry.access.redhat.com/ubi9/ubi:9.4"}}]
app: {}
)");
  EXPECT_FALSE(planned.plan);
  EXPECT_NE(planned.diagnostics.find("the base of value 'ubi' is ubi (dnf), and the spec's base "
                                     "is ubuntu22.04 (apt, python 3.10)"),
            std::string::npos)
      << planned.diagnostics;
}

} // namespace
} // namespace imageplan::planner
