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
  DockerfileFacts d;
  d.path = "docker/Dockerfile";
  d.others = {"Dockerfile.dev"};
  d.why = "none is for GPUs; it is the one nearest the top";
  d.base = "alpine:3.20";
  d.workdir = "/srv";
  d.user = "svc";
  d.env = {{"MODEL_DIR", "/models"}, {"WORKERS", "2"}};
  d.labels = {{"org.opencontainers.image.source", "https://example.com/svc"}};
  d.packages = {"libstdc++", "tini"};
  d.healthcheck = HealthcheckFacts{.http = "/ready", .port = 9090, .interval = "10s"};
  d.artifacts = {{"mwader/static-ffmpeg:6.1", "/ffmpeg", "/usr/local/bin/ffmpeg"},
                 {"ghcr.io/astral-sh/uv:0.5.11", "/uv", "/bin/uv"}};
  d.files = {{"/etc/svc.toml", "0644", "port = 8080\n"}};
  d.dirs = {"uploads"};
  d.notCarried = {"docker/Dockerfile:9: VOLUME /data: not carried"};
  facts.dockerfile = d;
  facts.image = "alpine:3.20";
  facts.systemManager = "apk";
  facts.pythonVersion = "3.12";
  facts.pythonVersionSource = "alpine3.20";
  facts.requirements = {"requirements.txt"};
  facts.copy = {"app/"};
  facts.ports = {8080, 9090};
  facts.entrypoint = {"tini", "--"};
  facts.cmd = {"python", "-m", "app"};
  facts.notes = {"Dockerfile.dev could not be read; nothing was taken from it: x"};
  return facts;
}

TEST(StarterSpecTest, ExactText) {
  EXPECT_EQ(writeStarterSpec(buildStarterSpec(alpineFacts())),
            R"(# Starter spec written by `imageplan init`. Review it, then run:
#   imageplan gen imageplan.yaml -o Dockerfile
# Detected:
#   - docker/Dockerfile, whose final stage starts from alpine:3.20
#   - also found: Dockerfile.dev; init read docker/Dockerfile, none is for GPUs; it is the one nearest the top
#   - system packages its final image installs: libstdc++, tini
#   - Python 3.12 (from alpine3.20)
#   - requirements.txt, installed from the spec
# Not carried from docker/Dockerfile, line by line:
#   - docker/Dockerfile:9: VOLUME /data: not carried
# To review:
#   - Dockerfile.dev could not be read; nothing was taken from it: x

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

artifacts:
  - {image: mwader/static-ffmpeg:6.1, from: /ffmpeg, to: /usr/local/bin/ffmpeg}

files:
  - path: /etc/svc.toml
    mode: "0644"
    content: |
      port = 8080


app:
  workdir: /srv
  copy: [app/]
  dirs: [uploads]
  env:
    MODEL_DIR: /models
    WORKERS: "2"
  user: svc
  expose: [8080, 9090]
  healthcheck: {http: /ready, port: 9090, interval: 10s}
  entrypoint: [tini, "--"]
  cmd: [python, "-m", app]

labels:
  org.opencontainers.image.source: https://example.com/svc
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
  facts.entrypoint.clear();
  facts.cmd = {"sh", "-c", "echo \"a\\b\"", "on", "8", "", "a b", "x#y"};
  std::string text = writeStarterSpec(buildStarterSpec(facts));
  EXPECT_NE(
      text.find("\n  cmd: [sh, \"-c\", \"echo \\\"a\\\\b\\\"\", \"on\", \"8\", \"\", \"a b\", "
                "\"x#y\"]\n"),
      std::string::npos)
      << text;
}

TEST(StarterSpecTest, WhatTheDockerfileRunsAsAndItsHealthCheck) {
  ProjectFacts facts = alpineFacts();
  facts.dockerfile->user.clear();
  facts.dockerfile->healthcheck = HealthcheckFacts{.http = "/health", .port = 8080};
  StarterSpec spec = buildStarterSpec(facts);
  ASSERT_TRUE(spec.app.user);
  EXPECT_EQ(spec.app.user->value, "root") << "no USER: the Dockerfile's image runs as root";
  ASSERT_TRUE(spec.app.healthcheck);
  EXPECT_EQ(spec.app.healthcheck->port, 0) << "the first exposed port is the default";

  facts.dockerfile->user = "1000";
  EXPECT_FALSE(buildStarterSpec(facts).app.user) << "a uid is not a user name";
  facts.dockerfile->healthcheck.reset();
  facts.dockerfile->noHealthcheck = true;
  facts.healthRoute = "/health";
  EXPECT_FALSE(buildStarterSpec(facts).app.healthcheck) << "HEALTHCHECK NONE wins";
  facts.dockerfile->noHealthcheck = false;
  EXPECT_EQ(buildStarterSpec(facts).app.healthcheck->http, "/health")
      << "a route the app serves is a real health check";
}

} // namespace
} // namespace imageplan::init
