// One dependency set, end to end through the planner: the pins' constraints
// stage and its readers, the builder venv split into the pins and the rest,
// build tools kept out of the venv, the wheels installed before the
// requirement files, poetry in a stage of its own, the rule that a step
// costing minutes keeps a RUN of its own, and the rates of what copies from
// another stage.
#include "planner/Planner.h"

#include "planner/Costs.h"
#include "planner/TestSupport.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

constexpr const char *kGpu = R"(imageplan: 1
name: ocr
base: {cuda: "11.8", cudnn: "8"}
system: {packages: [libgl1], build_packages: [git]}
python:
  version: "3.10"
  packages: [torch==2.0.1, torchvision==0.15.2]
  requirements: [requirements.txt]
  build_requires: [packaging, ninja, wheel]
  build: [flash-attn==2.3.6]
app: {copy: [app/]}
)";

TEST(VenvPlanTest, TheBuilderVenvIsSplitIntoThePinsAndTheRest) {
  Planned planned = planFor(kGpu);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  std::vector<std::string> stages;
  for (const plan::Stage &stage : planned.plan->stages)
    stages.push_back(stage.name);
  EXPECT_EQ(stages, (std::vector<std::string>{"python-pins", "builder", "builder-venv", "runtime"}));
  const plan::Stage &pins = stageNamed(*planned.plan, "python-pins");
  const auto *file = findOp<plan::WriteFile>(pins);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->path, "/imageplan/constraints.txt");
  EXPECT_EQ(file->content, "torch==2.0.1\ntorchvision==0.15.2\nflash-attn==2.3.6\n");

  const plan::Stage &builder = stageNamed(*planned.plan, "builder");
  EXPECT_EQ(layerNames(builder),
            (std::vector<std::string>{"python 3.10 venv, build packages", "python packages",
                                      "build requirements", "wheels: flash-attn==2.3.6"}));
  EXPECT_TRUE(findOp<plan::RecordVenv>(builder));
  const plan::Stage &rest = stageNamed(*planned.plan, "builder-venv");
  EXPECT_TRUE(rest.fromStage);
  EXPECT_EQ(rest.from, "builder");
  EXPECT_EQ(layerNames(rest), (std::vector<std::string>{"built wheels", "requirements.txt",
                                                        "venv beyond the pins"}));
  for (const plan::PipInstall &pip : opsOf<plan::PipInstall>(rest)) {
    EXPECT_EQ(pip.pinsStage, "python-pins");
    EXPECT_EQ(pip.stageConstraints,
              std::vector<std::string>{"/opt/imageplan/venv-pins/freeze.txt"});
  }
  std::vector<plan::CopyStage> copies = opsOf<plan::CopyStage>(stageNamed(*planned.plan, "runtime"));
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(copies[0].stage, "builder");
  EXPECT_EQ(copies[0].source, "/opt/venv");
  EXPECT_EQ(copies[1].stage, "builder-venv");
  EXPECT_EQ(copies[1].source, "/opt/imageplan/venv-rest/");
  EXPECT_EQ(copies[1].dest, "/opt/venv/");
}

TEST(VenvPlanTest, BuildToolsStayOutOfTheVenvAndTheWheelBuildReadsThePins) {
  Planned planned = planFor(kGpu);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &builder = stageNamed(*planned.plan, "builder");
  std::vector<plan::PipInstall> pips = opsOf<plan::PipInstall>(builder);
  ASSERT_EQ(pips.size(), 2u);
  EXPECT_EQ(pips[0].target, "");
  EXPECT_EQ(pips[1].target, "/opt/imageplan/build-tools");
  EXPECT_EQ(pips[1].packages, (std::vector<std::string>{"packaging", "ninja", "wheel"}));
  const auto *wheel = findOp<plan::PipWheel>(builder);
  ASSERT_TRUE(wheel);
  EXPECT_FALSE(wheel->isolated);
  EXPECT_EQ(wheel->toolsDir, "/opt/imageplan/build-tools");
  EXPECT_EQ(wheel->pinsStage, "python-pins");
  EXPECT_EQ(wheel->env, (plan::Pairs{{"MAX_JOBS", "4"},
                                     {"TORCH_CUDA_ARCH_LIST", "7.0 7.5 8.0 8.6 8.9 9.0+PTX"}}));
  // The index comes from the spec or, here, from the table.
  EXPECT_EQ(wheel->indexUrls, (std::vector<std::string>{"https://download.pytorch.org/whl/cu118",
                                                        "https://pypi.org/simple"}));
}

TEST(VenvPlanTest, ThePinsCopyChangesOnlyWithTheBuildersLayersUpToThePins) {
  Planned planned = planFor(kGpu);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &builder = stageNamed(*planned.plan, "builder");
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  const plan::Layer &pins = builder.layers[layerIndex(builder, "python packages")];
  const plan::Layer &wheels = builder.layers[layerIndex(builder, "wheels")];
  const plan::Layer &copy = runtime.layers[layerIndex(runtime, "python packages from builder")];
  EXPECT_DOUBLE_EQ(copy.changeProbability, pins.rebuildProbability);
  EXPECT_LT(copy.changeProbability, wheels.rebuildProbability);
  // builder-venv starts from the whole builder (the wheels are its last layer).
  const plan::Stage &rest = stageNamed(*planned.plan, "builder-venv");
  EXPECT_DOUBLE_EQ(rest.layers.front().rebuildProbability, wheels.rebuildProbability);
  EXPECT_GT(rest.layers.back().rebuildProbability, wheels.rebuildProbability);
}

TEST(VenvPlanTest, AStepThatCostsMinutesSharesNoRun) {
  Planned planned = planFor(R"(imageplan: 1
name: m
base: {cuda: "11.8", cudnn: "8"}
system: {packages: [libgl1]}
python: {version: "3.10", packages: [torch==2.0.1], requirements: [requirements.txt]}
app: {copy: [app/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  for (const plan::Layer &layer : runtime.layers) {
    if (layer.cost >= costs::kCostsMinutes) {
      EXPECT_EQ(layer.nodes.size(), 1u) << layer.what;
    }
  }
  EXPECT_NE(llvm::find(layerNames(runtime), "python packages"), layerNames(runtime).end());
}

TEST(VenvPlanTest, WheelsInstallBeforeTheRequirementFiles) {
  Planned planned = planFor(R"(imageplan: 1
name: w
base: {image: "python:3.11-slim"}
system: {build_packages: [gcc]}
python: {venv: runtime, requirements: [requirements.txt], build_requires: [wheel], build: [fastsum==1.0]}
app: {copy: [app/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_LT(layerIndex(runtime, "built wheels"), layerIndex(runtime, "requirements.txt"));
  // A venv made for building only keeps its tools; nothing copies it.
  const auto *tools = findOp<plan::PipInstall>(stageNamed(*planned.plan, "builder"));
  ASSERT_TRUE(tools);
  EXPECT_EQ(tools->target, "");
}

TEST(VenvPlanTest, ThePinsHoldInTheBaseEnvironmentToo) {
  // No venv: every pip install into the base image's environment, by uv or
  // by a package's own index, still reads the pins' constraints file.
  Planned planned = planFor(R"(imageplan: 1
name: b
base: {image: "python:3.11-slim"}
python:
  environment: base
  installer: uv
  packages:
    - torch==2.3.1
    - {name: torchvision==0.18.1, index_url: "https://download.pytorch.org/whl/cpu"}
  requirements: [requirements.txt]
app: {copy: [app/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_TRUE(opsOf<plan::CreateVenv>(runtime).empty());
  std::vector<plan::PipInstall> pips = opsOf<plan::PipInstall>(runtime);
  ASSERT_EQ(pips.size(), 3u);
  for (const plan::PipInstall &pip : pips) {
    EXPECT_EQ(pip.pinsStage, "python-pins");
    EXPECT_EQ(pip.installer, "uv");
    EXPECT_EQ(pip.python, "/usr/local/bin/python");
  }
  const auto *pins = findOp<plan::WriteFile>(stageNamed(*planned.plan, "python-pins"));
  ASSERT_TRUE(pins);
  EXPECT_EQ(pins->content, "torch==2.3.1\ntorchvision==0.18.1\n");
  // The package from its own index goes before the requirement file.
  EXPECT_LT(layerIndex(runtime, "python packages (from https://download.pytorch.org/whl/cpu)"),
            layerIndex(runtime, "requirements.txt"));
}

TEST(VenvPlanTest, PoetryComesFromAStageOfItsOwnForARuntimeVenv) {
  Planned planned = planFor(R"(imageplan: 1
name: p
base: {cuda: "12.1.1", cudnn: "8"}
python: {version: "3.10", manager: poetry}
app: {copy: [pyproject.toml, src/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &poetry = stageNamed(*planned.plan, "poetry");
  EXPECT_TRUE(findOp<plan::InstallPoetry>(poetry));
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_FALSE(findOp<plan::InstallPoetry>(runtime));
  const auto *install = findOp<plan::PoetryInstall>(runtime);
  ASSERT_TRUE(install);
  EXPECT_EQ(install->poetryStage, "poetry");
  EXPECT_EQ(install->poetryHome, "/opt/poetry");
}

TEST(VenvPlanTest, ModelsGiveTheHealthCheckTimeToLoad) {
  Planned baked = planFor(R"(imageplan: 1
name: h
base: {image: "python:3.11-slim"}
python: {requirements: [requirements.txt]}
models: [{id: org/m, path: /models/m, bake: true}]
app: {copy: [app/], expose: [8000], healthcheck: {http: /health}}
)");
  ASSERT_TRUE(baked.plan) << baked.diagnostics;
  EXPECT_EQ(baked.plan->stages.back().runtime->healthcheck->startPeriod, "2m");
  Planned atStart = planFor(R"(imageplan: 1
name: h
base: {image: "python:3.11-slim"}
python: {requirements: [requirements.txt]}
models: [{id: org/m, path: /models/m}]
app: {copy: [app/], expose: [8000], healthcheck: {http: /health, start_period: 20s}}
)");
  ASSERT_TRUE(atStart.plan) << atStart.diagnostics;
  EXPECT_EQ(atStart.plan->stages.back().runtime->healthcheck->startPeriod, "20s");
}

} // namespace
} // namespace imageplan::planner
