// The steps of scanProject that live in files of their own, for ProjectScan.cpp
// (internal to the init library).
#pragma once

#include "tools/init/ProjectScan.h"

#include "readers/DockerfileParser.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <initializer_list>
#include <string>

namespace imageplan::init {

inline bool oneOf(llvm::StringRef word, std::initializer_list<llvm::StringRef> words) {
  return llvm::is_contained(llvm::ArrayRef<llvm::StringRef>(words.begin(), words.end()), word);
}

/// DockerfileFacts.cpp: the final stage's base image (through the stages it
/// derives from), ports, exec-form CMD and ENTRYPOINT, and the packages its
/// RUNs install with apk, dnf, microdnf or yum.
void readDockerfile(const readers::Dockerfile &file, ProjectFacts &facts);

/// BaseChoice.cpp: the spec's base from the Dockerfile's base image, and the
/// Python version it implies.
void chooseBase(ProjectFacts &facts);

/// BaseChoice.cpp: "3.11" from "3.11.7", ">=3.10", "python3.12"; "" when there
/// is none.
std::string majorMinor(llvm::StringRef text);

} // namespace imageplan::init
