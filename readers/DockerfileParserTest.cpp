// Tests for parseDockerfile: stages, instructions and their locations,
// continuations, directives, heredocs, flags, mounts, ARG/ENV expansion,
// stage references, the exact text of each error, and hostile input.
#include "readers/DockerfileParser.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using testing::CapturedDiagnostics;

class DockerfileParserTest : public ::testing::Test {
protected:
  std::optional<Dockerfile> parse(llvm::StringRef text) {
    unsigned id = diags.engine().addBuffer(text, "Dockerfile");
    llvm::Expected<Dockerfile> file = parseDockerfile(diags.engine(), id);
    if (!file) {
      llvm::consumeError(file.takeError());
      return std::nullopt;
    }
    return std::move(*file);
  }
  /// Parses text that must fail and returns the diagnostics.
  std::string errorsOf(llvm::StringRef text) {
    EXPECT_FALSE(parse(text)) << "parsed: " << text.str();
    return diags.output();
  }
  CapturedDiagnostics diags;
};

TEST_F(DockerfileParserTest, StagesInstructionsAndLocations) {
  auto file = parse(R"(# syntax=docker/dockerfile:1
# escape=\

ARG BASE=python:3.11-slim
FROM --platform=$BUILDPLATFORM ${BASE} AS Build
# a comment
RUN --mount=type=cache,target=/root/.cache/pip \
    # a comment inside the continuation
    pip install \

      flask
COPY --link --chown=app:app --from=python:3.11 /out /out
from build
  WORKDIR /app
CMD ["gunicorn", "app:app"]
)");
  ASSERT_TRUE(file) << diags.output();
  EXPECT_EQ(diags.output(), "");
  ASSERT_EQ(file->directives.size(), 2u);
  EXPECT_EQ(file->directives[0], std::make_pair(std::string("syntax"),
                                                std::string("docker/dockerfile:1")));
  EXPECT_EQ(file->escape, '\\');
  ASSERT_EQ(file->globalArgs.size(), 1u);
  EXPECT_EQ(file->globalArgs[0].assignments.front().second, "python:3.11-slim");

  ASSERT_EQ(file->stages.size(), 2u);
  const DockerfileStage &build = file->stages[0];
  EXPECT_EQ(build.name, "build");
  EXPECT_EQ(build.base, "python:3.11-slim");
  EXPECT_EQ(build.baseStage, -1);
  EXPECT_EQ(diags.lineCol(build.loc), "5:1");
  ASSERT_EQ(build.instructions.size(), 2u);

  const DockerfileInstruction &run = build.instructions[0];
  EXPECT_EQ(run.keyword, "RUN");
  EXPECT_EQ(run.line, 7u);
  EXPECT_EQ(diags.lineCol(run.loc), "7:1");
  EXPECT_EQ(run.text, "pip install       flask");
  ASSERT_EQ(run.mounts.size(), 1u);
  EXPECT_EQ(run.mounts[0].type, "cache");
  EXPECT_EQ(run.mounts[0].target, "/root/.cache/pip");
  EXPECT_EQ(diags.lineCol(run.mounts[0].loc), "7:5");

  const DockerfileInstruction &copy = build.instructions[1];
  ASSERT_TRUE(copy.copy);
  EXPECT_TRUE(copy.copy->link);
  EXPECT_EQ(copy.copy->chown, "app:app");
  EXPECT_EQ(copy.copy->from.name, "python:3.11");
  EXPECT_EQ(copy.copy->from.stage, -1) << "an image";
  EXPECT_FALSE(copy.copy->from.isContext());

  const DockerfileStage &final = file->stages[1];
  EXPECT_EQ(final.name, "");
  EXPECT_EQ(final.baseStage, 0);
  EXPECT_EQ(final.label(1), "1");
  ASSERT_EQ(final.instructions.size(), 2u);
  EXPECT_EQ(diags.lineCol(final.instructions[0].loc), "14:3");
  EXPECT_TRUE(final.instructions[1].jsonForm);
  EXPECT_EQ(final.instructions[1].args, (std::vector<std::string>{"gunicorn", "app:app"}));
}

TEST_F(DockerfileParserTest, CopyFromItsOwnStageIsAnError) {
  EXPECT_EQ(errorsOf("FROM a AS one\nCOPY --from=one /x /x\n"),
            "Dockerfile:2:6: error: stage 'one' cannot read from itself\n"
            "COPY --from=one /x /x\n"
            "     ^\n");
}

TEST_F(DockerfileParserTest, CopySourcesDestinationAndForms) {
  auto file = parse("FROM python:3.11\n"
                    "ARG APP=service\n"
                    "ENV DEST=/srv\n"
                    "COPY requirements.txt \"my file\" ./\n"
                    "COPY [\"a b\", \"c\", \"/d/\"]\n"
                    "ADD --exclude=*.pyc ${APP}/ $DEST/${APP:-x}\n"
                    "COPY ${MISSING:-fallback} '$DEST' /\n");
  ASSERT_TRUE(file) << diags.output();
  const auto &insts = file->stages[0].instructions;
  ASSERT_EQ(insts.size(), 6u);
  EXPECT_EQ(insts[2].copy->sources, (std::vector<std::string>{"requirements.txt", "my file"}));
  EXPECT_EQ(insts[2].copy->dest, "./");
  EXPECT_TRUE(insts[2].copy->from.isContext());
  EXPECT_TRUE(insts[3].jsonForm);
  EXPECT_EQ(insts[3].copy->sources, (std::vector<std::string>{"a b", "c"}));
  EXPECT_EQ(insts[3].copy->dest, "/d/");
  EXPECT_EQ(insts[4].keyword, "ADD");
  EXPECT_EQ(insts[4].copy->sources, (std::vector<std::string>{"service/"}));
  EXPECT_EQ(insts[4].copy->dest, "/srv/service");
  EXPECT_EQ(insts[4].copy->excludes, (std::vector<std::string>{"*.pyc"}));
  // Single quotes keep `$`; an unset variable takes its default.
  EXPECT_EQ(insts[5].copy->sources, (std::vector<std::string>{"fallback", "$DEST"}));
}

TEST_F(DockerfileParserTest, EnvFormsAndInheritance) {
  auto file = parse("FROM debian AS base\n"
                    "ENV A=1 B=\"two words\"\n"
                    "ENV LEGACY value with spaces\n"
                    "FROM base\n"
                    "COPY $A$B /x\n");
  ASSERT_TRUE(file) << diags.output();
  const auto &env = file->stages[0].instructions;
  EXPECT_EQ(env[0].assignments,
            (std::vector<std::pair<std::string, std::string>>{{"A", "1"}, {"B", "two words"}}));
  EXPECT_EQ(env[1].assignments, (std::vector<std::pair<std::string, std::string>>{
                                    {"LEGACY", "value with spaces"}}));
  // A stage derived from another sees its ENV.
  EXPECT_EQ(file->stages[1].instructions[0].copy->sources,
            (std::vector<std::string>{"1two words"}));
}

TEST_F(DockerfileParserTest, RunMountsAndStageReferences) {
  auto file = parse("FROM golang AS deps\n"
                    "FROM deps AS build\n"
                    "RUN --mount=type=bind,target=. \\\n"
                    "    --mount=type=bind,from=deps,source=/go,target=/go \\\n"
                    "    --mount=type=bind,from=later,src=/x,dst=/x \\\n"
                    "    --mount=type=secret,id=token \\\n"
                    "    --mount=type=bind,from=alpine:3,source=/etc,target=/e \\\n"
                    "    go build ./...\n"
                    "FROM scratch AS later\n"
                    "FROM scratch AS final\n"
                    "COPY --from=build /out /out\n"
                    "COPY --from=1 /y /y\n");
  ASSERT_TRUE(file) << diags.output();
  const DockerfileInstruction &run = file->stages[1].instructions[0];
  ASSERT_EQ(run.mounts.size(), 5u);
  EXPECT_EQ(run.mounts[0].type, "bind");
  EXPECT_EQ(run.mounts[0].source, "");
  EXPECT_TRUE(run.mounts[0].from.isContext());
  EXPECT_EQ(run.mounts[1].from.stage, 0);
  EXPECT_EQ(run.mounts[1].source, "/go");
  EXPECT_EQ(run.mounts[2].from.stage, 2) << "a stage defined further down";
  EXPECT_EQ(run.mounts[2].target, "/x");
  EXPECT_EQ(run.mounts[3].type, "secret");
  EXPECT_EQ(run.mounts[4].from.stage, -1) << "an image";
  EXPECT_FALSE(run.mounts[4].from.isContext());
  EXPECT_EQ(run.text, "go build ./...");
  EXPECT_EQ(file->stages[3].instructions[0].copy->from.stage, 1);
  EXPECT_EQ(file->stages[3].instructions[1].copy->from.stage, 1);
}

TEST_F(DockerfileParserTest, HeredocsInRunAndCopy) {
  auto file = parse("FROM debian\n"
                    "RUN <<EOF\n"
                    "apt-get update\n"
                    "apt-get install -y curl\n"
                    "EOF\n"
                    "COPY <<-\"CONF\" app.py /etc/\n"
                    "\tkey=value\n"
                    "\tCONF\n"
                    "RUN echo '<<NOT' && cat <<<here\n"
                    "RUN printf '%s' 'it'\\''s `not <<NOT`' \"a\\\" <<NOT\"\n");
  ASSERT_TRUE(file) << diags.output();
  const auto &insts = file->stages[0].instructions;
  ASSERT_EQ(insts.size(), 4u);
  EXPECT_TRUE(insts[3].heredocs.empty());
  ASSERT_EQ(insts[0].heredocs.size(), 1u);
  EXPECT_EQ(insts[0].heredocs[0].name, "EOF");
  EXPECT_EQ(insts[0].heredocs[0].body, "apt-get update\napt-get install -y curl\n");
  EXPECT_EQ(insts[1].copy->sources, (std::vector<std::string>{"app.py"}));
  EXPECT_EQ(insts[1].copy->heredocSources, 1u);
  EXPECT_EQ(insts[1].heredocs[0].body, "key=value\n");
  EXPECT_TRUE(insts[2].heredocs.empty());
}

TEST_F(DockerfileParserTest, BacktickEscapeDirective) {
  auto file = parse("# escape=`\n"
                    "FROM mcr.microsoft.com/windows/servercore\n"
                    "COPY testfile.txt c:\\ `\n"
                    "  \n"
                    "RUN dir c:\\\n");
  ASSERT_TRUE(file) << diags.output();
  EXPECT_EQ(file->escape, '`');
  const auto &insts = file->stages[0].instructions;
  ASSERT_EQ(insts.size(), 1u) << "the continued COPY swallows the RUN line";
  EXPECT_EQ(insts[0].copy->sources.size(), 4u);
}

TEST_F(DockerfileParserTest, DirectivesStopAtTheFirstOtherLine) {
  auto file = parse("# syntax=a\n\n# escape=`\nFROM x\n");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->directives.size(), 1u);
  EXPECT_EQ(file->escape, '\\');
}

TEST_F(DockerfileParserTest, EveryErrorIsLocated) {
  std::string out = errorsOf("# escape=x\n"
                             "RUN echo before\n"
                             "FORM debian\n"
                             "FROM a b\n"
                             "FROM debian AS one\n"
                             "COPY onlyone\n"
                             "COPY --form=x a b\n"
                             "RUN --mount=type=volume,target=/x true\n"
                             "RUN --mount=type=bind,source=a true\n"
                             "COPY \"unterminated /x\n"
                             "FROM debian AS ONE\n"
                             "WORKDIR\n"
                             "SHELL /bin/sh\n"
                             "COPY --link=maybe a b\n");
  EXPECT_EQ(out, "Dockerfile:1:1: error: invalid escape character 'x'; use '\\' or '`'\n"
                 "# escape=x\n"
                 "^\n"
                 "Dockerfile:2:1: error: RUN comes before the first FROM; only ARG may\n"
                 "RUN echo before\n"
                 "^\n"
                 "Dockerfile:3:1: error: unknown instruction 'FORM'; did you mean 'FROM'?\n"
                 "FORM debian\n"
                 "^\n"
                 "Dockerfile:4:1: error: FROM takes an image and an optional 'AS name'\n"
                 "FROM a b\n"
                 "^\n"
                 "Dockerfile:6:1: error: COPY needs at least one source and a destination\n"
                 "COPY onlyone\n"
                 "^\n"
                 "Dockerfile:7:6: error: unknown flag '--form' for COPY; it takes --from, "
                 "--chown, --chmod, --link, --parents, --exclude\n"
                 "COPY --form=x a b\n"
                 "     ^\n"
                 "Dockerfile:8:5: error: unknown mount type 'volume'; expected bind, cache, "
                 "secret, ssh or tmpfs\n"
                 "RUN --mount=type=volume,target=/x true\n"
                 "    ^\n"
                 "Dockerfile:9:5: error: a bind mount needs a target\n"
                 "RUN --mount=type=bind,source=a true\n"
                 "    ^\n"
                 "Dockerfile:10:6: error: unterminated double quote\n"
                 "COPY \"unterminated /x\n"
                 "     ^\n"
                 "Dockerfile:11:1: error: stage name 'one' is already used\n"
                 "FROM debian AS ONE\n"
                 "^\n"
                 "Dockerfile:5:1: note: first used here\n"
                 "FROM debian AS one\n"
                 "^\n"
                 "Dockerfile:12:1: error: WORKDIR needs at least one argument\n"
                 "WORKDIR\n"
                 "^\n"
                 "Dockerfile:13:1: error: SHELL takes a JSON array, e.g. [\"/bin/sh\", \"-c\"]\n"
                 "SHELL /bin/sh\n"
                 "^\n"
                 "Dockerfile:14:6: error: --link takes true or false, not 'maybe'\n"
                 "COPY --link=maybe a b\n"
                 "     ^\n");
}

TEST_F(DockerfileParserTest, UnclosedHeredocAndCycles) {
  EXPECT_EQ(errorsOf("FROM a AS one\n"
                     "COPY --from=two /x /x\n"
                     "FROM b AS two\n"
                     "COPY --from=one /y /y\n"
                     "RUN cat <<EOF\n"
                     "never closed\n"),
            "Dockerfile:5:9: error: heredoc 'EOF' is never closed; end it with a line holding "
            "only 'EOF'\n"
            "RUN cat <<EOF\n"
            "        ^\n"
            "Dockerfile:4:6: error: stages 'two' and 'one' read from each other in a cycle\n"
            "COPY --from=one /y /y\n"
            "     ^\n");
}

TEST_F(DockerfileParserTest, NoFromAtAll) {
  EXPECT_EQ(errorsOf("# only a comment\nARG X=1\n"),
            "Dockerfile:3:1: error: no FROM instruction; a Dockerfile needs at least one stage\n"
            "\n"
            "^\n");
}

TEST_F(DockerfileParserTest, HostileInputNeverCrashes) {
  const char *inputs[] = {
      "",
      "\\",
      "FROM",
      "FROM a\nRUN \\",
      "FROM a\nRUN \\\n",
      "FROM a\nCOPY <<",
      "FROM a\nCOPY <<\"EOF /x\n",
      "FROM a\nRUN --mount=,,,=,= true\n",
      "FROM a\nRUN --mount true\n",
      "FROM a\nCOPY ${ a b\n",
      "FROM a\nCOPY ${} a\n",
      "FROM a\nCOPY [\"a\", 1] b\n",
      "FROM a\nCOPY [ a b\n",
      "FROM a\nENV =x\n",
      "FROM a\nARG =\n",
      "\xEF\xBB\xBF" "FROM a\n",
      "FROM a AS\n",
      "FROM a\r\nRUN x\r\n",
      "FROM a\nCOPY --from= a b\n",
      "FROM a\nRUN --\n",
      "FROM a\nONBUILD\n",
      "#\n#=\n# =x\nFROM a\n",
  };
  for (const char *input : inputs) {
    CapturedDiagnostics local;
    unsigned id = local.engine().addBuffer(input, "Dockerfile");
    llvm::Expected<Dockerfile> file = parseDockerfile(local.engine(), id);
    if (!file) {
      llvm::consumeError(file.takeError());
      EXPECT_NE(local.output(), "") << "an error must say why: " << input;
    }
  }
}

} // namespace
} // namespace imageplan::readers
