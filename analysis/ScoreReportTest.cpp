// Tests for the score report: columns, totals, the lower bound and the ratio,
// in text and JSON, and Dockerfile text in it shown escaped.
#include "analysis/ScoreReport.h"

#include "analysis/Score.h"
#include "readers/TestSupport.h"

#include "llvm/Support/JSON.h"

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

// A RUN line's make goal, directory and script reach the notes (found by
// fuzz.dockerfile: a WORKDIR with a control byte in a note): the text report
// shows them escaped, the JSON report as JSON strings.
TEST(ScoreReport, DockerfileTextInNotesIsEscaped) {
  readers::testing::CapturedDiagnostics diags;
  unsigned id = diags.engine().addBuffer("FROM debian\n"
                                         "WORKDIR /src/\x1b[2J\xff\n"
                                         "RUN make -C sub\x01 install\xfe && ./run\x07.sh\n",
                                         "Dockerfile");
  planner::History history;
  history.commits.push_back({"c0", {"app/main.py"}, false});
  std::optional<Score> score = scoreDockerfileBuffers(diags.engine(), id, 0, history);
  ASSERT_TRUE(score) << diags.output();
  std::vector<ScoredDockerfile> entries = {{"Dockerfile", std::move(*score), true}};
  std::string text = scoreText(1, entries);
  EXPECT_NE(text.find("  note: line 3: make install\\xfe: no Makefile from the build context in "
                      "/src/\\x1b[2J\\xff/sub\\x01; priced like a dependency install (90 s)\n"
                      "  note: line 3: run\\x07.sh: not a file from the build context; priced "
                      "like a dependency install (90 s)\n"),
            std::string::npos)
      << text;
  for (char c : text)
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7F)) << int(c) << " in\n" << text;

  // JSON holds UTF-8 only: an invalid byte is U+FFFD there, control bytes
  // are JSON escapes (a Debug build asserted on the raw bytes).
  std::string jsonText = scoreJson(1, entries);
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(jsonText);
  ASSERT_TRUE(bool(json)) << llvm::toString(json.takeError());
  EXPECT_TRUE(llvm::json::isUTF8(jsonText));
  EXPECT_NE(jsonText.find("make install\xef\xbf\xbd: no Makefile"), std::string::npos) << jsonText;
  EXPECT_NE(jsonText.find("/src/\\u001b[2J\xef\xbf\xbd/sub\\u0001"), std::string::npos)
      << jsonText;
}

} // namespace
} // namespace imageplan::analysis
