// A pip project's declared dependencies (`python.project_dependencies`): the
// manifest in the build context that declares them, read with the readers of
// pyproject.toml ([project] dependencies and optional-dependencies) and
// setup.cfg ([options] install_requires and extras_require), and the
// requirements a pip install of them takes, extras included. Read after
// checkSpec, from the files on disk; the planner gets the result.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::dsl {

/// The files that make a folder of the build context a Python project, in
/// the order they are looked for.
inline constexpr const char *kProjectManifests[] = {"pyproject.toml", "setup.cfg", "setup.py"};

/// The context path of the first of kProjectManifests in the project folder
/// `projectDir` ("" or "." for the root), or "" when there is none.
std::string findProjectManifest(llvm::StringRef contextDir, llvm::StringRef projectDir);

struct ProjectRequirements {
  std::string manifest; // context path of the file they come from
  /// The project's dependencies, then those of each extra the spec names, in
  /// that order, each once: PEP 508 strings, exactly as written there.
  std::vector<std::string> requirements;
};

/// The declared dependencies when the spec asks for them (pip,
/// `project_dependencies: true`), else std::nullopt. A manifest that does not
/// declare them statically, an unknown extra or a requirement that pip would
/// read as an option is reported at its location. The file read is appended
/// to `filesRead`.
llvm::Expected<std::optional<ProjectRequirements>>
readProjectRequirements(readers::DiagnosticEngine &diags, const Spec &spec,
                        llvm::StringRef contextDir, std::vector<std::string> *filesRead);

} // namespace imageplan::dsl
