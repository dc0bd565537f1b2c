// Tests for the pre-scan that guards yaml-cpp (YamlPrescan.h): every limit
// with its exact message and location, bytes that are not YAML text, tags,
// unterminated quotes and flow collections at their opening character, and
// no false alarm on the YAML that real specs are written in.
#include "dsl/YamlPrescan.h"

#include "dsl/TestSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <glob.h>

namespace imageplan::dsl {
namespace {

/// "offset: message" of every problem, or "" when the text may be loaded.
std::string problems(llvm::StringRef text, const SpecLimits &limits = kDefaultSpecLimits) {
  std::string out;
  bool ok = prescanYaml(text, limits, [&](size_t offset, const std::string &message) {
    out += std::to_string(offset) + ": " + message + "\n";
  });
  EXPECT_EQ(ok, out.empty());
  return out;
}

SpecLimits small() {
  SpecLimits limits;
  limits.maxDepth = 3;
  limits.maxEntries = 2;
  limits.maxStringBytes = 1024;
  limits.maxValues = 20;
  return limits;
}

TEST(YamlPrescanTest, AcceptsOrdinaryYaml) {
  EXPECT_EQ(problems("imageplan: 1\nname: x\nbase: {image: \"python:3.12\"}\n"
                     "app:\n  copy: [src/, 'it''s']\n  env:\n    A: \"x\\\"y\"\n"
                     "steps:\n  - name: a\n    run: |\n      echo \"[{\" '\n"
                     "      done\n  - {name: b, run: \"x # not a comment\"}  # comment\n"
                     "labels: &l {a: b}\nother: *l\nk: !!str 3.10\n"),
            "");
  EXPECT_EQ(problems("run: >-\n  folded [ { \" '\n  text\nnext: x\n"), "");
  EXPECT_EQ(problems("k: plain words\n  continued \" [ {\nnext: 1\n"), "");
  EXPECT_EQ(problems("a:\n- 1\n- 2\nb: c\n"), "");
  EXPECT_EQ(problems("\xEF\xBB\xBFk: v\r\nl: w\r\n"), "");
}

TEST(YamlPrescanTest, NestingDepth) {
  EXPECT_EQ(problems("a:\n  b:\n    c: 1\n", small()), "");
  EXPECT_EQ(problems("a:\n  b:\n    c:\n      d: 1\n", small()),
            "21: lists and mappings nested deeper than 3 levels\n");
  EXPECT_EQ(problems("k: [[[[1]]]]\n", small()), "5: lists and mappings nested deeper than 3 "
                                                 "levels\n");
  EXPECT_EQ(problems("- - - - x\n", small()), "6: lists and mappings nested deeper than 3 "
                                              "levels\n");
  // The default limit, far below what would strain yaml-cpp's recursion.
  EXPECT_EQ(problems(std::string(100000, '[')),
            "32: lists and mappings nested deeper than 32 levels\n");
}

TEST(YamlPrescanTest, EntriesPerCollection) {
  EXPECT_EQ(problems("a: 1\nb: 2\nc: 3\n", small()), "10: more than 2 keys in one mapping\n");
  EXPECT_EQ(problems("l:\n  - 1\n  - 2\n  - 3\n", small()),
            "17: more than 2 items in one list\n");
  EXPECT_EQ(problems("l: [1, 2, 3]\n", small()), "10: more than 2 items in one list\n");
  EXPECT_EQ(problems("m: {a: 1, b: 2, c: 3}\n", small()),
            "16: more than 2 keys in one mapping\n");
}

TEST(YamlPrescanTest, StringSizeAndValueCount) {
  SpecLimits limits = small();
  EXPECT_EQ(problems("k: " + std::string(1025, 'x') + "\n", limits),
            "3: a string longer than 1 KiB; that is the most one value may hold\n");
  EXPECT_EQ(problems("k: \"" + std::string(1030, 'x') + "\"\n", limits),
            "3: a string longer than 1 KiB; that is the most one value may hold\n");
  EXPECT_EQ(problems("k: |\n  " + std::string(500, 'x') + "\n  " + std::string(500, 'y') +
                         "\nnext: 1\n",
                     limits),
            "");
  // Lines at the key's indentation end a block scalar; plain lines go on.
  EXPECT_EQ(problems("k: |\n" + std::string(600, 'x') + "\n  " + std::string(600, 'y') + "\n",
                     limits),
            "5: a string longer than 1 KiB; that is the most one value may hold\n");
  EXPECT_EQ(problems("k: |\n  " + std::string(600, 'x') + "\n  " + std::string(600, 'y') +
                         "\n",
                     limits),
            "3: a string longer than 1 KiB; that is the most one value may hold\n");
  limits.maxEntries = 100;
  std::string many = "l:\n";
  for (int i = 0; i < 30; ++i)
    many += "  - " + std::to_string(i) + "\n";
  // The key, its mapping, the list and 17 items: the 18th item is one too many.
  EXPECT_EQ(problems(many, limits), "116: more than 20 values in the spec\n");
}

TEST(YamlPrescanTest, BytesThatAreNotYamlText) {
  EXPECT_EQ(problems(llvm::StringRef("k: \"a\0b\"\n", 9)),
            "5: the spec holds a NUL byte ('\\x00'); a spec is YAML text in UTF-8\n");
  EXPECT_EQ(problems("k: \x1b[31mred\n"),
            "3: control character '\\x1b' in the spec; YAML text may not hold one\n");
  EXPECT_EQ(problems("k: caf\xe9\n"),
            "6: invalid UTF-8 byte '\\xe9' in the spec; a spec is YAML text in UTF-8\n");
  EXPECT_EQ(problems("k: \xc2\x9b\n"),
            "3: control character '\\u009b' in the spec; YAML text may not hold one\n");
  EXPECT_EQ(problems("k: caf\xc3\xa9\n"), "");
}

TEST(YamlPrescanTest, UnterminatedAtTheOpeningCharacter) {
  EXPECT_EQ(problems("a: 1\nname: \"abc\nbase: x\n"),
            "11: unterminated string; the '\"' here is never closed\n");
  EXPECT_EQ(problems("name: 'it''s\n"),
            "6: unterminated string; the \"'\" here is never closed\n");
  EXPECT_EQ(problems("copy: [a, b\nname: x\n"),
            "6: unterminated flow list; the '[' here is never closed\n");
  EXPECT_EQ(problems("env: {A: [1]\n"),
            "5: unterminated flow mapping; the '{' here is never closed\n");
  // A quote inside a plain scalar is text.
  EXPECT_EQ(problems("run: echo it's \"fine\n"), "");
}

TEST(YamlPrescanTest, TagsAreRefusedEachWhereItStands) {
  EXPECT_EQ(problems("a: !!binary aGk=\nb: !custom x\nc: !!str ok\nd: [!!int 1]\n"),
            "3: unsupported YAML tag '!!binary'; a spec holds untagged strings, lists and "
            "mappings\n"
            "20: unsupported YAML tag '!custom'; a spec holds untagged strings, lists and "
            "mappings\n"
            "46: unsupported YAML tag '!!int'; a spec holds untagged strings, lists and "
            "mappings\n");
  EXPECT_EQ(problems("!<tag:yaml.org,2002:binary> k: v\n"),
            "0: unsupported YAML tag '!<tag:yaml.org,2002:binary>'; a spec holds untagged "
            "strings, lists and mappings\n");
}

TEST(YamlPrescanTest, NoFalseAlarmOnCommittedSpecs) {
  // Every spec of the repository loads (unit tests run in the source tree).
  glob_t found{};
  for (const char *pattern : {"samples/*/imageplan.yaml", "tests/golden/*/imageplan.yaml",
                              "tests/e2e/cases/*/imageplan.yaml", "tests/cli/good/*.yaml"})
    ::glob(pattern, GLOB_APPEND, nullptr, &found);
  ASSERT_GT(found.gl_pathc, 10u);
  for (size_t i = 0; i < found.gl_pathc; ++i) {
    auto buffer = llvm::MemoryBuffer::getFile(found.gl_pathv[i]);
    ASSERT_TRUE(static_cast<bool>(buffer)) << found.gl_pathv[i];
    EXPECT_EQ(problems((*buffer)->getBuffer()), "") << found.gl_pathv[i];
  }
  ::globfree(&found);
}

TEST(YamlPrescanTest, ParseSpecReportsAtTheLocation) {
  testing::CapturedDiagnostics c;
  EXPECT_FALSE(c.parse("imageplan: 1\nname: \"x\n"));
  EXPECT_EQ(c.output(), "imageplan.yaml:2:7: error: unterminated string; the '\"' here is "
                        "never closed\n"
                        "name: \"x\n"
                        "      ^\n");
}

} // namespace
} // namespace imageplan::dsl
