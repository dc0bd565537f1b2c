// The steps of scanProject that live in files of their own, for ProjectScan.cpp
// (internal to the init library).
#pragma once

#include "tools/init/ProjectScan.h"

#include "readers/DockerfileParser.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace imageplan::init {

inline bool oneOf(llvm::StringRef word, std::initializer_list<llvm::StringRef> words) {
  return llvm::is_contained(llvm::ArrayRef<llvm::StringRef>(words.begin(), words.end()), word);
}

/// A file or folder name that is safe as a plain word in shell text and
/// YAML: the starter spec writes `cd NAME` into a step.
inline bool isPlainName(llvm::StringRef name) {
  return !name.empty() && name.front() != '-' && llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '.' || c == '_' || c == '-';
  });
}

/// ProjectScan.cpp: the text of `dir`/`file`, or std::nullopt.
std::optional<std::string> readText(const llvm::Twine &file);

/// ProjectScan.cpp: folders that are never part of the image.
bool isSkippedDir(llvm::StringRef name);

/// DockerfileChoice.cpp: the Dockerfiles of the project at `dir`
/// (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile), at the top and in
/// its folders, context-relative and sorted; then the one init reads: the GPU
/// one when there are several, else the top one. Notes go to `facts.notes`.
void readDockerfiles(llvm::StringRef dir, const std::vector<std::string> &files,
                     const std::vector<std::string> &dirs, ProjectFacts &facts);

/// DockerfileFacts.cpp: what the final image of `file` (at context path
/// `path` of the project at `dir`) holds.
DockerfileFacts readDockerfile(const readers::Dockerfile &file, llvm::StringRef path,
                               llvm::StringRef dir);

/// DockerfileFacts.cpp: the stage the Dockerfile ships: its last one, unless
/// that is for tests or development (`FROM runtime AS test`, built with
/// --target), then the last other one.
int shippedStage(const readers::Dockerfile &file);

/// DockerfileChoice.cpp: whether `image` is a GPU base (CUDA, ROCm, a
/// pytorch/pytorch CUDA tag, an NGC image).
bool isGpuImage(llvm::StringRef image);

/// BaseChoice.cpp: the spec's base from the Dockerfile's base image, and the
/// Python version it implies.
void chooseBase(ProjectFacts &facts);

/// BaseChoice.cpp: "3.11" from "3.11.7", ">=3.10", "python3.12"; "" when there
/// is none.
std::string majorMinor(llvm::StringRef text);

/// PythonChoice.cpp: requirement files, extras (a torch variant picked by the
/// base), packages and index URLs, from the Dockerfile when it says, else from
/// the project's files.
void choosePython(llvm::StringRef dir, const std::vector<std::string> &files,
                  ProjectFacts &facts);

/// PythonChoice.cpp: the CUDA tag of a torch wheel index for CUDA `version`
/// ("12.1.1" -> "cu121"), "" for none.
std::string torchCudaTag(llvm::StringRef version);

/// AppFiles.cpp: what the image copies and runs, every file its command needs,
/// and the health route the app serves.
void chooseAppFiles(llvm::StringRef dir, const std::vector<std::string> &files,
                    const std::vector<std::string> &dirs, ProjectFacts &facts);

} // namespace imageplan::init
