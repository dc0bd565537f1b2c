// The checks of a `python:` section that relate its keys to each other and to
// the project files on disk (manager, project, lock, extras, constraints).
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::dsl {

/// Reports keys that do not fit the manager. With `contextDir` set, also
/// pyproject.toml, lock and constraint files that are missing, and extras the
/// pyproject.toml does not define; each file read is added to `filesRead`.
void checkPythonSection(readers::DiagnosticEngine &diags, const Spec &spec,
                        llvm::StringRef contextDir, std::vector<std::string> *filesRead);

/// The keys of the TOML tables `tables` in file order, skipping the lines of
/// multi-line values: enough of TOML for pyproject.toml's flat tables.
std::vector<std::string> pyprojectTableKeys(llvm::StringRef toml,
                                            llvm::ArrayRef<llvm::StringRef> tables);

/// The extras a pyproject.toml defines: the keys of
/// [project.optional-dependencies] and of [tool.poetry.extras], in file order.
std::vector<std::string> pyprojectExtras(llvm::StringRef toml);

} // namespace imageplan::dsl
