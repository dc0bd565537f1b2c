// Tests for DiagnosticEngine: the exact shape of messages, the summary line,
// the already-reported error, and suggestions.
#include "readers/Diagnostics.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using testing::CapturedDiagnostics;

TEST(DiagnosticsTest, ErrorShowsLocationSourceLineAndCaret) {
  CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer("name: x\nbase: y\n", "imageplan.yaml");
  c.engine().error(c.engine().locAt(id, 14), "something is wrong");
  EXPECT_EQ(c.output(), "imageplan.yaml:2:7: error: something is wrong\n"
                        "base: y\n"
                        "      ^\n");
  EXPECT_EQ(c.engine().errorCount(), 1u);
  EXPECT_TRUE(c.engine().hasErrors());
}

TEST(DiagnosticsTest, WarningAndNoteDoNotCountAsErrors) {
  CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer("a: 1\n", "spec.yaml");
  c.engine().warning(c.engine().locAt(id, 0), "unused");
  c.engine().note(c.engine().locAt(id, 3), "see here");
  EXPECT_EQ(c.output(), "spec.yaml:1:1: warning: unused\n"
                        "a: 1\n"
                        "^\n"
                        "spec.yaml:1:4: note: see here\n"
                        "a: 1\n"
                        "   ^\n");
  EXPECT_EQ(c.engine().errorCount(), 0u);
  EXPECT_EQ(c.engine().warningCount(), 1u);
}

TEST(DiagnosticsTest, ErrorWithoutLocation) {
  CapturedDiagnostics c;
  c.engine().error("cannot read 'x.yaml'");
  EXPECT_EQ(c.output(), "error: cannot read 'x.yaml'\n");
  EXPECT_EQ(c.engine().errorCount(), 1u);
}

TEST(DiagnosticsTest, SummaryCountsErrorsBeforeWarnings) {
  CapturedDiagnostics none;
  none.engine().printSummary();
  EXPECT_EQ(none.output(), "");

  CapturedDiagnostics one;
  one.engine().error("a");
  one.engine().warning(llvm::SMLoc(), "w");
  one.engine().printSummary();
  EXPECT_EQ(one.output(), "error: a\nwarning: w\n1 error generated.\n");

  CapturedDiagnostics three;
  for (int i = 0; i < 3; ++i)
    three.engine().error("e");
  three.engine().printSummary();
  EXPECT_EQ(three.output(), "error: e\nerror: e\nerror: e\n3 errors generated.\n");

  CapturedDiagnostics warnings;
  warnings.engine().warning(llvm::SMLoc(), "w");
  warnings.engine().warning(llvm::SMLoc(), "w");
  warnings.engine().printSummary();
  EXPECT_EQ(warnings.output(), "warning: w\nwarning: w\n2 warnings generated.\n");
}

TEST(DiagnosticsTest, AddFileNamesTheBufferAsGiven) {
  // Unit tests run in the source directory.
  CapturedDiagnostics c;
  llvm::Expected<unsigned> id = c.engine().addFile("dsl/Spec.h", limits::kSpec);
  ASSERT_TRUE(static_cast<bool>(id)) << llvm::toString(id.takeError());
  EXPECT_EQ(c.engine().describe(c.engine().locAt(*id, 0)), "dsl/Spec.h:1:1");
  c.engine().error(c.engine().locAt(*id, 0), "x");
  EXPECT_EQ(c.output().substr(0, 27), "dsl/Spec.h:1:1: error: x\n//");
}

TEST(DiagnosticsTest, AddFileReportsAnUnreadableFile) {
  CapturedDiagnostics c;
  llvm::Expected<unsigned> id = c.engine().addFile("no/such/imageplan.yaml", limits::kSpec);
  ASSERT_FALSE(static_cast<bool>(id));
  EXPECT_EQ(llvm::toString(id.takeError()),
            "cannot read 'no/such/imageplan.yaml': No such file or directory");
  EXPECT_EQ(c.output(), "");
}

TEST(DiagnosticsTest, LocAtClampsToTheEndOfTheBuffer) {
  CapturedDiagnostics c;
  unsigned id = c.engine().addBuffer("ab\ncd", "f");
  EXPECT_EQ(c.engine().describe(c.engine().locAt(id, 4)), "f:2:2");
  EXPECT_EQ(c.engine().describe(c.engine().locAt(id, 5)), "f:2:3");
  EXPECT_EQ(c.engine().describe(c.engine().locAt(id, 500)), "f:2:3");
  EXPECT_EQ(c.engine().describe(llvm::SMLoc()), "<unknown>");
}

TEST(DiagnosticsTest, ReportedErrorCarriesOnlyTheCount) {
  llvm::Error err = diagnosticsReported(3);
  unsigned seen = 0;
  llvm::Error rest = llvm::handleErrors(
      std::move(err), [&](const DiagnosticsReported &e) { seen = e.errorCount(); });
  EXPECT_FALSE(static_cast<bool>(rest));
  EXPECT_EQ(seen, 3u);
  EXPECT_EQ(llvm::toString(diagnosticsReported(3)), "3 errors");
  EXPECT_EQ(llvm::toString(diagnosticsReported(1)), "1 error");
}

TEST(DiagnosticsTest, ClosestMatch) {
  llvm::StringRef keys[] = {"imageplan", "name", "base", "python", "system", "app"};
  EXPECT_EQ(closestMatch("pyton", keys), "python");
  EXPECT_EQ(closestMatch("Python", keys), "python");
  EXPECT_EQ(closestMatch("nmae", keys), "name");
  EXPECT_EQ(closestMatch("ap", keys), "app");
  EXPECT_EQ(closestMatch("imagepan", keys), "imageplan");
  EXPECT_EQ(closestMatch("zzzzzz", keys), "");
  EXPECT_EQ(closestMatch("x", keys), "");
  EXPECT_EQ(closestMatch("", keys), "");
  // A tie goes to the candidate listed first.
  llvm::StringRef tied[] = {"bat", "cat"};
  EXPECT_EQ(closestMatch("at", tied), "bat");
  llvm::StringRef reversed[] = {"cat", "bat"};
  EXPECT_EQ(closestMatch("at", reversed), "cat");
}

} // namespace
} // namespace imageplan::readers
