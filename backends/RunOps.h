// Run operations (plan::isRunOp) as the mounts and shell commands of one RUN.
// A layer's adjacent run operations share a single RunInstruction, so their
// mounts are merged and their commands chained with &&.
#pragma once

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

struct RunInstruction {
  std::vector<Mount> mounts; // deduplicated, in first-use order
  std::vector<ShellCommand> commands;
};

/// Adds the mounts and commands of `op`, which must be a run operation.
void appendRunOp(const plan::Op &op, RunInstruction &run);

/// The lines of the RUN for DockerfileWriter::instruction: each mount flag,
/// then the commands joined by &&, arguments indented one level deeper.
std::vector<std::string> runLines(const RunInstruction &run);

} // namespace imageplan::backends
