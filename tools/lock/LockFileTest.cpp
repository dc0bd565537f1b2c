// The lock file as imageplan writes it: exact bytes, order, quoting, and a
// round trip through the reader gen uses.
#include "tools/lock/LockFile.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::lock {
namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');
const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

LockData sample() {
  LockData data;
  data.images = {{"python:3.12-slim", kDigestB, false}, {"nvidia/cuda:12.4.1-base", kDigestA, true}};
  data.models = {{"org/m", "main", kCommit, false}};
  Rates rates;
  rates.history = 500;
  rates.commits = 40;
  rates.inputs = {{{"requirements.txt"}, {}, 12}, {{"."}, {"**/*.log", "tests/"}, 40},
                  {{"app/"}, {}, 36}};
  data.rates = rates;
  return data;
}

TEST(LockFileTest, RendersSortedAndQuoted) {
  EXPECT_EQ(renderLock(sample(), "imageplan.yaml"),
            "# What the image tags and model revisions of imageplan.yaml resolved to, and the\n"
            "# change rates measured from its history: `imageplan gen` reads this file,\n"
            "# `imageplan lock` and `imageplan tune` rewrite it. Commit it with the spec.\n"
            "lock: 1\n"
            "images:\n"
            "  - image: nvidia/cuda:12.4.1-base\n"
            "    digest: " + kDigestA + "\n"
            "    source: user\n"
            "  - image: python:3.12-slim\n"
            "    digest: " + kDigestB + "\n"
            "models:\n"
            "  - id: org/m\n"
            "    revision: main\n"
            "    commit: \"" + kCommit + "\"\n"
            "rates:\n"
            "  history: 500\n"
            "  commits: 40\n"
            "  tolerance: 0.05\n"
            "  inputs:\n"
            "    - paths: [\".\"]\n"
            "      exclude: [\"**/*.log\", tests/]\n"
            "      changed: 40  # rate 1.000\n"
            "    - paths: [app/]\n"
            "      changed: 36  # rate 0.900\n"
            "    - paths: [requirements.txt]\n"
            "      changed: 12  # rate 0.300\n");
}

TEST(LockFileTest, RoundTripsThroughTheReader) {
  std::string text = renderLock(sample(), "imageplan.yaml");
  readers::testing::CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer(text, "imageplan.lock");
  llvm::Expected<dsl::Lock> lock = dsl::parseLock(c.engine(), id, "imageplan.lock");
  ASSERT_TRUE(static_cast<bool>(lock)) << c.output();
  EXPECT_EQ(renderLock(fromLock(*lock), "imageplan.yaml"), text);
  EXPECT_EQ(lock->findInput({"."}, {"**/*.log", "tests/"})->changed.value, 40);
  EXPECT_TRUE(lock->findImage("nvidia/cuda:12.4.1-base")->byUser);
}

TEST(LockFileTest, ScalarsThatYamlWouldReadOtherwise) {
  EXPECT_EQ(yamlScalar("requirements.txt"), "requirements.txt");
  EXPECT_EQ(yamlScalar("*.log"), "\"*.log\"");
  EXPECT_EQ(yamlScalar("yes"), "\"yes\"");
  EXPECT_EQ(yamlScalar("1234"), "\"1234\"");
  EXPECT_EQ(yamlScalar("a b"), "\"a b\"");
  EXPECT_EQ(yamlScalar("a\"b\\"), "\"a\\\"b\\\\\"");
  EXPECT_EQ(yamlScalar(""), "\"\"");
}

TEST(LockFileTest, EmptyLock) {
  EXPECT_EQ(renderLock({}, "svc/imageplan.yaml").substr(0, 56),
            "# What the image tags and model revisions of svc/imagepl");
  EXPECT_NE(renderLock({}, "x").find("\nlock: 1\n"), std::string::npos);
}

} // namespace
} // namespace imageplan::lock
