// Tests for parseSpec: a full spec read into the AST with its locations
// (ParserErrorsTest.cpp has the errors).
#include "dsl/Parser.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

constexpr const char *kFullSpec = R"(imageplan: 1
name: my-app
base:
  cuda: 11.8
  cudnn: 8
  os: ubuntu22.04
  digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
python:
  version: "3.10"
  packages: [torch==2.0.1, numpy]
  requirements: [requirements.txt]
  index_urls: [https://download.pytorch.org/whl/cu118]
  build: [flash-attn]
  build_requires: [ninja]
system:
  packages: [libgl1, curl=7.88.1-10]
  build_packages: [build-essential]
models:
  - id: meta-llama/Llama-2-7b
    revision: main
    path: /models/llama
    bake: true
    token_secret: hf_token
    changes: rarely
  - id: org/small
    path: /models/small
app:
  workdir: /app
  copy: [src, .]
  dirs: [logs, /data]
  env:
    ZED: last
    HF_HOME: /models
    PORT: 8000
  user: app
  expose: [8000, 9000]
  healthcheck:
    http: /health
    port: 8000
    interval: 30s
    timeout: 5s
    start_period: 1m30s
    retries: 3
  entrypoint: [python]
  cmd: [-m, app]
  changes: 0.3
steps:
  - name: build-ext
    run: |
      make -C ext
      echo	done
    inputs: [ext]
    outputs: [/opt/ext]
    stage: builder
    changes: sometimes
    cost: 120.5
  - name: warm
    run: python warm.py
    after: [build-ext, models]
labels:
  org.opencontainers.image.source: https://example.com/repo
  b.label: "2"
)";

TEST(ParserTest, FullSpecFillsTheAst) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(kFullSpec);
  ASSERT_TRUE(spec) << c.output();
  EXPECT_EQ(c.output(), "");

  EXPECT_EQ(spec->path, "imageplan.yaml");
  EXPECT_EQ(spec->schema.value, 1);
  EXPECT_EQ(c.lineCol(spec->schema.loc), "1:12");
  EXPECT_EQ(spec->name.value, "my-app");
  EXPECT_EQ(c.lineCol(spec->name.loc), "2:7");

  EXPECT_EQ(c.lineCol(spec->base.loc), "3:1");
  ASSERT_TRUE(spec->base.cuda);
  EXPECT_EQ(spec->base.cuda->value, "11.8"); // the text as written, not a float
  EXPECT_EQ(c.lineCol(spec->base.cuda->loc), "4:9");
  EXPECT_EQ(spec->base.cudnn->value, "8");
  EXPECT_EQ(spec->base.os->value, "ubuntu22.04");
  EXPECT_FALSE(spec->base.image);
  EXPECT_EQ(spec->base.digest->value.substr(0, 10), "sha256:012");

  ASSERT_TRUE(spec->python);
  EXPECT_EQ(spec->python->version->value, "3.10");
  ASSERT_EQ(spec->python->packages.size(), 2u);
  EXPECT_EQ(spec->python->packages[1].value, "numpy");
  EXPECT_EQ(c.lineCol(spec->python->packages[1].loc), "10:28");
  EXPECT_EQ(spec->python->requirements[0].value, "requirements.txt");
  EXPECT_EQ(spec->python->indexUrls[0].value, "https://download.pytorch.org/whl/cu118");
  EXPECT_EQ(spec->python->build[0].value, "flash-attn");
  EXPECT_EQ(spec->python->buildRequires[0].value, "ninja");

  EXPECT_EQ(c.lineCol(spec->system.loc), "15:1");
  ASSERT_EQ(spec->system.packages.size(), 2u);
  EXPECT_EQ(spec->system.packages[1].value, "curl=7.88.1-10");
  EXPECT_EQ(spec->system.buildPackages[0].value, "build-essential");

  ASSERT_EQ(spec->models.size(), 2u);
  const ModelSpec &llama = spec->models[0];
  EXPECT_EQ(c.lineCol(llama.loc), "19:5");
  EXPECT_EQ(llama.id.value, "meta-llama/Llama-2-7b");
  EXPECT_EQ(llama.revision->value, "main");
  EXPECT_EQ(llama.path.value, "/models/llama");
  EXPECT_EQ(c.lineCol(llama.path.loc), "21:11");
  EXPECT_TRUE(llama.bake.value);
  EXPECT_EQ(llama.tokenSecret->value, "hf_token");
  ASSERT_TRUE(llama.changes);
  EXPECT_EQ(llama.changes->word, "rarely");
  EXPECT_DOUBLE_EQ(llama.changes->probability, 0.01);
  EXPECT_EQ(c.lineCol(llama.changes->loc), "24:14");
  const ModelSpec &small = spec->models[1];
  EXPECT_FALSE(small.bake.value); // default
  EXPECT_EQ(c.lineCol(small.bake.loc), "25:5");
  EXPECT_FALSE(small.revision);
  EXPECT_FALSE(small.changes);

  const AppSpec &app = spec->app;
  EXPECT_EQ(c.lineCol(app.loc), "27:1");
  EXPECT_EQ(app.workdir->value, "/app");
  ASSERT_EQ(app.copy.size(), 2u);
  EXPECT_EQ(app.copy[1].from.value, ".");
  EXPECT_EQ(app.dirs[1].value, "/data");
  ASSERT_EQ(app.env.size(), 3u); // in the order written, not sorted
  EXPECT_EQ(app.env[0].first.value, "ZED");
  EXPECT_EQ(app.env[0].second.value, "last");
  EXPECT_EQ(app.env[2].first.value, "PORT");
  EXPECT_EQ(app.env[2].second.value, "8000");
  EXPECT_EQ(c.lineCol(app.env[1].first.loc), "33:5");
  EXPECT_EQ(c.lineCol(app.env[1].second.loc), "33:14");
  EXPECT_EQ(app.user->value, "app");
  ASSERT_EQ(app.expose.size(), 2u);
  EXPECT_EQ(app.expose[1].value, 9000);
  EXPECT_EQ(c.lineCol(app.expose[1].loc), "36:18");
  ASSERT_TRUE(app.healthcheck);
  EXPECT_EQ(c.lineCol(app.healthcheck->loc), "37:3");
  EXPECT_EQ(app.healthcheck->http->value, "/health");
  EXPECT_EQ(app.healthcheck->port->value, 8000);
  EXPECT_EQ(app.healthcheck->interval->value, "30s");
  EXPECT_EQ(app.healthcheck->timeout->value, "5s");
  EXPECT_EQ(app.healthcheck->startPeriod->value, "1m30s");
  EXPECT_EQ(app.healthcheck->retries->value, 3);
  EXPECT_TRUE(app.healthcheck->cmd.empty());
  EXPECT_EQ(app.entrypoint[0].value, "python");
  ASSERT_EQ(app.cmd.size(), 2u);
  EXPECT_EQ(app.cmd[0].value, "-m");
  EXPECT_EQ(app.changes->word, "");
  EXPECT_DOUBLE_EQ(app.changes->probability, 0.3);

  ASSERT_EQ(spec->steps.size(), 2u);
  const StepSpec &ext = spec->steps[0];
  EXPECT_EQ(c.lineCol(ext.loc), "48:5");
  EXPECT_EQ(ext.name.value, "build-ext");
  EXPECT_EQ(ext.run.value, "make -C ext\necho\tdone\n");
  EXPECT_EQ(c.lineCol(ext.run.loc), "49:10");
  EXPECT_EQ(ext.inputs[0].value, "ext");
  EXPECT_EQ(ext.outputs[0].value, "/opt/ext");
  EXPECT_EQ(ext.stage->value, "builder");
  EXPECT_DOUBLE_EQ(ext.changes->probability, 0.1);
  ASSERT_TRUE(ext.cost);
  EXPECT_DOUBLE_EQ(ext.cost->value, 120.5);
  const StepSpec &warm = spec->steps[1];
  ASSERT_EQ(warm.after.size(), 2u);
  EXPECT_EQ(warm.after[1].value, "models");
  EXPECT_EQ(c.lineCol(warm.after[1].loc), "59:24");
  EXPECT_FALSE(warm.stage);
  EXPECT_FALSE(warm.cost);

  ASSERT_EQ(spec->labels.size(), 2u);
  EXPECT_EQ(spec->labels[0].first.value, "org.opencontainers.image.source");
  EXPECT_EQ(spec->labels[1].second.value, "2");
}

TEST(ParserTest, FilesKeepTheirExactBytes) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(R"(imageplan: 1
name: x
base: {image: "alpine:3.20"}
system: {manager: apk, packages: [py3-pip]}
files:
  - path: /etc/a
    content: |
      one
        two
  - path: /etc/b
    mode: "0600"
    content: |-
      no newline
app: {copy: [.], exclude: [tests/, "**/*.log"]}
)");
  ASSERT_TRUE(spec) << c.output();
  ASSERT_EQ(spec->files.size(), 2u);
  EXPECT_EQ(spec->files[0].content.value, "one\n  two\n");
  EXPECT_FALSE(spec->files[0].mode);
  EXPECT_EQ(spec->files[1].content.value, "no newline");
  EXPECT_EQ(spec->files[1].mode->value, "0600");
  EXPECT_EQ(spec->system.manager->value, "apk");
  ASSERT_EQ(spec->app.exclude.size(), 2u);
  EXPECT_EQ(spec->app.exclude[1].value, "**/*.log");
}

TEST(ParserTest, MinimalSpecLeavesOptionalPartsEmpty) {
  CapturedDiagnostics c;
  std::optional<Spec> spec =
      c.parse("imageplan: 1\nname: x\nbase: {image: python:3.11-slim}\napp: {}\n");
  ASSERT_TRUE(spec) << c.output();
  EXPECT_EQ(spec->base.image->value, "python:3.11-slim");
  EXPECT_FALSE(spec->python);
  EXPECT_TRUE(spec->models.empty());
  EXPECT_TRUE(spec->steps.empty());
  EXPECT_FALSE(spec->system.loc.isValid());
  EXPECT_FALSE(spec->app.healthcheck);
}

} // namespace
} // namespace imageplan::dsl
