// What `imageplan init` learns from a project folder: the Dockerfile it reads
// (the GPU one when there are several) and what that Dockerfile's image holds,
// requirement files, lock files, the Python version, and which files and
// packages make up the app.
#pragma once

#include "readers/ContextPaths.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::init {

/// A HEALTHCHECK: an HTTP probe of a path (or URL), or a command.
struct HealthcheckFacts {
  std::string http;             // "/health", or a full URL
  int port = 0;                 // of the probe, when it names one
  std::vector<std::string> cmd; // exec form, when it is not an HTTP probe
  std::string interval, timeout, startPeriod;
  int retries = 0;
};

/// A file the Dockerfile writes inline (`COPY <<EOF /path`).
struct InlineFileFacts {
  std::string path, mode, content;
};

/// A file or folder another image provides (`COPY --from=IMAGE SRC DEST`).
struct ArtifactFacts {
  std::string image, from, to;
};

/// What the chosen Dockerfile's final image holds, as readers/' parser reads
/// it (global ARGs expanded in FROM, stages it derives from followed).
struct DockerfileFacts {
  std::string path;                // context-relative: "docker/Dockerfile.gpu"
  std::vector<std::string> others; // the Dockerfiles found but not read
  std::string why;                 // why `path` was read when there were several
  std::string base;                // the final stage's base image, as written, ARGs expanded
  std::string workdir;             // the final WORKDIR ("" when none)
  std::string user;                // the final USER ("" when none: root)
  std::vector<std::pair<std::string, std::string>> env; // in order, each name once
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<int> ports;
  std::optional<HealthcheckFacts> healthcheck;
  bool noHealthcheck = false;      // HEALTHCHECK NONE
  std::vector<std::string> cmd, entrypoint; // exec form; a shell form as [/bin/sh, -c, TEXT]
  /// System packages the final image installs (apt, apk, dnf, microdnf,
  /// yum), and those only the stages it copies from install.
  std::vector<std::string> packages, buildPackages;
  std::vector<std::string> requirementFiles; // context paths installed with `pip install -r`
  std::vector<std::string> pipPackages;      // installed by name
  std::vector<std::string> indexUrls;        // --index-url, then --extra-index-url values
  bool primaryIndex = false;                 // indexUrls.front() came from --index-url
  std::vector<std::string> extras;           // `uv sync --extra X`, `pip install .[X]`, `-E X`
  bool installsProject = false;              // `pip install .`, `uv sync`, `poetry install`
  std::vector<std::string> pythonVersions;   // python3.X named by commands and packages
  /// Context paths the final image copies, in order ("." for the whole context).
  std::vector<std::string> copied;
  /// Where the final image's COPYs put context files, at its end.
  readers::ContextPaths paths;
  /// Context paths a COPY put elsewhere than the same path under the
  /// workdir, each with that COPY: {"src", "docker/Dockerfile:7: COPY src/ ."}.
  std::vector<std::pair<std::string, std::string>> movedCopies;
  std::vector<ArtifactFacts> artifacts;
  std::vector<InlineFileFacts> files;
  std::vector<std::string> dirs; // made with mkdir under the workdir
  bool buildsNode = false;       // a stage runs npm, yarn or pnpm, or starts from node
  /// What could not be carried, one line each, starting with the file and
  /// line it comes from ("docker/Dockerfile:12: ...").
  std::vector<std::string> notCarried;
  std::vector<std::string> notes; // what the user should review about how it was read
};

struct ProjectFacts {
  std::string name; // a valid spec name from the folder's name
  std::optional<DockerfileFacts> dockerfile;
  // The base the spec should use: either cuda* or image.
  std::string cuda, cudnn, os, image, registry;
  std::string cudaFlavor;    // the final stage's CUDA flavor when not runtime
  std::string systemManager; // apk, dnf or microdnf when the base is not apt-based
  std::string pythonVersion; // "3.11", or "" when unknown
  std::string pythonVersionSource;
  std::vector<std::string> requirements;      // installed
  std::vector<std::string> otherRequirements; // found but left out, each with why
  std::vector<std::string> constraints;       // constraints*.txt
  std::vector<std::string> pipPackages;       // python.packages
  std::vector<std::string> indexUrls;         // python.index_urls
  std::vector<std::string> copy;              // app.copy
  std::vector<std::string> exclude;           // app.exclude, with copy [.]
  std::string mainModule;                     // main.py, app.py, or a package with __main__
  bool uvicorn = false;                       // a requirement file installs uvicorn
  bool requirementsNameTorch = false;         // a requirement file installs torch
  bool fastapi = false;                       // uvicorn in requirements and FastAPI( in code
  std::string asgiApp; // uvicorn's MODULE:VARIABLE for the FastAPI app, e.g. app.main:app
  std::string healthRoute; // "/health" when the app's code serves one
  bool pyproject = false, uvLock = false, poetryLock = false, setupPy = false;
  // From pyproject.toml.
  std::string manager;                     // "uv", "poetry", or "" for pip
  bool buildSystem = false;                // [build-system]: the app is a package
  std::vector<std::string> definedExtras;  // optional dependency groups, in file order
  std::vector<std::string> extras;         // the ones the spec installs
  std::vector<std::string> scripts;        // console scripts, in file order
  std::vector<std::string> projectDependencies; // [project] dependencies, as written
  std::vector<std::string> cmd, entrypoint; // what the image runs
  std::vector<int> ports;
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

/// Looks at `dir` (not recursively, except one level into packages and into
/// the folders that hold Dockerfiles).
llvm::Expected<ProjectFacts> scanProject(llvm::StringRef dir);

/// `name` made into a valid spec name: lowercase, [a-z0-9._-], "app" if empty.
std::string specName(llvm::StringRef name);

} // namespace imageplan::init
