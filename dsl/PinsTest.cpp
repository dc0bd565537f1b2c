// The pins of a python section and the constraints file they become.
#include "dsl/Pins.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

TEST(PinsTest, PinsBecomeConstraintLines) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(R"(imageplan: 1
name: x
base: {image: python:3.11-slim}
python:
  packages:
    - torch==2.0.1+cu118
    - transformers[torch]>=4.40
    - requests
    - numpy==1.26.4;python_version<"3.12"
    - name: whisper @ https://example.com/whisper.tar.gz
      options: [--no-deps]
  build: [flash_attn==2.3.6, torch==2.0.1+cu118]
app: {}
)");
  ASSERT_TRUE(spec) << c.output();
  EXPECT_EQ(constraintLines(*spec->python),
            (std::vector<std::string>{"torch==2.0.1+cu118", "transformers>=4.40",
                                      "numpy==1.26.4; python_version<\"3.12\"",
                                      "whisper @ https://example.com/whisper.tar.gz",
                                      "flash-attn==2.3.6"}));
  std::optional<PinnedVersion> torch = pinnedVersion(*spec->python, "Torch");
  ASSERT_TRUE(torch);
  EXPECT_EQ(torch->version, "2.0.1");
  EXPECT_EQ(torch->local, "cu118");
  EXPECT_FALSE(pinnedVersion(*spec->python, "transformers")); // not exact
  EXPECT_FALSE(pinnedVersion(*spec->python, "flash-attn"));   // built, not pinned
  EXPECT_EQ(requirementName("Flash_Attn==2.3.6"), "flash-attn");
  EXPECT_EQ(exactVersion("flash-attn==2.3.6"), "2.3.6");
  EXPECT_EQ(exactVersion("flash-attn>=2.3"), "");
  EXPECT_EQ(exactVersion("torch==2.*"), "");
}

TEST(PinsTest, NothingPinnedGivesNoLines) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse("imageplan: 1\nname: x\nbase: {image: python:3.11-slim}\n"
                                     "python: {requirements: [r.txt], packages: [requests]}\n"
                                     "app: {}\n");
  ASSERT_TRUE(spec) << c.output();
  EXPECT_TRUE(constraintLines(*spec->python).empty());
}

} // namespace
} // namespace imageplan::dsl
