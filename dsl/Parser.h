// Parses spec text (YAML, schema version 1) into the typed AST, reporting every
// problem it finds through the DiagnosticEngine rather than stopping at the first.
#pragma once

#include "dsl/ProjectDependencies.h" // readProjectRequirements: what a project declares
#include "dsl/Limits.h"
#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/Error.h"

#include <string>

namespace imageplan::dsl {

/// Parses the buffer `bufferId` of the engine's SourceMgr. `displayPath` is the
/// spec's name as the user gave it; it lands in Spec::path. On any error the
/// diagnostics are already printed and the returned error only carries the count.
/// `limits` bound the spec's size (Limits.h); benchmarks raise them.
llvm::Expected<Spec> parseSpec(readers::DiagnosticEngine &diags, unsigned bufferId,
                               llvm::StringRef displayPath,
                               const SpecLimits &limits = kDefaultSpecLimits);

/// Semantic checks that need the whole spec: duplicate names, `after:` targets
/// that do not exist, stage names, paths that must be relative to the context.
/// `contextDir`, when not empty, is the build context on disk: requirement
/// files must exist there, and each one read is appended to `filesRead`.
llvm::Error checkSpec(readers::DiagnosticEngine &diags, const Spec &spec,
                      llvm::StringRef contextDir, std::vector<std::string> *filesRead);

/// What the spec needs of the engine, checked against what the chosen dialect
/// `dialect` (its name) offers: a baked model's `token_secret` needs build
/// secrets (`hasSecrets`), or the token would be stored in the image.
llvm::Error checkBuildSecrets(readers::DiagnosticEngine &diags, const Spec &spec,
                              llvm::StringRef dialect, bool hasSecrets);

/// Why `repository` is no registry repository as publish.image and cache.ref
/// take one (lowercase path components, an optional host[:port], no tag or
/// digest), for a value given outside the spec (`--cache-ref`); empty when it
/// is one.
std::string repositoryProblem(llvm::StringRef repository);

} // namespace imageplan::dsl
