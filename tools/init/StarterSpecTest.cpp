// Tests for the starter spec: ProjectFacts to the exact YAML text init writes
// (comments, blank lines, flow lists, which scalars are quoted), and the typed
// value in between.
#include "tools/init/StarterSpec.h"

#include <gtest/gtest.h>

namespace imageplan::init {
namespace {

using Words = std::vector<std::string>;

ProjectFacts alpineFacts() {
  ProjectFacts facts;
  facts.name = "svc";
  facts.dockerfileBase = "alpine:3.20";
  facts.image = "alpine:3.20";
  facts.systemManager = "apk";
  facts.dockerfilePackages = {"libstdc++", "tini"};
  facts.pythonVersion = "3.12";
  facts.pythonVersionSource = "alpine3.20";
  facts.requirements = {"requirements.txt"};
  facts.copy = {"app/"};
  facts.mainModule = "app";
  facts.ports = {8080, 9090};
  facts.entrypoint = {"tini", "--"};
  facts.notes = {"Dockerfile could not be read; nothing was taken from it: Dockerfile:3:1: x"};
  return facts;
}

TEST(StarterSpecTest, ExactText) {
  EXPECT_EQ(writeStarterSpec(buildStarterSpec(alpineFacts())),
            R"(# Starter spec written by `imageplan init`. Review it, then run:
#   imageplan gen imageplan.yaml -o Dockerfile
# Detected:
#   - a Dockerfile whose final stage starts from alpine:3.20
#   - packages its final stage installs with apk: libstdc++, tini
#   - Python 3.12 (from alpine3.20)
#   - requirements.txt, installed from the spec
# To review:
#   - Dockerfile could not be read; nothing was taken from it: Dockerfile:3:1: x
#   - add a health check if the app has a health endpoint (see below)
#   - system packages the app needs at run time go under system.packages

imageplan: 1
name: svc

base:
  image: alpine:3.20

system:
  manager: apk  # what the base image uses
  packages: [libstdc++, tini]

python:
  version: "3.12"
  requirements: [requirements.txt]

app:
  workdir: /app
  copy: [app/]
  expose: [8080, 9090]
  # healthcheck: {http: /health, interval: 30s, timeout: 5s}
  entrypoint: [tini, "--"]
)");
}

TEST(StarterSpecTest, CudaBaseManagerWithoutPackageAndANodeStage) {
  ProjectFacts facts;
  facts.name = "gpu";
  facts.cuda = "12.4.1";
  facts.cudaFlavor = "cudnn-runtime";
  facts.os = "ubuntu22.04";
  facts.pythonVersion = "3.10";
  facts.pythonVersionSource = "ubuntu22.04";
  facts.pyproject = facts.uvLock = true;
  facts.manager = "uv";
  facts.extras = {"yes", "cuda"};
  facts.copy = {"src/"};
  facts.node = ProjectFacts::NodePart{"web", "yarn.lock", true, "build"};
  EXPECT_EQ(writeStarterSpec(buildStarterSpec(facts)),
            R"(# Starter spec written by `imageplan init`. Review it, then run:
#   imageplan gen imageplan.yaml -o Dockerfile
# Detected:
#   - Python 3.10 (from ubuntu22.04)
#   - pyproject.toml with uv.lock
#   - web/package.json, built in the stage web and copied to /app/static
# To review:
#   - python.extras lists every extra pyproject.toml defines; keep the ones the image needs
#   - the web stage's Node image, and where its build writes (build/) and the app serves it from
#   - no command was found: set app.cmd
#   - system packages the app needs at run time go under system.packages

imageplan: 1
name: gpu

base:
  cuda: "12.4.1"
  flavor: cudnn-runtime
  os: ubuntu22.04

python:
  version: "3.10"
  manager: uv
  project: .
  package: false  # no [build-system]: only the dependencies are installed
  extras: ["yes", cuda]

stages:
  - name: web
    image: node:20-bookworm-slim
    workdir: /src
    steps:
      - name: web-deps
        inputs: [web/package.json, web/yarn.lock]
        run: "cd web && yarn install --frozen-lockfile"
        changes: rarely
      - name: web-build
        after: [web-deps]
        inputs: [web/]
        run: "cd web && yarn build"
    exports:
      - {from: /src/web/build, to: /app/static}

app:
  workdir: /app
  copy: [src/]
)");
}

TEST(StarterSpecTest, TheEmitterQuotesAndEscapes) {
  ProjectFacts facts = alpineFacts();
  facts.notes.clear();
  facts.ports.clear();
  facts.entrypoint.clear();
  facts.cmd = {"sh", "-c", "echo \"a\\b\"", "on", "8", "", "a b", "x#y"};
  std::string text = writeStarterSpec(buildStarterSpec(facts));
  EXPECT_NE(
      text.find("\n  cmd: [sh, \"-c\", \"echo \\\"a\\\\b\\\"\", \"on\", \"8\", \"\", \"a b\", "
                "\"x#y\"]\n"),
      std::string::npos)
      << text;
}

TEST(StarterSpecTest, DefaultCommands) {
  ProjectFacts facts;
  facts.mainModule = "main.py";
  facts.fastapi = true;
  StarterSpec spec = buildStarterSpec(facts);
  EXPECT_EQ(spec.app.cmd, (Words{"uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"}));
  EXPECT_EQ(spec.app.expose.value, (std::vector<int>{8000}));

  facts.scripts = {"serve"};
  facts.buildSystem = true;
  EXPECT_EQ(buildStarterSpec(facts).app.cmd, (Words{"serve"}));

  ProjectFacts module;
  module.mainModule = "service";
  EXPECT_EQ(buildStarterSpec(module).app.cmd, (Words{"python", "-m", "service"}));
  module.entrypoint = {"tini"};
  EXPECT_TRUE(buildStarterSpec(module).app.cmd.empty()) << "the entrypoint runs the app";
}

} // namespace
} // namespace imageplan::init
