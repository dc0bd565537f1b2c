// The lock file reader: what a lock holds, its look-ups, and the located
// diagnostics a hand-edited lock gets.
#include "dsl/Lock.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using readers::testing::CapturedDiagnostics;

const std::string kDigest = "sha256:" + std::string(64, 'a');
const std::string kCommit(40, 'b');

std::optional<Lock> parse(CapturedDiagnostics &c, llvm::StringRef text) {
  unsigned id = c.engine().addBuffer(text, "imageplan.lock");
  llvm::Expected<Lock> lock = parseLock(c.engine(), id, "imageplan.lock");
  if (!lock) {
    llvm::consumeError(lock.takeError());
    return std::nullopt;
  }
  return std::move(*lock);
}

TEST(LockParserTest, ReadsImagesModelsAndRates) {
  CapturedDiagnostics c;
  std::optional<Lock> lock =
      parse(c, "lock: 1\n"
               "images:\n"
               "  - {image: python:3.12-slim, digest: " + kDigest + "}\n"
               "  - {image: nvidia/cuda:11.8.0-runtime-ubuntu22.04, digest: " + kDigest +
                   ", source: user}\n"
               "models:\n"
               "  - {id: org/m, revision: main, commit: " + kCommit + "}\n"
               "rates:\n"
               "  history: 500\n"
               "  commits: 40\n"
               "  tolerance: 0.1\n"
               "  inputs:\n"
               "    - {paths: [requirements.txt], changed: 12}\n"
               "    - {paths: [.], exclude: [tests/], changed: 40}\n");
  ASSERT_TRUE(lock) << c.output();
  EXPECT_EQ(c.output(), "");
  ASSERT_EQ(lock->images.size(), 2u);
  EXPECT_FALSE(lock->images[0].byUser);
  EXPECT_TRUE(lock->images[1].byUser);
  EXPECT_EQ(lock->findImage("python:3.12-slim")->digest.value, kDigest);
  EXPECT_EQ(lock->findImage("python:3.11-slim"), nullptr);
  EXPECT_EQ(lock->findModel("org/m", "main")->commit.value, kCommit);
  EXPECT_EQ(lock->findModel("org/m", "v1"), nullptr);
  EXPECT_EQ(lock->findInput({"requirements.txt"}, {})->changed.value, 12);
  EXPECT_EQ(lock->findInput({"."}, {"tests/"})->changed.value, 40);
  EXPECT_EQ(lock->findInput({"."}, {}), nullptr);
  EXPECT_DOUBLE_EQ(lock->tolerance(), 0.1);
}

TEST(LockParserTest, DefaultTolerance) {
  CapturedDiagnostics c;
  std::optional<Lock> lock = parse(c, "lock: 1\n");
  ASSERT_TRUE(lock) << c.output();
  EXPECT_DOUBLE_EQ(lock->tolerance(), kDefaultRateTolerance);
  EXPECT_EQ(lock->findInput({"a"}, {}), nullptr);
}

TEST(LockParserTest, LocatedErrors) {
  CapturedDiagnostics c;
  EXPECT_FALSE(parse(c, "lock: 1\n"
                        "images:\n"
                        "  - {image: python:3.12-slim, digest: sha256:abc}\n"
                        "models:\n"
                        "  - {id: org/m, revision: main, commit: main}\n"
                        "rates: {history: 10, commits: 5, inputs: [{paths: [a], changed: 6}]}\n"
                        "extra: 1\n"));
  EXPECT_EQ(c.output(),
            "imageplan.lock:3:39: error: invalid digest 'sha256:abc'; expected 'sha256:' "
            "followed by 64 lowercase hex digits\n"
            "  - {image: python:3.12-slim, digest: sha256:abc}\n"
            "                                      ^\n"
            "imageplan.lock:5:41: error: invalid commit 'main'; expected a commit: 40 "
            "lowercase hex digits\n"
            "  - {id: org/m, revision: main, commit: main}\n"
            "                                        ^\n"
            "imageplan.lock:6:65: error: changed in 6 commits of 5\n"
            "rates: {history: 10, commits: 5, inputs: [{paths: [a], changed: 6}]}\n"
            "                                                                ^\n"
            "imageplan.lock:7:1: error: unknown key 'extra'\n"
            "extra: 1\n"
            "^\n");
}

TEST(LockParserTest, DuplicatesAndVersions) {
  CapturedDiagnostics c;
  EXPECT_FALSE(parse(c, "lock: 2\n"
                        "images:\n"
                        "  - {image: a:1, digest: " + kDigest + "}\n"
                        "  - {image: a:1, digest: " + kDigest + "}\n"));
  EXPECT_NE(c.output().find("imageplan.lock:1:7: error: unsupported lock file version 2; this "
                            "imageplan reads version 1"),
            std::string::npos)
      << c.output();
  EXPECT_NE(c.output().find("imageplan.lock:4:13: error: image 'a:1' is locked twice"),
            std::string::npos)
      << c.output();
  EXPECT_NE(c.output().find("imageplan.lock:3:13: note: first locked here"), std::string::npos)
      << c.output();
}

TEST(LockParserTest, CommitIds) {
  EXPECT_TRUE(isCommitId(kCommit));
  EXPECT_FALSE(isCommitId("main"));
  EXPECT_FALSE(isCommitId(std::string(40, 'B')));
  EXPECT_FALSE(isCommitId(std::string(39, 'a')));
}

} // namespace
} // namespace imageplan::dsl
