// A model's download settings: what parses, and what the checks refuse.
#include "dsl/ModelCheck.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

constexpr const char *kHead = "imageplan: 1\nname: x\nbase: {image: python:3.12-slim}\napp: {}\n"
                              "models:\n";

/// Diagnostics of parsing and checking a spec whose models are `models`.
std::string diagnostics(llvm::StringRef models) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(std::string(kHead) + models.str());
  if (spec)
    llvm::consumeError(checkSpec(c.engine(), *spec, "", nullptr));
  return c.output();
}

TEST(ModelCheckTest, ReadsTheDownloadSettings) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(
      std::string(kHead) +
      "  - {id: org/m, path: /models/m, bake: true, image: runtime, hub_version: \"0.35.3\",\n"
      "     hf_transfer: true, allow_patterns: [\"*.json\", tokenizer/],\n"
      "     ignore_patterns: [\"*.bin\"]}\n"
      "  - {id: org/n, path: /models/n, bake: true, downloader: urllib}\n");
  ASSERT_TRUE(spec) << c.output();
  const ModelSpec &model = spec->models[0];
  EXPECT_EQ(model.image->value, "runtime");
  EXPECT_EQ(hubVersion(model), "0.35.3");
  EXPECT_TRUE(model.hfTransfer->value);
  ASSERT_EQ(model.allowPatterns.size(), 2u);
  EXPECT_EQ(model.allowPatterns[1].value, "tokenizer/");
  EXPECT_EQ(model.ignorePatterns[0].value, "*.bin");
  EXPECT_FALSE(usesUrllib(model));
  EXPECT_TRUE(usesUrllib(spec->models[1]));
  EXPECT_EQ(hubVersion(spec->models[1]), kDefaultHubVersion);
  EXPECT_EQ(c.output(), "");
}

TEST(ModelCheckTest, SettingsOfABuildTimeDownloadNeedBake) {
  EXPECT_EQ(diagnostics("  - {id: org/m, path: /m, allow_patterns: [\"*.json\"]}\n"),
            "imageplan.yaml:6:44: error: 'allow_patterns' applies to a download at build time; "
            "set 'bake: true' or remove it (a model that is not baked is fetched by the app)\n"
            "  - {id: org/m, path: /m, allow_patterns: [\"*.json\"]}\n"
            "                                           ^\n");
}

TEST(ModelCheckTest, UrllibInstallsNothing) {
  EXPECT_EQ(diagnostics("  - {id: org/m, path: /m, bake: true, downloader: urllib,\n"
                        "     hub_version: \"0.36.0\", hf_transfer: true}\n"),
            "imageplan.yaml:7:19: error: 'hub_version' needs 'downloader: huggingface_hub'; "
            "the urllib downloader installs nothing\n"
            "     hub_version: \"0.36.0\", hf_transfer: true}\n"
            "                  ^\n"
            "imageplan.yaml:7:42: error: 'hf_transfer' needs 'downloader: huggingface_hub'\n"
            "     hub_version: \"0.36.0\", hf_transfer: true}\n"
            "                                         ^\n");
}

TEST(ModelCheckTest, HfTransferNeedsAHubBeforeOne) {
  EXPECT_EQ(diagnostics("  - {id: org/m, path: /m, bake: true, hub_version: \"1.2.0\", "
                        "hf_transfer: true}\n"),
            "imageplan.yaml:6:74: error: huggingface_hub 1.2.0 does not use hf_transfer (1.0 "
            "replaced it with hf_xet); remove 'hf_transfer' or set 'hub_version' to a 0.x "
            "release such as \"0.36.0\"\n"
            "  - {id: org/m, path: /m, bake: true, hub_version: \"1.2.0\", hf_transfer: true}\n"
            "                                                                         ^\n");
}

TEST(ModelCheckTest, PatternsAndDownloadersAreChecked) {
  std::string out = diagnostics("  - {id: org/m, path: /m, bake: true, downloader: curl,\n"
                                "     allow_patterns: [/etc/passwd, ../x, \"--x\"]}\n");
  EXPECT_NE(out.find("error: invalid downloader 'curl'"), std::string::npos) << out;
  EXPECT_NE(out.find("error: invalid file pattern '/etc/passwd'"), std::string::npos) << out;
  EXPECT_NE(out.find("error: invalid file pattern '../x'; a pattern may not contain '..'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("error: invalid file pattern '--x'"), std::string::npos) << out;
}

} // namespace
} // namespace imageplan::dsl
