// Test fixture for the readers that parse one buffer of the DiagnosticEngine,
// `llvm::Expected<T> parse(DiagnosticEngine &, unsigned bufferId)`: parses a
// text, or returns the exact diagnostics of a text that must fail.
#pragma once

#include "readers/TestSupport.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace imageplan::readers::testing {

template <typename T, llvm::Expected<T> (*Parse)(DiagnosticEngine &, unsigned)>
class ReaderTest : public ::testing::Test {
protected:
  /// Buffers are named `bufferName` in messages.
  explicit ReaderTest(std::string bufferName) : bufferName(std::move(bufferName)) {}

  std::optional<T> parse(llvm::StringRef text) {
    unsigned id = diags.engine().addBuffer(text, bufferName);
    llvm::Expected<T> parsed = Parse(diags.engine(), id);
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      return std::nullopt;
    }
    return std::move(*parsed);
  }

  /// The diagnostics of parsing `text`, which must fail.
  std::string errorsOf(llvm::StringRef text) {
    size_t before = diags.output().size();
    EXPECT_FALSE(parse(text)) << "parsed: " << text.str();
    return diags.output().substr(before);
  }

  CapturedDiagnostics diags;

private:
  std::string bufferName;
};

} // namespace imageplan::readers::testing
