// How big a spec may be, beyond the size of its file (readers/InputFile.h):
// nesting, entries per mapping or list, bytes per string, values in all,
// steps and stages. Each is far above what a real spec needs and low enough
// that a hostile spec is refused in milliseconds with bounded memory, before
// yaml-cpp (which recurses on nesting) sees it. docs/security.md lists them.
#pragma once

#include <cstddef>

namespace imageplan::dsl {

struct SpecLimits {
  /// Mappings and lists inside each other; a spec uses at most 6.
  unsigned maxDepth = 32;
  /// Keys of one mapping, items of one list.
  size_t maxEntries = 10000;
  /// Bytes of one string as written in the spec (a `run` script, a file's
  /// content); a RUN argument may not exceed 128 KiB (Linux MAX_ARG_STRLEN).
  size_t maxStringBytes = 64 * 1024;
  /// Strings, lists and mappings in the spec, counted again for each alias
  /// that repeats one.
  size_t maxValues = 200000;
  /// Custom steps, at the top level and in stages together.
  size_t maxSteps = 10000;
  /// Custom stages and targets together (each becomes a Dockerfile stage).
  size_t maxStages = 100;
};

inline constexpr SpecLimits kDefaultSpecLimits{};

} // namespace imageplan::dsl
