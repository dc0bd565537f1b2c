// How `python.build` compiles its packages, and the checks that it can: a
// package compiled against torch (flash-attn, xformers; CompatTable.h) is
// built with --no-build-isolation against the pinned torch, which needs its
// build requirements in `build_requires`; anything else is built in pip's
// isolated build environment unless `build_requires` provides one. The build
// knobs `build_jobs` (MAX_JOBS) and `cuda_archs` (TORCH_CUDA_ARCH_LIST) get
// defaults that fit the CUDA release.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include <string>
#include <utility>
#include <vector>

namespace imageplan::dsl {

/// Packages of `build` that one `pip wheel` call compiles, with what it
/// runs with.
struct WheelBuildGroup {
  std::vector<std::string> packages;
  /// pip's build isolation: the build requirements come from the index
  /// instead of the venv (no --no-build-isolation).
  bool isolated = false;
  /// Variables the build reads: MAX_JOBS, TORCH_CUDA_ARCH_LIST, ...
  std::vector<std::pair<std::string, std::string>> env;
};

/// The `pip wheel` calls of `python.build`, packages in spec order: those
/// built without isolation first, then the isolated ones. Empty without
/// `build`.
std::vector<WheelBuildGroup> wheelBuilds(const Spec &spec);

/// MAX_JOBS when the spec gives no `build_jobs`: what nvcc's memory use on a
/// builder of a few dozen GB allows (flash-attn's README suggests limiting it).
inline constexpr long long kDefaultBuildJobs = 4;

/// Reports builds that cannot work as written: a package compiled against
/// torch without a CUDA base, a torch pin or its build requirements; one that
/// compiles when pip installs it listed outside `build`; GPU architectures
/// the CUDA release cannot compile for; knobs nothing reads.
void checkBuilds(readers::DiagnosticEngine &diags, const Spec &spec);

} // namespace imageplan::dsl
