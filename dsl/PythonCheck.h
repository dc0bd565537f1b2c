// The checks of a `python:` section that relate its keys to each other and to
// the project files on disk (manager, project, lock, extras, constraints).
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::dsl {

/// Reports keys that do not fit the manager. With `contextDir` set, also
/// pyproject.toml, lock and constraint files that are missing, and extras the
/// pyproject.toml does not define (a malformed pyproject.toml is reported at its
/// location); each file read is added to `filesRead`.
void checkPythonSection(readers::DiagnosticEngine &diags, const Spec &spec,
                        llvm::StringRef contextDir, std::vector<std::string> *filesRead);

/// For a context file that is missing: "; did you mean 'requirements.txt'?"
/// when a file in the folder that should hold it has a close name, else "".
std::string similarFileHint(llvm::StringRef contextDir, llvm::StringRef file);

} // namespace imageplan::dsl
