// The backend-neutral build plan: stages -> ordered layers -> typed operations.
// This is the only type backends see. Every string here is data (a package
// name, a path, a URL); backends decide how to quote it for their syntax.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace imageplan::plan {

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// The distribution's package manager, which decides how system packages are
/// installed, cached and cleaned up.
enum class PackageManager {
  Apt,      // Debian, Ubuntu (and the NVIDIA CUDA ubuntu images)
  Apk,      // Alpine, Wolfi/Chainguard
  Dnf,      // RHEL/UBI, Fedora, Rocky, Alma, CentOS Stream
  Microdnf, // the ubi*-minimal images
};
const char *toString(PackageManager manager);
/// The manager called `name` ("apt", "apk", "dnf", "microdnf"), or nothing.
std::optional<PackageManager> parsePackageManager(std::string_view name);

/// Downloads `url` to `dest` in the image, by the engine (ADD): what a stage
/// needs before it has a downloader, such as an apt repository's key.
struct FetchUrl {
  std::string url;
  std::string dest;
};

/// Adds an apt repository as a deb822 sources file,
/// /etc/apt/sources.list.d/<name>.sources, trusting only its own key: the
/// file `keyFile` (fetched before) when its sha256 is `keySha256`, or the
/// key of `fingerprint` taken out of it with gpg into `signedBy`.
struct AptSource {
  std::string name;
  std::string uri;
  std::vector<std::string> suites;
  std::vector<std::string> components;
  std::string keyFile;
  std::string keySha256;
  std::string fingerprint;
  std::string signedBy; // the keyring apt checks the repository with
};

/// Installs system `packages` (sorted and deduplicated) with `manager`.
struct SystemInstall {
  std::vector<std::string> packages;
  PackageManager manager = PackageManager::Apt;
};

/// Creates the virtual environment every later pip operation installs into.
struct CreateVenv {
  std::string python; // interpreter that creates it, e.g. python3 or python3.10
  std::string path;   // /opt/venv
};

/// pip install into the venv. `requirementFiles` are context paths read through
/// bind mounts; `wheelStage`/`wheelDir` name a stage whose wheels are installed
/// with --find-links through a bind mount.
struct PipInstall {
  std::vector<std::string> packages;
  std::vector<std::string> requirementFiles;
  std::vector<std::string> indexUrls; // first: --index-url, rest: --extra-index-url
  std::string wheelStage;
  std::string wheelDir; // without wheelStage: a folder of this stage
  std::vector<std::string> constraintFiles; // -c, read through bind mounts like requirements
  std::vector<std::string> options;         // allow-listed options for this call: --no-deps
  /// The stage holding the constraints file of the spec's pins (`pinsFile`
  /// there), read with -c through a bind mount; empty: none.
  std::string pinsStage = {};
  std::string pinsFile = {};
  /// Constraints files of this stage itself, read with -c: what the pins
  /// resolved to (RecordVenv), so that no later install changes any of it.
  std::vector<std::string> stageConstraints = {};
  /// Install into this folder (--target) instead of the venv: tools only a
  /// build needs, kept out of a venv that is copied.
  std::string target = {};
  /// "pip", or "uv" for `uv pip install` into the interpreter `python`
  /// (its --python), with uv's `indexStrategy` when set.
  std::string installer = "pip";
  std::string indexStrategy = {};
  std::string python = {};
};

/// `uv sync` of a project's locked dependencies (never the project itself)
/// into `venv`. `manifestFiles` (pyproject.toml, uv.lock) are context paths
/// read through bind mounts; `projectDir` is the context folder holding them.
struct UvSync {
  std::vector<std::string> manifestFiles;
  std::string projectDir;
  std::vector<std::string> extras;
  std::string venv;
};

/// `poetry install --no-root` of a project's locked main dependencies into the
/// active venv, with poetry from `poetry` (its own venv). Files as for UvSync.
struct PoetryInstall {
  std::vector<std::string> manifestFiles;
  std::string projectDir;
  std::vector<std::string> extras;
  std::string poetry;
  /// The stage poetry's own venv (the folder holding `poetry`'s bin/) comes
  /// from, bind-mounted at the same path for this command; empty: this one.
  std::string poetryStage;
  std::string poetryHome;
};

/// Installs a CPython the base does not ship: uv (bind-mounted from
/// `uvImage`) downloads its standalone build of `version` into `installDir`
/// and, when `venv` is set, creates the venv there with pip seeded.
struct InstallPython {
  std::string version;
  std::string uvImage;
  std::string installDir;
  std::string venv;
};

/// Installs poetry `version` into a venv of its own at `path`, so that its
/// dependencies never mix with the app's.
struct InstallPoetry {
  std::string python;
  std::string version;
  std::string path;
};

/// Installs the app itself from `path` (its folder in the image, holding
/// pyproject.toml) into the venv without dependencies, which are installed
/// already. `installer` is pip or uv; `uvImage`, when set, is the image the uv
/// binary is bind-mounted from (the stage has no uv of its own).
struct InstallProject {
  std::string installer;
  std::string path;
  std::string uvImage;
};

/// Installs a conda environment file (a context path, read through a bind
/// mount) into the environment at `prefix` with `tool`: conda, mamba or
/// micromamba.
struct CondaEnvUpdate {
  std::string file;
  std::string prefix;
  std::string tool;
};

/// An install of one value of a build-argument variant.
using VariantInstall = std::variant<PipInstall, UvSync, PoetryInstall>;

/// Runs the installs of the value build argument `arg` has at build time;
/// any other value fails the build, naming the values there are. A value
/// may install nothing.
struct VariantSwitch {
  std::string arg;
  std::vector<std::pair<std::string, std::vector<VariantInstall>>> cases;
};

/// Declares build argument `name` with its default (ARG): the layers after
/// it see it, and are cached per value; the layers before it are shared.
struct DeclareArg {
  std::string name;
  std::string defaultValue;
};

/// pip wheel of packages that need a compiler, written to `outDir`.
struct PipWheel {
  std::vector<std::string> packages;
  std::vector<std::string> indexUrls;
  std::string outDir;
  /// pip's isolated build environment; false: --no-build-isolation, the
  /// build imports what the venv (and `toolsDir`) holds, the pinned torch.
  bool isolated = false;
  /// Build tools installed with --target, put on PYTHONPATH and PATH for
  /// the build; empty: they are in the venv.
  std::string toolsDir;
  Pairs env; // for the build: MAX_JOBS, TORCH_CUDA_ARCH_LIST, ...
  std::string pinsStage; // as for PipInstall
  std::string pinsFile;
  std::vector<std::string> constraintFiles; // context files, -c
};

/// Records what the venv holds right after its pins were installed, in
/// `dir`: `pip freeze --all` (freeze.txt), the constraints every later install
/// into it reads, and a manifest of its files with their sizes (files.txt),
/// which SplitVenv compares against.
struct RecordVenv {
  std::string venv;
  std::string dir;
};

/// Copies each file of `venv` that the manifest RecordVenv wrote to
/// `recordDir` does not list into `outDir`, at the same relative path: what
/// was installed after the pins, so that it can be a layer of its own beside
/// theirs. Fails, naming them, when files the manifest lists are changed or
/// gone (a later install replaced a package the pins installed).
struct SplitVenv {
  std::string venv;
  std::string recordDir;
  std::string outDir;
};

/// Downloads a Hugging Face model snapshot of `revision` (a branch, tag or,
/// pinned by a lock, a commit) into `path`, verifying each file's size and
/// hash against the hub's metadata, honouring HF_ENDPOINT. `client` is
/// "huggingface_hub" (snapshot_download, installed in the stage) or
/// "urllib" (the standard library). The token, if any, is read from the
/// BuildKit secret `secretId` and never stored.
struct ModelDownload {
  std::string repo;
  std::string revision;
  std::string path;
  std::string secretId; // empty: public model
  std::string client = "huggingface_hub";
  std::vector<std::string> allowPatterns{};  // only files matching one (fnmatch)
  std::vector<std::string> ignorePatterns{}; // never files matching one
  bool hfTransfer = false; // HF_HUB_ENABLE_HF_TRANSFER=1 (hf_transfer installed)
};

/// Downloads `url` into `path` with the Python standard library, refusing
/// it unless its sha256 is `sha256`; with `unpack` (zip, tar) `path` is the
/// folder the archive is extracted into.
struct AssetDownload {
  std::string url;
  std::string sha256;
  std::string path;
  std::string unpack;
};

/// Checks out `revision` of the git repository at `url` into `path`, with
/// its LFS objects when `lfs`, and without the .git folder.
struct GitCheckout {
  std::string url;
  std::string revision;
  std::string path;
  bool lfs = false;
};

/// COPY of context paths to `dest`.
struct CopyContext {
  std::vector<std::string> sources;
  std::string dest;
  std::string chown; // user[:group], empty for root
};

/// COPY --from another stage.
struct CopyStage {
  std::string stage;
  std::string source;
  std::string dest;
  std::string chown;
};

/// mkdir -p of `paths`, then chown to `owner` when set.
struct MakeDirs {
  std::vector<std::string> paths;
  std::string owner;
};

/// Creates the unprivileged user (and its group) the runtime runs as.
struct CreateUser {
  std::string name;
  int uid = 10001;
  /// busybox's addgroup/adduser (Alpine, Wolfi) instead of groupadd/useradd.
  bool busybox = false;
  int gid = 10001; // of the user's own group, named like the user
  /// Supplementary groups (video, render), each made first when the base
  /// image has no group of that name.
  std::vector<std::string> groups = {};
};

/// A small file given inline in the spec, written to `path` with `mode`
/// (octal digits, e.g. "0755"). `content` is the exact bytes.
struct WriteFile {
  std::string path;
  std::string content;
  std::string mode;
};

/// A user-authored shell script (a custom step), emitted as written. Context
/// files it reads (`inputs`) appear at their own paths relative to the
/// WORKDIR: bind-mounted read-write (writes are discarded after the step), or,
/// with `copyInputs`, COPYed into the stage first so that they and what the
/// step writes next to them stay for the steps after it.
struct RunScript {
  std::string name;
  std::string script;
  std::vector<std::string> inputs;
  bool copyInputs = false;
};

struct SetEnv {
  Pairs vars;
};

struct SetWorkdir {
  std::string path;
};

using Op = std::variant<SystemInstall, CreateVenv, PipInstall, PipWheel, ModelDownload,
                        CopyContext, CopyStage, MakeDirs, CreateUser, RunScript, SetEnv,
                        SetWorkdir, WriteFile, UvSync, PoetryInstall, InstallPoetry,
                        InstallProject, InstallPython, RecordVenv, SplitVenv, CondaEnvUpdate,
                        FetchUrl, AptSource, AssetDownload, GitCheckout, VariantSwitch,
                        DeclareArg>;

/// The stages an operation reads from besides its own: COPY --from, and
/// the bind mounts of wheels, the pins' constraints file and poetry.
std::vector<std::string> stagesRead(const Op &op);

/// True for operations that run a command (and so can share one RUN).
bool isRunOp(const Op &op);
/// The build-context paths `op` reads (COPY sources, files bind-mounted into a
/// RUN), in the order it reads them: what the .dockerignore allowlist keeps.
std::vector<std::string> contextInputs(const Op &op);

enum class ChangeClass { Rarely, Sometimes, Often, Always };
const char *toString(ChangeClass c);
ChangeClass classify(double changeProbability);

/// One image layer (or one metadata instruction). Adjacent run operations of
/// the same change class are merged into one layer by the planner.
struct Layer {
  std::vector<Op> ops;
  std::vector<unsigned> nodes; // graph node ids this layer came from
  std::vector<std::string> kinds; // per node, its kind: "system-packages", "app-copy", ...
  std::string what;            // short human description, e.g. "python packages"
  ChangeClass changeClass = ChangeClass::Rarely;
  double changeProbability = 0; // of this layer's own inputs, per commit
  double cost = 0;              // estimated seconds to rebuild this layer
  /// Probability that this layer is rebuilt in a commit: it or anything before
  /// it in the stage (or in a stage it copies from) changed.
  double rebuildProbability = 0;
  std::vector<std::string> inputs;      // build-context paths its steps read
  std::vector<std::string> rateSources; // per node: "default", "spec", "history", "stage"
  /// Steps of earlier layers (or stages) this layer's steps need: why it can
  /// come no earlier.
  std::vector<std::string> needs;
};

struct Healthcheck {
  std::vector<std::string> cmd; // exec form
  std::string interval, timeout, startPeriod;
  int retries = 0; // 0: engine default
};

/// Metadata of a final image stage.
struct RuntimeConfig {
  std::string user; // empty: root
  std::vector<int> expose;
  std::optional<Healthcheck> healthcheck;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  Pairs labels; // OCI labels, in order
  /// Folders the running container keeps its data in (models downloaded on
  /// first start): VOLUME.
  std::vector<std::string> volumes{};
};

struct Stage {
  std::string name;
  std::string from;         // image reference, or the name of an earlier stage
  bool fromStage = false;   // `from` names a stage of this plan
  std::string purpose;      // "builder", "model", "runtime", ... for comments
  std::vector<std::string> args; // ARG names declared in the stage (HF_ENDPOINT)
  Pairs env;                // the consolidated ENV block right after FROM; literal values
  std::string pathPrepend;  // a directory put in front of the base image's PATH
                            // (the venv's bin); emitted in the same ENV block
  std::vector<Layer> layers;
  std::optional<RuntimeConfig> runtime; // set on the final stage
  /// The base has no bash (Alpine, Wolfi): RUN uses the default /bin/sh.
  bool posixShell = false;
  /// The distribution and release the stage runs on ("debian12",
  /// "ubuntu22.04", "alpine3.20"); for a base whose release is not known,
  /// its image reference spelled with [a-z0-9.-] ("python-3.11-slim"); a
  /// stage FROM another stage has that stage's. Package caches are kept per
  /// distribution: stages of different ones never share one.
  std::string distro;
};

/// Where the images go and where their build cache is kept: what the bake
/// and CI backends write (the spec's `publish:` and `cache:`, `--cache-ref`).
struct Publish {
  std::string image;                  // the repository, without a tag; empty: none given
  std::vector<std::string> platforms; // os/arch[/variant]; empty: the builder's own
  std::string cacheRef;               // the cache's repository; empty: no registry cache
  std::string cacheMode = "max";      // max (every stage's layers) or min (the image's)
};

struct Plan {
  std::string name;
  std::string specPath; // as the user named it; for the generated-file header
  std::vector<Stage> stages;
  /// Every context path the image reads (COPY sources, bind mounts), in first-use
  /// order, deduplicated: the .dockerignore allowlist.
  std::vector<std::string> contextPaths;
  /// With a copy of the whole context ("."): .dockerignore patterns the spec
  /// leaves out of it (app.exclude), in spec order.
  std::vector<std::string> contextExcludes;
  Publish publish;
  /// Build arguments declared before the first FROM, with their defaults:
  /// the variant that selects the base, which FROM lines expand.
  Pairs args;
  /// Files that hold credentials by convention (.env*, *.pem, id_rsa*, .ssh/,
  /// ...) as .dockerignore patterns, left out of the context whatever it copies.
  std::vector<std::string> secretExcludes;
  /// The context paths the spec names that those patterns cover: named
  /// explicitly, so copied all the same.
  std::vector<std::string> secretIncludes;
};

/// Calls `visit` on every image reference the plan pulls, in Dockerfile
/// order, each time it occurs: a stage's `from` unless it names a stage of
/// the plan, COPY --from an image, the uv image a RUN bind-mounts. `visit`
/// may rewrite the reference in place (a digest pin).
void forEachImage(Plan &plan, const std::function<void(std::string &)> &visit);
/// The same references, each once, in first-use order.
std::vector<std::string> imageReferences(const Plan &plan);

/// Expected seconds per commit spent rebuilding a layer (cost times the
/// probability that a commit rebuilds it), summed over a stage or a plan.
double expectedRebuildSeconds(const Layer &layer);
double expectedRebuildSeconds(const Stage &stage);
double expectedRebuildSeconds(const Plan &plan);

} // namespace imageplan::plan
