// Reads a pyproject.toml into what imageplan needs of it: the [project] table
// (PEP 621), [build-system], Poetry's [tool.poetry] and whether [tool.uv] is
// there. Keys whose order matters (extras, console scripts) keep file order and
// their locations; a malformed file, or a key of the wrong type, is an error at
// its location through the DiagnosticEngine.
//
// TOML library: toml++ 3.3 (Debian's libtomlplusplus-dev), not toml11 3.7. Both
// ship a CMake package, but toml++ records a source region on every key and
// value and has a no-exceptions mode whose parse() returns the error as a value
// with its position; toml11 3.x can only throw, and formats its errors as
// multi-line text. toml++ is used header-only (cmake/ImageplanDependencies.cmake):
// Debian's shared build exports only the throwing parse().
#pragma once

#include "readers/Diagnostics.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::readers {

/// A key of a TOML table, where it is written.
struct PyprojectKey {
  std::string name;
  llvm::SMLoc loc;
};

/// A PEP 508 requirement string of the manifest, where it is written.
struct DeclaredRequirement {
  std::string text;
  llvm::SMLoc loc;
};

/// An extra and the requirements it adds, as the manifest declares them.
struct DeclaredExtra {
  PyprojectKey key;
  std::vector<DeclaredRequirement> requirements;
};

struct Pyproject {
  // [project]
  bool hasProject = false;
  std::string name;
  std::string requiresPython;                     // "" when not given
  std::vector<std::string> dependencies;          // as written
  /// The same with their locations, and each extra's requirements in file
  /// order: what a pip install of the declared dependencies reads.
  std::vector<DeclaredRequirement> dependencyEntries;
  std::vector<DeclaredExtra> extraEntries;
  /// [project] dynamic: fields a build backend fills in (["dependencies"]).
  std::vector<PyprojectKey> dynamic;
  std::vector<PyprojectKey> optionalDependencies; // the extras, in file order
  std::vector<PyprojectKey> scripts;              // [project.scripts], in file order
  bool buildSystem = false;                       // [build-system]: the project is a package

  /// [tool.poetry]
  struct Poetry {
    std::string python;                // [tool.poetry.dependencies] python, or ""
    std::vector<PyprojectKey> extras;  // [tool.poetry.extras], in file order
    std::vector<PyprojectKey> scripts; // [tool.poetry.scripts], in file order
  };
  std::optional<Poetry> poetry;
  bool uv = false; // [tool.uv]

  /// The extras of both styles in file order, each once.
  std::vector<std::string> extras() const;
  /// The console scripts of both styles in file order, each once.
  std::vector<std::string> consoleScripts() const;
};

/// Reads the pyproject.toml held in buffer `bufferId` of the engine. A syntax
/// error or a key of the wrong type is reported at its location; the returned
/// error then only carries the count.
llvm::Expected<Pyproject> parsePyproject(DiagnosticEngine &diags, unsigned bufferId);

} // namespace imageplan::readers
