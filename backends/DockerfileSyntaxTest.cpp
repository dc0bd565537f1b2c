// Tests of Dockerfile-level quoting: ENV/LABEL words, flags, --mount options,
// JSON arrays and comment text.
#include "backends/DockerfileSyntax.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

TEST(DockerfileSyntaxTest, PlainWordsStayBare) {
  EXPECT_EQ("1", dockerfileWord("1"));
  EXPECT_EQ("/opt/venv/bin", dockerfileWord("/opt/venv/bin"));
  EXPECT_EQ("org.opencontainers.image.source", dockerfileWord("org.opencontainers.image.source"));
  EXPECT_EQ("https://example.com:8080/a,b+c@d-e_f",
            dockerfileWord("https://example.com:8080/a,b+c@d-e_f"));
}

TEST(DockerfileSyntaxTest, OtherWordsAreDoubleQuotedWithoutExpansion) {
  EXPECT_EQ("\"\"", dockerfileWord(""));
  EXPECT_EQ("\"hello world\"", dockerfileWord("hello world"));
  EXPECT_EQ("\"\\$HOME\"", dockerfileWord("$HOME"));
  EXPECT_EQ("\"\\$(rm -rf /)\"", dockerfileWord("$(rm -rf /)"));
  EXPECT_EQ("\"a'b\"", dockerfileWord("a'b"));
  EXPECT_EQ("\"say \\\"hi\\\"\"", dockerfileWord("say \"hi\""));
  EXPECT_EQ("\"C:\\\\dir\"", dockerfileWord("C:\\dir"));
  EXPECT_EQ("\"a;b\"", dockerfileWord("a;b"));
  EXPECT_EQ("\"a=b\"", dockerfileWord("a=b"));
}

// A Dockerfile value cannot hold a line break; the DSL rejects them and the
// backend keeps the file well-formed with a visible escape (see the header).
TEST(DockerfileSyntaxTest, ControlCharactersBecomeVisibleEscapes) {
  EXPECT_EQ("\"a\\nb\"", dockerfileWord("a\nb"));
  EXPECT_EQ("\"a\\r\"", dockerfileWord("a\r"));
  EXPECT_EQ("\"\\x01\"", dockerfileWord("\x01"));
  EXPECT_EQ("\"a\tb\"", dockerfileWord("a\tb"));
}

TEST(DockerfileSyntaxTest, PlainWordMustNotLookLikeAFlag) {
  EXPECT_TRUE(isPlainDockerfileWord("app/"));
  EXPECT_FALSE(isPlainDockerfileWord("--from=x"));
  EXPECT_FALSE(isPlainDockerfileWord(""));
  EXPECT_FALSE(isPlainDockerfileWord("my file"));
}

TEST(DockerfileSyntaxTest, WordExpansionEscapes) {
  EXPECT_EQ("plain path", escapeWordExpansion("plain path"));
  EXPECT_EQ("it\\'s \\$HOME \\\"x\\\" a\\\\b", escapeWordExpansion("it's $HOME \"x\" a\\b"));
}

TEST(DockerfileSyntaxTest, FlagValuesAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ("--chown=app:app", dockerfileFlag("chown", "app:app"));
  EXPECT_EQ("--from=builder", dockerfileFlag("from", "builder"));
  EXPECT_EQ("--x=\"a b\"", dockerfileFlag("x", "a b"));
  EXPECT_EQ("--x=\"it's \\\"q\\\" \\\\\"", dockerfileFlag("x", "it's \"q\" \\"));
  EXPECT_EQ("--x=\"a\\nb\"", dockerfileFlag("x", "a\nb"));
}

TEST(DockerfileSyntaxTest, MountFlagForOrdinaryPaths) {
  Mount cache{{{"type", "cache"}, {"target", "/var/cache/apt"}, {"sharing", "locked"}}};
  EXPECT_EQ("--mount=type=cache,target=/var/cache/apt,sharing=locked", mountFlag(cache));
  Mount bind{{{"type", "bind"},
              {"source", "requirements.txt"},
              {"target", "/tmp/imageplan/requirements.txt"}}};
  EXPECT_EQ("--mount=type=bind,source=requirements.txt,target=/tmp/imageplan/requirements.txt",
            mountFlag(bind));
}

// Three readers in turn: the flag splitter, CSV, then word expansion.
TEST(DockerfileSyntaxTest, MountFlagEscapesEachLayerOnlyWhenNeeded) {
  EXPECT_EQ("--mount=\"type=bind,source=my file,target=my file\"",
            mountFlag(Mount{{{"type", "bind"}, {"source", "my file"}, {"target", "my file"}}}));
  EXPECT_EQ("--mount=\"type=bind,\\\"source=a,b\\\",target=t\"",
            mountFlag(Mount{{{"type", "bind"}, {"source", "a,b"}, {"target", "t"}}}));
  EXPECT_EQ("--mount=\"type=bind,source=it\\\\'s,target=\\\\$x\"",
            mountFlag(Mount{{{"type", "bind"}, {"source", "it's"}, {"target", "$x"}}}));
  // A quote needs every layer: \" for expansion, "" inside a CSV field, and
  // each backslash and quote escaped again for the flag splitter.
  EXPECT_EQ("--mount=\"type=bind,\\\"source=a\\\\\\\"\\\"b\\\"\"",
            mountFlag(Mount{{{"type", "bind"}, {"source", "a\"b"}}}));
}

TEST(DockerfileSyntaxTest, JsonEscaping) {
  EXPECT_EQ("\"plain\"", jsonString("plain"));
  EXPECT_EQ("\"say \\\"hi\\\"\"", jsonString("say \"hi\""));
  EXPECT_EQ("\"a\\\\b\"", jsonString("a\\b"));
  EXPECT_EQ("\"a\\u000ab\\u0009\\u001f\"", jsonString("a\nb\t\x1f"));
  EXPECT_EQ("\"$HOME 'x' \xc3\xa9\"", jsonString("$HOME 'x' \xc3\xa9"));
  EXPECT_EQ("[]", jsonArray({}));
  EXPECT_EQ("[\"python\", \"-m\", \"app\"]", jsonArray({"python", "-m", "app"}));
}

TEST(DockerfileSyntaxTest, CommentTextStaysOnOneLine) {
  EXPECT_EQ("python packages", commentText("python packages"));
  EXPECT_EQ("a b", commentText("a\nb\n\n"));
  EXPECT_EQ("x", commentText("x \t "));
}

} // namespace
} // namespace imageplan::backends
