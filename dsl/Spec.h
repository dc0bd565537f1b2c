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
  /// The oldest NVIDIA driver the image must run on ("535.104.05"), checked
  /// against what the CUDA release needs.
  std::optional<LString> driver;
};

/// A `packages` entry written as a mapping: a requirement and the pip options
/// that apply to it alone (`{name: detectron2 @ git+https://..., options: [--no-deps]}`).
struct OptionedPackage {
  llvm::SMLoc loc;
  LString name;
  std::vector<LString> options; // from the allow-list in ValueRules (pipOption)
  /// The index this package alone is installed from (the PyTorch CUDA
  /// wheels), instead of the spec's `index_urls`.
  std::optional<LString> indexUrl;
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
  /// venv (default): a fresh /opt/venv; base: the base image's own Python
  /// environment (the conda Python of pytorch/pytorch) at `prefix`.
  std::optional<LString> environment;
  std::optional<LString> prefix;            // with base: where it lives; inferred for known images
  std::optional<LString> conda;             // a conda environment.yml installed into it
  std::optional<LString> condaTool;         // conda (default), mamba or micromamba
  /// False for a project that is not a package (no [build-system]): only its
  /// dependencies are installed. Default true.
  std::optional<LBool> package;
  std::vector<LString> packages;            // inline pins, e.g. torch==2.0.1
  std::vector<OptionedPackage> optionedPackages; // packages with options of their own
  std::vector<LString> requirements;        // requirement files, context-relative
  std::vector<LString> indexUrls;           // first is --index-url, rest --extra-index-url
  std::optional<LString> installer;         // pip (default) or uv: what runs `pip install`
  std::optional<LString> indexStrategy;     // installer uv: first-index, unsafe-best-match, ...
  /// pip with a project: install the dependencies it declares (pyproject.toml
  /// [project], setup.cfg [options]) and those of `extras`, keyed on them.
  std::optional<LBool> projectDependencies;
  std::vector<LString> build;               // packages compiled in the builder stage
  std::vector<LString> buildRequires;       // tools only the builder needs (packaging, ninja)
  std::optional<LInt> buildJobs;            // MAX_JOBS of a wheel compiled against torch
  std::vector<LString> cudaArchs;           // TORCH_CUDA_ARCH_LIST entries: 8.0, 9.0+PTX
};

/// The signing key of an apt repository: downloaded from `url` and pinned by
/// its sha256, or (from `url`, default Ubuntu's keyserver) by fingerprint.
struct RepositoryKeySpec {
  llvm::SMLoc loc;
  std::optional<LString> url;
  std::optional<LString> sha256;
  std::optional<LString> fingerprint; // 40 hex digits
};

/// An extra apt repository (deadsnakes, a vendor's), as data: a deb822
/// sources entry with `Signed-By` its own key, added before the packages.
struct AptRepositorySpec {
  llvm::SMLoc loc;
  LString name;                    // file names under /etc/apt: sources.list.d/<name>.sources
  LString url;                     // URIs
  std::vector<LString> suites;     // default: the base's codename (jammy, bookworm)
  std::vector<LString> components; // default [main]; none for a flat repository (suite "./")
  RepositoryKeySpec key;
};

struct SystemSpec {
  llvm::SMLoc loc;
  std::vector<LString> packages;      // runtime system packages
  std::vector<LString> buildPackages; // builder-stage system packages only
  std::optional<LString> manager;     // apt, apk, dnf, microdnf; default inferred from the base
  std::vector<AptRepositorySpec> repositories;
};

struct ModelSpec {
  llvm::SMLoc loc;
  LString id;                         // Hugging Face repo id, org/name
  std::optional<LString> revision;    // default "main"
  LString path;                       // absolute path in the image
  LBool bake;                         // download at build time into its own stage
  std::optional<LString> tokenSecret; // BuildKit secret id holding the hub token
  std::optional<ChangeSpec> changes;
  /// The download stage's base: "runtime" for the runtime base, or an image;
  /// default kDefaultModelImage (or a python:* runtime base itself).
  std::optional<LString> image;
  std::optional<LString> downloader;  // huggingface_hub (default) or urllib
  std::optional<LString> hubVersion;  // the huggingface_hub release the stage installs
  std::optional<LBool> hfTransfer;    // install hf_transfer and enable it
  std::vector<LString> allowPatterns; // only files matching one of these
  std::vector<LString> ignorePatterns; // never files matching one of these
};

/// What a baked model is downloaded with, by default: a slim Python image
/// (pip and huggingface_hub need nothing else) and this huggingface_hub, the
/// last 0.x release (1.0 dropped hf_transfer for hf_xet).
inline constexpr const char *kDefaultModelImage = "python:3.12-slim";
inline constexpr const char *kDefaultHubVersion = "0.36.0";
inline constexpr const char *kHfTransferVersion = "0.1.9";

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

/// One `app.copy` entry: a context path, copied under the workdir, or (the
/// mapping form) to a destination of its own.
struct CopySpec {
  llvm::SMLoc loc;
  LString from;                // context path, or "." for the whole context
  std::optional<LString> to;   // absolute, or relative to the workdir; default the workdir
};

struct AppSpec {
  llvm::SMLoc loc;
  std::optional<LString> workdir; // default /app
  std::vector<CopySpec> copy;     // context paths copied into the image
  std::vector<LString> exclude;   // with `copy: [.]`: .dockerignore patterns left out
  std::vector<LString> dirs;      // directories created (relative to workdir or absolute)
  LPairs env;
  std::optional<LString> user;    // default "app"; "root" opts out of the non-root user
  std::optional<LInt> uid;        // default 10001
  std::optional<LInt> gid;        // default: the uid
  std::vector<LString> groups;    // supplementary groups (video, render), made when missing
  std::vector<LInt> expose;
  std::optional<HealthcheckSpec> healthcheck;
  std::vector<LString> entrypoint;
  std::vector<LString> cmd;
  /// `cmd` written as a string: shell text the user authored, run by
  /// `/bin/sh -c` at container start (so `${PORT}` expands then).
  std::optional<LString> shellCmd;
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
  /// The built-in groups of its stage (system, python) the step needs before
  /// it; not written: both. A step that needs no Python may go before it.
  std::optional<std::vector<LString>> needs;
  std::optional<LString> stage; // "runtime" (default) or "builder"
  std::optional<ChangeSpec> changes;
  std::optional<LDouble> cost;  // estimated seconds, default 10
};

/// A file or folder baked into the image from outside the build context, in
/// a cached stage of its own like a model: a URL pinned by sha256 (a
/// tessdata file, an NLTK data zip, unpacked when asked), or a git
/// repository at a commit, with its LFS objects when asked.
struct AssetSpec {
  llvm::SMLoc loc;
  LString name;
  std::optional<LString> url;
  std::optional<LString> sha256;
  std::optional<LString> unpack;   // zip or tar: `path` is the folder it is extracted into
  std::optional<LString> git;
  std::optional<LString> revision; // with git: a full commit id
  std::optional<LBool> lfs;        // with git: fetch the LFS objects too
  LString path;                    // absolute path in the image
  std::optional<ChangeSpec> changes;
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
  /// bash (the default) or sh; inferred as sh for images without bash
  /// (Alpine, Wolfi, busybox, alpine/git).
  std::optional<LString> shell;
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
  std::optional<LString> shellCmd; // as AppSpec::shellCmd
};

/// One value of a build-argument variant and what it selects: another base
/// (of the same distribution), pinned packages with their index, extras.
struct VariantValueSpec {
  llvm::SMLoc loc;
  LString name;
  std::optional<BaseSpec> base;
  std::vector<LString> packages;  // pip: installed for this value only
  std::vector<LString> indexUrls; // for those packages; default the spec's `index_urls`
  std::vector<LString> extras;    // uv, poetry: extras of the lock added for this value
};

/// A build argument (`docker build --build-arg BACKEND=cuda`) whose values
/// select packages or the base image, with a default when it is not given.
struct VariantSpec {
  llvm::SMLoc loc;
  LString arg;
  std::optional<LString> defaultValue; // default: the first value
  std::vector<VariantValueSpec> values;
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
  std::vector<AssetSpec> assets;
  AppSpec app;
  std::vector<StepSpec> steps;
  std::vector<ArtifactSpec> artifacts;
  std::vector<FileSpec> files;
  std::vector<StageSpec> stages;
  std::vector<TargetSpec> targets;
  std::vector<VariantSpec> variants;
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
