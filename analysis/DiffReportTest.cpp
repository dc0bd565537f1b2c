// Tests for the diff report: the exact text and Markdown a reviewer reads, and
// the duration format they use.
#include "analysis/DiffReport.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

TEST(DiffReport, Durations) {
  EXPECT_EQ(duration(0), "0.0s");
  EXPECT_EQ(duration(2.46), "2.5s");
  EXPECT_EQ(duration(38), "38s");
  EXPECT_EQ(duration(250), "4m10s");
  EXPECT_EQ(duration(3 * 3600 + 5 * 60 + 20), "3h05m");
}

PlanDiff invalidatingDiff() {
  PlanDiff diff;
  StageDiff runtime;
  runtime.name = "runtime";
  runtime.oldIndex = runtime.newIndex = 1;
  runtime.layerCount = 3;
  runtime.firstInvalidated = 2;
  runtime.invalidatedSeconds = 62;
  runtime.layers = {{"venv", Change::Same, 1, 1, 20, ""},
                    {"requirements.txt", Change::Changed, 2, 2, 60, ""},
                    {"app app/", Change::Added, 0, 3, 2, ""},
                    {"old | step", Change::Removed, 3, 0, 1, ""}};
  diff.stages = {runtime};
  diff.oldExpectedSeconds = 8.2;
  diff.newExpectedSeconds = 13;
  diff.invalidatedSeconds = 62;
  return diff;
}

TEST(DiffReport, TextListsChangedLayersAndTheCacheImpact) {
  EXPECT_EQ(diffText(invalidatingDiff(), "old.yaml", "new.yaml"),
            "Plan diff: old.yaml -> new.yaml\n"
            "\n"
            "stage runtime\n"
            "  2. requirements.txt: changed\n"
            "  3. app app/: added\n"
            "  -  old | step: removed (was 3)\n"
            "\n"
            "Cache impact: this change invalidates layers 2\u20133 of stage runtime on the next "
            "build (est. 1m02s), and changes the expected rebuild cost per commit from 8.2s "
            "to 13s.\n");
}

TEST(DiffReport, MarkdownEscapesCellsAndQuotesNames) {
  EXPECT_EQ(diffMarkdown(invalidatingDiff(), "old.yaml", "new.yaml"),
            "#### imageplan: plan changes (`old.yaml` \u2192 `new.yaml`)\n"
            "\n"
            "| stage | layer | change |\n"
            "| --- | --- | --- |\n"
            "| `runtime` | 2. requirements.txt | changed |\n"
            "| `runtime` | 3. app app/ | added |\n"
            "| `runtime` | old \\| step | removed (was 3) |\n"
            "\n"
            "**Cache impact:** This change invalidates layers 2\u20133 of stage `runtime` on the "
            "next build (est. 1m02s), and changes the expected rebuild cost per commit from "
            "8.2s to 13s.\n");
}

TEST(DiffReport, NothingChanged) {
  PlanDiff diff;
  StageDiff runtime;
  runtime.name = "runtime";
  runtime.layerCount = 1;
  runtime.layers = {{"venv", Change::Same, 1, 1, 20, ""}};
  diff.stages = {runtime};
  diff.oldExpectedSeconds = diff.newExpectedSeconds = 1;
  EXPECT_EQ(diffText(diff, "a", "b"),
            "Plan diff: a -> b\n\nNo stage or layer changed.\n\nCache impact: this change "
            "invalidates no cached layer on the next build, and keeps the expected rebuild "
            "cost per commit at 1.0s.\n");
}

} // namespace
} // namespace imageplan::analysis
