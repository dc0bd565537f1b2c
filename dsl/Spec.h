// The typed AST of an imageplan spec (schema version 1). Every node keeps the
// source location it was parsed from, so later phases can point diagnostics at
// the exact key or value a user wrote.
#pragma once

#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::dsl {

/// A value and where it was written.
template <typename T> struct Located {
  T value{};
  llvm::SMLoc loc;
};
using LString = Located<std::string>;
using LInt = Located<long long>;
using LBool = Located<bool>;
using LDouble = Located<double>;
/// Ordered key/value pairs, in the order the spec wrote them.
using LPairs = std::vector<std::pair<LString, LString>>;

/// How often something changes, as the spec says it (`changes:`). A named rate
/// or an explicit probability per commit in [0, 1].
struct ChangeSpec {
  llvm::SMLoc loc;
  double probability = 0; // already resolved from the name if a name was used
  std::string word;       // "rarely", "sometimes", "often", "always", or "" for a number
};

struct BaseSpec {
  llvm::SMLoc loc;
  std::optional<LString> cuda;  // "11.8" -> nvidia/cuda:11.8.0-...
  std::optional<LString> cudnn; // "8"
  std::optional<LString> os;    // default ubuntu22.04
  std::optional<LString> image; // any other base image, e.g. python:3.11-slim
  std::optional<LString> digest; // sha256:... pin for the final base
  std::optional<LString> flavor;   // final stage's CUDA flavor: base, runtime (default), devel,
                                   // cudnn-runtime, cudnn-devel
  std::optional<LString> builderFlavor; // builder's: devel or cudnn-devel (default by cuDNN use)
  std::optional<LString> registry; // where the CUDA images live, default "nvidia"
};

/// A `packages` entry written as a mapping: a requirement and the pip options
/// that apply to it alone (`{name: detectron2 @ git+https://..., options: [--no-deps]}`).
struct OptionedPackage {
  llvm::SMLoc loc;
  LString name;
  std::vector<LString> options; // from the allow-list in ValueRules (pipOption)
};

struct PythonSpec {
  llvm::SMLoc loc;
  std::optional<LString> version;           // "3.10"
  std::optional<LString> manager;           // pip (default), uv, poetry
  /// Folder holding pyproject.toml: the app is installed as a package. uv and
  /// poetry default it to ".".
  std::optional<LString> project;
  std::optional<LString> lock;              // uv.lock / poetry.lock, default beside pyproject
  std::vector<LString> extras;              // the project's optional dependency groups
  std::vector<LString> constraints;         // pip constraint files (-c), context-relative
  std::optional<LString> uvVersion;         // pin of the uv binary image
  std::optional<LString> poetryVersion;     // pin of poetry
  std::optional<LString> venv;              // builder or runtime: where /opt/venv is built
  /// False for a project that is not a package (no [build-system]): only its
  /// dependencies are installed. Default true.
  std::optional<LBool> package;
  std::vector<LString> packages;            // inline pins, e.g. torch==2.0.1
  std::vector<OptionedPackage> optionedPackages; // packages with options of their own
  std::vector<LString> requirements;        // requirement files, context-relative
  std::vector<LString> indexUrls;           // first is --index-url, rest --extra-index-url
  std::vector<LString> build;               // packages compiled in the builder stage
  std::vector<LString> buildRequires;       // tools only the builder needs (packaging, ninja)
};

struct SystemSpec {
  llvm::SMLoc loc;
  std::vector<LString> packages;      // runtime system packages
  std::vector<LString> buildPackages; // builder-stage system packages only
  std::optional<LString> manager;     // apt, apk, dnf, microdnf; default inferred from the base
};

struct ModelSpec {
  llvm::SMLoc loc;
  LString id;                         // Hugging Face repo id, org/name
  std::optional<LString> revision;    // default "main"
  LString path;                       // absolute path in the image
  LBool bake;                         // download at build time into its own stage
  std::optional<LString> tokenSecret; // BuildKit secret id holding the hub token
  std::optional<ChangeSpec> changes;
};

struct HealthcheckSpec {
  llvm::SMLoc loc;
  std::optional<LString> http;     // path ("/health") or URL probed with python
  std::optional<LInt> port;        // default: first exposed port
  std::vector<LString> cmd;        // exec-form command instead of http
  std::optional<LString> interval; // durations as Docker writes them: 30s, 1m
  std::optional<LString> timeout;
  std::optional<LString> startPeriod;
  std::optional<LInt> retries;
};

struct AppSpec {
  llvm::SMLoc loc;
  std::optional<LString> workdir; // default /app
  std::vector<LString> copy;      // context paths copied into workdir
  std::vector<LString> exclude;   // with `copy: [.]`: .dockerignore patterns left out
  std::vector<LString> dirs;      // directories created (relative to workdir or absolute)
  LPairs env;
  std::optional<LString> user;    // default "app"; "root" opts out of the non-root user
  std::vector<LInt> expose;
  std::optional<HealthcheckSpec> healthcheck;
  std::vector<LString> entrypoint;
  std::vector<LString> cmd;
  std::optional<ChangeSpec> changes;
};

/// A small file given inline and written into the runtime image: an
/// entrypoint script, a config file.
struct FileSpec {
  llvm::SMLoc loc;
  LString path;                // absolute path in the image
  LString content;             // exact bytes, as YAML gives them
  std::optional<LString> mode; // octal, default 0644
  std::optional<ChangeSpec> changes;
};

/// A custom build step: the escape hatch for commands imageplan has no kind for.
/// `run` is shell text the user authored and is emitted as written.
struct StepSpec {
  llvm::SMLoc loc;
  LString name;
  LString run;
  std::vector<LString> inputs;  // context paths the step reads (bind-mounted)
  std::vector<LString> outputs; // for builder steps: paths copied to the runtime stage
  std::vector<LString> after;   // step names or built-in groups it depends on
  std::optional<LString> stage; // "runtime" (default) or "builder"
  std::optional<ChangeSpec> changes;
  std::optional<LDouble> cost;  // estimated seconds, default 10
};

/// A file or folder copied from another image (`COPY --from=<image>`), pinned
/// by tag or digest: a static ffmpeg, a tool binary, web assets.
struct ArtifactSpec {
  llvm::SMLoc loc;
  LString image; // reference, e.g. mwader/static-ffmpeg:6.1 or name@sha256:...
  LString from;  // absolute path in that image
  LString to;    // absolute path in the runtime image
  std::optional<ChangeSpec> changes;
};

/// A stage of its own: another base (a Node image for a frontend, an image
/// with git for fetching sources), its own steps, and what the runtime copies.
struct StageSpec {
  llvm::SMLoc loc;
  LString name;
  LString image;
  std::optional<LString> workdir;                 // default /src
  std::vector<StepSpec> steps;
  std::vector<std::pair<LString, LString>> exports; // from (in the stage) -> to (in the runtime)
};

/// One of several final images sharing every layer of the runtime stage, and
/// differing in entrypoint, command, environment, ports and health check.
/// What a target leaves out it takes from `app`.
struct TargetSpec {
  llvm::SMLoc loc;
  LString name;
  LPairs env;
  std::vector<LInt> expose;
  std::optional<HealthcheckSpec> healthcheck;
  std::vector<LString> entrypoint;
  std::vector<LString> cmd;
};

/// Where the images are pushed and for which platforms: what `--emit bake`
/// and `--emit ci` write. The Dockerfile does not depend on it.
struct PublishSpec {
  llvm::SMLoc loc;
  std::optional<LString> image;   // repository, no tag: registry.example.com/acme/app
  std::vector<LString> platforms; // os/arch[/variant]: linux/amd64, linux/arm/v7
};

/// The registry build cache: `<ref>:<target>` per image target.
struct CacheSpec {
  llvm::SMLoc loc;
  LString ref;                 // repository, no tag: registry.example.com/acme/app-cache
  std::optional<LString> mode; // max (default: every stage's layers) or min (the image's)
};

struct Spec {
  std::string path;  // the spec file as named on the command line
  LInt schema;       // imageplan: 1
  LString name;
  BaseSpec base;
  std::optional<PythonSpec> python;
  SystemSpec system;
  std::vector<ModelSpec> models;
  AppSpec app;
  std::vector<StepSpec> steps;
  std::vector<ArtifactSpec> artifacts;
  std::vector<FileSpec> files;
  std::vector<StageSpec> stages;
  std::vector<TargetSpec> targets;
  LPairs labels; // extra OCI labels
  std::optional<PublishSpec> publish;
  std::optional<CacheSpec> cache;
  /// What the output may use: buildkit (default), docker20, buildah, legacy.
  std::optional<LString> dialect;
  /// Measure change rates from the last N commits of the repository.
  std::optional<LInt> history;
};

/// Names `after:` may use besides step names: each stands for a group of nodes.
inline constexpr const char *kBuiltinGroups[] = {"system", "python", "models", "app"};

} // namespace imageplan::dsl
