// Where the files of a stage's image come from in the build context, as the
// stage's instructions run: the WORKDIR, what COPY and ADD from the context
// put where, and a RUN's bind mounts. `imageplan score` reads the Makefile a
// `RUN make install` runs through it, `imageplan init` the files a Dockerfile's
// command needs.
#pragma once

#include "readers/DockerfileParser.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::readers {

/// A context file or folder in the image: what a COPY or a bind mount put at
/// `imagePath` (absolute).
struct ContextCopy {
  std::string imagePath;
  std::string contextPath;    // clean and relative; "." for the context's root
  bool intoDirectory = false; // `COPY file dir/`: the file lands at imagePath/<its name>
};

class ContextPaths {
public:
  std::string workdir = "/"; // the stage's WORKDIR so far
  std::vector<ContextCopy> copies; // in order; a later one wins

  /// `path` (absolute, or relative to the workdir) made absolute and clean.
  std::string absolute(llvm::StringRef path) const;
  /// The context paths whose file may be at image path `path` (absolute, or
  /// relative to the workdir), the most likely first: a later copy wins, and
  /// a copy whose source is a file or a folder gives one each.
  std::vector<std::string> candidates(llvm::StringRef path) const;
  /// Records what `inst` does: a WORKDIR, a COPY or ADD from the context.
  void apply(const DockerfileInstruction &inst);
  /// These paths with the bind mounts of `run` (a RUN) added: what it sees
  /// while it runs.
  ContextPaths withMounts(const DockerfileInstruction &run) const;
};

/// `path` made a clean relative path: "./app/" -> "app", "" -> ".".
std::string cleanContextPath(llvm::StringRef path);

} // namespace imageplan::readers
