// Test helper for unit tests of any library that reports through the
// DiagnosticEngine: an engine that prints into a string, so a test can assert
// the exact text a user would see.
#pragma once

#include "readers/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace imageplan::readers::testing {

class CapturedDiagnostics {
public:
  DiagnosticEngine &engine() { return diags; }
  /// Everything printed so far.
  const std::string &output() { return os.str(); }

  /// "line:col" of a location, to check where a node says it came from.
  std::string lineCol(llvm::SMLoc loc) {
    if (!loc.isValid())
      return "invalid";
    auto [line, col] = diags.sourceMgr().getLineAndColumn(loc);
    return std::to_string(line) + ":" + std::to_string(col);
  }

private:
  std::string text;
  llvm::raw_string_ostream os{text};
  DiagnosticEngine diags{os};
};

} // namespace imageplan::readers::testing
