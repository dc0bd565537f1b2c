// The runtime's metadata: labels, a target's own command and ports, and the
// http health-check probe with its errors.
#include "planner/RuntimeConfig.h"

#include "planner/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

/// The metadata of the runtime (no target) or of the spec's first target.
struct Configured {
  explicit Configured(llvm::StringRef yaml, bool ofTarget = false) : parsed(yaml) {
    if (!parsed.spec)
      return;
    GraphInputs in = graphInputs(parsed.diags, *parsed.spec, PlanOptions{});
    config = runtimeConfig(parsed.diags, in, ofTarget ? &parsed.spec->targets.front() : nullptr);
  }
  TestSpec parsed;
  plan::RuntimeConfig config;
};

TEST(RuntimeConfigTest, SecondsText) {
  std::pair<const char *, const char *> cases[] = {
      {"30s", "30"}, {"1m30s", "90"}, {"500ms", "0.5"}, {"1250ms", "1.25"}, {"2m", "120"}};
  for (auto [duration, seconds] : cases)
    EXPECT_EQ(secondsText(duration), seconds) << duration;
}

TEST(RuntimeConfigTest, SpecLabelsReplaceOursInPlace) {
  Configured configured(R"(imageplan: 1
name: svc
base: {image: "debian:bookworm-slim"}
labels: {org.opencontainers.image.title: Service, team: ml}
app: {user: root, expose: [8000], cmd: [./serve]}
)");
  EXPECT_EQ(configured.config.labels,
            (plan::Pairs{{"org.opencontainers.image.title", "Service"},
                         {"org.opencontainers.image.base.name", "debian:bookworm-slim"},
                         {"team", "ml"}}));
  EXPECT_EQ(configured.config.user, "");
  EXPECT_EQ(configured.config.expose, (std::vector<int>{8000}));
  EXPECT_EQ(configured.config.cmd, (std::vector<std::string>{"./serve"}));
}

TEST(RuntimeConfigTest, ATargetsOwnCommandAndPorts) {
  Configured configured(R"(imageplan: 1
name: svc
base: {image: "debian:bookworm-slim"}
app: {expose: [8000], entrypoint: [./run], cmd: [serve]}
targets:
  - {name: worker, cmd: [work], expose: [9000]}
)",
                        /*ofTarget=*/true);
  EXPECT_EQ(configured.config.user, "app");
  EXPECT_EQ(configured.config.expose, (std::vector<int>{9000}));
  // A target with a command of its own drops the app's entrypoint too.
  EXPECT_EQ(configured.config.entrypoint, std::vector<std::string>{});
  EXPECT_EQ(configured.config.cmd, (std::vector<std::string>{"work"}));
  EXPECT_EQ(configured.config.labels.front().second, "svc-worker");
}

TEST(RuntimeConfigTest, AnHttpProbeOnTheFirstExposedPort) {
  Configured configured(R"(imageplan: 1
name: svc
base: {image: "python:3.11-slim"}
app:
  expose: [8000]
  healthcheck: {http: /health, interval: 10s, timeout: 1500ms, retries: 3}
)");
  EXPECT_EQ(configured.parsed.printed, "");
  ASSERT_TRUE(configured.config.healthcheck);
  const plan::Healthcheck &check = *configured.config.healthcheck;
  EXPECT_EQ(check.interval, "10s");
  EXPECT_EQ(check.timeout, "1500ms");
  EXPECT_EQ(check.retries, 3);
  EXPECT_EQ(check.cmd, (std::vector<std::string>{
                           "python3", "-c",
                           "import sys, urllib.request; "
                           "urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2]))",
                           "http://127.0.0.1:8000/health", "1.5"}));
}

/// What the spec prints for `app` on `image`, whose health check is dropped.
std::string healthcheckError(llvm::StringRef image, llvm::StringRef app) {
  Configured configured("imageplan: 1\nname: svc\nbase: {image: \"" + image.str() +
                        "\"}\napp: " + app.str() + "\n");
  EXPECT_FALSE(configured.config.healthcheck);
  return configured.parsed.printed;
}

TEST(RuntimeConfigTest, HttpProbesThatCannotRun) {
  EXPECT_EQ(healthcheckError("python:3.11-slim", "{healthcheck: {http: /health}}"),
            "spec.yaml:4:27: error: health check path '/health' needs a port: give 'port' or "
            "'expose' one\n"
            "app: {healthcheck: {http: /health}}\n"
            "                          ^\n");
  EXPECT_EQ(healthcheckError("debian:bookworm-slim", R"({healthcheck: {http: "http://h:80/"}})"),
            "spec.yaml:4:27: error: an http health check runs python, and this image has none; "
            "add a 'python' section or give the check as 'cmd'\n"
            "app: {healthcheck: {http: \"http://h:80/\"}}\n"
            "                          ^\n");
}

} // namespace
} // namespace imageplan::planner
