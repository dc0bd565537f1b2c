// A linear pass over spec text before yaml-cpp sees it. yaml-cpp recurses
// once per level of nesting and builds a node per value, so a hostile spec
// could exhaust the stack or memory before any schema check runs; this pass
// measures the text with an explicit stack instead and refuses, at the
// offending byte, what no spec needs: bytes that are not UTF-8 text, nesting,
// mappings, lists, strings and values over the limits (Limits.h), YAML tags,
// and a quoted string or flow collection that is never closed (reported at
// its opening quote or bracket, where yaml-cpp would point past the text it
// swallowed).
//
// It follows YAML's lexical structure (indentation, "- " and ": "
// indicators, flow brackets, quoted and block scalars, comments) closely
// enough to never count less nesting than yaml-cpp will find; it does not
// check the grammar, which yaml-cpp does next.
#pragma once

#include "dsl/Limits.h"

#include "llvm/ADT/StringRef.h"

#include <functional>
#include <string>

namespace imageplan::dsl {

/// Called with the byte offset and message of each problem found.
using PrescanReport = std::function<void(size_t offset, const std::string &message)>;

/// Scans `text` (a whole spec, byte order mark included). Returns true when
/// yaml-cpp may load it; otherwise every problem was reported (the first
/// that stops the scan, and every tag before it).
bool prescanYaml(llvm::StringRef text, const SpecLimits &limits, const PrescanReport &report);

} // namespace imageplan::dsl
