// The imageplan subcommands, one function each. imageplan.cpp parses the
// command line into these option structs; everything else happens here.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::driver {

struct GenOptions {
  std::string specPath;
  std::vector<std::string> emit; // backend names; empty means {"dockerfile"}
  std::string outputFile;        // -o; "-" is stdout
  std::string outputDir;         // --output-dir
  std::string contextDir;        // --context; empty: the spec's folder
  bool writeIfChanged = false;
  std::string depfile;
  std::string checkFile; // --check: compare instead of writing
  std::string baseImage; // --base-image
  std::string dialect;   // --dialect; empty: the spec's, else buildkit
  std::optional<unsigned> history; // --history[=N]: commits to replay
};

struct CheckOptions {
  std::string specPath;
  std::string contextDir;
  std::string dialect;
  std::optional<unsigned> history;
};

/// `imageplan gen`: generated text goes to `out` (stdout) or files,
/// diagnostics and messages to `err`. Returns the process exit code.
int runGen(const GenOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

/// `imageplan check`: parse, check and plan; print only diagnostics.
int runCheck(const CheckOptions &options, llvm::raw_ostream &err);

} // namespace imageplan::driver
