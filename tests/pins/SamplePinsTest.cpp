// For every sample (samples/*/imageplan.yaml, found when the test runs) and
// every dialect: the generated Dockerfile, read back with
// readers/DockerfileParser and readers/ShellWords, resolves the pins of each
// venv and shows that no later install can change a pinned package. A pin
// is an exact requirement (`name==version`, `name @ url`) that a pip call
// into the venv installs or a `pip wheel` builds for it; every later call
// into that venv must read, with -c, a constraints file that holds each pin
// of the calls before it (the file is resolved through the RUN's bind mount
// or the COPY before it to the heredoc or printf that writes it), and every
// call the spec's own `constraints` files. Calls that cannot change another
// package (`--no-deps` of local paths, the project after its code copy) and
// calls into a folder of their own (`--target`) are accounted separately.
#include "backends/Backend.h"
#include "dsl/Parser.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"
#include "readers/DockerfileParser.h"
#include "readers/Requirements.h"
#include "readers/ShellWords.h"
#include "tests/harness/Samples.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace imageplan {
namespace {

/// A requirement as a comparable pin: "name==version" or "name @ url" in
/// normal form, "" when it pins nothing exactly.
std::string pinOf(llvm::StringRef text) {
  std::optional<readers::Requirement> r = readers::parseRequirementText(text);
  if (!r || r->name.empty())
    return "";
  if (!r->url.empty())
    return r->name + " @ " + r->url;
  llvm::StringRef spec = r->specifier;
  if (spec.startswith("==") && !spec.contains(',') && !spec.contains('*'))
    return r->name + spec.str();
  return "";
}

/// One pip install or wheel of the Dockerfile.
struct PipCall {
  std::string where;                   // "stage builder, line 40"
  std::string venv;                    // the venv it installs into; "target:DIR" for --target
  bool wheel = false;                  // pip wheel: builds for the venv of its stage
  bool cannotChangeOthers = false;     // --no-deps of local paths only
  std::vector<std::string> pins;       // exact requirements among its packages
  std::vector<std::vector<std::string>> constraints; // each -c file, as its pins
  std::vector<std::string> contextConstraints;       // -c files bind-mounted from the context
};

/// What a path a RUN reads resolves to: a file written in a stage (by a
/// heredoc COPY, or printf then chmod), or a context file.
class DockerfileFiles {
public:
  explicit DockerfileFiles(const readers::Dockerfile &df) : df(df) {
    for (size_t s = 0; s < df.stages.size(); ++s)
      for (const readers::DockerfileInstruction &inst : df.stages[s].instructions)
        record(s, inst);
  }

  /// The pins of file `path` in stage `stage` (or a stage it is FROM).
  std::optional<std::vector<std::string>> written(int stage, const std::string &path) const {
    for (int s = stage; s >= 0; s = df.stages[s].baseStage)
      if (auto it = files.find({s, path}); it != files.end())
        return it->second;
    return std::nullopt;
  }

private:
  void record(size_t s, const readers::DockerfileInstruction &inst) {
    if (inst.copy && inst.copy->heredocSources == 1 && inst.heredocs.size() == 1) {
      files[{int(s), inst.copy->dest}] = pinsIn(inst.heredocs.front().body);
      return;
    }
    if (inst.keyword != "RUN")
      return;
    std::vector<std::string> printed;
    for (const std::vector<std::string> &words : readers::shellCommands(inst.text)) {
      if (!words.empty() && words[0] == "printf" && words.size() > 2)
        printed.assign(words.begin() + 2, words.end());
      else if (words.size() == 3 && words[0] == "chmod" && !printed.empty())
        files[{int(s), words[2]}] = pinsOfLines(printed);
    }
  }

  static std::vector<std::string> pinsIn(llvm::StringRef body) {
    llvm::SmallVector<llvm::StringRef, 16> lines;
    body.split(lines, '\n', -1, /*KeepEmpty=*/false);
    return pinsOfLines(std::vector<std::string>(lines.begin(), lines.end()));
  }
  static std::vector<std::string> pinsOfLines(const std::vector<std::string> &lines) {
    std::vector<std::string> pins;
    for (const std::string &line : lines)
      if (std::string pin = pinOf(line); !pin.empty())
        pins.push_back(pin);
    return pins;
  }

  const readers::Dockerfile &df;
  std::map<std::pair<int, std::string>, std::vector<std::string>> files;
};

/// Options of pip install and pip wheel that take a value.
bool takesValue(llvm::StringRef option) {
  static constexpr llvm::StringLiteral kOptions[] = {
      "-c", "--constraint", "-r", "--requirement", "-i", "--index-url", "--extra-index-url",
      "-f", "--find-links", "-t", "--target", "-w", "--wheel-dir"};
  return llvm::is_contained(kOptions, option);
}

/// Where each file a RUN reads comes from: (stage, path) for another stage,
/// (-2, path) for the build context.
using Sources = std::map<std::string, std::pair<int, std::string>>;

/// The pip install or wheel `words` run, or nothing for another command.
std::optional<PipCall> pipCallOf(std::vector<std::string> words, const std::string &where,
                                 const std::string &venv, const Sources &sources,
                                 const DockerfileFiles &files) {
  while (!words.empty() && words.front().find('=') != std::string::npos &&
         words.front().front() != '-')
    words.erase(words.begin()); // NAME=value before the command
  if (words.size() < 2)
    return std::nullopt;
  llvm::StringRef tool = llvm::sys::path::filename(words[0]);
  size_t sub = 1;
  if (tool.startswith("python") && words.size() > 3 && words[1] == "-m" && words[2] == "pip")
    sub = 3;
  else if (tool != "pip" && tool != "pip3")
    return std::nullopt;
  if (words[sub] != "install" && words[sub] != "wheel")
    return std::nullopt;
  PipCall call;
  call.where = where;
  call.wheel = words[sub] == "wheel";
  call.venv = sub == 1 && words[0].find('/') != std::string::npos
                  ? llvm::sys::path::parent_path(llvm::sys::path::parent_path(words[0])).str()
                  : venv;
  bool noDeps = false, onlyPaths = true, anyPackage = false;
  for (size_t i = sub + 1; i < words.size(); ++i) {
    const std::string &w = words[i];
    if (takesValue(w) && i + 1 < words.size()) {
      const std::string &value = words[++i];
      auto source = sources.find(value);
      if ((w == "-c" || w == "--constraint") && source != sources.end()) {
        if (source->second.first < 0)
          call.contextConstraints.push_back(source->second.second);
        else if (auto pins = files.written(source->second.first, source->second.second))
          call.constraints.push_back(*pins);
      } else if (w == "-t" || w == "--target") {
        call.venv = "target:" + value;
      } else if (w == "-r" || w == "--requirement") {
        onlyPaths = false;
        anyPackage = true;
      }
      continue;
    }
    noDeps |= w == "--no-deps";
    if (llvm::StringRef(w).startswith("-"))
      continue;
    anyPackage = true;
    onlyPaths &= llvm::StringRef(w).startswith("/") || llvm::StringRef(w).startswith(".");
    if (std::string pin = pinOf(w); !pin.empty())
      call.pins.push_back(pin);
  }
  call.cannotChangeOthers = noDeps && onlyPaths && anyPackage;
  return call;
}

/// Every pip install and wheel of `df`, in stage and line order.
std::vector<PipCall> pipCalls(const readers::Dockerfile &df) {
  DockerfileFiles files(df);
  // Per stage, the venv's path and which venv it is: a stage FROM another
  // has that one's, and a venv COPYed from another stage is that stage's.
  std::vector<std::string> venvPath(df.stages.size()), venvOf(df.stages.size());
  std::vector<PipCall> calls;
  for (size_t s = 0; s < df.stages.size(); ++s) {
    const readers::DockerfileStage &stage = df.stages[s];
    if (stage.baseStage >= 0) {
      venvPath[s] = venvPath[stage.baseStage];
      venvOf[s] = venvOf[stage.baseStage];
    }
    Sources copied; // files COPYed in before a RUN (dialects without bind mounts)
    for (const readers::DockerfileInstruction &inst : stage.instructions) {
      for (const auto &[name, value] : inst.assignments)
        if (inst.keyword == "ENV" && name == "VIRTUAL_ENV" && venvPath[s] != value) {
          venvPath[s] = value;
          venvOf[s] = "stage " + stage.label(s) + " " + value;
        }
      if (inst.copy && inst.copy->sources.size() == 1)
        copied[inst.copy->dest] = {inst.copy->from.isContext() ? -2 : inst.copy->from.stage,
                                   inst.copy->sources.front()};
      if (inst.copy && inst.copy->from.stage >= 0 && !venvPath[s].empty() &&
          inst.copy->dest == venvPath[s] && inst.copy->sources == std::vector{venvPath[s]})
        venvOf[s] = venvOf[inst.copy->from.stage];
      if (inst.keyword != "RUN")
        continue;
      Sources mounted = copied;
      for (const readers::DockerfileMount &mount : inst.mounts)
        if (mount.type == "bind")
          mounted[mount.target] = {mount.from.isContext() ? -2 : mount.from.stage, mount.source};
      std::string where = "stage " + stage.label(s) + ", line " + std::to_string(inst.line);
      for (std::vector<std::string> &words : readers::shellCommands(inst.text))
        if (std::optional<PipCall> call = pipCallOf(words, where, venvOf[s], mounted, files))
          calls.push_back(std::move(*call));
    }
  }
  return calls;
}

/// What the audit found: problems, and how much it checked.
struct Audit {
  std::vector<std::string> problems;
  unsigned checkedCalls = 0; // later calls whose constraints covered earlier pins
  unsigned pins = 0;         // pins found across venvs
};

/// Each call into a venv after its first must read constraints holding every
/// pin of the calls before it; each call the spec's own constraint files.
Audit audit(const std::vector<PipCall> &calls, const std::vector<std::string> &specConstraints) {
  Audit result;
  std::map<std::string, std::vector<std::string>> pinned; // per venv, pins so far
  for (const PipCall &call : calls) {
    for (const std::string &file : specConstraints)
      if (!call.cannotChangeOthers && !llvm::is_contained(call.contextConstraints, file))
        result.problems.push_back(call.where + ": pip does not read the spec's constraints file " +
                                  file);
    std::vector<std::string> &before = pinned[call.venv];
    if (!call.cannotChangeOthers && !before.empty()) {
      for (const std::string &pin : before) {
        bool covered = llvm::any_of(call.constraints, [&](const std::vector<std::string> &file) {
          return llvm::is_contained(file, pin);
        });
        if (!covered)
          result.problems.push_back(call.where + ": pip into " + call.venv +
                                    " reads no constraints file holding " + pin +
                                    ", which an earlier install pinned");
      }
      ++result.checkedCalls;
    }
    for (const std::string &pin : call.pins)
      if (!llvm::is_contained(before, pin)) {
        before.push_back(pin);
        ++result.pins;
      }
  }
  return result;
}

/// Parses Dockerfile text; the test fails on a parse error.
std::optional<readers::Dockerfile> parse(readers::DiagnosticEngine &diags, const std::string &text) {
  unsigned id = diags.addBuffer(text, "<Dockerfile>");
  llvm::Expected<readers::Dockerfile> df = readers::parseDockerfile(diags, id);
  if (!df) {
    llvm::consumeError(df.takeError());
    return std::nullopt;
  }
  return std::move(*df);
}

class SamplePins : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    llvm::Expected<unsigned> id = diags.addFile(GetParam() + "/imageplan.yaml", readers::limits::kSpec);
    ASSERT_TRUE(bool(id)) << llvm::toString(id.takeError());
    llvm::Expected<dsl::Spec> parsed = dsl::parseSpec(diags, *id, "imageplan.yaml");
    ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError()) << out;
    spec = std::move(*parsed);
    ASSERT_FALSE(bool(dsl::checkSpec(diags, *spec, GetParam(), nullptr))) << out;
    llvm::Expected<plan::Plan> built = planner::buildPlan(diags, *spec, {});
    ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError()) << out;
    plan = std::move(*built);
  }

  std::string out;
  llvm::raw_string_ostream os{out};
  readers::DiagnosticEngine diags{os};
  std::optional<dsl::Spec> spec;
  plan::Plan plan;
};

TEST_P(SamplePins, NoLaterInstallCanChangeAPinnedPackage) {
  std::vector<std::string> specConstraints;
  if (spec->python)
    for (const dsl::LString &file : spec->python->constraints)
      specConstraints.push_back(file.value);
  for (backends::Dialect dialect : backends::kDialects) {
    std::string text = backends::emitDockerfile(plan, {dialect});
    std::optional<readers::Dockerfile> df = parse(diags, text);
    ASSERT_TRUE(df) << out << text;
    Audit result = audit(pipCalls(*df), specConstraints);
    EXPECT_TRUE(result.problems.empty())
        << backends::toString(dialect) << ":\n  " << llvm::join(result.problems, "\n  ") << "\n"
        << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, SamplePins, ::testing::ValuesIn(testsupport::sampleDirs()),
                         testsupport::sampleTestName);

// The audit is not vacuous: deepseek-ocr's venv has pins and later installs
// that are checked against them, in every dialect.
TEST(SamplePinsAudit, DeepseekHasPinsAndChecksLaterInstalls) {
  std::string out;
  llvm::raw_string_ostream os(out);
  readers::DiagnosticEngine diags(os);
  std::string dir = IMAGEPLAN_SOURCE_DIR "/samples/deepseek-ocr";
  llvm::Expected<unsigned> id = diags.addFile(dir + "/imageplan.yaml", readers::limits::kSpec);
  ASSERT_TRUE(bool(id)) << llvm::toString(id.takeError());
  llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, *id, "imageplan.yaml");
  ASSERT_TRUE(bool(spec)) << out;
  llvm::Expected<plan::Plan> plan = planner::buildPlan(diags, *spec, {});
  ASSERT_TRUE(bool(plan)) << out;
  for (backends::Dialect dialect : backends::kDialects) {
    std::optional<readers::Dockerfile> df = parse(diags, backends::emitDockerfile(*plan, {dialect}));
    ASSERT_TRUE(df) << out;
    Audit result = audit(pipCalls(*df), {});
    EXPECT_GE(result.pins, 3u) << backends::toString(dialect); // torch, torchvision, flash-attn
    EXPECT_GE(result.checkedCalls, 3u) << backends::toString(dialect);
    EXPECT_TRUE(result.problems.empty()) << llvm::join(result.problems, "\n");
  }
}

// And it fails a Dockerfile whose later install reads no constraints, or a
// file without the pin.
TEST(SamplePinsAudit, ALaterInstallWithoutThePinsIsReported) {
  std::string out;
  llvm::raw_string_ostream os(out);
  readers::DiagnosticEngine diags(os);
  std::optional<readers::Dockerfile> df = parse(diags, R"(FROM debian:12 AS pins
RUN mkdir -p /p && printf '%s\n' 'torchvision==0.15.2' > /p/c.txt && chmod 0644 /p/c.txt
FROM debian:12 AS runtime
ENV VIRTUAL_ENV=/opt/venv
RUN pip install torch==2.0.1
RUN --mount=type=bind,from=pins,source=/p/c.txt,target=/tmp/c.txt \
    pip install -c /tmp/c.txt -r /tmp/requirements.txt
RUN pip install --no-deps /app/
RUN /opt/other/bin/pip install requests==2.31.0
)");
  ASSERT_TRUE(df) << out;
  Audit result = audit(pipCalls(*df), {"constraints.txt"});
  ASSERT_EQ(result.problems.size(), 4u) << llvm::join(result.problems, "\n");
  EXPECT_EQ(result.problems[0],
            "stage runtime, line 5: pip does not read the spec's constraints file constraints.txt");
  EXPECT_EQ(result.problems[2], "stage runtime, line 6: pip into stage runtime /opt/venv reads no "
                                "constraints file holding torch==2.0.1, which an earlier install "
                                "pinned");
  EXPECT_EQ(result.problems[3],
            "stage runtime, line 9: pip does not read the spec's constraints file constraints.txt");
  EXPECT_EQ(result.checkedCalls, 1u); // the --no-deps path install and another venv are not
}

} // namespace
} // namespace imageplan
