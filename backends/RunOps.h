// Run operations (plan::isRunOp) as the mounts and shell commands of one RUN.
// A layer's adjacent run operations share a single RunInstruction, so their
// mounts are merged and their commands chained with &&.
#pragma once

#include "backends/DialectRules.h"
#include "backends/DockerfileSyntax.h"
#include "planner/Plan.h"

#include <string>
#include <vector>

namespace imageplan::backends {

/// One command of the && chain, as shell text built with ShellQuote.h: `head`
/// on the first line, then each of `args` on a continuation line of its own.
struct ShellCommand {
  std::string head;
  std::vector<std::string> args;
};

/// A file or folder a dialect without bind mounts COPYs in before the RUN
/// that reads it: from the build context, or from `fromStage` when set.
struct FileCopy {
  std::string fromStage;
  std::string source;
  std::string dest;
  bool operator==(const FileCopy &other) const {
    return fromStage == other.fromStage && source == other.source && dest == other.dest;
  }
};

struct RunInstruction {
  std::vector<FileCopy> copies; // deduplicated, in first-use order
  std::vector<Mount> mounts;    // deduplicated, in first-use order
  std::vector<ShellCommand> commands;
};

/// What the RUNs of one stage have in common: the shell, and what the cache
/// mounts of its package managers are keyed on (RunBuilder::addCache).
struct StageRunContext {
  /// The stage has no bash (Alpine, Wolfi), so scripts run under sh.
  bool posixShell = false;
  std::string distro; // plan::Stage::distro
  /// The first stage of its FROM chain, where each stage continues the
  /// family of the stage it is built FROM only if it is that stage's first
  /// child: the stages of one family build one after the other, while stages
  /// of different families (siblings among them) can build at once.
  std::string family;
};

/// The context of each stage of `plan`, in plan order.
std::vector<StageRunContext> stageRunContexts(const plan::Plan &plan);

/// Adds the copies, mounts and commands of `op`, which must be a run
/// operation, as the dialect's `rules` allow, for a RUN of `stage`.
void appendRunOp(const plan::Op &op, const DialectRules &rules, RunInstruction &run,
                 const StageRunContext &stage = {});

/// The commands that write `file` (path, exact content, mode) with printf
/// and chmod, for dialects without heredocs.
void appendWriteFile(const plan::WriteFile &file, RunInstruction &run);

/// True when the RUN `next` may be merged into `run` under `rules`.
bool canShareRun(const RunInstruction &run, const RunInstruction &next, const DialectRules &rules);

/// Appends `next` to `run`: its copies and mounts where new, its commands.
void mergeRun(RunInstruction &run, RunInstruction next);

/// The lines of the RUN for DockerfileWriter::instruction: each mount flag,
/// then the commands joined by &&, arguments indented one level deeper.
std::vector<std::string> runLines(const RunInstruction &run);

} // namespace imageplan::backends
