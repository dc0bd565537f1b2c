// The runtime-base stage: python installed once for the runtime and the
// models downloaded on the runtime's base (ModelNodes.h), and the specs that
// keep one install per stage.
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
  EXPECT_EQ(stageNamed(plan, "builder").from, "debian:bookworm-slim");
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
