// `imageplan gen` and `imageplan check`: compile a spec, then write what the
// chosen backends render from its plan (or, for check, only the diagnostics).
#pragma once

#include "tools/Compile.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::driver {

struct GenOptions {
  CompileOptions compile;
  std::vector<std::string> emit; // backend names; empty means {"dockerfile"}
  std::string outputFile;        // -o; "-" is stdout
  std::string outputDir;         // --output-dir
  bool writeIfChanged = false;
  std::string depfile;
  std::string checkFile; // --check: compare instead of writing
  bool listBackends = false; // --list-backends: print the backends and their files
};

/// `imageplan gen`: generated text goes to `out` (stdout) or files,
/// diagnostics and messages to `err`. Returns the process exit code.
int runGen(const GenOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

/// `imageplan check`: parse, check and plan; print only diagnostics.
int runCheck(const CompileOptions &options, llvm::raw_ostream &err);

} // namespace imageplan::driver
