// Tests for the replay model: which instructions each commit invalidates
// (context reads after the .dockerignore, earlier instructions, FROM and
// --from stages, bind mounts), the lower bound, and the per-commit numbers.
#include "analysis/Score.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

planner::History historyOf(std::vector<std::vector<std::string>> commits) {
  planner::History history;
  for (size_t i = 0; i < commits.size(); ++i)
    history.commits.push_back({"c" + std::to_string(i), std::move(commits[i]), false});
  return history;
}

// app code in every commit, requirements in one, a README in one.
const planner::History kHistory = historyOf({{"app/main.py"},
                                    {"app/main.py", "requirements.txt"},
                                    {"README.md", "app/main.py"},
                                    {"app/util.py"}});

class ScoreTest : public ::testing::Test {
protected:
  Score score(llvm::StringRef dockerfile, llvm::StringRef dockerignore = "",
              const planner::History &history = kHistory) {
    unsigned id = diags.engine().addBuffer(dockerfile, "Dockerfile");
    llvm::Expected<readers::Dockerfile> file = readers::parseDockerfile(diags.engine(), id);
    if (!file) {
      llvm::consumeError(file.takeError());
      ADD_FAILURE() << diags.output();
      return {};
    }
    unsigned ignoreId = diags.engine().addBuffer(dockerignore, ".dockerignore");
    llvm::Expected<readers::DockerignoreMatcher> ignore =
        readers::DockerignoreMatcher::parse(diags.engine(), ignoreId);
    if (!ignore) {
      llvm::consumeError(ignore.takeError());
      ADD_FAILURE() << diags.output();
      return {};
    }
    return scoreDockerfile(*file, &*ignore, history, [this](llvm::StringRef path) {
      for (const auto &[name, text] : contextFiles)
        if (name == path)
          return std::optional<std::string>(text);
      return std::optional<std::string>();
    });
  }
  std::vector<std::pair<std::string, std::string>> contextFiles; // what the context holds
  /// "invalidated/own" for each scored instruction of stage `s`.
  static std::vector<std::string> counts(const Score &score, size_t s = 0) {
    std::vector<std::string> out;
    for (const ScoredInstruction &inst : score.stages.at(s).instructions)
      out.push_back(std::to_string(inst.invalidated) + "/" + std::to_string(inst.ownChanges));
    return out;
  }
  readers::testing::CapturedDiagnostics diags;
};

using Counts = std::vector<std::string>;

TEST_F(ScoreTest, AMakefileIsFoundWhereTheStagesCopiedIt) {
  // The Makefile comes into `deps` with its folder; the stage derived from it
  // still holds it after another WORKDIR, and a later stage does not.
  contextFiles = {{"build/Makefile", "install:\n\tpip install -r requirements.txt\n"}};
  Score s = score("FROM python:3.11-slim AS deps\n"
                  "WORKDIR /src\n"
                  "COPY build/ tools/\n"
                  "FROM deps\n"
                  "WORKDIR /app\n"
                  "RUN make -C /src/tools install\n"
                  "FROM python:3.11-slim\n"
                  "RUN make -C /src/tools install\n");
  ASSERT_EQ(s.stages.size(), 3u);
  const ScoredInstruction &found = s.stages[1].instructions.at(0);
  EXPECT_EQ(found.summary, "RUN make install: pip install -r requirements.txt");
  EXPECT_DOUBLE_EQ(found.cost, 65);
  EXPECT_TRUE(found.notes.empty());
  const ScoredInstruction &missing = s.stages[2].instructions.at(0);
  EXPECT_DOUBLE_EQ(missing.cost, 90);
  EXPECT_EQ(missing.notes.size(), 1u);
}

TEST_F(ScoreTest, CopyEverythingFirstRebuildsEverythingAfterIt) {
  Score s = score("FROM python:3.11-slim\n"
                  "WORKDIR /app\n"
                  "COPY . .\n"
                  "RUN pip install -r requirements.txt\n"
                  "CMD [\"python\", \"-m\", \"app\"]\n");
  EXPECT_EQ(s.commits, 4u);
  EXPECT_EQ(counts(s), (Counts{"4/4", "4/0"}));
  EXPECT_EQ(s.stages[0].instructions[1].summary, "RUN pip install -r requirements.txt");
  // (2 * 4 + 65 * 4) / 4
  EXPECT_DOUBLE_EQ(s.expectedSeconds(), 67);
  EXPECT_DOUBLE_EQ(s.lowerBoundSeconds(), 2);
}

TEST_F(ScoreTest, DependenciesFirstRebuildOnlyWithTheirInputs) {
  Score s = score("FROM python:3.11-slim\n"
                  "COPY requirements.txt .\n"
                  "RUN pip install -r requirements.txt\n"
                  "COPY app/ app/\n");
  EXPECT_EQ(counts(s), (Counts{"1/1", "1/0", "4/4"}));
  EXPECT_DOUBLE_EQ(s.expectedSeconds(), (2 + 65 + 2 * 4) / 4.0);
}

TEST_F(ScoreTest, BindMountsAreReads) {
  Score s = score("FROM python:3.11-slim\n"
                  "RUN --mount=type=bind,source=requirements.txt,target=/r.txt \\\n"
                  "    --mount=type=cache,target=/root/.cache/pip \\\n"
                  "    pip install -r /r.txt\n"
                  "RUN --mount=type=bind,target=/src make -C /src\n");
  // The second mount has no source: the whole context.
  EXPECT_EQ(counts(s), (Counts{"1/1", "4/4"}));
}

TEST_F(ScoreTest, DockerignoreKeepsFilesOutOfTheContext) {
  Score all = score("FROM debian\nCOPY . /src\n");
  Score ignored = score("FROM debian\nCOPY . /src\n", "*.md\n");
  Score onlyRequirements = score("FROM debian\nCOPY . /src\n", "*\n!requirements.txt\n");
  EXPECT_EQ(counts(all), (Counts{"4/4"}));
  EXPECT_EQ(counts(ignored), (Counts{"4/4"})) << "README.md changed with app code";
  EXPECT_EQ(counts(onlyRequirements), (Counts{"1/1"}));
  Score readmeOnly = score("FROM debian\nCOPY README.md /\n", "*.md\n");
  EXPECT_EQ(counts(readmeOnly), (Counts{"0/0"}));
}

TEST_F(ScoreTest, GlobsExcludesAndSourcesOutsideTheContext) {
  Score s = score("FROM debian\n"
                  "COPY *.txt /\n"
                  "FROM debian\n"
                  "COPY app/*.py /\n"
                  "FROM debian\n"
                  "COPY --exclude=util.py app/ /app/\n"
                  "FROM debian\n"
                  "COPY ../outside /x\n");
  EXPECT_EQ(counts(s, 0), (Counts{"1/1"}));
  EXPECT_EQ(counts(s, 1), (Counts{"4/4"}));
  EXPECT_EQ(counts(s, 2), (Counts{"3/3"}));
  EXPECT_EQ(counts(s, 3), (Counts{"0/0"}));
}

TEST_F(ScoreTest, StagesPropagateThroughFromAndCopyFrom) {
  Score s = score("FROM debian AS deps\n"
                  "COPY requirements.txt /\n"
                  "RUN pip install -r /requirements.txt\n"
                  "FROM deps AS test\n"
                  "RUN python -m pytest\n"
                  "FROM debian AS runtime\n"
                  "RUN apt-get update\n"
                  "COPY --link --from=deps /opt /opt\n"
                  "COPY --from=python:3.11 /usr/local /usr/local\n"
                  "RUN --mount=type=bind,from=later,source=/x,target=/x true\n"
                  "FROM debian AS later\n"
                  "COPY app/ /x/\n");
  EXPECT_EQ(counts(s, 0), (Counts{"1/1", "1/0"}));
  EXPECT_EQ(counts(s, 1), (Counts{"1/0"})) << "rebuilt with its base stage";
  // --link changes nothing in this model; an image never invalidates.
  EXPECT_EQ(counts(s, 2), (Counts{"0/0", "1/1", "1/0", "4/4"}));
  EXPECT_EQ(counts(s, 3), (Counts{"4/4"}));
  // The last stage, `later`, needs none of the others: only it is built.
  EXPECT_FALSE(s.stages[0].built);
  EXPECT_TRUE(s.stages[3].built);
  EXPECT_DOUBLE_EQ(s.expectedSeconds(), 2);
}

TEST_F(ScoreTest, OnlyStagesTheLastStageNeedsCount) {
  Score s = score("FROM debian AS deps\n"
                  "COPY requirements.txt /\n"
                  "FROM deps AS test\n"
                  "COPY . /src\n"
                  "FROM debian AS unused\n"
                  "COPY . /src\n"
                  "FROM debian\n"
                  "COPY --from=deps /requirements.txt /\n");
  EXPECT_TRUE(s.stages[0].built);
  EXPECT_FALSE(s.stages[1].built);
  EXPECT_FALSE(s.stages[2].built);
  EXPECT_TRUE(s.stages[3].built);
  EXPECT_EQ(counts(s, 1), (Counts{"4/4"})) << "replayed all the same";
  // deps' COPY (2 s) and the final COPY --from (5 s), each in 1 of 4 commits.
  EXPECT_DOUBLE_EQ(s.expectedSeconds(), (2 + 5) / 4.0);
}

TEST_F(ScoreTest, NoCommitsCostNothing) {
  Score s = score("FROM debian\nCOPY . .\n", "", planner::History());
  EXPECT_EQ(s.commits, 0u);
  EXPECT_EQ(counts(s), (Counts{"0/0"}));
  EXPECT_DOUBLE_EQ(s.expectedSeconds(), 0);
}

// Each stage copies from the one before: the walks that order stages and mark
// the built ones follow the chain with explicit stacks, so its length (here
// far more than a recursive walk's frames fit in the test's stack) does not
// matter; an app edit reaches every stage.
TEST_F(ScoreTest, LongCopyFromChainsNeedNoStack) {
  std::string text = "FROM alpine AS s0\nCOPY app/ /app/\n";
  constexpr int kStages = 50000;
  for (int i = 1; i < kStages; ++i)
    text += "FROM alpine AS s" + std::to_string(i) + "\nCOPY --from=s" + std::to_string(i - 1) +
            " /app /app\n";
  Score s = score(text);
  ASSERT_EQ(s.stages.size(), static_cast<size_t>(kStages));
  EXPECT_TRUE(s.stages.front().built);
  EXPECT_TRUE(s.stages.back().built);
  EXPECT_EQ(counts(s, kStages - 1), (Counts{"4/4"}));
}

TEST(SourceReads, PathsDirectoriesRootAndGlobs) {
  EXPECT_TRUE(sourceReads(".", "any/file"));
  EXPECT_TRUE(sourceReads("./", "any/file"));
  EXPECT_TRUE(sourceReads("/app/", "app/main.py"));
  EXPECT_TRUE(sourceReads("app", "app/main.py"));
  EXPECT_FALSE(sourceReads("app", "application.py"));
  EXPECT_TRUE(sourceReads("requirements*.txt", "requirements-dev.txt"));
  EXPECT_TRUE(sourceReads("*", "app/main.py")) << "a glob matching a directory copies it";
  EXPECT_FALSE(sourceReads("*.py", "app/main.py"));
  EXPECT_FALSE(sourceReads("../x", "x"));
  EXPECT_FALSE(sourceReads("[", "["));
}

} // namespace
} // namespace imageplan::analysis
