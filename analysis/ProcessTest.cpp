// Running external programs: captured output, exit status, missing programs
// and the time limit (Process.h).
#include "analysis/Process.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

TEST(ProcessTest, CapturesBothStreamsAndTheExitStatus) {
  llvm::Expected<ProgramResult> run =
      runProgram("sh", {"-c", "printf 'one\\ntwo\\n'; printf '  first\\nsecond\\n' >&2; exit 3"});
  ASSERT_TRUE(static_cast<bool>(run)) << llvm::toString(run.takeError());
  EXPECT_EQ(run->status, 3);
  EXPECT_EQ(run->out, "one\ntwo\n");
  EXPECT_EQ(firstLine(run->err), "first");
}

TEST(ProcessTest, StandardInputIsEmpty) {
  llvm::Expected<ProgramResult> run = runProgram("sh", {"-c", "wc -c"});
  ASSERT_TRUE(static_cast<bool>(run)) << llvm::toString(run.takeError());
  EXPECT_EQ(run->status, 0);
  EXPECT_EQ(llvm::StringRef(run->out).trim(), "0");
}

TEST(ProcessTest, AProgramNotOnPathIsAnError) {
  EXPECT_FALSE(onPath("imageplan-no-such-program"));
  llvm::Expected<ProgramResult> run = runProgram("imageplan-no-such-program", {});
  ASSERT_FALSE(static_cast<bool>(run));
  EXPECT_EQ(llvm::toString(run.takeError()), "imageplan-no-such-program is not on PATH");
}

TEST(ProcessTest, AProgramPastItsTimeLimitIsStopped) {
  llvm::Expected<ProgramResult> run = runProgram("sleep", {"30"}, /*timeoutSeconds=*/1);
  ASSERT_FALSE(static_cast<bool>(run));
  EXPECT_NE(llvm::toString(run.takeError()).find("sleep was stopped"), std::string::npos);
}

TEST(ProcessTest, FirstLineTrimsAndStopsAtTheNewline) {
  EXPECT_EQ(firstLine("\n  error: x  \nmore\n"), "error: x");
  EXPECT_EQ(firstLine(""), "");
}

} // namespace
} // namespace imageplan::analysis
