// What each engine dialect lets a generated Dockerfile use (see
// docs/dialects.md). The backends ask these questions instead of testing the
// dialect by name, so a dialect is one table row, not a scattering of ifs.
#pragma once

#include <optional>
#include <string_view>

namespace imageplan::backends {

/// What the output may use, by engine (see docs/dialects.md).
enum class Dialect {
  BuildKit, // current BuildKit: `# syntax` line, COPY --link, cache/bind/secret mounts
  Docker20, // Docker 20.10's built-in frontend: mounts, no `# syntax`, no --link
  Buildah,  // buildah/podman 1.2x: no --link, COPY instead of context bind mounts
  Legacy,   // no BuildKit: no mounts; --no-cache-dir and in-layer cleanup
};
inline constexpr Dialect kDialects[] = {Dialect::BuildKit, Dialect::Docker20, Dialect::Buildah,
                                        Dialect::Legacy};
const char *toString(Dialect dialect);
/// The dialect called `name`, or nothing.
std::optional<Dialect> parseDialect(std::string_view name);

struct DialectRules {
  /// `# syntax=docker/dockerfile:1`: makes BuildKit pull the current frontend.
  /// Docker 20.10's built-in frontend would try to pull it and fail offline.
  bool syntaxDirective = false;
  /// `COPY --link`.
  bool copyLink = false;
  /// `RUN --mount=type=cache`; without them caches are not kept, so commands
  /// clean up in the same layer instead (--no-cache-dir, rm of apt lists).
  bool cacheMounts = false;
  /// `RUN --mount=type=bind` of build-context files and of other stages'
  /// folders. Without them the files are COPYed in before the RUN.
  bool bindMounts = false;
  /// `RUN --mount=type=secret`.
  bool secretMounts = false;
  /// buildah 1.2x deadlocks when a RUN holds a `sharing=locked` cache mount
  /// together with any other cache mount: such a mount gets a RUN of its own.
  bool lockedCacheMountAlone = false;
  /// apt's package lists in a cache mount. buildah gets one locked mount per
  /// RUN, spent on the .debs, so its lists are downloaded and removed in-layer.
  bool aptListsCache = false;
  /// Heredocs (`COPY <<EOF`), which need the dockerfile:1.4 syntax.
  bool heredocs = false;
};

DialectRules rulesFor(Dialect dialect);

} // namespace imageplan::backends
