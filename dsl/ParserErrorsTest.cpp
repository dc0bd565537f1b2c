// Tests for parseSpec's errors: the exact text of each kind of error, every
// error in one run, and robustness against hostile input.
#include "dsl/Parser.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

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
            "contain '..', which could leave the build context; to read files outside the "
            "spec's folder, give the folder that holds them with --context and write paths "
            "from there\n"
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
  // Refused by the pre-scan at the 33rd level, before yaml-cpp recurses.
  EXPECT_EQ(deep.output().find("imageplan.yaml:1:33: error: lists and mappings nested deeper "
                               "than 32 levels\n"),
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
