// Tests for checkSpec: the whole-spec rules and the build-context checks.
#include "dsl/Parser.h"

#include "dsl/TestSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

constexpr const char *kHead = "imageplan: 1\nname: x\nbase: {image: python}\n";

/// Parses `text` (which must parse), checks it without a build context, and
/// returns what was printed, with the summary line.
std::string checkOutput(llvm::StringRef text, bool expectFailure = true) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(text);
  EXPECT_TRUE(spec) << c.output();
  if (!spec)
    return c.output();
  llvm::Error err = checkSpec(c.engine(), *spec, "", nullptr);
  EXPECT_EQ(static_cast<bool>(err), expectFailure);
  llvm::consumeError(std::move(err));
  c.engine().printSummary();
  return c.output();
}

TEST(CheckTest, CleanSpecPasses) {
  EXPECT_EQ(checkOutput(std::string(kHead) +
                            "app: {expose: [80], healthcheck: {http: /health}}\n"
                            "steps:\n"
                            "  - {name: build, run: make, stage: builder, outputs: [/opt/b]}\n"
                            "  - {name: test, run: make test, after: [build, python, app]}\n",
                        /*expectFailure=*/false),
            "");
}

TEST(CheckTest, CudaCombinationsNvidiaPublishes) {
  for (const char *base : {
           "{cuda: \"11.8\", cudnn: \"8\", os: ubi8}",
           "{cuda: \"11.8\", cudnn: \"8\", flavor: cudnn-devel}",
           "{cuda: \"12.4.1\", cudnn: \"9\", os: ubi9}",
           "{cuda: \"12.4.1\", flavor: cudnn-runtime, os: ubuntu24.04}",
           "{cuda: \"12.3\", builder_flavor: cudnn-devel}",
           "{cuda: \"12.1.1\", flavor: base, builder_flavor: devel}",
       })
    EXPECT_EQ(checkOutput(std::string("imageplan: 1\nname: x\nbase: ") + base + "\napp: {}\n",
                          /*expectFailure=*/false),
              "")
        << base;
}

TEST(CheckTest, FilesAndExcludes) {
  EXPECT_EQ(checkOutput(std::string(kHead) +
                            "files:\n"
                            "  - {path: /a/b, content: x}\n"
                            "  - {path: /a/c, content: y, mode: \"0755\"}\n"
                            "app: {copy: [.], exclude: [tests/]}\n",
                        /*expectFailure=*/false),
            "");
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {copy: [src/, .], exclude: [\"*.md\"]}\n",
                        /*expectFailure=*/false),
            "");
}

TEST(CheckTest, DuplicateStepNames) {
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {}\nsteps:\n"
                                             "  - {name: build, run: a}\n"
                                             "  - {name: build, run: b}\n"),
            "imageplan.yaml:7:12: error: duplicate step name 'build'\n"
            "  - {name: build, run: b}\n"
            "           ^\n"
            "imageplan.yaml:6:12: note: previous definition is here\n"
            "  - {name: build, run: a}\n"
            "           ^\n"
            "1 error generated.\n");
}

TEST(CheckTest, StepNamedLikeABuiltinGroup) {
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {}\nsteps:\n  - {name: python, run: a}\n"),
            "imageplan.yaml:6:12: error: step name 'python' is reserved for the built-in group "
            "of the same name\n"
            "  - {name: python, run: a}\n"
            "           ^\n"
            "1 error generated.\n");
}

TEST(CheckTest, StagesThePlannerAddsAreReserved) {
  std::string out = checkOutput(std::string(kHead) +
                                "app: {}\nstages:\n"
                                "  - {name: python-pins, image: debian, steps: [{name: a, run: a}]}\n"
                                "  - {name: builder-venv, image: debian, steps: [{name: b, run: b}]}\n"
                                "targets: [{name: poetry}]\n");
  EXPECT_NE(out.find("error: stage name 'python-pins' is reserved for a stage imageplan makes"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("error: stage name 'builder-venv' is reserved"), std::string::npos) << out;
  EXPECT_NE(out.find("error: target name 'poetry' is reserved"), std::string::npos) << out;
}

TEST(CheckTest, UnknownAfterTargetSuggestsAStepOrGroup) {
  EXPECT_EQ(checkOutput(std::string(kHead) +
                        "app: {}\nsteps:\n"
                        "  - {name: build, run: a}\n"
                        "  - {name: test, run: b, after: [bild, modles, zzz]}\n"),
            "imageplan.yaml:7:34: error: unknown step 'bild' in 'after'; did you mean 'build'?\n"
            "  - {name: test, run: b, after: [bild, modles, zzz]}\n"
            "                                 ^\n"
            "imageplan.yaml:7:40: error: unknown step 'modles' in 'after'; did you mean 'models'?\n"
            "  - {name: test, run: b, after: [bild, modles, zzz]}\n"
            "                                       ^\n"
            "imageplan.yaml:7:48: error: unknown step 'zzz' in 'after'\n"
            "  - {name: test, run: b, after: [bild, modles, zzz]}\n"
            "                                               ^\n"
            "3 errors generated.\n");
}

TEST(CheckTest, StepAfterItself) {
  EXPECT_EQ(
      checkOutput(std::string(kHead) + "app: {}\nsteps:\n  - {name: a, run: b, after: [a]}\n"),
      "imageplan.yaml:6:31: error: step 'a' cannot run after itself\n"
      "  - {name: a, run: b, after: [a]}\n"
      "                              ^\n"
      "1 error generated.\n");
}

TEST(CheckTest, DuplicateModelPaths) {
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {}\nmodels:\n"
                                             "  - {id: a/one, path: /models/m}\n"
                                             "  - {id: a/two, path: /models/m/}\n"),
            "imageplan.yaml:7:23: error: duplicate model path '/models/m/'\n"
            "  - {id: a/two, path: /models/m/}\n"
            "                      ^\n"
            "imageplan.yaml:6:23: note: previous definition is here\n"
            "  - {id: a/one, path: /models/m}\n"
            "                      ^\n"
            "1 error generated.\n");
}

TEST(CheckTest, BuildOnlySettingsWithNothingToBuildWarn) {
  EXPECT_EQ(checkOutput(std::string(kHead) + "system: {build_packages: [gcc]}\n"
                                             "python: {venv: runtime, build_requires: [ninja]}\n"
                                             "app: {}\n",
                        /*expectFailure=*/false),
            "imageplan.yaml:5:42: warning: 'build_requires' are unused; nothing is built (no "
            "'python.build' and no step with 'stage: builder')\n"
            "python: {venv: runtime, build_requires: [ninja]}\n"
            "                                         ^\n"
            "imageplan.yaml:4:27: warning: 'build_packages' are unused; nothing is built (no "
            "'python.build' and no step with 'stage: builder')\n"
            "system: {build_packages: [gcc]}\n"
            "                          ^\n"
            "2 warnings generated.\n");
  EXPECT_EQ(checkOutput(std::string(kHead) +
                            "system: {build_packages: [gcc]}\n"
                            "python: {build_requires: [ninja], build: [ujson]}\n"
                            "app: {}\n",
                        /*expectFailure=*/false),
            "");
}

TEST(CheckTest, TokenSecretOfAModelNotBakedWarns) {
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {}\nmodels:\n"
                                             "  - {id: a/b, path: /m, token_secret: hf}\n",
                        /*expectFailure=*/false),
            "imageplan.yaml:6:39: warning: secret 'hf' is unused; a model is only downloaded at "
            "build time with 'bake: true'\n"
            "  - {id: a/b, path: /m, token_secret: hf}\n"
            "                                      ^\n"
            "1 warning generated.\n");
}

TEST(CheckTest, HealthcheckPathNeedsAPort) {
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {healthcheck: {http: /health}}\n"),
            "imageplan.yaml:4:27: error: healthcheck path '/health' needs a port; set 'port' or "
            "list one in 'expose'\n"
            "app: {healthcheck: {http: /health}}\n"
            "                          ^\n"
            "1 error generated.\n");
  EXPECT_EQ(checkOutput(std::string(kHead) + "app: {healthcheck: {http: /health, port: 80}}\n",
                        /*expectFailure=*/false),
            "");
  EXPECT_EQ(
      checkOutput(std::string(kHead) + "app: {healthcheck: {http: \"http://localhost:80/\"}}\n",
                  /*expectFailure=*/false),
      "");
}

class RequirementFilesTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-check-test", dir));
    llvm::SmallString<128> file(dir);
    llvm::sys::path::append(file, "reqs.txt");
    int fd;
    ASSERT_FALSE(llvm::sys::fs::openFileForWrite(file, fd));
    llvm::sys::fs::closeFile(fd);
    llvm::SmallString<128> sub(dir);
    llvm::sys::path::append(sub, "sub");
    ASSERT_FALSE(llvm::sys::fs::create_directory(sub));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  llvm::SmallString<128> dir;
};

TEST_F(RequirementFilesTest, ExistingFilesAreRecordedMissingOnesReported) {
  CapturedDiagnostics c;
  std::optional<Spec> spec =
      c.parse(std::string(kHead) + "python: {requirements: [reqs.txt, missing.txt, sub]}\n"
                                   "app: {}\n");
  ASSERT_TRUE(spec) << c.output();
  std::vector<std::string> filesRead;
  llvm::Error err = checkSpec(c.engine(), *spec, dir, &filesRead);
  EXPECT_TRUE(static_cast<bool>(err));
  llvm::consumeError(std::move(err));
  // The context is a temporary folder: name it CONTEXT in the expected text.
  std::string output = c.output();
  for (size_t at; (at = output.find(dir.str())) != std::string::npos;)
    output.replace(at, dir.size(), "CONTEXT");
  EXPECT_EQ(output,
            "imageplan.yaml:4:35: error: requirements file 'missing.txt' not found in build "
            "context 'CONTEXT'\n"
            "python: {requirements: [reqs.txt, missing.txt, sub]}\n"
            "                                  ^\n"
            "imageplan.yaml:4:48: error: requirements file 'sub' is not a regular file in "
            "build context 'CONTEXT'\n"
            "python: {requirements: [reqs.txt, missing.txt, sub]}\n"
            "                                               ^\n");
  EXPECT_EQ(filesRead, std::vector<std::string>{(dir + "/reqs.txt").str()});
}

TEST_F(RequirementFilesTest, NoContextMeansNoFileChecks) {
  CapturedDiagnostics c;
  std::optional<Spec> spec =
      c.parse(std::string(kHead) + "python: {requirements: [missing.txt]}\napp: {}\n");
  ASSERT_TRUE(spec) << c.output();
  std::vector<std::string> filesRead;
  EXPECT_FALSE(static_cast<bool>(checkSpec(c.engine(), *spec, "", &filesRead)));
  EXPECT_TRUE(filesRead.empty());
  EXPECT_EQ(c.output(), "");
}

} // namespace
} // namespace imageplan::dsl
