// Reads the parts of a setuptools setup.cfg that say what a project depends
// on: [metadata] name, [options] install_requires and [options.extras_require],
// as setuptools parses them (configparser's continuation lines; a value on
// several lines is one requirement a line, a one-line value is split at ';').
// A `file:` value or a malformed line is an error at its location.
#pragma once

#include "readers/Diagnostics.h"
#include "readers/Pyproject.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace imageplan::readers {

struct SetupCfg {
  std::string name;                                 // [metadata] name, or ""
  bool hasOptions = false;                          // an [options] section
  std::vector<DeclaredRequirement> installRequires; // in file order
  std::vector<DeclaredExtra> extras;                // [options.extras_require], in file order
};

/// Reads the setup.cfg held in buffer `bufferId` of the engine.
llvm::Expected<SetupCfg> parseSetupCfg(DiagnosticEngine &diags, unsigned bufferId);

} // namespace imageplan::readers
