// What the planner knows about base images: which image each stage starts
// from, and how a stage gets a Python interpreter on it.
#pragma once

#include "dsl/Spec.h"
#include "planner/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

/// How the interpreter reaches a stage.
enum class PythonSource {
  System, // the distribution's python3 package (Debian, Ubuntu, Alpine, UBI, CUDA images)
  Image, // the base image ships it (python:3.x images)
};

struct BaseImages {
  std::string runtime; // final stage and model stages, with the digest pin if any
  std::string devel;   // builder stage: the CUDA devel flavor, or the same image
  PythonSource python = PythonSource::System;
  /// The Python version the base provides ("3.10"), or "" when unknown.
  std::string shippedPython;
  /// A human name for the distribution, for messages ("ubuntu22.04").
  std::string distro;
  /// Its release's codename (jammy, bookworm), or "" when unknown: the
  /// default suite of an extra apt repository.
  std::string codename;
  /// How system packages are installed: inferred from the runtime image
  /// (SystemManager.h), or the spec's `system.manager`.
  plan::PackageManager manager = plan::PackageManager::Apt;
  bool wolfi = false; // Wolfi's package names (SystemManager.h)
};

/// The distribution and release `image` runs ("debian12", "ubuntu22.04",
/// "alpine3.20", "ubi9", "wolfi"), from its codename or version; for an image
/// whose release is not known (python:3.11-slim, node:20), the reference
/// without its digest in [a-z0-9.-] ("python-3.11-slim"), which never names
/// another distribution's release. What plan::Stage::distro holds.
std::string distroRelease(llvm::StringRef image);

/// Resolves the spec's `base:` (or `override`, when not empty) to image references.
BaseImages resolveBase(const dsl::BaseSpec &base, llvm::StringRef override);

/// NVIDIA's tag for a CUDA image: `<version>-[cudnn[N]-]<flavor>-<os>`, e.g.
/// 12.4.1-cudnn-runtime-ubuntu22.04 or 11.8.0-cudnn8-devel-ubuntu22.04.
/// `flavor` is one of base, runtime, devel, cudnn-runtime, cudnn-devel;
/// `cudnn` the spec's cuDNN major version ("" when not given). A cuDNN major
/// of 8 or below is written in the tag (the CUDA 11 and early 12 scheme);
/// otherwise the tag says only `cudnn` (NVIDIA's scheme from CUDA 12.3 on).
std::string cudaTag(llvm::StringRef version, llvm::StringRef cudnn, llvm::StringRef flavor,
                    llvm::StringRef os);

/// The builder's CUDA flavor when the spec gives none: cudnn-devel when the
/// runtime uses cuDNN, else devel.
std::string defaultBuilderFlavor(const dsl::BaseSpec &base);

/// The packages that give a stage Python (empty for PythonSource::Image).
std::vector<std::string> interpreterPackages(const BaseImages &base, llvm::StringRef version,
                                             bool withHeaders);

} // namespace imageplan::planner
