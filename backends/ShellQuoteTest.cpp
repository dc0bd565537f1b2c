// Tests of shell quoting: exact text for each rule, and a round trip through
// bash showing that hostile values come back unchanged.
#include "backends/ShellQuote.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

TEST(ShellQuoteTest, PlainWordsStayBare) {
  EXPECT_EQ("numpy==1.26.4", shellQuote("numpy==1.26.4"));
  EXPECT_EQ("/opt/venv/bin", shellQuote("/opt/venv/bin"));
  EXPECT_EQ("https://download.pytorch.org/whl/cu121",
            shellQuote("https://download.pytorch.org/whl/cu121"));
  EXPECT_EQ("user@host:a,b+c%d", shellQuote("user@host:a,b+c%d"));
  EXPECT_EQ("--no-install-recommends", shellQuote("--no-install-recommends"));
}

TEST(ShellQuoteTest, EmptyWordIsTwoQuotes) { EXPECT_EQ("''", shellQuote("")); }

TEST(ShellQuoteTest, SpecialCharactersAreSingleQuoted) {
  EXPECT_EQ("'a b'", shellQuote("a b"));
  EXPECT_EQ("'$(rm -rf /)'", shellQuote("$(rm -rf /)"));
  EXPECT_EQ("'a;b'", shellQuote("a;b"));
  EXPECT_EQ("'`id`'", shellQuote("`id`"));
  EXPECT_EQ("'numpy>=1.26'", shellQuote("numpy>=1.26"));
  EXPECT_EQ("'transformers[torch]'", shellQuote("transformers[torch]"));
  EXPECT_EQ("'~root'", shellQuote("~root"));
  EXPECT_EQ("'*.txt'", shellQuote("*.txt"));
  EXPECT_EQ("'#not-a-comment'", shellQuote("#not-a-comment"));
  EXPECT_EQ("'\"$HOME\"'", shellQuote("\"$HOME\""));
  EXPECT_EQ("'a\\b'", shellQuote("a\\b"));
}

TEST(ShellQuoteTest, SingleQuoteIsClosedEscapedAndReopened) {
  EXPECT_EQ("'a'\\''b'", shellQuote("a'b"));
  EXPECT_EQ("''\\'''", shellQuote("'"));
}

TEST(ShellQuoteTest, TabStaysInsideSingleQuotes) { EXPECT_EQ("'a\tb'", shellQuote("a\tb")); }

// A raw line break would end the Dockerfile line; $'...' keeps the word on
// one line and still means exactly the same bytes.
TEST(ShellQuoteTest, ControlCharactersUseAnsiCQuoting) {
  EXPECT_EQ("$'a\\nb'", shellQuote("a\nb"));
  EXPECT_EQ("$'a\\r\\nb'", shellQuote("a\r\nb"));
  EXPECT_EQ("$'it\\'s\\n'", shellQuote("it's\n"));
  EXPECT_EQ("$'\\\\\\n'", shellQuote("\\\n"));
  EXPECT_EQ("$'\\x01a'", shellQuote(std::string{'\x01', 'a'}));
  EXPECT_EQ("$'\\x7f\\t\\n'", shellQuote("\x7f\t\n"));
}

TEST(ShellQuoteTest, AlwaysModeQuotesPlainWords) {
  EXPECT_EQ("'done'", shellQuote("done", QuoteMode::Always));
  EXPECT_EQ("''", shellQuote("", QuoteMode::Always));
  EXPECT_EQ("'a'\\''b'", shellQuote("a'b", QuoteMode::Always));
}

TEST(ShellQuoteTest, JoinQuotesEachWord) {
  EXPECT_EQ("pip install 'a b' '' c", shellJoin({"pip", "install", "a b", "", "c"}));
  EXPECT_EQ("", shellJoin({}));
}

TEST(ShellQuoteTest, AssignmentKeepsTheNameBare) {
  EXPECT_EQ("DEBIAN_FRONTEND=noninteractive", shellAssign("DEBIAN_FRONTEND", "noninteractive"));
  EXPECT_EQ("REPO='a'\\''b $(x)'", shellAssign("REPO", "a'b $(x)"));
  EXPECT_EQ("EMPTY=''", shellAssign("EMPTY", ""));
  EXPECT_EQ("X=$'1\\n2'", shellAssign("X", "1\n2"));
}

// The values come back from bash byte for byte: printf prints each argument
// between NUL separators.
TEST(ShellQuoteTest, RoundTripsThroughBash) {
  llvm::ErrorOr<std::string> bash = llvm::sys::findProgramByName("bash");
  ASSERT_TRUE(bash) << "bash not on PATH";
  // clang-format off
  const std::vector<std::string> values = {
      "plain",      "a b",        "a'b",          "''",        "$(rm -rf /)", "`id`",
      "a;b&&c||d",  "\"q\" \\ $", "new\nline",    "tab\there", "cr\rlf",      "\x01\x1f\x7f",
      "~",          "*",          "!event",       "{a,b}",     "",            "#comment",
      "a\\",        "'\n'",       "\xc3\xa9t\xc3\xa9"};
  // clang-format on
  std::string script = "printf '%s\\0'";
  for (const std::string &v : values)
    script += " " + shellQuote(v);

  llvm::SmallString<128> outPath;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("shellquote", "out", outPath));
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, llvm::StringRef(outPath), llvm::None};
  std::string error;
  int rc =
      llvm::sys::ExecuteAndWait(*bash, {*bash, "-c", script}, llvm::None, redirects, 0, 0, &error);
  ASSERT_EQ(0, rc) << error << "\nscript: " << script;
  auto buffer = llvm::MemoryBuffer::getFile(outPath);
  ASSERT_TRUE(buffer);
  llvm::sys::fs::remove(outPath);

  std::string expected;
  for (const std::string &v : values)
    expected += v + '\0';
  EXPECT_EQ(expected, (*buffer)->getBuffer().str());
}

} // namespace
} // namespace imageplan::backends
