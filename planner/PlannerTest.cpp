// End-to-end planner tests: YAML in, plan (stages, layer order, merging) out.
// The tests by kind of base image are PlannerBasesTest.cpp.
#include "planner/Planner.h"

#include "planner/History.h"
#include "planner/TestSupport.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

constexpr const char *kOcr = R"(imageplan: 1
name: ocr
base: {cuda: "11.8", cudnn: "8", os: ubuntu22.04}
system: {packages: [libgl1], build_packages: [git]}
python:
  version: "3.10"
  venv: runtime
  packages: [torch==2.0.1]
  requirements: [requirements.txt]
  build: [flash-attn==2.3.6]
models:
  - {id: deepseek-ai/DeepSeek-OCR, path: /models/ocr, bake: true, token_secret: hf}
app:
  copy: [app/]
  dirs: [uploads]
  env: {MODEL_PATH: /models/ocr}
  expose: [8000]
  cmd: [uvicorn, app.main:app]
)";

TEST(PlannerTest, StagesOfAGpuServiceWithABakedModel) {
  Planned planned = planFor(kOcr);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Plan &plan = *planned.plan;
  ASSERT_EQ(plan.stages.size(), 4u);
  EXPECT_EQ(plan.stages[0].name, "python-pins");
  EXPECT_EQ(plan.stages[1].name, "builder");
  EXPECT_EQ(plan.stages[1].from, "nvidia/cuda:11.8.0-cudnn8-devel-ubuntu22.04");
  EXPECT_EQ(plan.stages[2].name, "model-deepseek-ocr");
  EXPECT_EQ(plan.stages[3].name, "runtime");
  EXPECT_EQ(plan.stages[3].from, "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04");
  EXPECT_EQ(plan.stages[3].runtime->user, "app");
}

TEST(PlannerTest, RuntimeLayersGoFromStableToVolatile) {
  Planned planned = planFor(kOcr);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  EXPECT_EQ(layerNames(stageNamed(*planned.plan, "runtime")),
            (std::vector<std::string>{
                "python 3.10 venv, system packages",
                "python packages", // torch costs minutes: a RUN of its own
                "model deepseek-ai/DeepSeek-OCR",
                "user app",
                "built wheels", // before the requirements, which may ask for it
                "requirements.txt",
                "workdir /app",
                "app directories",
                "app app/",
                "app environment",
            }));
}

TEST(PlannerTest, MergedLayerInstallsAptPackagesOnce) {
  Planned planned = planFor(kOcr);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Layer &first = stageNamed(*planned.plan, "runtime").layers.front();
  ASSERT_EQ(first.ops.size(), 2u);
  const auto &apt = std::get<plan::SystemInstall>(first.ops[0]);
  EXPECT_EQ(apt.packages, (std::vector<std::string>{"libgl1", "python3", "python3-venv"}));
  EXPECT_TRUE(std::holds_alternative<plan::CreateVenv>(first.ops[1]));
}

TEST(PlannerTest, ContextHoldsOnlyWhatTheImageReads) {
  Planned planned = planFor(kOcr);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  EXPECT_EQ(planned.plan->contextPaths,
            (std::vector<std::string>{"requirements.txt", "app/"}));
}

TEST(PlannerTest, BaseOverrideReplacesEveryBase) {
  PlanOptions options;
  options.baseOverride = "debian:bookworm-slim";
  Planned planned = planFor(kOcr, options);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  // A stage from another stage of the plan (runtime-base) has it all the same.
  for (const plan::Stage &stage : planned.plan->stages)
    EXPECT_EQ(stage.fromStage ? stageNamed(*planned.plan, stage.from).from : stage.from,
              "debian:bookworm-slim")
        << stage.name;
}

// The http check's request gives up when Docker would kill it: the spec's
// timeout in seconds, else Docker's default of 30.
TEST(PlannerTest, HttpHealthcheckWaitsAsLongAsItsTimeout) {
  auto commandFor = [](llvm::StringRef timeout) {
    std::string yaml = "imageplan: 1\nname: x\nbase: {image: \"python:3.11-slim\"}\n"
                       "python: {version: \"3.11\"}\n"
                       "app: {expose: [80], healthcheck: {http: /up" +
                       (timeout.empty() ? std::string() : ", timeout: " + timeout.str()) +
                       "}}\n";
    Planned planned = planFor(yaml);
    EXPECT_TRUE(planned.plan) << planned.diagnostics;
    if (!planned.plan)
      return std::vector<std::string>();
    return planned.plan->stages.back().runtime->healthcheck->cmd;
  };
  std::vector<std::string> cmd = commandFor("");
  ASSERT_EQ(5u, cmd.size());
  EXPECT_EQ("http://127.0.0.1:80/up", cmd[3]);
  EXPECT_EQ("30", cmd[4]);
  EXPECT_EQ("90", commandFor("1m30s").back());
  EXPECT_EQ("0.5", commandFor("500ms").back());
  EXPECT_EQ("3.25", commandFor("3s250ms").back());
  EXPECT_EQ("7200", commandFor("2h").back());
}

TEST(PlannerTest, PythonTheBaseDoesNotShipComesFromUv) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {cuda: "12.1.1", os: ubuntu22.04}
system: {build_packages: [git]}
python: {version: "3.12", uv_version: "0.5.9", manager: uv}
app: {copy: [.]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &builder = stageNamed(*planned.plan, "builder");
  const auto *install = findOp<plan::InstallPython>(builder);
  ASSERT_TRUE(install);
  EXPECT_EQ(install->version, "3.12");
  EXPECT_EQ(install->uvImage, "ghcr.io/astral-sh/uv:0.5.9");
  EXPECT_EQ(install->installDir, "/opt/python");
  EXPECT_EQ(install->venv, "/opt/venv");
  // No distribution python anywhere: the runtime copies the builder's.
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_FALSE(findOp<plan::SystemInstall>(runtime));
  const auto *copy = findOp<plan::CopyStage>(runtime);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->source, "/opt/python");
}

TEST(PlannerTest, CyclesAreReportedWithEachEdge) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: debian:bookworm-slim}
app: {}
steps:
  - {name: a, run: "true", after: [c]}
  - {name: b, run: "true", after: [a]}
  - {name: c, run: "true", after: [b]}
)");
  EXPECT_FALSE(planned.plan);
  EXPECT_EQ(planned.diagnostics,
            "spec.yaml:6:12: error: dependency cycle: 'a' -> 'b' -> 'c' -> 'a'\n"
            "  - {name: a, run: \"true\", after: [c]}\n"
            "           ^\n"
            "spec.yaml:7:36: note: 'b' runs after 'a' here\n"
            "  - {name: b, run: \"true\", after: [a]}\n"
            "                                   ^\n"
            "spec.yaml:8:36: note: 'c' runs after 'b' here\n"
            "  - {name: c, run: \"true\", after: [b]}\n"
            "                                   ^\n"
            "spec.yaml:6:36: note: 'a' runs after 'c' here\n"
            "  - {name: a, run: \"true\", after: [c]}\n"
            "                                   ^\n");
}

TEST(PlannerTest, BuilderStepOutputsAreCopiedIntoTheRuntime) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: debian:bookworm-slim}
system: {build_packages: [g++]}
app: {copy: [src/]}
steps:
  - {name: tool, stage: builder, run: make, inputs: [tool/], outputs: [/opt/tool]}
  - {name: check, run: /opt/tool/bin/check, after: [tool]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  std::vector<std::string> names = layerNames(runtime);
  auto position = [&](llvm::StringRef name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };
  EXPECT_LT(position("/opt/tool from tool"), position("check"));
  EXPECT_EQ(layerNames(stageNamed(*planned.plan, "builder")),
            (std::vector<std::string>{"build packages", "workdir /build", "tool"}));
}

TEST(PlannerTest, GroupWithNothingInTheStepsStage) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: debian:bookworm-slim}
app: {}
steps:
  - {name: tool, stage: builder, run: make, after: [models]}
)");
  EXPECT_FALSE(planned.plan);
  EXPECT_NE(planned.diagnostics.find("error: 'models' has nothing in stage 'builder'"),
            std::string::npos)
      << planned.diagnostics;
}

TEST(PlannerTest, EditsOfExcludedFilesAreNoChange) {
  History history;
  for (std::vector<std::string> files : std::vector<std::vector<std::string>>{
           {"tests/test_api.py"}, {"build/x.log", "docs/a.md"}, {"app/api.py"}, {"tests/b.py"}}) {
    Commit commit;
    commit.files = std::move(files);
    history.commits.push_back(std::move(commit));
  }
  PlanOptions options;
  options.history = &history;
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: "debian:12"}
app: {copy: [.], exclude: [tests/, docs, "**/*.log"], user: root}
)",
                            options);
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  const plan::Layer &copy = runtime.layers.back();
  EXPECT_EQ(copy.what, "app .");
  EXPECT_DOUBLE_EQ(copy.changeProbability, 0.25); // only the app/api.py commit
  EXPECT_EQ(planned.plan->contextExcludes,
            (std::vector<std::string>{"tests/", "docs", "**/*.log"}));
}

TEST(PlannerTest, InlineFilesAreRarelyChangingNodes) {
  Planned planned = planFor(R"(imageplan: 1
name: x
base: {image: "debian:12"}
files:
  - {path: /usr/local/bin/run.sh, mode: "755", content: "#!/bin/sh\nexec \"$@\"\n"}
app: {user: root}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  auto files = opsOf<plan::WriteFile>(stageNamed(*planned.plan, "runtime"));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].mode, "0755");
  EXPECT_EQ(files[0].content, "#!/bin/sh\nexec \"$@\"\n");
}

TEST(PlannerTest, SamePlanTwice) {
  Planned first = planFor(kOcr), second = planFor(kOcr);
  ASSERT_TRUE(first.plan && second.plan);
  EXPECT_EQ(layerNames(first.plan->stages.back()), layerNames(second.plan->stages.back()));
}

TEST(PlannerTest, UvProjectDependenciesBeforeTheCodeAndTheProjectAfter) {
  Planned planned = planFor(R"(imageplan: 1
name: uv
base: {image: "python:3.12-slim"}
python: {version: "3.12", manager: uv, uv_version: "0.5.9", extras: [server]}
app: {copy: [pyproject.toml, src/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  ASSERT_EQ(planned.plan->stages.size(), 1u);
  const plan::Stage &runtime = planned.plan->stages.front();
  const auto *sync = findOp<plan::UvSync>(runtime);
  ASSERT_TRUE(sync);
  EXPECT_EQ(sync->manifestFiles, (std::vector<std::string>{"pyproject.toml", "uv.lock"}));
  EXPECT_EQ(sync->extras, std::vector<std::string>{"server"});
  EXPECT_EQ(sync->venv, "/opt/venv");
  const auto *uv = findOp<plan::CopyStage>(runtime);
  ASSERT_TRUE(uv);
  EXPECT_EQ(uv->stage, "ghcr.io/astral-sh/uv:0.5.9");
  const auto *project = findOp<plan::InstallProject>(runtime);
  ASSERT_TRUE(project);
  EXPECT_EQ(project->installer, "uv");
  EXPECT_EQ(project->path, "/app/");
  EXPECT_EQ(project->uvImage, ""); // the stage has /bin/uv
  EXPECT_LT(layerIndex(runtime, "uv 0.5.9"), layerIndex(runtime, "uv.lock"));
  EXPECT_LT(layerIndex(runtime, "uv.lock"), layerIndex(runtime, "app src/"));
  EXPECT_LT(layerIndex(runtime, "app src/"), layerIndex(runtime, "app as a package"));
  EXPECT_LT(layerIndex(runtime, "app pyproject.toml"), layerIndex(runtime, "app as a package"));
  EXPECT_EQ(planned.plan->contextPaths,
            (std::vector<std::string>{"pyproject.toml", "uv.lock", "src/"}));
}

TEST(PlannerTest, PoetryInstallsItselfAtItsPinAndTheLockWithoutTheRoot) {
  Planned planned = planFor(R"(imageplan: 1
name: p
base: {cuda: "12.1.1"}
python: {manager: poetry, project: svc, extras: [cuda]}
app: {copy: [svc/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  // The venv is built in the runtime, poetry in a stage of its own.
  EXPECT_FALSE(findOp<plan::InstallPoetry>(runtime));
  const auto *poetry = findOp<plan::InstallPoetry>(stageNamed(*planned.plan, "poetry"));
  ASSERT_TRUE(poetry);
  EXPECT_EQ(poetry->version, "1.8.5");
  EXPECT_EQ(poetry->path, "/opt/poetry");
  const auto *install = findOp<plan::PoetryInstall>(runtime);
  ASSERT_TRUE(install);
  EXPECT_EQ(install->manifestFiles,
            (std::vector<std::string>{"svc/pyproject.toml", "svc/poetry.lock"}));
  EXPECT_EQ(install->projectDir, "svc");
  EXPECT_EQ(install->poetry, "/opt/poetry/bin/poetry");
  const auto *project = findOp<plan::InstallProject>(runtime);
  ASSERT_TRUE(project);
  EXPECT_EQ(project->installer, "pip");
  EXPECT_EQ(project->path, "/app/svc");
}

TEST(PlannerTest, VenvInTheBuilderIsCopiedWholeIntoTheRuntime) {
  Planned planned = planFor(R"(imageplan: 1
name: v
base: {cuda: "11.8", cudnn: "8"}
system: {packages: [libpq5], build_packages: [libpq-dev]}
python: {version: "3.10", manager: uv, project: .}
app: {copy: [.]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  const plan::Stage &builder = stageNamed(*planned.plan, "builder");
  const plan::Stage &runtime = stageNamed(*planned.plan, "runtime");
  EXPECT_TRUE(findOp<plan::UvSync>(builder));
  EXPECT_FALSE(findOp<plan::UvSync>(runtime));
  EXPECT_FALSE(findOp<plan::CreateVenv>(runtime));
  const auto *venv = findOp<plan::CopyStage>(runtime);
  ASSERT_TRUE(venv);
  EXPECT_EQ(venv->stage, "builder");
  EXPECT_EQ(venv->source, "/opt/venv");
  EXPECT_EQ(venv->dest, "/opt/venv");
  const auto *python = findOp<plan::SystemInstall>(runtime);
  ASSERT_TRUE(python);
  EXPECT_TRUE(llvm::is_contained(python->packages, "python3"));
  EXPECT_FALSE(llvm::is_contained(python->packages, "python3-venv"));
  // No uv binary in the runtime: it is bind-mounted for the project install.
  const auto *project = findOp<plan::InstallProject>(runtime);
  ASSERT_TRUE(project);
  EXPECT_EQ(project->uvImage, "ghcr.io/astral-sh/uv:0.5.11");
  EXPECT_EQ(runtime.pathPrepend, "/opt/venv/bin");
}

TEST(PlannerTest, ConstraintsReachEveryPipCallAndOptionsGetTheirOwn) {
  Planned planned = planFor(R"(imageplan: 1
name: c
base: {image: "python:3.11-slim"}
python:
  packages: [numpy==1.26.4, {name: "w @ https://x.org/w.tar.gz", options: [--no-deps]},
             {name: x==1, options: [--no-deps]}, {name: y==2, options: [--pre]}]
  requirements: [requirements.txt]
  constraints: [constraints.txt]
app: {copy: [app/]}
)");
  ASSERT_TRUE(planned.plan) << planned.diagnostics;
  std::vector<const plan::PipInstall *> pips;
  for (const plan::Layer &layer : stageNamed(*planned.plan, "runtime").layers)
    for (const plan::Op &op : layer.ops)
      if (const auto *pip = std::get_if<plan::PipInstall>(&op))
        pips.push_back(pip);
  ASSERT_EQ(pips.size(), 4u);
  for (const plan::PipInstall *pip : pips)
    EXPECT_EQ(pip->constraintFiles, std::vector<std::string>{"constraints.txt"});
  EXPECT_TRUE(pips[0]->options.empty());
  EXPECT_TRUE(pips[1]->options.empty());
  EXPECT_EQ(pips[2]->options, std::vector<std::string>{"--no-deps"});
  EXPECT_EQ(pips[2]->packages, (std::vector<std::string>{"w @ https://x.org/w.tar.gz", "x==1"}));
  EXPECT_EQ(pips[3]->options, std::vector<std::string>{"--pre"});
  EXPECT_EQ(planned.plan->contextPaths,
            (std::vector<std::string>{"constraints.txt", "requirements.txt", "app/"}));
}

} // namespace
} // namespace imageplan::planner
