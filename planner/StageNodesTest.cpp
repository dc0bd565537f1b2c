// Each stage builder's anchors: which node of its stage it reports as the
// system packages, interpreter, pins, wheels, user, environment and workdir,
// and the edges later nodes take from them.
#include "planner/StageNodes.h"

#include "planner/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

constexpr const char *kWheels = R"(imageplan: 1
name: x
base: {image: "debian:bookworm-slim"}
system: {packages: [libgl1], build_packages: [g++]}
python:
  venv: runtime
  packages: [numpy==1.26.4]
  requirements: [requirements.txt]
  build: [mypkg==1.0]
app:
  copy: [src/]
  env: {MODE: prod}
steps:
  - {name: tool, stage: builder, run: make}
)";

TEST(StageNodesTest, BuilderAnchorsWithWheels) {
  TestStages stages(kWheels);
  ASSERT_TRUE(stages.builder);
  const StageAnchors &builder = *stages.builder;
  EXPECT_EQ(builder.stage, 0u);
  EXPECT_EQ(builder.system, 0u);
  EXPECT_EQ(stages.name(builder.system), "build packages");
  EXPECT_EQ(builder.interpreter, 1u);
  EXPECT_EQ(stages.name(builder.interpreter), "python venv");
  EXPECT_EQ(builder.pins, std::nullopt); // the venv is the runtime's
  EXPECT_EQ(builder.wheels, 3u);
  EXPECT_EQ(stages.name(builder.wheels), "wheels: mypkg==1.0");
  EXPECT_EQ(builder.workdir, 4u);
  EXPECT_EQ(stages.name(builder.workdir), "workdir /build");
  EXPECT_EQ(builder.user, std::nullopt);
  EXPECT_EQ(builder.env, std::nullopt);
  EXPECT_EQ(stages.needed(*builder.wheels),
            (std::vector<std::string>{"build packages", "python venv", "build requirements"}));
}

TEST(StageNodesTest, RuntimeAnchorsWithWheels) {
  TestStages stages(kWheels);
  const StageAnchors &runtime = stages.runtime;
  EXPECT_EQ(runtime.stage, 1u);
  EXPECT_EQ(stages.name(runtime.system), "system packages");
  EXPECT_EQ(stages.name(runtime.interpreter), "python venv");
  EXPECT_EQ(stages.name(runtime.user), "user app");
  EXPECT_EQ(stages.name(runtime.pins), "python packages");
  EXPECT_EQ(stages.name(runtime.env), "app environment");
  EXPECT_EQ(stages.name(runtime.workdir), "workdir /app");
  EXPECT_EQ(runtime.wheels, std::nullopt);
  EXPECT_EQ((std::vector<std::optional<unsigned>>{runtime.system, runtime.interpreter, runtime.user,
                                                  runtime.pins, runtime.env, runtime.workdir}),
            (std::vector<std::optional<unsigned>>{5, 6, 7, 8, 11, 12}));
  // The runtime's wheel install takes the builder's wheels and the
  // runtime's own venv, pins and system packages.
  EXPECT_EQ(stages.needed(stages.named("built wheels")),
            (std::vector<std::string>{"wheels: mypkg==1.0", "python venv", "python packages",
                                      "system packages"}));
  // The wheels come first: a requirement that asks for one finds it installed.
  EXPECT_EQ(stages.needed(stages.named("requirements.txt")),
            (std::vector<std::string>{"python venv", "python packages", "system packages",
                                      "built wheels"}));
  EXPECT_EQ(stages.needed(stages.named("app src/")), (std::vector<std::string>{"workdir /app"}));
}

TEST(StageNodesTest, VenvInTheBuilderMovesThePins) {
  TestStages stages(R"(imageplan: 1
name: x
base: {image: "debian:bookworm-slim"}
python:
  venv: builder
  packages: [numpy==1.26.4]
app: {user: root}
)");
  ASSERT_TRUE(stages.builder);
  EXPECT_EQ(stages.builder->system, std::nullopt);
  EXPECT_EQ(stages.name(stages.builder->interpreter), "python venv");
  EXPECT_EQ(stages.name(stages.builder->pins), "python packages");
  EXPECT_EQ(stages.builder->wheels, std::nullopt);
  EXPECT_EQ(stages.builder->workdir, std::nullopt); // no builder steps
  // The runtime gets the interpreter the copied venv links to, and no pins.
  EXPECT_EQ(stages.name(stages.runtime.interpreter), "python");
  EXPECT_EQ(stages.runtime.pins, std::nullopt);
  EXPECT_EQ(stages.runtime.user, std::nullopt); // root
  EXPECT_EQ(stages.needed(stages.named("venv /opt/venv from builder")),
            (std::vector<std::string>{"python"}));
  EXPECT_EQ(stages.graph.nodes[stages.named("venv /opt/venv from builder")].consumesStage, 0u);
}

TEST(StageNodesTest, NoBuilderWithoutSomethingToBuild) {
  TestStages stages(R"(imageplan: 1
name: x
base: {image: "python:3.11-slim"}
python: {requirements: [requirements.txt]}
app: {copy: [main.py]}
)");
  EXPECT_FALSE(stages.builder);
  EXPECT_EQ(stages.runtime.stage, 0u);
  EXPECT_EQ(stages.runtime.system, std::nullopt);
  EXPECT_EQ(stages.name(stages.runtime.interpreter), "python venv");
  EXPECT_EQ(stages.runtime.pins, std::nullopt);
  EXPECT_EQ(stages.runtime.env, std::nullopt);
  EXPECT_EQ(stages.name(stages.runtime.workdir), "workdir /app");
}

} // namespace
} // namespace imageplan::planner
