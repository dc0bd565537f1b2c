// The cost table of `imageplan score`: seconds to rebuild one Dockerfile
// instruction, estimated from the instruction itself (what a RUN installs or
// downloads, what a COPY copies), so that a hand-written Dockerfile and the
// generated one are costed by the same rules. A RUN that hands its work to a
// build tool (`make install`, `./install.sh`) is priced by what that tool runs,
// read from the build context (CostContext). docs/score.md lists the table.
#pragma once

#include "readers/ContextPaths.h"
#include "readers/DockerfileParser.h"

#include "llvm/ADT/StringRef.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::analysis {

struct InstructionEstimate {
  double seconds = 0;
  /// A short description for reports: what the instruction does, e.g.
  /// "RUN apt-get install (3), pip install (2)" or "COPY app/ -> /app/".
  std::string summary;
  /// How an estimate was made where the instruction alone does not say,
  /// e.g. "make install: no Makefile in the build context; ...".
  std::vector<std::string> notes;
};

/// The text of a build-context file by its context-relative path
/// ("Makefile", "scripts/install.sh"); std::nullopt when there is none.
using ContextFileReader = std::function<std::optional<std::string>(llvm::StringRef)>;

/// What an instruction's stage holds from the build context when it runs:
/// where a RUN that calls `make` or a script finds the Makefile or script.
struct CostContext {
  ContextFileReader readFile; // empty: the context cannot be read
  readers::ContextPaths paths;

  /// The context path of the file at image path `path` (absolute, or
  /// relative to the workdir) and its text, when a COPY or bind mount put a
  /// context file there that the context still has.
  std::optional<std::pair<std::string, std::string>> readImageFile(llvm::StringRef path) const;
};

/// The estimate for one instruction. Instructions that only set metadata
/// (ENV, WORKDIR, USER, LABEL, ...) cost nothing.
InstructionEstimate estimateInstruction(const readers::DockerfileInstruction &inst,
                                        const CostContext &context = {});

} // namespace imageplan::analysis
