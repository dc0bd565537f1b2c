// What the graph is built on: the spec's package manager, and where a Python
// the base does not ship comes from.
#include "planner/GraphInputs.h"

#include "planner/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

/// The inputs of a spec on `base` with `python` (a YAML mapping, or "").
struct Inputs {
  Inputs(llvm::StringRef base, llvm::StringRef python, PlanOptions options = {})
      : parsed("imageplan: 1\nname: x\nbase: " + base.str() + "\n" +
               (python.empty() ? "" : "python: " + python.str() + "\n") + "app: {}\n") {
    if (parsed.spec)
      in.emplace(graphInputs(parsed.diags, *parsed.spec, options));
  }
  TestSpec parsed;
  std::optional<GraphInputs> in;
};

TEST(GraphInputsTest, AVersionTheBaseShipsNeedsNothingMore) {
  Inputs inputs(R"({image: "debian:bookworm-slim"})", R"({version: "3.11"})");
  EXPECT_EQ(inputs.parsed.printed, "");
  EXPECT_EQ(inputs.in->managedPython, "");
  EXPECT_EQ(inputs.in->uvImage(), "ghcr.io/astral-sh/uv:0.5.11");
}

TEST(GraphInputsTest, AnotherVersionComesFromUv) {
  Inputs inputs(R"({image: "debian:bookworm-slim"})", R"({version: "3.12"})");
  EXPECT_EQ(inputs.parsed.printed, "");
  EXPECT_EQ(inputs.in->managedPython, "3.12");
}

TEST(GraphInputsTest, AnOverriddenBaseIsTakenAsItIs) {
  PlanOptions options;
  options.baseOverride = "localhost/base:1";
  Inputs inputs(R"({image: "python:3.11-slim"})", R"({version: "3.12"})", options);
  EXPECT_EQ(inputs.parsed.printed, "");
  EXPECT_EQ(inputs.in->managedPython, "");
  EXPECT_EQ(inputs.in->base.runtime, "localhost/base:1");
}

TEST(GraphInputsTest, APythonImageMustShipTheVersion) {
  Inputs inputs(R"({image: "python:3.11-slim"})", R"({version: "3.12"})");
  EXPECT_EQ(inputs.in->managedPython, "");
  EXPECT_EQ(inputs.parsed.diags.errorCount(), 1u);
}

TEST(GraphInputsTest, TheSpecsManagerWinsAndRootIsNoUser) {
  TestSpec parsed(R"(imageplan: 1
name: x
base: {image: "debian:bookworm-slim"}
system: {manager: apk}
python: {index_urls: ["https://pypi.example/simple"], constraints: [c.txt]}
app: {user: root}
)");
  GraphInputs in = graphInputs(parsed.diags, *parsed.spec, PlanOptions{});
  EXPECT_EQ(in.base.manager, plan::PackageManager::Apk);
  EXPECT_EQ(in.runtimeUser(), "");
  EXPECT_EQ(in.indexUrls(), (std::vector<std::string>{"https://pypi.example/simple"}));
  EXPECT_EQ(in.constraintFiles(), (std::vector<std::string>{"c.txt"}));
  EXPECT_FALSE(in.venvInBuilder);
}

} // namespace
} // namespace imageplan::planner
