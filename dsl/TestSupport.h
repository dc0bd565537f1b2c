// Test helper for the dsl unit tests: captured diagnostics (readers/TestSupport.h)
// that can also parse a spec, so a test can assert the exact text a user would see.
#pragma once

#include "dsl/Parser.h"
#include "readers/TestSupport.h"

#include <optional>
#include <utility>

namespace imageplan::dsl::testing {

class CapturedDiagnostics : public readers::testing::CapturedDiagnostics {
public:
  /// Parses `text` as a spec named "imageplan.yaml". On failure the error is
  /// consumed (its messages are in output()) and std::nullopt returned.
  std::optional<Spec> parse(llvm::StringRef text) {
    unsigned id = engine().addBuffer(text, "imageplan.yaml");
    llvm::Expected<Spec> spec = parseSpec(engine(), id, "imageplan.yaml");
    if (!spec) {
      llvm::consumeError(spec.takeError());
      return std::nullopt;
    }
    return std::move(*spec);
  }
};

} // namespace imageplan::dsl::testing
