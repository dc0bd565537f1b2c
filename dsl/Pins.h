// The pins of a `python:` section: what `packages` fixes (and the versions of
// the packages compiled in the builder), read as requirements, and the
// constraints file they become. Every pip install of the venv and the
// builder's wheel build read that file, so no later install can move a
// pinned package (a requirements file asking for another torch fails to
// resolve instead of replacing the torch flash-attn was compiled against).
#pragma once

#include "dsl/Spec.h"
#include "readers/Requirements.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::dsl {

enum class PinSource { Packages, Optioned, Build };

struct Pin {
  const LString *entry = nullptr; // as written
  PinSource source = PinSource::Packages;
  readers::Requirement requirement;
};

/// The parsed entries of `packages` (strings, then those with options) and
/// `build`, in that order. An entry pip could not read is left out (the
/// value rules report what matters).
std::vector<Pin> pythonPins(const PythonSpec &python);

/// The constraints file's lines: one per pin that constrains anything,
/// `name==version` or `name @ url`, with its marker; extras are left out
/// (pip refuses them in constraints) and a bare name, which constrains
/// nothing, is too. In pin order, without duplicates.
std::vector<std::string> constraintLines(const PythonSpec &python);

struct PinnedVersion {
  std::string version; // "2.0.1" of torch==2.0.1+cu118
  std::string local;   // "cu118"; "" for none
  llvm::SMLoc loc;     // of the entry
};

/// The exact version `packages` pins `name` at (`==` or `===`, no wildcard),
/// or nothing when it pins none.
std::optional<PinnedVersion> pinnedVersion(const PythonSpec &python, llvm::StringRef name);

/// The name of the requirement `entry` holds ("flash-attn" of
/// "flash_attn==2.3.6"), in PEP 503 normal form; "" when it names none.
std::string requirementName(llvm::StringRef entry);
/// The exact version `entry` pins (`==`, `===`), local label dropped; "" for
/// none.
std::string exactVersion(llvm::StringRef entry);

} // namespace imageplan::dsl
