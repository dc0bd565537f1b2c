// The compatibility checks and the build checks on small specs: exact
// messages for the common mistakes (the negative suite under
// tests/negative/compat-* has one case per combination), and the defaults
// the table derives (the PyTorch index, the wheel builds and their knobs).
#include "dsl/BuildCheck.h"
#include "dsl/CompatCheck.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

struct Checked {
  explicit Checked(const std::string &body)
      : spec(c.parse("imageplan: 1\nname: x\n" + body + "app: {}\n")) {
    if (spec) {
      checkCompatibility(c.engine(), *spec);
      checkBuilds(c.engine(), *spec);
    }
  }
  CapturedDiagnostics c;
  std::optional<Spec> spec;
};

TEST(CompatCheckTest, TorchWithoutWheelsForTheBasesCuda) {
  Checked k("base: {cuda: \"12.1\"}\npython: {packages: [torch==2.0.1]}\n");
  ASSERT_TRUE(k.spec);
  EXPECT_EQ(k.c.output(),
            "imageplan.yaml:3:14: error: torch 2.0.1 has CUDA 11.7 and 11.8 wheels; did you mean "
            "cuda: \"11.8\"?\n"
            "base: {cuda: \"12.1\"}\n"
            "             ^\n"
            "imageplan.yaml:4:21: note: torch is pinned here\n"
            "python: {packages: [torch==2.0.1]}\n"
            "                    ^\n");
}

TEST(CompatCheckTest, AFittingSpecIsQuiet) {
  Checked k("base: {cuda: \"11.8\", cudnn: \"8\"}\n"
            "python: {version: \"3.10\", packages: [torch==2.0.1, torchvision==0.15.2],\n"
            "  build_requires: [packaging, ninja, wheel], build: [flash-attn==2.3.6]}\n");
  ASSERT_TRUE(k.spec);
  EXPECT_EQ(k.c.output(), "");
}

TEST(CompatCheckTest, TheIndexFollowsTheBasesCuda) {
  Checked k("base: {cuda: \"12.4.1\"}\npython: {packages: [torch==2.5.1]}\n");
  ASSERT_TRUE(k.spec);
  EXPECT_EQ(defaultIndexUrls(*k.spec),
            (std::vector<std::string>{"https://download.pytorch.org/whl/cu124",
                                      "https://pypi.org/simple"}));
  // The newest tag not above the base: 2.1.0 has cu118 and cu121.
  Checked older("base: {cuda: \"12.2.2\"}\npython: {packages: [torchvision==0.16.0]}\n");
  ASSERT_TRUE(older.spec);
  EXPECT_EQ(defaultIndexUrls(*older.spec).front(), "https://download.pytorch.org/whl/cu121");
  // A wheel tag in the pin wins; given indexes and non-CUDA bases get none.
  Checked local("base: {cuda: \"11.8\"}\npython: {packages: [torch==2.0.1+cu117]}\n");
  EXPECT_EQ(defaultIndexUrls(*local.spec).front(), "https://download.pytorch.org/whl/cu117");
  Checked given("base: {cuda: \"11.8\"}\npython: {packages: [torch==2.0.1], index_urls: "
                "[https://pypi.org/simple]}\n");
  EXPECT_TRUE(defaultIndexUrls(*given.spec).empty());
  Checked cpu("base: {image: python:3.11-slim}\npython: {packages: [torch==2.0.1]}\n");
  EXPECT_TRUE(defaultIndexUrls(*cpu.spec).empty());
}

TEST(CompatCheckTest, ThePythonOfTheBaseCounts) {
  EXPECT_EQ(Checked("base: {cuda: \"12.1\", os: ubuntu24.04}\n").spec->base.os->value,
            "ubuntu24.04");
  Checked k("base: {cuda: \"12.1\", os: ubuntu24.04}\npython: {packages: [torch==2.1.0]}\n");
  EXPECT_EQ(effectivePython(*k.spec), "3.12");
  EXPECT_NE(k.c.output().find("torch 2.1.0 has wheels for Python 3.8 to 3.11, and ubuntu24.04 "
                              "ships 3.12; did you mean torch==2.2.2?"),
            std::string::npos)
      << k.c.output();
}

TEST(BuildCheckTest, WheelBuildsGroupByIsolation) {
  Checked k("base: {cuda: \"11.8\"}\n"
            "python: {packages: [torch==2.0.1], build_requires: [packaging, ninja, wheel],\n"
            "  build: [flash-attn==2.3.6, ujson==5.10.0], build_jobs: 8}\n");
  ASSERT_TRUE(k.spec);
  std::vector<WheelBuildGroup> groups = wheelBuilds(*k.spec);
  ASSERT_EQ(groups.size(), 1u); // with build_requires, everything builds in the venv
  EXPECT_FALSE(groups[0].isolated);
  EXPECT_EQ(groups[0].packages, (std::vector<std::string>{"flash-attn==2.3.6", "ujson==5.10.0"}));
  EXPECT_EQ(groups[0].env, (std::vector<std::pair<std::string, std::string>>{
                               {"MAX_JOBS", "8"},
                               {"TORCH_CUDA_ARCH_LIST", "7.0 7.5 8.0 8.6 8.9 9.0+PTX"}}));

  Checked plain("base: {image: alpine:3.20}\npython: {version: \"3.12\", build: [ujson==5.10.0]}\n");
  ASSERT_TRUE(plain.spec);
  std::vector<WheelBuildGroup> isolated = wheelBuilds(*plain.spec);
  ASSERT_EQ(isolated.size(), 1u);
  EXPECT_TRUE(isolated[0].isolated);
  EXPECT_TRUE(isolated[0].env.empty());
  EXPECT_EQ(plain.c.output(), "");
}

TEST(BuildCheckTest, FlashAttentionNeedsItsBuildRequirements) {
  Checked k("base: {cuda: \"11.8\"}\n"
            "python: {packages: [torch==2.0.1], build_requires: [packaging], "
            "build: [flash-attn==2.3.6]}\n");
  ASSERT_TRUE(k.spec);
  EXPECT_NE(k.c.output().find("error: flash-attn 2.3.6 is built with --no-build-isolation against "
                              "the pinned torch, and needs packaging, ninja and wheel at build "
                              "time; add ninja and wheel to 'build_requires'"),
            std::string::npos)
      << k.c.output();
}

} // namespace
} // namespace imageplan::dsl
