// The Dockerfile backend: a plan as a Dockerfile for the engine dialect the
// options name (DialectRules.h). Each stage starts with FROM, SHELL, ARG and one ENV block;
// each layer is a comment and its instructions; the final stage ends with its
// runtime metadata. `imageplan diff` gets the same text stage by stage.
#include "backends/Backend.h"
#include "backends/DialectRules.h"
#include "backends/DockerfileSyntax.h"
#include "backends/DockerfileWriter.h"
#include "backends/RunOps.h"
#include "backends/ShellQuote.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

namespace imageplan::backends {

namespace {

constexpr llvm::StringLiteral Indent = "    ";

// bash with pipefail: a failing command on the left of a pipe fails the RUN,
// and the $'...' quoting of ShellQuote.h is understood.
constexpr llvm::StringLiteral Shell = R"(["/bin/bash", "-o", "pipefail", "-c"])";

// `KEY=value` lines of one ENV or LABEL instruction.
std::vector<std::string> keyValueLines(const plan::Pairs &pairs) {
  std::vector<std::string> lines;
  for (const auto &[key, value] : pairs)
    lines.push_back(dockerfileWord(key) + "=" + dockerfileWord(value));
  return lines;
}

void writeKeyValues(DockerfileWriter &w, llvm::StringRef keyword, std::vector<std::string> lines) {
  if (lines.empty())
    return;
  for (size_t i = 1; i < lines.size(); ++i)
    lines[i] = Indent.str() + lines[i];
  w.instructionLines(keyword, lines);
}

// COPY's sources and destination: plain words when every one of them can be,
// else the JSON form, which keeps spaces. Both forms still expand variables
// and quotes in each path, hence the escaping.
std::string copyArgs(std::vector<std::string> flags, llvm::ArrayRef<std::string> paths) {
  std::string out = llvm::join(flags, " ");
  if (!out.empty())
    out += ' ';
  if (llvm::all_of(paths, [](const std::string &p) { return isPlainDockerfileWord(p); }))
    return out + llvm::join(paths, " ");
  std::vector<std::string> escaped;
  for (const std::string &p : paths)
    escaped.push_back(escapeWordExpansion(p));
  return out + jsonArray(escaped);
}

std::vector<std::string> chownFlag(llvm::StringRef chown) {
  if (chown.empty())
    return {};
  return {dockerfileFlag("chown", escapeWordExpansion(chown))};
}

// A heredoc delimiter that is no line of `content`.
std::string heredocDelimiter(llvm::ArrayRef<llvm::StringRef> lines) {
  std::string delimiter = "IMAGEPLAN_EOF";
  for (unsigned n = 2; llvm::is_contained(lines, delimiter); ++n)
    delimiter = "IMAGEPLAN_EOF_" + std::to_string(n);
  return delimiter;
}

// The files a RUN reads, COPYed in first where the dialect has no bind mounts.
void writeRun(DockerfileWriter &w, const RunInstruction &run) {
  for (const FileCopy &copy : run.copies) {
    std::vector<std::string> flags;
    if (!copy.fromStage.empty())
      flags.push_back(dockerfileFlag("from", copy.fromStage));
    w.instruction("COPY", copyArgs(flags, {copy.source, copy.dest}));
  }
  w.instructionLines("RUN", runLines(run));
}

// An inline file: a COPY heredoc where the dialect has them and the content
// ends in a line break (a heredoc always does), else printf in a RUN.
void writeFile(DockerfileWriter &w, const DialectRules &rules, const plan::WriteFile &file) {
  llvm::StringRef content = file.content;
  if (rules.heredocs && content.endswith("\n")) {
    llvm::SmallVector<llvm::StringRef, 16> lines;
    content.drop_back().split(lines, '\n');
    std::string delimiter = heredocDelimiter(lines);
    // Quoted, so that BuildKit expands nothing in the body.
    std::string args = dockerfileFlag("chmod", file.mode) + " <<'" + delimiter + "' " +
                       dockerfileWord(file.path);
    w.heredocInstruction("COPY", args, lines, delimiter);
    return;
  }
  RunInstruction run;
  appendWriteFile(file, run);
  writeRun(w, run);
}

void writeNonRunOp(DockerfileWriter &w, const DialectRules &rules, const plan::Op &op) {
  if (const auto *file = std::get_if<plan::WriteFile>(&op)) {
    writeFile(w, rules, *file);
  } else if (const auto *copy = std::get_if<plan::CopyContext>(&op)) {
    std::vector<std::string> paths = copy->sources;
    paths.push_back(copy->dest);
    w.instruction("COPY", copyArgs(chownFlag(copy->chown), paths));
  } else if (const auto *copy = std::get_if<plan::CopyStage>(&op)) {
    std::vector<std::string> flags;
    if (rules.copyLink)
      flags.push_back("--link");
    flags.push_back(dockerfileFlag("from", copy->stage));
    llvm::append_range(flags, chownFlag(copy->chown));
    w.instruction("COPY", copyArgs(flags, {copy->source, copy->dest}));
  } else if (const auto *fetch = std::get_if<plan::FetchUrl>(&op)) {
    // The engine downloads it; nothing in the image has to.
    w.instruction("ADD", copyArgs({}, {fetch->url, fetch->dest}));
  } else if (const auto *arg = std::get_if<plan::DeclareArg>(&op)) {
    w.instruction("ARG", arg->name + "=" + dockerfileWord(arg->defaultValue));
  } else if (const auto *env = std::get_if<plan::SetEnv>(&op)) {
    writeKeyValues(w, "ENV", keyValueLines(env->vars));
  } else if (const auto *workdir = std::get_if<plan::SetWorkdir>(&op)) {
    w.instruction("WORKDIR", dockerfileWord(workdir->path));
  } else {
    llvm_unreachable("run operations are written as RUN");
  }
}

void writeLayer(DockerfileWriter &w, const DialectRules &rules, const plan::Layer &layer,
                const StageRunContext &stage) {
  if (layer.ops.empty())
    return;
  llvm::StringRef what = layer.what.empty() ? llvm::StringRef("layer") : layer.what;
  w.comment((what + " (changes " + plan::toString(layer.changeClass) + ")").str());
  // Each maximal run of run operations shares one RUN, in plan order, unless
  // the dialect forbids the mounts they would share.
  for (size_t i = 0; i < layer.ops.size();) {
    if (!plan::isRunOp(layer.ops[i])) {
      writeNonRunOp(w, rules, layer.ops[i++]);
      continue;
    }
    RunInstruction run;
    for (; i < layer.ops.size() && plan::isRunOp(layer.ops[i]); ++i) {
      RunInstruction next;
      appendRunOp(layer.ops[i], rules, next, stage);
      if (!run.commands.empty() && !canShareRun(run, next, rules)) {
        writeRun(w, run);
        run = RunInstruction();
      }
      mergeRun(run, std::move(next));
    }
    writeRun(w, run);
  }
}

void writeHealthcheck(DockerfileWriter &w, const plan::Healthcheck &check) {
  if (check.cmd.empty()) {
    // No command to run: turn off any check inherited from the base image.
    w.instruction("HEALTHCHECK", "NONE");
    return;
  }
  // Durations are not expanded by BuildKit; they only need flag quoting.
  std::vector<std::string> flags;
  if (!check.interval.empty())
    flags.push_back(dockerfileFlag("interval", check.interval));
  if (!check.timeout.empty())
    flags.push_back(dockerfileFlag("timeout", check.timeout));
  if (!check.startPeriod.empty())
    flags.push_back(dockerfileFlag("start-period", check.startPeriod));
  if (check.retries > 0)
    flags.push_back(dockerfileFlag("retries", std::to_string(check.retries)));
  std::string cmd = "CMD " + jsonArray(check.cmd);
  if (flags.empty()) {
    w.instruction("HEALTHCHECK", cmd);
    return;
  }
  w.instructionLines("HEALTHCHECK", {llvm::join(flags, " "), Indent.str() + cmd});
}

void writeRuntime(DockerfileWriter &w, const plan::RuntimeConfig &runtime) {
  if (!runtime.user.empty())
    w.instruction("USER", dockerfileWord(runtime.user));
  if (!runtime.expose.empty()) {
    std::vector<std::string> ports;
    for (int port : runtime.expose)
      ports.push_back(std::to_string(port));
    w.instruction("EXPOSE", llvm::join(ports, " "));
  }
  // After USER: a volume keeps the owner its folder has in the image.
  if (!runtime.volumes.empty())
    w.instruction("VOLUME", jsonArray(runtime.volumes));
  if (runtime.healthcheck)
    writeHealthcheck(w, *runtime.healthcheck);
  writeKeyValues(w, "LABEL", keyValueLines(runtime.labels));
  if (!runtime.entrypoint.empty())
    w.instruction("ENTRYPOINT", jsonArray(runtime.entrypoint));
  if (!runtime.cmd.empty())
    w.instruction("CMD", jsonArray(runtime.cmd));
}

// FROM and what comes before the first layer.
void writeStageHeader(DockerfileWriter &w, const plan::Stage &stage) {
  // `from` is an image reference or the name of an earlier stage; FROM reads
  // both the same way.
  w.instruction("FROM", stage.name.empty() ? stage.from : stage.from + " AS " + stage.name);
  // A base without bash (Alpine, Wolfi) keeps the default /bin/sh -c.
  if (!stage.posixShell)
    w.instruction("SHELL", Shell);
  for (const std::string &arg : stage.args)
    w.instruction("ARG", arg);
  std::vector<std::string> env = keyValueLines(stage.env);
  // Last, so that it extends the base image's PATH rather than replacing it;
  // $PATH is the one expansion we want.
  if (!stage.pathPrepend.empty())
    env.push_back("PATH=" + dockerfileWord(stage.pathPrepend) + ":$PATH");
  writeKeyValues(w, "ENV", env);
}

void writeStage(DockerfileWriter &w, const DialectRules &rules, const plan::Stage &stage,
                const StageRunContext &context) {
  w.comment(stage.purpose.empty() ? "Stage " + stage.name
                                  : "Stage " + stage.name + ": " + stage.purpose);
  writeStageHeader(w, stage);
  for (const plan::Layer &layer : stage.layers)
    writeLayer(w, rules, layer, context);
  if (stage.runtime)
    writeRuntime(w, *stage.runtime);
}

} // namespace

std::string emitDockerfile(const plan::Plan &plan, const Options &options) {
  DialectRules rules = rulesFor(options.dialect);
  DockerfileWriter w;
  // A parser directive: it must be the very first line.
  if (rules.syntaxDirective)
    w.comment("syntax=docker/dockerfile:1");
  w.comment("Generated by imageplan from " + plan.specPath + "; do not edit.");
  if (options.dialect != Dialect::BuildKit)
    w.comment(std::string("For the ") + toString(options.dialect) +
              " dialect (see docs/dialects.md in imageplan).");
  w.comment("To change it, edit the spec and run: imageplan gen " + shellQuote(plan.specPath));
  if (!plan.args.empty()) {
    w.blankLine();
    w.comment("Build arguments the FROM lines below read (docker build --build-arg NAME=VALUE).");
    for (const auto &[name, value] : plan.args)
      w.instruction("ARG", name + "=" + dockerfileWord(value));
  }
  std::vector<StageRunContext> contexts = stageRunContexts(plan);
  for (size_t i = 0; i < plan.stages.size(); ++i) {
    w.blankLine();
    writeStage(w, rules, plan.stages[i], contexts[i]);
  }
  return w.text();
}

std::vector<DockerfileStageText> dockerfileStages(const plan::Plan &plan,
                                                  const Options &options) {
  DialectRules rules = rulesFor(options.dialect);
  std::vector<DockerfileStageText> stages;
  std::vector<StageRunContext> contexts = stageRunContexts(plan);
  for (size_t i = 0; i < plan.stages.size(); ++i) {
    const plan::Stage &stage = plan.stages[i];
    DockerfileStageText text;
    DockerfileWriter header(/*comments=*/false);
    // The global ARGs every FROM may read go with the first stage.
    if (stages.empty())
      for (const auto &[name, value] : plan.args)
        header.instruction("ARG", name + "=" + dockerfileWord(value));
    writeStageHeader(header, stage);
    text.header = header.text();
    for (const plan::Layer &layer : stage.layers) {
      DockerfileWriter w(/*comments=*/false);
      writeLayer(w, rules, layer, contexts[i]);
      text.layers.push_back(w.text());
    }
    DockerfileWriter settings(/*comments=*/false);
    if (stage.runtime)
      writeRuntime(settings, *stage.runtime);
    text.settings = settings.text();
    stages.push_back(std::move(text));
  }
  return stages;
}

} // namespace imageplan::backends
