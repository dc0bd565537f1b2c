// Fixed paths, stage names and small value helpers that the graph's node
// builders share (planner-internal: nothing outside planner/ includes it).
#pragma once

#include "dsl/Spec.h"
#include "planner/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::planner {

inline constexpr const char *kVenv = "/opt/venv";
inline constexpr const char *kPoetryHome = "/opt/poetry";
inline constexpr const char *kManagedPythonDir = "/opt/python";
inline constexpr const char *kManagedPythonFirst = "3.8";
inline constexpr const char *kManagedPythonLast = "3.13";
inline constexpr const char *kUvImage = "ghcr.io/astral-sh/uv:";
inline constexpr const char *kWheelDir = "/wheels";
inline constexpr const char *kBuilderWorkdir = "/build";
inline constexpr const char *kBuilderStage = "builder";
inline constexpr const char *kRuntimeStage = "runtime";
// The stage holding the constraints file of the pins, and the file.
inline constexpr const char *kPinsStage = "python-pins";
inline constexpr const char *kPinsFile = "/imageplan/constraints.txt";
// The part of a builder venv installed after its pins, and where the
// runtime copies it from.
inline constexpr const char *kBuilderVenvStage = "builder-venv";
inline constexpr const char *kVenvRecordDir = "/opt/imageplan/venv-pins";
inline constexpr const char *kVenvRestDir = "/opt/imageplan/venv-rest";
// Build tools kept out of a builder venv that the runtime copies.
inline constexpr const char *kBuildToolsDir = "/opt/imageplan/build-tools";
// Poetry for a venv built in the runtime, bind-mounted from its own stage.
inline constexpr const char *kPoetryStage = "poetry";

/// The values of a located list, locations dropped.
std::vector<std::string> values(const std::vector<dsl::LString> &list);

/// The values of located key/value pairs, in their order.
plan::Pairs values(const dsl::LPairs &pairs);

/// Sorted and without duplicates: apt does not care about order, reviewers do.
std::vector<std::string> sortedUnique(std::vector<std::string> list);

/// "deepseek-ai/DeepSeek-OCR" -> "deepseek-ocr", for stage names.
std::string modelSlug(llvm::StringRef id);

/// Where the runtime runs the app and copies its code: `app.workdir`, else /app.
std::string appWorkdir(const dsl::AppSpec &app);

/// The path a context path lands at under the workdir: "app/" -> "/app/app/".
std::string destinationUnder(llvm::StringRef workdir, llvm::StringRef path);

/// Where an `app.copy` entry lands: its `to` (absolute, or under the
/// workdir), else its own path under the workdir.
std::string copyDestination(llvm::StringRef workdir, const dsl::CopySpec &copy);

/// The context paths `app.copy` reads, in spec order.
std::vector<std::string> copySources(const dsl::AppSpec &app);

} // namespace imageplan::planner
