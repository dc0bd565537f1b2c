// Tests for the .dockerignore matcher: Go's filepath.Match rules, `**`,
// parent-directory matches, exceptions where the last match wins, and the
// exact diagnostics for patterns Docker refuses.
#include "readers/DockerignoreMatcher.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using testing::CapturedDiagnostics;

bool globMatches(llvm::StringRef pattern, llvm::StringRef path) {
  llvm::Expected<PathPattern> compiled = PathPattern::compile(pattern);
  if (!compiled) {
    ADD_FAILURE() << llvm::toString(compiled.takeError());
    return false;
  }
  return compiled->matches(path);
}

std::string compileError(llvm::StringRef pattern) {
  llvm::Expected<PathPattern> compiled = PathPattern::compile(pattern);
  if (compiled)
    return "compiled";
  return llvm::toString(compiled.takeError());
}

TEST(CleanPath, FollowsGoFilepathClean) {
  EXPECT_EQ(cleanPath(""), ".");
  EXPECT_EQ(cleanPath("./"), ".");
  EXPECT_EQ(cleanPath("a//b/./c/"), "a/b/c");
  EXPECT_EQ(cleanPath("a/b/../c"), "a/c");
  EXPECT_EQ(cleanPath("../a"), "../a");
  EXPECT_EQ(cleanPath("/../a"), "/a");
  EXPECT_EQ(cleanPath("/"), "/");
  EXPECT_EQ(cleanPath("a/.."), ".");
}

TEST(PathPattern, StarAndQuestionMarkStopAtSlash) {
  EXPECT_TRUE(globMatches("*.md", "README.md"));
  EXPECT_FALSE(globMatches("*.md", "docs/README.md"));
  EXPECT_TRUE(globMatches("*/temp*", "somedir/temporary.txt"));
  EXPECT_FALSE(globMatches("*/temp*", "a/b/temp"));
  EXPECT_TRUE(globMatches("temp?", "tempa"));
  EXPECT_FALSE(globMatches("temp?", "temp/"));
  EXPECT_FALSE(globMatches("temp?", "temp"));
  EXPECT_TRUE(globMatches("*", ""));
  EXPECT_FALSE(globMatches("a*", "a/b"));
}

TEST(PathPattern, DoubleStarMatchesAnyNumberOfDirectories) {
  EXPECT_TRUE(globMatches("**/*.go", "main.go"));
  EXPECT_TRUE(globMatches("**/*.go", "cmd/tool/main.go"));
  EXPECT_FALSE(globMatches("**/*.go", "main.goo"));
  EXPECT_TRUE(globMatches("a/**/b", "a/b"));
  EXPECT_TRUE(globMatches("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(globMatches("a/**/b", "a/xb"));
  EXPECT_TRUE(globMatches("a/**", "a/x/y"));
  EXPECT_FALSE(globMatches("a/**", "a"));
  EXPECT_TRUE(globMatches("**", "anything/at/all"));
  // `**` not followed by '/' still stands for whole directories.
  EXPECT_TRUE(globMatches("a**b", "ab"));
  EXPECT_TRUE(globMatches("a**b", "ax/b"));
}

TEST(PathPattern, ClassesAndEscapes) {
  EXPECT_TRUE(globMatches("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(globMatches("file[0-9].txt", "filex.txt"));
  EXPECT_TRUE(globMatches("file[^0-9].txt", "filex.txt"));
  EXPECT_FALSE(globMatches("file[^0-9].txt", "file7.txt"));
  EXPECT_FALSE(globMatches("a[^x]b", "a/b")); // a class never matches '/'
  EXPECT_TRUE(globMatches("[!]", "!"));       // '!' is a member, not a negation
  EXPECT_TRUE(globMatches("\\*.md", "*.md"));
  EXPECT_FALSE(globMatches("\\*.md", "a.md"));
  EXPECT_TRUE(globMatches("[\\]]", "]"));
}

TEST(PathPattern, MalformedPatternsSayWhy) {
  EXPECT_EQ(compileError("a["), "bad pattern 'a[': unterminated character class");
  EXPECT_EQ(compileError("[]"), "bad pattern '[]': empty or malformed character class");
  EXPECT_EQ(compileError("[z-a]"), "bad pattern '[z-a]': character range runs backwards");
  EXPECT_EQ(compileError("[a-]"), "bad pattern '[a-]': malformed range in character class");
  EXPECT_EQ(compileError("a\\"), "bad pattern 'a\\': '\\' at the end escapes nothing");
}

TEST(PathPattern, ParentDirectoriesMatchToo) {
  llvm::Expected<PathPattern> pattern = PathPattern::compile("node_modules");
  ASSERT_TRUE(bool(pattern));
  EXPECT_TRUE(pattern->matchesOrParent("node_modules/a/b.js"));
  EXPECT_FALSE(pattern->matchesOrParent("src/node_modules/a.js"));
  EXPECT_FALSE(pattern->matchesOrParent("node_modules2/a.js"));
}

class DockerignoreTest : public ::testing::Test {
protected:
  std::optional<DockerignoreMatcher> parse(llvm::StringRef text) {
    unsigned id = diags.engine().addBuffer(text, ".dockerignore");
    llvm::Expected<DockerignoreMatcher> matcher =
        DockerignoreMatcher::parse(diags.engine(), id);
    if (!matcher) {
      llvm::consumeError(matcher.takeError());
      return std::nullopt;
    }
    return std::move(*matcher);
  }
  CapturedDiagnostics diags;
};

TEST_F(DockerignoreTest, LastMatchWins) {
  auto matcher = parse("*.md\n!README*.md\nREADME-secret.md\n");
  ASSERT_TRUE(matcher);
  EXPECT_TRUE(matcher->excludes("CHANGES.md"));
  EXPECT_FALSE(matcher->excludes("README.md"));
  EXPECT_TRUE(matcher->excludes("README-secret.md"));
  EXPECT_FALSE(matcher->excludes("docs/CHANGES.md"));

  auto reordered = parse("*.md\nREADME-secret.md\n!README*.md\n");
  ASSERT_TRUE(reordered);
  EXPECT_FALSE(reordered->excludes("README-secret.md"));
}

TEST_F(DockerignoreTest, AllowlistKeepsOnlyWhatIsNamed) {
  // The shape of the .dockerignore imageplan writes.
  auto matcher = parse("# Generated\n*\n!requirements.txt\n!app\n**/__pycache__\n**/*.pyc\n");
  ASSERT_TRUE(matcher);
  EXPECT_FALSE(matcher->excludes("requirements.txt"));
  EXPECT_FALSE(matcher->excludes("app/main.py"));
  EXPECT_FALSE(matcher->excludes("app/sub/x.py"));
  EXPECT_TRUE(matcher->excludes("app/__pycache__/main.cpython-311.pyc"));
  EXPECT_TRUE(matcher->excludes("app/sub/x.pyc"));
  EXPECT_TRUE(matcher->excludes("README.md"));
  EXPECT_TRUE(matcher->excludes("docs/guide.md"));
}

TEST_F(DockerignoreTest, ExceptionInsideAnExcludedDirectory) {
  auto matcher = parse("build\n!build/keep.txt\n");
  ASSERT_TRUE(matcher);
  EXPECT_TRUE(matcher->excludes("build/out.o"));
  EXPECT_FALSE(matcher->excludes("build/keep.txt"));
}

TEST_F(DockerignoreTest, PatternsAreCleanedAndRootRelative) {
  auto matcher = parse("  /docs/  \n./tmp//x\n#comment\n #not a comment\n\n");
  ASSERT_TRUE(matcher);
  EXPECT_TRUE(matcher->excludes("docs/index.md"));
  EXPECT_TRUE(matcher->excludes("tmp/x"));
  EXPECT_FALSE(matcher->excludes("comment"));
  // Only a '#' in the first column makes a comment.
  EXPECT_TRUE(matcher->excludes("#not a comment"));
}

TEST_F(DockerignoreTest, EmptyFileExcludesNothing) {
  auto matcher = parse("");
  ASSERT_TRUE(matcher);
  EXPECT_TRUE(matcher->empty());
  EXPECT_FALSE(matcher->excludes("anything"));
}

TEST_F(DockerignoreTest, BadLinesAreLocatedErrors) {
  EXPECT_FALSE(parse("ok\n!\nsrc/[a\n"));
  EXPECT_EQ(diags.output(), ".dockerignore:2:1: error: '!' needs a pattern after it\n"
                            "!\n"
                            "^\n"
                            ".dockerignore:3:1: error: bad pattern 'src/[a': unterminated "
                            "character class\n"
                            "src/[a\n"
                            "^\n");
}

} // namespace
} // namespace imageplan::readers
