// The cost table of `imageplan score`: seconds to rebuild one Dockerfile
// instruction, estimated from the instruction itself (what a RUN installs or
// downloads, what a COPY copies), so that a hand-written Dockerfile and the
// generated one are costed by the same rules. docs/score.md lists the table.
#pragma once

#include "readers/DockerfileParser.h"

#include <string>

namespace imageplan::analysis {

struct InstructionEstimate {
  double seconds = 0;
  /// A short description for reports: what the instruction does, e.g.
  /// "RUN apt-get install (3), pip install (2)" or "COPY app/ -> /app/".
  std::string summary;
};

/// The estimate for one instruction. Instructions that only set metadata
/// (ENV, WORKDIR, USER, LABEL, ...) cost nothing.
InstructionEstimate estimateInstruction(const readers::DockerfileInstruction &inst);

} // namespace imageplan::analysis
