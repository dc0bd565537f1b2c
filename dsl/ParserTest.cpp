// Tests for parseSpec: a full spec read into the AST with its locations, the
// exact text of each kind of error, and robustness against hostile input.
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
  EXPECT_EQ(app.copy[1].value, ".");
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

/// Parses `text`, expects failure, and returns what was printed.
std::string errorsOf(llvm::StringRef text) {
  CapturedDiagnostics c;
  EXPECT_FALSE(c.parse(text)) << "expected the spec to be rejected";
  return c.output();
}

/// A valid spec with `extra` appended at the top level (after `app:`).
std::string specWith(llvm::StringRef extra) {
  return "imageplan: 1\nname: x\nbase:\n  image: python\napp:\n  user: app\n" + extra.str();
}

TEST(ParserTest, UnknownKeySuggestsTheClosest) {
  EXPECT_EQ(errorsOf(specWith("pyton:\n  version: \"3.11\"\n")),
            "imageplan.yaml:7:1: error: unknown key 'pyton'; did you mean 'python'?\n"
            "pyton:\n"
            "^\n");
  EXPECT_EQ(errorsOf(specWith("flavour: vanilla\n")),
            "imageplan.yaml:7:1: error: unknown key 'flavour'\n"
            "flavour: vanilla\n"
            "^\n");
  EXPECT_EQ(errorsOf(specWith("steps:\n  - name: a\n    rnu: x\n    run: y\n")),
            "imageplan.yaml:9:5: error: unknown key 'rnu'; did you mean 'run'?\n"
            "    rnu: x\n"
            "    ^\n");
  EXPECT_EQ(errorsOf(specWith("<<: {a: 1}\n")),
            "imageplan.yaml:7:1: error: merge keys ('<<') are not supported\n"
            "<<: {a: 1}\n"
            "^\n");
}

TEST(ParserTest, WrongTypesNameTheKeyAndWhatWasFound) {
  EXPECT_EQ(errorsOf(specWith("python:\n  packages: {torch: 2}\n")),
            "imageplan.yaml:8:13: error: expected a list of strings for 'packages', got a mapping\n"
            "  packages: {torch: 2}\n"
            "            ^\n");
  EXPECT_EQ(errorsOf(specWith("python:\n  packages: numpy\n")),
            "imageplan.yaml:8:13: error: expected a list of strings for 'packages', got 'numpy'\n"
            "  packages: numpy\n"
            "            ^\n");
  EXPECT_EQ(errorsOf(specWith("python:\n  packages: [[a]]\n")),
            "imageplan.yaml:8:14: error: expected a string or a mapping in 'packages', got a list\n"
            "  packages: [[a]]\n"
            "             ^\n");
  EXPECT_EQ(errorsOf(specWith("models: {id: a/b}\n")),
            "imageplan.yaml:7:9: error: expected a list of mappings for 'models', got a mapping\n"
            "models: {id: a/b}\n"
            "        ^\n");
  EXPECT_EQ(errorsOf(specWith("steps: [build]\n")),
            "imageplan.yaml:7:9: error: expected a mapping in 'steps', got 'build'\n"
            "steps: [build]\n"
            "        ^\n");
  EXPECT_EQ(errorsOf(specWith("labels: [a]\n")),
            "imageplan.yaml:7:9: error: expected a mapping of strings for 'labels', got a list\n"
            "labels: [a]\n"
            "        ^\n");
  EXPECT_EQ(errorsOf(specWith("system: [curl]\n")),
            "imageplan.yaml:7:9: error: expected a mapping for 'system', got a list\n"
            "system: [curl]\n"
            "        ^\n");
  // An empty value points at its key: yaml-cpp marks it where the next token is.
  EXPECT_EQ(errorsOf("imageplan: 1\nname:\nbase: {image: x}\napp: {}\n"),
            "imageplan.yaml:2:1: error: expected a string for 'name', got an empty value\n"
            "name:\n"
            "^\n");
}

TEST(ParserTest, ScalarTypes) {
  EXPECT_EQ(errorsOf(specWith("models:\n  - {id: a/b, path: /m, bake: yes}\n")),
            "imageplan.yaml:8:31: error: expected true or false for 'bake', got 'yes'\n"
            "  - {id: a/b, path: /m, bake: yes}\n"
            "                              ^\n");
  EXPECT_EQ(errorsOf(specWith("steps:\n  - {name: a, run: b, cost: fast}\n")),
            "imageplan.yaml:8:29: error: expected a number for 'cost', got 'fast'\n"
            "  - {name: a, run: b, cost: fast}\n"
            "                            ^\n");
  EXPECT_EQ(errorsOf(specWith("steps:\n  - {name: a, run: b, cost: -1}\n")),
            "imageplan.yaml:8:29: error: invalid cost -1; expected a number of at least 0\n"
            "  - {name: a, run: b, cost: -1}\n"
            "                            ^\n");
  EXPECT_EQ(
      errorsOf("imageplan: 1\nname: x\nbase: {image: x}\napp:\n  expose: [80, http, 0, 65536]\n"),
      "imageplan.yaml:5:16: error: expected an integer in 'expose', got 'http'\n"
      "  expose: [80, http, 0, 65536]\n"
      "               ^\n"
      "imageplan.yaml:5:22: error: invalid port 0; expected 1 to 65535\n"
      "  expose: [80, http, 0, 65536]\n"
      "                     ^\n"
      "imageplan.yaml:5:25: error: invalid port 65536; expected 1 to 65535\n"
      "  expose: [80, http, 0, 65536]\n"
      "                        ^\n");
}

TEST(ParserTest, ChangesAcceptsWordsAndProbabilities) {
  CapturedDiagnostics c;
  std::optional<Spec> spec =
      c.parse("imageplan: 1\nname: x\nbase: {image: x}\napp: {changes: always}\nsteps:\n"
              "  - {name: a, run: b, changes: 0}\n  - {name: c, run: d, changes: often}\n");
  ASSERT_TRUE(spec) << c.output();
  EXPECT_EQ(spec->app.changes->word, "always");
  EXPECT_DOUBLE_EQ(spec->app.changes->probability, 1.0);
  EXPECT_DOUBLE_EQ(spec->steps[0].changes->probability, 0.0);
  EXPECT_DOUBLE_EQ(spec->steps[1].changes->probability, 0.5);

  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\nbase: {image: x}\napp: {changes: ofen}\n"),
            "imageplan.yaml:4:16: error: invalid 'changes' value 'ofen'; did you mean 'often'?\n"
            "app: {changes: ofen}\n"
            "               ^\n");
  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\nbase: {image: x}\napp: {changes: weekly}\n"),
            "imageplan.yaml:4:16: error: invalid 'changes' value 'weekly'; expected 'rarely', "
            "'sometimes', 'often', 'always' or a probability from 0 to 1\n"
            "app: {changes: weekly}\n"
            "               ^\n");
  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\nbase: {image: x}\napp: {changes: 1.5}\n"),
            "imageplan.yaml:4:16: error: invalid 'changes' value 1.5; expected a probability "
            "from 0 to 1\n"
            "app: {changes: 1.5}\n"
            "               ^\n");
}

TEST(ParserTest, MissingRequiredKeysPointAtTheMapping) {
  EXPECT_EQ(errorsOf("# a spec\nimageplan: 1\nbase: {image: x}\n"),
            "imageplan.yaml:2:1: error: missing required key 'name'\n"
            "imageplan: 1\n"
            "^\n"
            "imageplan.yaml:2:1: error: missing required key 'app'\n"
            "imageplan: 1\n"
            "^\n");
  EXPECT_EQ(errorsOf(specWith("models:\n  - revision: main\n")),
            "imageplan.yaml:8:5: error: missing required key 'id'\n"
            "  - revision: main\n"
            "    ^\n"
            "imageplan.yaml:8:5: error: missing required key 'path'\n"
            "  - revision: main\n"
            "    ^\n");
}

TEST(ParserTest, DuplicateKeysNoteTheFirst) {
  EXPECT_EQ(
      errorsOf(
          "imageplan: 1\nname: a\nbase: {image: x}\napp:\n  env: {A: 1, B: 2, A: 3}\nname: b\n"),
      "imageplan.yaml:5:21: error: duplicate key 'A'\n"
      "  env: {A: 1, B: 2, A: 3}\n"
      "                    ^\n"
      "imageplan.yaml:5:9: note: previous definition is here\n"
      "  env: {A: 1, B: 2, A: 3}\n"
      "        ^\n"
      "imageplan.yaml:6:1: error: duplicate key 'name'\n"
      "name: b\n"
      "^\n"
      "imageplan.yaml:2:1: note: previous definition is here\n"
      "name: a\n"
      "^\n");
}

TEST(ParserTest, SchemaVersion) {
  // Another version stops the parse: its keys need not match this schema.
  EXPECT_EQ(
      errorsOf("name: X\nimageplan: 2\nfuture_key: 1\n"),
      "imageplan.yaml:2:12: error: unsupported schema version 2; this imageplan reads version 1\n"
      "imageplan: 2\n"
      "           ^\n");
  EXPECT_EQ(errorsOf("imageplan: v1\nname: x\nbase: {image: x}\napp: {}\n"),
            "imageplan.yaml:1:12: error: expected an integer for 'imageplan', got 'v1'\n"
            "imageplan: v1\n"
            "           ^\n");
  EXPECT_EQ(errorsOf("name: x\nbase: {image: x}\napp: {}\n"),
            "imageplan.yaml:1:1: error: missing required key 'imageplan'\n"
            "name: x\n"
            "^\n");
}

TEST(ParserTest, DocumentShape) {
  EXPECT_EQ(errorsOf(""), "imageplan.yaml:1:1: error: empty spec; expected a mapping with the "
                          "keys 'imageplan', 'name', 'base' and 'app'\n\n^\n");
  EXPECT_EQ(errorsOf("# only a comment\n"),
            "imageplan.yaml:1:1: error: empty spec; expected a mapping with the keys "
            "'imageplan', 'name', 'base' and 'app'\n"
            "# only a comment\n"
            "^\n");
  EXPECT_EQ(errorsOf("- imageplan: 1\n"),
            "imageplan.yaml:1:1: error: expected a mapping at the top level, got a list\n"
            "- imageplan: 1\n"
            "^\n");
  EXPECT_EQ(
      errorsOf(specWith("---\nname: y\n")),
      "imageplan.yaml:7:1: error: unexpected second YAML document; a spec is a single document\n"
      "---\n"
      "^\n");
  EXPECT_EQ(
      errorsOf(specWith("---\n")),
      "imageplan.yaml:7:1: error: unexpected second YAML document; a spec is a single document\n"
      "---\n"
      "^\n");
  EXPECT_EQ(
      errorsOf(specWith("...\nname: y\n")),
      "imageplan.yaml:8:1: error: unexpected second YAML document; a spec is a single document\n"
      "name: y\n"
      "^\n");
  // A leading document marker is fine.
  CapturedDiagnostics c;
  EXPECT_TRUE(c.parse("---\n" + specWith(""))) << c.output();
}

TEST(ParserTest, MalformedYamlIsOneErrorAtItsMark) {
  EXPECT_EQ(errorsOf("imageplan: 1\nname: \"a\\qb\"\n"),
            "imageplan.yaml:2:11: error: invalid YAML: unknown escape character: q\n"
            "name: \"a\\qb\"\n"
            "          ^\n");
  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\n  base: y\n"),
            "imageplan.yaml:3:7: error: invalid YAML: illegal map value\n"
            "  base: y\n"
            "      ^\n");
  EXPECT_EQ(errorsOf("base:\n\timage: x\n"),
            "imageplan.yaml:2:1: error: invalid YAML: tabs are not allowed in indentation\n"
            "        image: x\n" // SourceMgr expands the tab
            "^^^^^^^^\n");
  // yaml-cpp's LoadAll would loop forever on this one.
  EXPECT_EQ(errorsOf(",imageplan: 1\n"), "imageplan.yaml:1:1: error: invalid YAML: unexpected ','\n"
                                         ",imageplan: 1\n"
                                         "^\n");
  EXPECT_EQ(errorsOf("a: *nowhere\n"),
            "imageplan.yaml:1:4: error: invalid YAML: the referenced anchor is not defined\n"
            "a: *nowhere\n"
            "   ^\n");
}

TEST(ParserTest, ValueRulesReportTheValue) {
  EXPECT_EQ(errorsOf("imageplan: 1\nname: My App\nbase: {image: x}\napp: {}\n"),
            "imageplan.yaml:2:7: error: invalid name 'My App'; use lowercase letters, digits, "
            "'.', '_' and '-', starting with a letter or digit\n"
            "name: My App\n"
            "      ^\n");
  EXPECT_EQ(errorsOf(specWith("python:\n  packages: [\"--extra-index-url=http://evil\"]\n")),
            "imageplan.yaml:8:14: error: invalid Python package '--extra-index-url=http://evil'; "
            "a package may not start with '-', which pip would read as an option\n"
            "  packages: [\"--extra-index-url=http://evil\"]\n"
            "             ^\n");
  EXPECT_EQ(errorsOf(specWith("python:\n  requirements: [../secrets.txt]\n")),
            "imageplan.yaml:8:18: error: invalid context path '../secrets.txt'; a path may not "
            "contain '..', which could leave the build context\n"
            "  requirements: [../secrets.txt]\n"
            "                 ^\n");
  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\nbase: {image: x, digest: sha256:abc}\napp: {}\n"),
            "imageplan.yaml:3:26: error: invalid digest 'sha256:abc'; expected 'sha256:' followed "
            "by 64 lowercase hex digits\n"
            "base: {image: x, digest: sha256:abc}\n"
            "                         ^\n");
}

TEST(ParserTest, ControlCharactersOnlyInRun) {
  EXPECT_EQ(errorsOf("imageplan: 1\nname: \"a\\tb\"\nbase: {image: x}\napp: {}\n"),
            "imageplan.yaml:2:7: error: control character '\\t' in 'name'\n"
            "name: \"a\\tb\"\n"
            "      ^\n");
  EXPECT_EQ(errorsOf(specWith("labels: {a: \"x\\ny\"}\n")),
            "imageplan.yaml:7:13: error: control character '\\n' in 'a'\n"
            "labels: {a: \"x\\ny\"}\n"
            "            ^\n");
  EXPECT_EQ(errorsOf(specWith("steps:\n  - {name: a, run: \"echo \\e[0m\"}\n")),
            "imageplan.yaml:8:20: error: control character '\\x1b' in 'run'\n"
            "  - {name: a, run: \"echo \\e[0m\"}\n"
            "                   ^\n");
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(specWith("steps:\n  - {name: a, run: \"a\\n\\tb\"}\n"));
  ASSERT_TRUE(spec) << c.output();
  EXPECT_EQ(spec->steps[0].run.value, "a\n\tb");
}

TEST(ParserTest, RulesAcrossKeys) {
  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\nbase: {os: ubuntu22.04}\napp: {}\n"),
            "imageplan.yaml:3:1: error: 'base' needs 'cuda' or 'image'\n"
            "base: {os: ubuntu22.04}\n"
            "^\n"
            "imageplan.yaml:3:8: error: 'os' only applies to a 'cuda' base\n"
            "base: {os: ubuntu22.04}\n"
            "       ^\n");
  EXPECT_EQ(errorsOf("imageplan: 1\nname: x\nbase: {image: x, cuda: \"12.1\"}\napp: {}\n"),
            "imageplan.yaml:3:18: error: 'base' sets both 'cuda' and 'image'; use only one\n"
            "base: {image: x, cuda: \"12.1\"}\n"
            "                 ^\n"
            "imageplan.yaml:3:8: note: 'image' is set here\n"
            "base: {image: x, cuda: \"12.1\"}\n"
            "       ^\n");
  EXPECT_EQ(
      errorsOf("imageplan: 1\nname: x\nbase: {image: x}\napp:\n  healthcheck: {retries: 2}\n"),
      "imageplan.yaml:5:3: error: 'healthcheck' needs 'http' or 'cmd'\n"
      "  healthcheck: {retries: 2}\n"
      "  ^\n");
  EXPECT_EQ(
      errorsOf(specWith("steps:\n  - name: a\n    run: b\n    outputs: [/x]\n")),
      "imageplan.yaml:10:5: error: 'outputs' is only allowed in a step with 'stage: builder'\n"
      "    outputs: [/x]\n"
      "    ^\n");
  // A stage already rejected does not also reject the outputs.
  EXPECT_EQ(errorsOf(specWith("steps:\n  - {name: a, run: b, stage: buidler, outputs: [/x]}\n")),
            "imageplan.yaml:8:30: error: invalid stage 'buidler'; did you mean 'builder'?\n"
            "  - {name: a, run: b, stage: buidler, outputs: [/x]}\n"
            "                             ^\n");
}

TEST(ParserTest, AllErrorsInOneRun) {
  CapturedDiagnostics c;
  EXPECT_FALSE(c.parse("imageplan: 1\n"
                       "name: Bad Name\n"
                       "base: {image: x, os: ubuntu22.04}\n"
                       "pyton: {}\n"
                       "app:\n"
                       "  expose: [0]\n"
                       "  user: Root\n"
                       "steps:\n"
                       "  - {name: ok, run: \"\"}\n"));
  EXPECT_EQ(c.engine().errorCount(), 6u) << c.output();
  c.engine().printSummary();
  EXPECT_NE(c.output().find("\n6 errors generated.\n"), std::string::npos);
}

TEST(ParserTest, GarbageNeverThrows) {
  std::string deepList(3000, '[');
  std::string deepMap;
  for (int i = 0; i < 3000; ++i)
    deepMap += "{a: ";
  std::string binary;
  for (int i = 0; i < 512; ++i)
    binary += static_cast<char>((i * 37 + 11) % 256);
  const std::string inputs[] = {
      deepList,
      deepMap,
      binary,
      std::string("imageplan: 1\0name: x\n", 22),
      "\t\t\t\n\t: \t",
      "a: &x [*x]\nb: &y {k: *y}\n",
      "imageplan: 1\nname: &n x\nbase: &b {image: *n}\napp: &a {healthcheck: *a}\n"
      "steps: &s [*s]\nmodels: [*b]\nlabels: *b\n",
      "? [a, b]\n: c\n",
      "%YAML 9.9\n---\na: 1\n",
      "\"unterminated",
      "{{{{}}}}",
      "- - - - -",
      "!!binary x: y",
      ": : :",
  };
  for (const std::string &input : inputs) {
    CapturedDiagnostics c;
    std::optional<Spec> spec;
    EXPECT_NO_THROW(spec = c.parse(input));
    EXPECT_FALSE(spec);
    EXPECT_GT(c.engine().errorCount(), 0u);
  }
  CapturedDiagnostics deep;
  deep.parse(deepList);
  EXPECT_EQ(deep.output().find("imageplan.yaml:1:3001: error: invalid YAML: nesting is too deep\n"),
            0u);
}

TEST(ParserTest, ByteOrderMarkKeepsColumnsRight) {
  EXPECT_EQ(errorsOf("\xEF\xBB\xBFimageplan: 1\nname: X\nbase: {image: x}\napp: {}\n"),
            "imageplan.yaml:2:7: error: invalid name 'X'; use lowercase letters, digits, "
            "'.', '_' and '-', starting with a letter or digit\n"
            "name: X\n"
            "      ^\n");
}

} // namespace
} // namespace imageplan::dsl
