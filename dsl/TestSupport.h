// Test helper for the dsl unit tests: a DiagnosticEngine that prints into a
// string, so a test can assert the exact text a user would see.
#pragma once

#include "dsl/Diagnostics.h"
#include "dsl/Parser.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <utility>

namespace imageplan::dsl::testing {

class CapturedDiagnostics {
public:
  DiagnosticEngine &engine() { return diags; }
  /// Everything printed so far.
  const std::string &output() { return os.str(); }

  /// Parses `text` as a spec named "imageplan.yaml". On failure the error is
  /// consumed (its messages are in output()) and std::nullopt returned.
  std::optional<Spec> parse(llvm::StringRef text) {
    unsigned id = diags.addBuffer(text, "imageplan.yaml");
    llvm::Expected<Spec> spec = parseSpec(diags, id, "imageplan.yaml");
    if (!spec) {
      llvm::consumeError(spec.takeError());
      return std::nullopt;
    }
    return std::move(*spec);
  }

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

} // namespace imageplan::dsl::testing
