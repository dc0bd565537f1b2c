// Custom steps on top of the builder and runtime stages: the edges each step
// gets, the `after:` locations a cycle report notes, the built-in groups by
// stage, and the errors of `after:` across stages.
#include "planner/StepNodes.h"

#include "planner/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

/// The stages of `yaml` with its top-level steps added.
struct WithSteps : TestStages {
  explicit WithSteps(llvm::StringRef yaml) : TestStages(yaml) {
    if (parsed.spec)
      addCustomSteps(graph, parsed.diags, parsed.spec->steps, builder, runtime, steps);
  }
  StepIndex steps;
};

constexpr const char *kRuntimeSteps = R"(imageplan: 1
name: x
base: {image: "python:3.11-slim"}
system: {packages: [curl]}
python: {requirements: [requirements.txt]}
app: {copy: [src/], env: {MODE: prod}}
steps:
  - {name: lint, run: make lint}
  - {name: test, run: make test, after: [lint, app]}
)";

TEST(StepNodesTest, AStepNeedsItsStagesSystemPythonEnvWorkdirAndAfters) {
  WithSteps built(kRuntimeSteps);
  EXPECT_EQ(built.parsed.printed, "");
  unsigned lint = built.steps.nodes.at("lint"), test = built.steps.nodes.at("test");
  EXPECT_EQ(built.needed(lint),
            (std::vector<std::string>{"system packages", "python venv", "requirements.txt",
                                      "app environment", "workdir /app"}));
  EXPECT_EQ(built.needed(test),
            (std::vector<std::string>{"system packages", "python venv", "requirements.txt",
                                      "app environment", "workdir /app", "lint", "app src/"}));
  // Only the step-after-step edge has a location for a cycle report.
  ASSERT_EQ(built.steps.afterLocs.size(), 1u);
  EXPECT_EQ(built.steps.afterLocs.begin()->first, std::make_pair(lint, test));
  EXPECT_EQ(built.parsed.diags.describe(built.steps.afterLocs.begin()->second), "spec.yaml:9:42");
}

TEST(StepNodesTest, GroupsHoldTheBuiltInNodesOfEachStage) {
  WithSteps built(kRuntimeSteps);
  std::map<std::pair<std::string, unsigned>, std::vector<std::string>> named;
  for (const auto &[key, members] : groupIndex(built.graph))
    for (unsigned member : members)
      named[key].push_back(built.graph.nodes[member].name);
  EXPECT_EQ(named, (std::map<std::pair<std::string, unsigned>, std::vector<std::string>>{
                       {{"app", 0}, {"app environment", "app src/"}},
                       {{"python", 0}, {"python venv", "requirements.txt"}},
                       {{"system", 0}, {"system packages"}}}));
}

TEST(StepNodesTest, ABuilderStepCannotRunAfterARuntimeStep) {
  WithSteps built(R"(imageplan: 1
name: x
base: {image: "debian:bookworm-slim"}
app: {}
steps:
  - {name: lint, run: make lint}
  - {name: tool, stage: builder, run: make, after: [lint]}
)");
  EXPECT_EQ(built.parsed.printed,
            "spec.yaml:7:53: error: step 'tool' runs in stage 'builder' and cannot run after "
            "'lint', which runs in stage 'runtime'\n"
            "  - {name: tool, stage: builder, run: make, after: [lint]}\n"
            "                                                    ^\n");
}

constexpr const char *kAfterBuilderStep = R"(imageplan: 1
name: x
base: {image: "debian:bookworm-slim"}
app: {}
steps:
  - {name: tool, stage: builder, run: make%s}
  - {name: check, run: /opt/tool/bin/check, after: [tool]}
)";

std::string afterBuilderStep(llvm::StringRef outputs) {
  std::string yaml = kAfterBuilderStep;
  yaml.replace(yaml.find("%s"), 2, outputs.str());
  return yaml;
}

TEST(StepNodesTest, ARuntimeStepAfterABuilderStepNeedsItsOutputs) {
  WithSteps built(afterBuilderStep(", outputs: [/opt/tool]"));
  EXPECT_EQ(built.parsed.printed, "");
  unsigned copy = built.named("/opt/tool from tool");
  EXPECT_EQ(built.graph.nodes[copy].stage, built.runtime.stage);
  EXPECT_EQ(built.graph.nodes[copy].consumesStage, built.builder->stage);
  EXPECT_EQ(built.needed(copy), (std::vector<std::string>{"tool"}));
  EXPECT_EQ(built.needed(built.steps.nodes.at("check")),
            (std::vector<std::string>{"workdir /app", "/opt/tool from tool"}));
  EXPECT_TRUE(built.steps.afterLocs.empty());
}

TEST(StepNodesTest, ARuntimeStepAfterABuilderStepWithoutOutputs) {
  WithSteps built(afterBuilderStep(""));
  EXPECT_EQ(built.parsed.printed,
            "spec.yaml:7:53: error: step 'check' runs after builder step 'tool', which has no "
            "'outputs' to copy into the runtime stage\n"
            "  - {name: check, run: /opt/tool/bin/check, after: [tool]}\n"
            "                                                    ^\n");
}

} // namespace
} // namespace imageplan::planner
