// Reads a pip requirements file, in pip's requirements file format, into its
// requirements and options, each with the line it starts on: continuation
// lines, comments, `name[extras] specifier; marker`, `name @ url`, bare URLs
// (git+https://...#egg=name), archives and local paths, -e, the -r and -c
// includes, the index options (-i, --extra-index-url, -f, --no-index) and the
// per-requirement --hash. Errors go through the DiagnosticEngine.
#pragma once

#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::readers {

/// One requirement: a package from an index, or from a URL or a path.
struct Requirement {
  unsigned line = 0; // 1-based; the first line of a continued one
  llvm::SMLoc loc;
  std::string name;                // PEP 503 normal form; "" when a URL or path names none
  std::vector<std::string> extras; // normal form, in the order written
  std::string specifier;           // ">=1.0,<2" without blanks; "" for any version
  std::string marker;              // the environment marker after ';', as written
  std::string url;                 // of `name @ url`, a bare URL or archive, or a local path
  bool editable = false;           // -e
  std::vector<std::string> hashes; // --hash values, "sha256:..."
  /// Its other options (--config-settings, --global-option), in order.
  std::vector<std::pair<std::string, std::string>> options;
};

/// A line's option: -r and -c (another file pip reads), an index option, or
/// another of pip's global options (--pre, --only-binary, ...).
struct RequirementsOption {
  unsigned line = 0;
  llvm::SMLoc loc;
  std::string name;  // its long name: "requirement", "constraint", "index-url", ...
  std::string value; // "" for a flag
};

struct RequirementsFile {
  std::vector<Requirement> requirements;   // in file order
  std::vector<RequirementsOption> options; // in file order
  /// The values of option `name` (a long name) in file order.
  std::vector<std::string> optionValues(llvm::StringRef name) const;
  /// Whether a requirement names the package `name` (in any spelling).
  bool hasPackage(llvm::StringRef name) const;
};

/// A project name in PEP 503's normal form: lower case, each run of '-', '_'
/// and '.' as one '-'.
std::string normalizedPackageName(llvm::StringRef name);

/// Reads the requirements file held in buffer `bufferId` of the engine. An
/// unknown option, an option without its value, or a requirement pip would
/// reject is reported at its line; the returned error then only carries the
/// count.
llvm::Expected<RequirementsFile> parseRequirements(DiagnosticEngine &diags, unsigned bufferId);

/// One requirement written on its own, as a spec's `python.packages` entry
/// is (`torch==2.0.1`, `name[extra] @ https://...`): read as a requirements
/// file line would be, or nothing when pip would reject it or it is an option.
std::optional<Requirement> parseRequirementText(llvm::StringRef text);

} // namespace imageplan::readers
