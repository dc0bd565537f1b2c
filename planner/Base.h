// What the planner knows about base images: which image each stage starts
// from, and how a stage gets a Python interpreter on it.
#pragma once

#include "dsl/Spec.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

/// How the interpreter reaches a stage.
enum class PythonSource {
  Apt,   // the distribution's python3 package (Debian, Ubuntu, CUDA images)
  Image, // the base image ships it (python:3.x images)
};

struct BaseImages {
  std::string runtime; // final stage and model stages, with the digest pin if any
  std::string devel;   // builder stage: the CUDA devel flavor, or the same image
  PythonSource python = PythonSource::Apt;
  /// The Python version the base provides ("3.10"), or "" when unknown.
  std::string shippedPython;
  /// A human name for the distribution, for messages ("ubuntu22.04").
  std::string distro;
  /// Set when the image uses a package manager schema 1 cannot drive (apk, dnf).
  std::string unsupportedPackageManager;
};

/// Resolves the spec's `base:` (or `override`, when not empty) to image references.
BaseImages resolveBase(const dsl::BaseSpec &base, llvm::StringRef override);

/// The apt packages that give a stage Python (empty for PythonSource::Image).
std::vector<std::string> interpreterPackages(const BaseImages &base, bool withHeaders);

} // namespace imageplan::planner
