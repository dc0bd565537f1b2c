// Character tests and checks the value rules share (ValueRules.cpp,
// SourceRules.cpp, Durations.cpp).
// Internal to dsl/.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::dsl::detail {

bool isLowerAlnum(char c);
/// True when every character is alphanumeric (lowercase only if `lowerOnly`)
/// or one of `punctuation`.
bool consistsOf(llvm::StringRef s, llvm::StringRef punctuation, bool lowerOnly = false);
bool isDigits(llvm::StringRef s);
bool hasWhitespace(llvm::StringRef s);
bool hasQuote(llvm::StringRef s);
bool isHttpUrl(llvm::StringRef s);
/// The rule of an http(s) URL pasted into a command: no whitespace or quotes.
std::string checkHttpUrl(llvm::StringRef v);
/// The rule of a health check duration (Durations.cpp).
std::string checkDuration(llvm::StringRef v);

} // namespace imageplan::dsl::detail
