// What `imageplan init` learns from a project folder: an existing Dockerfile's
// base image, ports and command, requirement files, lock files, the Python
// version, and which files and packages make up the app.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::init {

struct ProjectFacts {
  std::string name; // a valid spec name from the folder's name
  // From a Dockerfile, when there is one.
  std::string dockerfileBase; // the final stage's base image, as written
  std::vector<int> ports;
  std::vector<std::string> cmd, entrypoint; // exec form only
  // The base the spec should use: either cuda* or image.
  std::string cuda, cudnn, os, image;
  std::string cudaFlavor;    // the final stage's CUDA flavor when not runtime
  std::string systemManager; // apk, dnf or microdnf when the base is not apt-based
  /// What the final stage's RUNs install with apk, dnf, microdnf or yum,
  /// without Python itself (the spec installs that), in first-seen order.
  std::vector<std::string> dockerfilePackages;
  std::string pythonVersion; // "3.11", or "" when unknown
  std::string pythonVersionSource;
  std::vector<std::string> requirements;      // installed: requirements.txt
  std::vector<std::string> otherRequirements; // found but left out: requirements-dev.txt
  std::vector<std::string> copy;              // app files and packages, sorted
  std::string mainModule;                     // main.py, app.py, or a package with __main__
  bool fastapi = false;                       // uvicorn in requirements and FastAPI( in code
  std::string asgiApp; // uvicorn's MODULE:VARIABLE for the FastAPI app, e.g. app.main:app
  bool pyproject = false, uvLock = false, poetryLock = false, setupPy = false;
  // From pyproject.toml.
  std::string manager;                     // "uv", "poetry", or "" for pip
  bool buildSystem = false;                // [build-system]: the app is a package
  std::vector<std::string> extras;         // optional dependency groups, in file order
  std::vector<std::string> scripts;        // console scripts, in file order
  std::vector<std::string> constraints;    // constraints*.txt
  bool packageJson = false; // at the top of the project
  /// A Node part in a folder of its own (web/package.json): built in a stage.
  struct NodePart {
    std::string dir;      // "web"
    std::string lockFile; // "package-lock.json" or "yarn.lock"; "" for none
    bool buildScript = false;
    std::string outDir;   // what the build writes: "dist" (Vite and most), "build" (CRA)
  };
  std::optional<NodePart> node;
  std::vector<std::string> notes; // what the user should review, one sentence each
};

/// Looks at `dir` (not recursively, except one level into packages).
llvm::Expected<ProjectFacts> scanProject(llvm::StringRef dir);

/// `name` made into a valid spec name: lowercase, [a-z0-9._-], "app" if empty.
std::string specName(llvm::StringRef name);

} // namespace imageplan::init
