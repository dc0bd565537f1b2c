// Tests for the escaping of user text (TextEscape.h) and for diagnostics that
// show a hostile source line: no control byte reaches the terminal, and the
// caret still points at the right character.
#include "readers/TextEscape.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

TEST(TextEscapeTest, EscapesControlsAndBytesThatAreNotUtf8) {
  EXPECT_EQ(escapeText("a\tb\nc\rd"), "a\\tb\\nc\\rd");
  EXPECT_EQ(escapeText(llvm::StringRef("\x1b[31m\x00\x7f", 7)), "\\x1b[31m\\x00\\x7f");
  EXPECT_EQ(escapeText("caf\xc3\xa9"), "caf\xc3\xa9");     // UTF-8 stays
  EXPECT_EQ(escapeText("\xc2\x85"), "\\u0085");             // C1 control
  EXPECT_EQ(escapeText("caf\xe9"), "caf\\xe9");             // Latin-1 is not UTF-8
  EXPECT_EQ(quoteText(std::string(70, 'x')), "'" + std::string(60, 'x') + "...'");
  EXPECT_EQ(quoteText("\xe2\x82\xac"), "'\xe2\x82\xac'");
}

TEST(TextEscapeTest, DiagnosticsShowAHostileLineEscaped) {
  testing::CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer("name: \x1b]0;pwned\x07x\n", "spec.yaml");
  c.engine().error(c.engine().locAt(id, 16), "here");
  EXPECT_EQ(c.output(), "spec.yaml:1:17: error: here\n"
                        "name: \\x1b]0;pwned\\x07x\n"
                        "                      ^\n");
}

TEST(TextEscapeTest, DiagnosticsKeepACaretUnderUtf8AndTabs) {
  testing::CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer("k: \xc3\xa9t\xc3\xa9\tx\n", "spec.yaml");
  c.engine().error(c.engine().locAt(id, 9), "after the tab");
  EXPECT_EQ(c.output(), "spec.yaml:1:10: error: after the tab\n"
                        "k: \xc3\xa9t\xc3\xa9  x\n"
                        "        ^\n");
}

TEST(TextEscapeTest, DiagnosticsShowAroundTheCaretOfAHugeLine) {
  testing::CapturedDiagnostics c;
  std::string line = "k: \"" + std::string(100000, 'x') + "y" + std::string(100000, 'z') + "\"\n";
  unsigned id = c.engine().addBuffer(line, "spec.yaml");
  c.engine().error(c.engine().locAt(id, 100004), "here");
  EXPECT_EQ(c.output(), "spec.yaml:1:100005: error: here\n..." + std::string(80, 'x') + "y" +
                            std::string(119, 'z') + "...\n" + std::string(83, ' ') + "^\n");
  testing::CapturedDiagnostics start;
  id = start.engine().addBuffer(line, "spec.yaml");
  start.engine().error(start.engine().locAt(id, 3), "at the quote");
  EXPECT_EQ(start.output(), "spec.yaml:1:4: error: at the quote\nk: \"" + std::string(196, 'x') +
                                "...\n   ^\n");
}

TEST(TextEscapeTest, DiagnosticsEscapeTheFileNameAndTheMessage) {
  testing::CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer("a\n", "evil\x1b[2J.yaml");
  c.engine().error(c.engine().locAt(id, 0), "bad \x1b[31mred");
  EXPECT_EQ(c.output(), "evil\\x1b[2J.yaml:1:1: error: bad \\x1b[31mred\n"
                        "a\n"
                        "^\n");
}

} // namespace
} // namespace imageplan::readers
