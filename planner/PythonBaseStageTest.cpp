// The runtime-base stage: python installed once for the runtime, the builder
// and the models downloaded on the runtime's base (PythonBaseStage.h), and the
// specs that keep one install per stage.
#include "planner/Planner.h"

#include "planner/TestSupport.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

std::string specWith(llvm::StringRef base, llvm::StringRef python, llvm::StringRef model,
                     llvm::StringRef extra = "") {
  return "imageplan: 1\nname: x\nbase: " + base.str() + "\npython: " + python.str() +
         "\nmodels:\n  - " + model.str() + "\n" + extra.str() + "app: {}\n";
}

std::vector<std::string> stageNames(const plan::Plan &plan) {
  std::vector<std::string> names;
  for (const plan::Stage &stage : plan.stages)
    names.push_back(stage.name);
  return names;
}

constexpr llvm::StringLiteral kDebian = "{image: \"debian:bookworm-slim\"}";
constexpr llvm::StringLiteral kUrllibModel =
    "{id: org/m, path: /models/m, bake: true, image: runtime, downloader: urllib}";

TEST(PythonBaseStageTest, RuntimeAndModelStartFromOneInstall) {
  Planned planned = planFor(specWith(kDebian, "{version: \"3.11\"}", kUrllibModel));
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Plan &plan = *planned.plan;
  EXPECT_EQ(stageNames(plan), (std::vector<std::string>{"runtime-base", "model-m", "runtime"}));
  const plan::SystemInstall *install = findOp<plan::SystemInstall>(plan.stages[0]);
  ASSERT_TRUE(install);
  EXPECT_EQ(install->packages,
            (std::vector<std::string>{"ca-certificates", "python3", "python3-venv"}));
  for (llvm::StringRef name : {"model-m", "runtime"}) {
    const plan::Stage &stage = stageNamed(plan, name);
    EXPECT_EQ(stage.from, "runtime-base") << name.str();
    EXPECT_TRUE(stage.fromStage) << name.str();
    EXPECT_EQ(stage.distro, plan.stages[0].distro) << name.str();
    EXPECT_FALSE(findOp<plan::SystemInstall>(stage)) << name.str() << ": installs again";
  }
  const plan::CreateVenv *venv = findOp<plan::CreateVenv>(stageNamed(plan, "runtime"));
  ASSERT_TRUE(venv);
  EXPECT_EQ(venv->python, "python3");
  EXPECT_TRUE(findOp<plan::ModelDownload>(stageNamed(plan, "model-m")));
}

TEST(PythonBaseStageTest, HubDownloadMakesItsVenvOnTheSharedPython) {
  Planned planned = planFor(specWith(
      kDebian, "{version: \"3.11\"}", "{id: org/m, path: /models/m, bake: true, image: runtime}"));
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &model = stageNamed(*planned.plan, "model-m");
  EXPECT_EQ(model.from, "runtime-base");
  EXPECT_FALSE(findOp<plan::SystemInstall>(model));
  EXPECT_TRUE(findOp<plan::CreateVenv>(model));
  EXPECT_TRUE(findOp<plan::PipInstall>(model));
}

TEST(PythonBaseStageTest, VenvFromTheBuilderLeavesTheRuntimeNoInterpreterStep) {
  Planned planned = planFor(specWith(kDebian, "{version: \"3.11\", venv: builder}", kUrllibModel));
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Plan &plan = *planned.plan;
  const plan::SystemInstall *install = findOp<plan::SystemInstall>(stageNamed(plan, "runtime-base"));
  ASSERT_TRUE(install);
  // No venv module: the venv is made in the builder and copied.
  EXPECT_EQ(install->packages, (std::vector<std::string>{"ca-certificates", "python3"}));
  const plan::Stage &runtime = stageNamed(plan, "runtime");
  EXPECT_FALSE(findOp<plan::SystemInstall>(runtime));
  EXPECT_FALSE(findOp<plan::CreateVenv>(runtime));
  // The builder makes the venv on the same python, adding what it needs.
  const plan::Stage &builder = stageNamed(plan, "builder");
  EXPECT_EQ(builder.from, "runtime-base");
  const plan::SystemInstall *own = findOp<plan::SystemInstall>(builder);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->packages, (std::vector<std::string>{"python3-dev", "python3-venv"}));
}

std::string builderSpec(llvm::StringRef base, llvm::StringRef python, llvm::StringRef extra = "") {
  return "imageplan: 1\nname: x\nbase: " + base.str() + "\npython: " + python.str() + "\n" +
         extra.str() + "app: {}\n";
}

TEST(PythonBaseStageTest, BuilderAndRuntimeStartFromOneInstall) {
  // Wheels compiled in the builder, the venv made in the runtime (runtime
  // system packages keep it there), and the venv made in the builder.
  for (const std::string &spec :
       {builderSpec(kDebian, "{version: \"3.11\", build: [fastsum==1.0]}",
                    "system: {packages: [libgomp1], build_packages: [gcc]}\n"),
        builderSpec(kDebian, "{version: \"3.11\", venv: builder, build: [fastsum==1.0]}")}) {
    Planned planned = planFor(spec);
    ASSERT_TRUE(planned.plan) << planned.diagnostics;
    const plan::Plan &plan = *planned.plan;
    const plan::Stage &base = stageNamed(plan, "runtime-base");
    EXPECT_EQ(base.from, "debian:bookworm-slim");
    EXPECT_EQ(base.purpose, "python for the runtime and the builder, installed once");
    const plan::SystemInstall *shared = findOp<plan::SystemInstall>(base);
    ASSERT_TRUE(shared) << spec;
    EXPECT_TRUE(llvm::is_contained(shared->packages, "python3")) << spec;
    EXPECT_FALSE(llvm::is_contained(shared->packages, "ca-certificates")) << spec;
    for (llvm::StringRef name : {"builder", "runtime"}) {
      const plan::Stage &stage = stageNamed(plan, name);
      EXPECT_EQ(stage.from, "runtime-base") << name.str() << spec;
      EXPECT_TRUE(stage.fromStage) << name.str();
      for (const plan::Layer &layer : stage.layers)
        for (const plan::Op &op : layer.ops)
          if (const auto *install = std::get_if<plan::SystemInstall>(&op))
            for (const std::string &package : shared->packages)
              EXPECT_FALSE(llvm::is_contained(install->packages, package))
                  << name.str() << " installs " << package << " again: " << spec;
    }
    const plan::SystemInstall *own = findOp<plan::SystemInstall>(stageNamed(plan, "builder"));
    ASSERT_TRUE(own);
    EXPECT_TRUE(llvm::is_contained(own->packages, "python3-dev")) << spec;
    const plan::CreateVenv *venv = nullptr;
    for (llvm::StringRef name : {"builder", "runtime"}) {
      if (!venv)
        venv = findOp<plan::CreateVenv>(stageNamed(plan, name));
    }
    ASSERT_TRUE(venv) << spec;
    EXPECT_EQ(venv->python, "python3");
  }
}

TEST(PythonBaseStageTest, BuilderOnAnotherImageOrWithoutPythonKeepsItsOwnBase) {
  // A CUDA devel image for the builder, a builder for a build step alone, and
  // python3 from an added repository.
  std::string step = "steps:\n  - {name: s, stage: builder, run: \"true\"}\n";
  for (const std::string &spec :
       {builderSpec("{cuda: \"12.1.1\"}", "{version: \"3.10\", build: [fastsum==1.0]}"),
        builderSpec(kDebian, "{version: \"3.11\"}", step),
        builderSpec(kDebian, "{version: \"3.11\", build: [fastsum==1.0]}",
                    "system:\n  repositories:\n    - {name: r, url: \"https://example.com/deb\", "
                    "key: {fingerprint: F23C5A6CF475977595C89F51BA6932366A755776}}\n")}) {
    Planned planned = planFor(spec);
    ASSERT_TRUE(planned.plan) << planned.diagnostics;
    EXPECT_FALSE(llvm::is_contained(stageNames(*planned.plan), "runtime-base")) << spec;
    EXPECT_FALSE(stageNamed(*planned.plan, "builder").fromStage) << spec;
    EXPECT_FALSE(stageNamed(*planned.plan, "runtime").fromStage) << spec;
  }
}

TEST(PythonBaseStageTest, NotMadeWhereNoStageWouldInstallPythonTwice) {
  // A model on its own image (python:3.12-slim by default), a runtime image
  // that ships Python, a model not baked, and no Python in the runtime.
  for (const std::string &spec :
       {specWith(kDebian, "{version: \"3.11\"}", "{id: org/m, path: /models/m, bake: true}"),
        specWith("{image: \"python:3.11-slim\"}", "{version: \"3.11\"}", kUrllibModel),
        specWith(kDebian, "{version: \"3.11\"}", "{id: org/m, path: /models/m, bake: false}")}) {
    Planned planned = planFor(spec);
    ASSERT_TRUE(planned.plan) << planned.diagnostics;
    EXPECT_FALSE(llvm::is_contained(stageNames(*planned.plan), "runtime-base")) << spec;
    EXPECT_EQ(stageNamed(*planned.plan, "runtime").fromStage, false) << spec;
  }
}

} // namespace
} // namespace imageplan::planner
