// The bake and ci backends on hand-built plans: one image or several, with
// and without a registry cache, secrets and platforms, and the escaping of
// values that HCL would otherwise read as templates.
#include "backends/Backend.h"
#include "backends/ImageTargets.h"
#include "backends/TestPlans.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

plan::Stage imageStage(std::string name, plan::Pairs labels) {
  plan::Stage stage;
  stage.name = std::move(name);
  stage.from = "runtime";
  stage.fromStage = true;
  stage.runtime = plan::RuntimeConfig{};
  stage.runtime->labels = std::move(labels);
  return stage;
}

plan::Plan twoTargets() {
  plan::Plan p;
  p.name = "demo";
  p.specPath = "imageplan.yaml";
  plan::Stage runtime;
  runtime.name = "runtime";
  runtime.from = "debian:bookworm-slim";
  p.stages = {runtime, imageStage("api", {{"org.opencontainers.image.title", "demo"}}),
              imageStage("ui", {{"org.opencontainers.image.title", "demo"}})};
  p.publish.image = "registry.example.com/acme/demo";
  p.publish.cacheRef = "registry.example.com/acme/demo-cache";
  p.publish.platforms = {"linux/amd64", "linux/arm64"};
  return p;
}

TEST(BakeTest, OneTargetPerImageWithItsRegistryCache) {
  std::string bake = emitBake(twoTargets());
  EXPECT_NE(bake.find("variable \"IMAGE\" {\n  default = \"registry.example.com/acme/demo\"\n}"),
            std::string::npos)
      << bake;
  EXPECT_NE(bake.find("group \"default\" {\n  targets = [\"api\", \"ui\"]\n}"), std::string::npos)
      << bake;
  EXPECT_NE(bake.find("target \"ui\" {\n"
                      "  context = \".\"\n"
                      "  dockerfile = \"Dockerfile\"\n"
                      "  target = \"ui\"\n"
                      "  tags = [\"${IMAGE}-ui:${TAG}\"]\n"
                      "  platforms = [\"linux/amd64\", \"linux/arm64\"]\n"
                      "  cache-from = [\"type=registry,ref=${CACHE}:ui\", "
                      "\"type=registry,ref=${CACHE}:api\"]\n"
                      "  cache-to = [\"type=registry,ref=${CACHE}:ui,mode=max\"]\n"),
            std::string::npos)
      << bake;
  EXPECT_EQ(bake.find("target \"runtime\""), std::string::npos) << bake;
}

TEST(BakeTest, OneImageIsTaggedWithTheRepositoryItself) {
  plan::Plan p = testing::representativePlan();
  std::string bake = emitBake(p);
  EXPECT_NE(bake.find("  tags = [\"${IMAGE}:${TAG}\"]\n"), std::string::npos) << bake;
  EXPECT_NE(bake.find("  default = \"demo\"\n"), std::string::npos) << bake;
  // The model's token, as a secret read from the environment.
  EXPECT_NE(bake.find("  secret = [\"id=hf_token,env=HF_TOKEN\"]\n"), std::string::npos) << bake;
  EXPECT_EQ(bake.find("cache-from"), std::string::npos) << bake;
  EXPECT_EQ(bake.find("cache-to"), std::string::npos) << bake;
  EXPECT_NE(bake.find("# No registry cache"), std::string::npos) << bake;
}

TEST(BakeTest, LabelValuesStayLiteral) {
  plan::Plan p = twoTargets();
  p.stages[1].runtime->labels = {{"org.example.note", "costs ${HOME} and %{x} \"quoted\" \\"}};
  std::string bake = emitBake(p);
  EXPECT_NE(bake.find("    \"org.example.note\" = \"costs $${HOME} and %%{x} \\\"quoted\\\" "
                      "\\\\\"\n"),
            std::string::npos)
      << bake;
}

TEST(BakeTest, SecretsReadFromEnvironmentVariablesNamedAfterThem) {
  EXPECT_EQ(secretEnvName("hf_token"), "HF_TOKEN");
  EXPECT_EQ(secretEnvName("npm.auth-token"), "NPM_AUTH_TOKEN");
}

TEST(BakeTest, RegistryHostOfARepository) {
  EXPECT_EQ(registryHost("ghcr.io/acme/app"), "ghcr.io");
  EXPECT_EQ(registryHost("127.0.0.1:5000/app"), "127.0.0.1:5000");
  EXPECT_EQ(registryHost("localhost/app"), "localhost");
  EXPECT_EQ(registryHost("acme/app"), "docker.io");
  EXPECT_EQ(registryHost("app"), "docker.io");
}

TEST(CiWorkflowTest, PushesFromTheDefaultBranchWithTheRegistryCache) {
  plan::Plan p = twoTargets();
  p.publish.image = "ghcr.io/acme/demo";
  std::string ci = emitCiWorkflow(p);
  EXPECT_NE(ci.find("  packages: write\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("      - uses: docker/setup-qemu-action@v3\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("          username: ${{ github.actor }}\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("          registry: registry.example.com\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("          push: ${{ github.event_name != 'pull_request' }}\n"),
            std::string::npos)
      << ci;
  EXPECT_NE(ci.find("'*.cache-to='"), std::string::npos) << ci;
  EXPECT_EQ(ci.find("type=gha"), std::string::npos) << ci;
}

TEST(CiWorkflowTest, WithoutARepositoryOrCacheItOnlyBuilds) {
  std::string ci = emitCiWorkflow(testing::representativePlan());
  EXPECT_NE(ci.find("          push: false\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("            *.cache-to=type=gha,mode=max\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("          HF_TOKEN: ${{ secrets.HF_TOKEN }}\n"), std::string::npos) << ci;
  EXPECT_NE(ci.find("      - uses: docker/setup-buildx-action@v3\n"), std::string::npos) << ci;
  EXPECT_EQ(ci.find("login-action"), std::string::npos) << ci;
  EXPECT_EQ(ci.find("setup-qemu"), std::string::npos) << ci;
}

} // namespace
} // namespace imageplan::backends
