// Tests for the score report: columns, totals, the lower bound and the ratio,
// in text and JSON.
#include "analysis/ScoreReport.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

Score oneStage(double cost, unsigned invalidated, unsigned own) {
  Score score;
  score.commits = 4;
  ScoredStage stage;
  stage.name = "runtime";
  stage.base = "debian";
  stage.instructions = {{7, "COPY app/ -> /app/", cost, invalidated, own, {}}};
  score.stages = {stage};
  return score;
}

std::vector<ScoredDockerfile> entries() {
  return {{"generated from imageplan.yaml", oneStage(2, 1, 1), true},
          {"Dockerfile", oneStage(2, 4, 1), false}};
}

TEST(ScoreReport, TextHasEveryInstructionTheTotalsAndTheRatio) {
  EXPECT_EQ(scoreText(4, entries()),
            "Replayed 4 commits of the build context's history (model and cost table: "
            "docs/score.md)\n"
            "\n"
            "generated from imageplan.yaml\n"
            "  stage runtime (FROM debian)\n"
            "    line  instruction                                                     rebuilt    "
            "cost s   s/commit\n"
            "       7  COPY app/ -> /app/                                                  1/4     "
            "  2.0      0.500\n"
            "  expected rebuild work: 0.500 s per commit\n"
            "  lower bound, each step rebuilt only when its own inputs change: 0.500 s per "
            "commit\n"
            "\n"
            "Dockerfile\n"
            "  stage runtime (FROM debian)\n"
            "    line  instruction                                                     rebuilt    "
            "cost s   s/commit\n"
            "       7  COPY app/ -> /app/                                                  4/4     "
            "  2.0      2.000\n"
            "  expected rebuild work: 2.000 s per commit\n"
            "\n"
            "Expected rebuild seconds per commit\n"
            "  generated from imageplan.yaml  0.500\n"
            "  Dockerfile                     2.000\n"
            "  lower bound                    0.500\n"
            "  Dockerfile / generated: 4.00\n");
}

TEST(ScoreReport, JsonKeepsItsFieldOrder) {
  std::vector<ScoredDockerfile> generated = {entries().front()};
  EXPECT_EQ(scoreJson(4, generated),
            "{\n"
            "  \"commits\": 4,\n"
            "  \"generated\": {\n"
            "    \"name\": \"generated from imageplan.yaml\",\n"
            "    \"expectedRebuildSeconds\": 0.500,\n"
            "    \"lowerBoundSeconds\": 0.500,\n"
            "    \"stages\": [\n"
            "      {\n"
            "        \"name\": \"runtime\",\n"
            "        \"from\": \"debian\",\n"
            "        \"built\": true,\n"
            "        \"expectedRebuildSeconds\": 0.500,\n"
            "        \"instructions\": [\n"
            "          {\n"
            "            \"line\": 7,\n"
            "            \"instruction\": \"COPY app/ -> /app/\",\n"
            "            \"costSeconds\": 2.0,\n"
            "            \"invalidations\": 1,\n"
            "            \"ownInputChanges\": 1,\n"
            "            \"expectedRebuildSeconds\": 0.500\n"
            "          }\n"
            "        ]\n"
            "      }\n"
            "    ]\n"
            "  }\n"
            "}\n");
}

TEST(ScoreReport, AGeneratedDockerfileThatRebuildsNothingHasNoRatio) {
  std::vector<ScoredDockerfile> both = entries();
  both[0].score = oneStage(2, 0, 0);
  std::string text = scoreText(4, both);
  EXPECT_NE(text.find("Dockerfile / generated: n/a (the generated Dockerfile rebuilds "
                      "nothing)\n"),
            std::string::npos)
      << text;
}

} // namespace
} // namespace imageplan::analysis
