// Default estimates the planner uses where the spec (or, later, history) says
// nothing: seconds to rebuild a step, and the probability that a step's inputs
// change in a given commit. They only need to be right relative to each other:
// they decide order and merging, and are reported by `explain`.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::planner::costs {

// Change probabilities per commit, by kind.
inline constexpr double kInterpreterRate = 0.005;
inline constexpr double kSystemPackagesRate = 0.01;
inline constexpr double kUserRate = 0.001;
inline constexpr double kPinnedPackagesRate = 0.02;
inline constexpr double kBuildRequiresRate = 0.01;
inline constexpr double kWheelBuildRate = 0.01;
inline constexpr double kRequirementsRate = 0.1;
inline constexpr double kModelRate = 0.01;
inline constexpr double kEnvRate = 0.05;
inline constexpr double kWorkdirRate = 0.001;
inline constexpr double kDirsRate = 0.01;
inline constexpr double kAppCodeRate = 0.9;
inline constexpr double kCustomStepRate = 0.1;
inline constexpr double kInlineFileRate = 0.01;
inline constexpr double kManagerRate = 0.005;     // a pinned uv or poetry
inline constexpr double kLockedDependenciesRate = 0.1; // pyproject.toml + lock file

// Seconds.
inline constexpr double kAptBase = 10, kAptPerPackage = 2;
inline constexpr double kInterpreter = 20;
inline constexpr double kUser = 1;
inline constexpr double kPipBase = 5;
inline constexpr double kRequirementsFile = 60;
inline constexpr double kWheelBuildPerPackage = 600;
inline constexpr double kWheelInstall = 15;
inline constexpr double kModelDownload = 600;
inline constexpr double kModelCopy = 30;
inline constexpr double kArtifactCopy = 5;
inline constexpr double kAppCopy = 2;
inline constexpr double kDirs = 1;
inline constexpr double kCustomStep = 10;
inline constexpr double kInlineFile = 1;
inline constexpr double kUvBinary = 3;           // COPY of one static binary
inline constexpr double kPoetryInstall = 25;
inline constexpr double kLockedDependencies = 90; // resolve-free install of a lock
inline constexpr double kVenvCopy = 20;          // the builder's venv, or its pins
inline constexpr double kVenvRestCopy = 5;       // what a split venv installed after the pins
inline constexpr double kVenvSplit = 5;          // gathering that in builder-venv
inline constexpr double kPinsFile = 0.5;         // the pins' constraints file
inline constexpr double kManagedPython = 25;      // download of a standalone CPython
inline constexpr double kProjectInstall = 5;      // the app alone, --no-deps
inline constexpr double kCondaEnvironment = 180;  // solving and linking an environment.yml
inline constexpr double kAptRepository = 5;       // a key download and a sources file
inline constexpr double kAptRepositoryGpg = 15;   // the same, with gpg installed to pick the key
inline constexpr double kAssetDownload = 60;
inline constexpr double kAssetCheckout = 120;     // a shallow clone, LFS objects included
inline constexpr double kAssetCopy = 10;

/// A step that costs this much or more (torch, a wheel build, a model) never
/// shares a RUN with another step: that one's changes would rebuild it.
/// It is also what makes a builder venv's pins worth a layer of their own.
inline constexpr double kCostsMinutes = 60;

/// The expected extra rebuild work, in seconds per commit, below which two
/// adjacent RUN steps of the same change class share a layer. It stands for
/// what a layer costs by existing (snapshot, export, push, pull).
inline constexpr double kLayerOverhead = 1.0;

/// Estimated seconds to download and install one pinned Python package: a
/// short table of well-known heavy packages, else a small default.
double pipPackageCost(llvm::StringRef requirement);
/// One pip install of `requirements`: a base cost plus each package's.
double pipInstallCost(const std::vector<std::string> &requirements);
/// Seconds to compile one wheel from source.
double wheelBuildCost(llvm::StringRef requirement);

} // namespace imageplan::planner::costs
