// Building one RUN from run operations: the builder every operation's
// emitter writes through (mounts, copies and commands as the dialect's rules
// allow), the paths they share, and one emitOp overload per run operation,
// defined by concern in SystemOps.cpp, PythonOps.cpp and RunOps.cpp. Internal
// to backends/; RunOps.h is the interface.
#pragma once

#include "backends/RunOps.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::backends {

// Where files that a command only reads are bind-mounted; never part of a
// layer.
inline constexpr llvm::StringLiteral ScratchDir = "/tmp/imageplan";
inline constexpr llvm::StringLiteral WheelMountDir = "/tmp/imageplan/wheels";

/// A folder a tool keeps its downloads in between builds: a cache mount.
struct PackageCache {
  llvm::StringLiteral name;   // the first word of the mount's id
  llvm::StringLiteral target; // where the tool keeps it
  /// The tool cannot share the folder with a second instance of itself, so
  /// a RUN holds it whole (sharing=locked). Such a cache is kept per stage
  /// family, so that stages that can build at once never wait for each
  /// other; an unlocked one is shared by every stage of the distribution.
  bool locked;
  /// What the tool keeps depends on the distribution (packages, wheels built
  /// against its libc): the id names it. A model's files do not.
  bool perDistro = true;
};
inline constexpr PackageCache AptArchiveCache{"apt", "/var/cache/apt", true};
inline constexpr PackageCache AptListsCache{"apt-lists", "/var/lib/apt/lists", true};
inline constexpr PackageCache ApkCache{"apk", "/var/cache/apk", true};
inline constexpr PackageCache DnfCache{"dnf", "/var/cache/dnf", true};
inline constexpr PackageCache MicrodnfCache{"microdnf", "/var/cache/yum", true};
inline constexpr PackageCache PipCache{"pip", "/root/.cache/pip", false};
inline constexpr PackageCache UvCache{"uv", "/root/.cache/uv", false};
inline constexpr PackageCache PoetryCache{"poetry", "/root/.cache/pypoetry", false};
inline constexpr PackageCache CondaCache{"conda", "/root/.cache/conda/pkgs", true};
// Where a uv binary bind-mounted from its image is run from.
inline constexpr llvm::StringLiteral UvMountPath = "/tmp/imageplan/bin/uv";
// Where the pins' constraints file is mounted: outside ScratchDir, which
// holds context files under their own names.
inline constexpr llvm::StringLiteral PinsMountPath = "/tmp/imageplan-pins/constraints.txt";

/// Where context file `contextPath` is bind-mounted (or copied) for a command.
std::string scratchPath(llvm::StringRef contextPath);
/// The folder a project's manifest files are bind-mounted in.
std::string projectScratchDir(llvm::StringRef projectDir);
/// The --index-url/--extra-index-url arguments, one option per line.
void appendIndexArgs(llvm::ArrayRef<std::string> indexUrls, std::vector<std::string> &args);
/// Each word quoted, as an argument line of its own.
void appendQuotedEach(llvm::ArrayRef<std::string> words, std::vector<std::string> &args);

/// Adds `mount` (`copy`) to `run` unless it is there already.
void addMount(RunInstruction &run, Mount mount);
void addCopy(RunInstruction &run, FileCopy copy);

class RunBuilder {
public:
  RunBuilder(const DialectRules &rules, RunInstruction &run, const StageRunContext &stage)
      : dialect(rules), run(run), stage(stage) {}

  const DialectRules &rules() const { return dialect; }
  const StageRunContext &stageContext() const { return stage; }

  /// A command of the && chain: shell text built with ShellQuote.h.
  void command(std::string head) { run.commands.push_back({std::move(head), {}}); }
  void push(ShellCommand command) { run.commands.push_back(std::move(command)); }
  void addMount(Mount mount) { backends::addMount(run, std::move(mount)); }
  void addCopy(FileCopy copy) { backends::addCopy(run, std::move(copy)); }
  /// The mount of `cache`, where the dialect has cache mounts: the one place
  /// they are made. Its id names the cache, the stage's distribution and,
  /// for a locked cache, its family ("apt-debian12-runtime", "pip-debian12"):
  /// stages of different distributions never share a cache, and stages that
  /// can build at once never take turns on a locked one.
  void addCache(const PackageCache &cache);
  /// Context files a command reads: bind-mounted where the dialect can, so
  /// they never become part of a layer; else COPYed in before the RUN.
  void bindContext(llvm::StringRef source, llvm::StringRef target, bool readWrite = false);
  /// The same for a folder of another stage (or image).
  void bindStage(llvm::StringRef stage, llvm::StringRef source, llvm::StringRef target);

  /// `uv <subcommand>`, with --no-cache when there is no cache mount to keep
  /// uv's cache out of the layer.
  std::string uvCommand(std::vector<llvm::StringRef> subcommand, llvm::StringRef uv = "uv") const;
  /// `pip install` or `pip wheel`, with --no-cache-dir when there is no cache
  /// mount to keep the cache out of the layer.
  std::string pipCommand(llvm::StringRef subcommand, llvm::StringRef pip = "pip") const;

  /// The shell that runs a user script: bash with pipefail where the stage
  /// has bash, else POSIX sh with what it has of the same strictness.
  std::vector<llvm::StringRef> scriptShell() const;
  std::vector<llvm::StringRef> withScript(llvm::StringRef script) const;
  /// `[ENV...] command "$(printf '%s\n' LINE...)" [ARG...]`, every word but
  /// the first on a continuation line of its own: text with line breaks as
  /// one argument, then `trailing` (shell words, already quoted).
  void printfLines(std::string command, llvm::ArrayRef<llvm::StringRef> lines,
                   llvm::ArrayRef<std::string> envPrefix,
                   llvm::ArrayRef<std::string> trailing = {});
  /// The commands that write `content` to `path` with `mode` (printf, chmod).
  void writeFile(const std::string &path, const std::string &content, const std::string &mode);

private:
  const DialectRules &dialect;
  RunInstruction &run;
  const StageRunContext &stage;
};

// SystemOps.cpp
void emitOp(RunBuilder &b, const plan::SystemInstall &op);
void emitOp(RunBuilder &b, const plan::MakeDirs &op);
void emitOp(RunBuilder &b, const plan::CreateUser &op);
void emitOp(RunBuilder &b, const plan::AptSource &op);
// PythonOps.cpp
void emitOp(RunBuilder &b, const plan::CreateVenv &op);
void emitOp(RunBuilder &b, const plan::PipInstall &op);
void emitOp(RunBuilder &b, const plan::UvSync &op);
void emitOp(RunBuilder &b, const plan::PoetryInstall &op);
void emitOp(RunBuilder &b, const plan::InstallPoetry &op);
void emitOp(RunBuilder &b, const plan::InstallPython &op);
void emitOp(RunBuilder &b, const plan::InstallProject &op);
void emitOp(RunBuilder &b, const plan::PipWheel &op);
void emitOp(RunBuilder &b, const plan::RecordVenv &op);
void emitOp(RunBuilder &b, const plan::SplitVenv &op);
void emitOp(RunBuilder &b, const plan::CondaEnvUpdate &op);
// RunOps.cpp
void emitOp(RunBuilder &b, const plan::ModelDownload &op);
void emitOp(RunBuilder &b, const plan::AssetDownload &op);
void emitOp(RunBuilder &b, const plan::GitCheckout &op);
// VariantOps.cpp
void emitOp(RunBuilder &b, const plan::VariantSwitch &op);
void emitOp(RunBuilder &b, const plan::RunScript &op);

} // namespace imageplan::backends
