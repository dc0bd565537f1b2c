// Parsing `git log` output into the history the planner and score replay.
#include "analysis/GitHistory.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

TEST(HistoryTest, ParsesFirstParentLogRelativeToTheContext) {
  planner::History history = parseGitLog("\x01"
                                "aaa\n\nsvc/app/main.py\nsvc/requirements.txt\nREADME.md\n"
                                "\x01"
                                "bbb\n\nsvc/app/main.py\n",
                                "svc/");
  ASSERT_EQ(history.commits.size(), 2u);
  EXPECT_EQ(history.commits[0].id, "aaa");
  EXPECT_EQ(history.commits[0].files,
            (std::vector<std::string>{"app/main.py", "requirements.txt"}));
  EXPECT_TRUE(history.commits[0].touchesOutsideContext);
  EXPECT_FALSE(history.commits[1].touchesOutsideContext);
}

} // namespace
} // namespace imageplan::analysis
