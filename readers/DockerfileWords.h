// The lexical layer under the Dockerfile parser: instruction arguments split
// into words the way BuildKit's shell lexer splits them (quotes, the escape
// character, $VAR and ${VAR...} expansion), and CSV fields of --mount values.
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imageplan::readers {

struct DockerfileWord {
  std::string value;        // quotes removed, escapes and variables resolved
  size_t begin = 0, end = 0; // the raw word's offsets in the split text
};

/// Why a split failed, and where (an offset in the split text).
struct WordError {
  size_t offset = 0;
  std::string message;
};

/// The value of a variable, or nothing when it is not set.
using VariableLookup = llvm::function_ref<std::optional<std::string>(llvm::StringRef)>;

/// Splits `text` at unquoted blanks. 'single' quotes keep everything,
/// "double" quotes let `escape` escape `"`, `$` and itself, and outside quotes
/// `escape` makes the next character literal. With a `lookup` (not nullptr), `$NAME`,
/// `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}` and
/// `${NAME+word}` are expanded outside single quotes (an unset variable is
/// empty, as in BuildKit). Stops after `maxWords` words. std::nullopt and
/// `error` on an unterminated quote or `${`.
std::optional<std::vector<DockerfileWord>> splitWords(llvm::StringRef text, char escape,
                                                      VariableLookup lookup, WordError &error,
                                                      size_t maxWords = SIZE_MAX);

/// The comma-separated fields of `text`; a field in double quotes may hold
/// commas, and "" in it stands for one quote.
std::vector<std::string> splitCsv(llvm::StringRef text);

} // namespace imageplan::readers
