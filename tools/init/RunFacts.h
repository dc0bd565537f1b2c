// What init takes from one RUN of a Dockerfile (RunFacts.cpp), for
// DockerfileFacts.cpp (internal to the init library): the system and Python
// packages its commands install, the requirement files and extras, and a line
// for whatever it cannot carry. `make TARGET` and the build context's shell
// scripts are read for what they run.
#pragma once

#include "tools/init/ProjectScan.h"

#include "readers/ContextPaths.h"
#include "readers/DockerfileParser.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::init {

struct RunPlace {
  std::string where;     // "docker/Dockerfile:12": what the notes start with
  bool builder = false;  // in a stage the final image copies from
  bool nodeStage = false; // in a stage that builds a Node part
  readers::ContextPaths paths; // what the stage holds of the context, with the RUN's mounts
  std::string dir;       // the project folder, to read Makefiles and scripts
};

/// Reads the RUN `run` at `place` into `facts`.
void readRun(const readers::DockerfileInstruction &run, const RunPlace &place,
             DockerfileFacts &facts);

/// The context path a path of the image holds (a file that exists in the
/// project at `dir`), or "".
std::string contextFileAt(const readers::ContextPaths &paths, llvm::StringRef dir,
                          llvm::StringRef imagePath);

} // namespace imageplan::init
