// The lock applied to plans: digests in every place an image is pulled, the
// base digest label, model commits, locked rates, and what gen is told about
// what the lock leaves open.
#include "planner/Pins.h"

#include "planner/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'c');
const std::string kCommit(40, 'd');

/// A spec and a lock in one engine, planned with `configure` applied.
struct Locked {
  Locked(llvm::StringRef yaml, llvm::StringRef lockText, bool report = true, bool mustMatch = false) {
    unsigned specBuffer = diags.addBuffer(yaml, "spec.yaml");
    llvm::Expected<dsl::Spec> parsed = dsl::parseSpec(diags, specBuffer, "spec.yaml");
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      ADD_FAILURE() << printed;
      return;
    }
    spec = std::move(*parsed);
    PlanOptions options;
    if (!lockText.empty()) {
      unsigned lockBuffer = diags.addBuffer(lockText, "imageplan.lock");
      llvm::Expected<dsl::Lock> read = dsl::parseLock(diags, lockBuffer, "imageplan.lock");
      if (!read) {
        llvm::consumeError(read.takeError());
        ADD_FAILURE() << printed;
        return;
      }
      lock = std::move(*read);
      options.lock = &*lock;
    }
    options.reportPins = report;
    options.lockMustMatch = mustMatch;
    llvm::Expected<plan::Plan> built = buildPlan(diags, *spec, options);
    if (built)
      plan = std::move(*built);
    else
      llvm::consumeError(built.takeError());
  }

  std::string printed;
  llvm::raw_string_ostream os{printed};
  readers::DiagnosticEngine diags{os};
  std::optional<dsl::Spec> spec;
  std::optional<dsl::Lock> lock;
  std::optional<plan::Plan> plan;
};

constexpr const char *kSpec = "imageplan: 1\nname: p\nbase: {image: \"python:3.11-slim\"}\n"
                              "artifacts:\n"
                              "  - {image: \"mwader/static-ffmpeg:6.1.1\", from: /ffmpeg, to: /f}\n"
                              "models:\n"
                              "  - {id: org/m, path: /models/m, bake: true}\n"
                              "app: {cmd: [python]}\n";

std::string lockOf(bool withModel = true) {
  std::string text = "lock: 1\nimages:\n"
                     "  - {image: \"python:3.11-slim\", digest: " + kDigest + "}\n"
                     "  - {image: \"mwader/static-ffmpeg:6.1.1\", digest: " + kDigest + "}\n";
  if (withModel)
    text += "models:\n  - {id: org/m, revision: main, commit: \"" + kCommit + "\"}\n";
  return text;
}

TEST(PinsTest, EveryPulledImageGetsItsDigest) {
  Locked l(kSpec, lockOf());
  ASSERT_TRUE(l.plan) << l.printed;
  EXPECT_EQ(l.printed, "");
  const plan::Stage &runtime = stageNamed(*l.plan, "runtime");
  EXPECT_EQ(runtime.from, "python:3.11-slim@" + kDigest);
  // The model stage runs on the python:* runtime base, pinned as well.
  EXPECT_EQ(stageNamed(*l.plan, "model-m").from, "python:3.11-slim@" + kDigest);
  std::vector<plan::CopyStage> copies = opsOf<plan::CopyStage>(runtime);
  bool artifact = false;
  for (const plan::CopyStage &copy : copies)
    artifact |= copy.stage == "mwader/static-ffmpeg:6.1.1@" + kDigest;
  EXPECT_TRUE(artifact);
  const plan::Pairs &labels = runtime.runtime->labels;
  ASSERT_GE(labels.size(), 3u);
  EXPECT_EQ(labels[1], (std::pair<std::string, std::string>{
                           "org.opencontainers.image.base.name", "python:3.11-slim"}));
  EXPECT_EQ(labels[2], (std::pair<std::string, std::string>{
                           "org.opencontainers.image.base.digest", kDigest}));
  EXPECT_EQ(findOp<plan::ModelDownload>(stageNamed(*l.plan, "model-m"))->revision, kCommit);
}

TEST(PinsTest, WithoutALockEachUnpinnedThingIsAWarningAtItsLine) {
  Locked l(kSpec, "");
  ASSERT_TRUE(l.plan);
  EXPECT_EQ(l.printed,
            "spec.yaml:3:15: warning: image 'python:3.11-slim' is not pinned by digest; run "
            "'imageplan lock' to record what it resolves to\n"
            "base: {image: \"python:3.11-slim\"}\n"
            "              ^\n"
            "spec.yaml:5:13: warning: image 'mwader/static-ffmpeg:6.1.1' is not pinned by "
            "digest; run 'imageplan lock' to record what it resolves to\n"
            "  - {image: \"mwader/static-ffmpeg:6.1.1\", from: /ffmpeg, to: /f}\n"
            "            ^\n"
            "spec.yaml:7:10: warning: model 'org/m' follows revision 'main', which can move "
            "while the cached layer keeps the old files; run 'imageplan lock' to pin its "
            "commit\n"
            "  - {id: org/m, path: /models/m, bake: true}\n"
            "         ^\n");
  EXPECT_EQ(findOp<plan::ModelDownload>(stageNamed(*l.plan, "model-m"))->revision, "main");
}

TEST(PinsTest, QuietWhenNotAskedAndForWhatTheSpecPins) {
  Locked quiet(kSpec, "", /*report=*/false);
  EXPECT_EQ(quiet.printed, "");
  Locked pinned("imageplan: 1\nname: p\nbase: {image: \"python:3.11-slim\", digest: " + kDigest +
                    "}\nmodels:\n  - {id: org/m, path: /m, bake: true, revision: " + kCommit +
                    "}\n  - {id: org/n, path: /n}\napp: {}\n",
                "");
  EXPECT_EQ(pinned.printed, "");
  EXPECT_EQ(stageNamed(*pinned.plan, "runtime").from, "python:3.11-slim@" + kDigest);
}

TEST(PinsTest, AStaleLockIsAnErrorForCheck) {
  Locked l(std::string(kSpec).replace(std::string(kSpec).find("3.11"), 4, "3.12"), lockOf(false),
           /*report=*/true, /*mustMatch=*/true);
  EXPECT_FALSE(l.plan);
  EXPECT_NE(l.printed.find("spec.yaml:3:15: error: 'imageplan.lock' is stale: it has no digest "
                           "for image 'python:3.12-slim'; run 'imageplan lock'"),
            std::string::npos)
      << l.printed;
  EXPECT_NE(l.printed.find("imageplan.lock:3:13: error: 'imageplan.lock' is stale: it pins "
                           "image 'python:3.11-slim', which the spec does not use; run "
                           "'imageplan lock'"),
            std::string::npos)
      << l.printed;
  EXPECT_NE(l.printed.find("error: 'imageplan.lock' is stale: it has no commit for model "
                           "'org/m' at 'main'"),
            std::string::npos)
      << l.printed;
}

TEST(PinsTest, LockedRatesOrderTheRequirementFiles) {
  std::string spec = "imageplan: 1\nname: p\nbase: {image: \"python:3.11-slim\"}\n"
                     "python: {requirements: [a.txt, b.txt]}\napp: {}\n";
  std::string lock = "lock: 1\nimages:\n  - {image: \"python:3.11-slim\", digest: " + kDigest +
                     "}\nrates:\n  history: 100\n  commits: 10\n  inputs:\n"
                     "    - {paths: [a.txt], changed: 6}\n    - {paths: [b.txt], changed: 1}\n";
  Locked l(spec, lock);
  ASSERT_TRUE(l.plan) << l.printed;
  EXPECT_EQ(l.printed, "");
  const plan::Stage &runtime = stageNamed(*l.plan, "runtime");
  EXPECT_LT(layerIndex(runtime, "b.txt"), layerIndex(runtime, "a.txt"));
  const plan::Layer &a = runtime.layers[layerIndex(runtime, "a.txt")];
  EXPECT_DOUBLE_EQ(a.changeProbability, 0.6);
  EXPECT_EQ(a.rateSources, std::vector<std::string>{"lock"});
  // A rate for a file no step reads, and a step without one.
  Locked stale(spec, lock.substr(0, lock.find("    - {paths: [b.txt]")) +
                         "    - {paths: [c.txt], changed: 1}\n");
  EXPECT_NE(stale.printed.find("warning: 'imageplan.lock' has no measured rate for b.txt; using "
                               "the default rate (run 'imageplan tune')"),
            std::string::npos)
      << stale.printed;
  EXPECT_NE(stale.printed.find("warning: 'imageplan.lock' has a rate for c.txt, which no step "
                               "reads"),
            std::string::npos)
      << stale.printed;
}

TEST(PinsTest, ImageReferencesInFirstUseOrder) {
  Locked l(kSpec, "", /*report=*/false);
  ASSERT_TRUE(l.plan);
  EXPECT_EQ(plan::imageReferences(*l.plan),
            (std::vector<std::string>{"python:3.11-slim", "mwader/static-ffmpeg:6.1.1"}));
}

} // namespace
} // namespace imageplan::planner
