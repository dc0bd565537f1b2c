// How each run operation becomes shell commands (see RunOps.h). All shell
// text here is built by shellQuote/shellJoin/shellAssign from data and fixed
// words; the only other shell syntax is the constant printf wrapper below.
#include "backends/RunOps.h"

#include "backends/ModelDownloadProgram.h"
#include "backends/ShellQuote.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <cassert>

namespace imageplan::backends {

namespace {

constexpr llvm::StringLiteral Indent = "    ";
constexpr llvm::StringLiteral ArgIndent = "        ";

// Where files that a command only reads are bind-mounted; never part of a
// layer.
constexpr llvm::StringLiteral ScratchDir = "/tmp/imageplan";
constexpr llvm::StringLiteral WheelMountDir = "/tmp/imageplan/wheels";
constexpr llvm::StringLiteral PipCacheDir = "/root/.cache/pip";
constexpr llvm::StringLiteral UvCacheDir = "/root/.cache/uv";
constexpr llvm::StringLiteral PoetryCacheDir = "/root/.cache/pypoetry";
// Where a uv binary bind-mounted from its image is run from.
constexpr llvm::StringLiteral UvMountPath = "/tmp/imageplan/bin/uv";

// Passes text with its line breaks to a command as one argument: printf
// prints each (quoted) line followed by a newline, and the command
// substitution hands the result over as one word. Each line then sits on a
// Dockerfile continuation line of its own, starting with a quote, so the
// Dockerfile parser can neither join nor drop lines of the text.
constexpr llvm::StringLiteral PrintfLinesOpen = "\"$(printf '%s\\n'";
constexpr llvm::StringLiteral PrintfLinesClose = ")\"";

Mount cacheMount(llvm::StringRef target, llvm::StringRef sharing = "") {
  Mount m{{{"type", "cache"}, {"target", target.str()}}};
  if (!sharing.empty())
    m.options.push_back({"sharing", sharing.str()});
  return m;
}

Mount bindMount(llvm::StringRef source, llvm::StringRef target, llvm::StringRef fromStage = "",
                bool readWrite = false) {
  Mount m{{{"type", "bind"}}};
  if (!fromStage.empty())
    m.options.push_back({"from", fromStage.str()});
  m.options.push_back({"source", source.str()});
  m.options.push_back({"target", target.str()});
  if (readWrite)
    m.options.push_back({"rw", "true"});
  return m;
}

std::string scratchPath(llvm::StringRef contextPath) {
  return (ScratchDir + "/" + contextPath).str();
}

// The folder a project's manifest files are bind-mounted in.
std::string projectScratchDir(llvm::StringRef projectDir) {
  return projectDir == "." || projectDir.empty() ? ScratchDir.str() : scratchPath(projectDir);
}

void addMount(RunInstruction &run, Mount mount) {
  if (!llvm::is_contained(run.mounts, mount))
    run.mounts.push_back(std::move(mount));
}

void addCopy(RunInstruction &run, FileCopy copy) {
  if (!llvm::is_contained(run.copies, copy))
    run.copies.push_back(std::move(copy));
}

bool isCacheMount(const Mount &mount) {
  return llvm::is_contained(mount.options, std::make_pair(std::string("type"), std::string("cache")));
}

bool isLockedCacheMount(const Mount &mount) {
  return isCacheMount(mount) &&
         llvm::is_contained(mount.options,
                            std::make_pair(std::string("sharing"), std::string("locked")));
}

// The --index-url/--extra-index-url arguments, one option per line.
void appendIndexArgs(llvm::ArrayRef<std::string> indexUrls, std::vector<std::string> &args) {
  for (size_t i = 0; i < indexUrls.size(); ++i)
    args.push_back(shellJoin({i == 0 ? "--index-url" : "--extra-index-url", indexUrls[i]}));
}

void appendQuotedEach(llvm::ArrayRef<std::string> words, std::vector<std::string> &args) {
  for (const std::string &word : words)
    args.push_back(shellQuote(word));
}

// A one-line script joins the && chain as written only when nothing in it can
// reach outside its own command: a list operator (; & | and with them && ||)
// would regroup the chain (`x && a; b` runs b even when x failed), '#' would
// comment out the rest of the joined line, and a trailing backslash would
// escape the line break the Dockerfile puts after it.
bool isSimpleCommand(llvm::StringRef script) {
  if (script.find_first_of(";&|#\n") != llvm::StringRef::npos || script.endswith("\\"))
    return false;
  return llvm::none_of(script, [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

class RunOpEmitter {
public:
  RunOpEmitter(const DialectRules &rules, RunInstruction &run, bool posixShell)
      : rules(rules), run(run), posixShell(posixShell) {}

  void operator()(const plan::SystemInstall &op) {
    switch (op.manager) {
    case plan::PackageManager::Apt:
      return aptInstall(op);
    case plan::PackageManager::Apk:
      return apkInstall(op);
    case plan::PackageManager::Dnf:
      return dnfInstall(op);
    case plan::PackageManager::Microdnf:
      return microdnfInstall(op);
    }
  }

  void aptInstall(const plan::SystemInstall &op) {
    bool listsCached = rules.cacheMounts && rules.aptListsCache;
    if (rules.cacheMounts) {
      // The cache is shared between stages that install packages, so apt's
      // own lock must be respected: sharing=locked.
      addCache("/var/cache/apt", "locked");
      if (listsCached)
        addCache("/var/lib/apt/lists", "locked");
      // Debian and Ubuntu images ship docker-clean, which deletes downloaded
      // .debs after each install and so defeats the cache mount.
      command(shellJoin({"rm", "-f", "/etc/apt/apt.conf.d/docker-clean"}));
    }
    command(shellJoin({"apt-get", "update"}));
    ShellCommand install{shellAssign("DEBIAN_FRONTEND", "noninteractive") + " " +
                             shellJoin({"apt-get", "install", "-y", "--no-install-recommends"}),
                         {}};
    appendQuotedEach(op.packages, install.args);
    run.commands.push_back(std::move(install));
    // With the lists in a cache mount they never reach the layer, and deleting
    // them would only make the next build download them again. Without it
    // they (and, with no cache at all, the .debs) are removed in this layer.
    if (!rules.cacheMounts)
      command(shellJoin({"apt-get", "clean"}));
    if (!listsCached)
      command("rm -rf /var/lib/apt/lists/*"); // a glob: fixed text, no data
  }

  // apk caches only when /etc/apk/cache links to a directory; the link points
  // into the cache mount and is removed again, so the image keeps apk's
  // default of not caching. Without a cache mount, --no-cache keeps the index
  // and the packages out of the layer.
  void apkInstall(const plan::SystemInstall &op) {
    ShellCommand install;
    if (!rules.cacheMounts) {
      install.head = shellJoin({"apk", "add", "--no-cache"});
    } else {
      addCache("/var/cache/apk", "locked");
      command(shellJoin({"ln", "-sfn", "/var/cache/apk", "/etc/apk/cache"}));
      install.head = shellJoin({"apk", "add", "--update-cache"});
    }
    appendQuotedEach(op.packages, install.args);
    run.commands.push_back(std::move(install));
    if (rules.cacheMounts)
      command(shellJoin({"rm", "/etc/apk/cache"}));
  }

  // keepcache leaves the downloaded packages in the cache mount for the next
  // build; without one, `dnf clean all` removes metadata and packages in the
  // same layer.
  void dnfInstall(const plan::SystemInstall &op) {
    addCache("/var/cache/dnf", "locked");
    ShellCommand install{shellJoin({"dnf", "install", "-y", "--setopt=install_weak_deps=False",
                                    rules.cacheMounts ? "--setopt=keepcache=True" : "--nodocs"}),
                         {}};
    appendQuotedEach(op.packages, install.args);
    run.commands.push_back(std::move(install));
    if (!rules.cacheMounts)
      command(shellJoin({"dnf", "clean", "all"}));
  }

  // microdnf keeps its metadata and packages under /var/cache/yum.
  void microdnfInstall(const plan::SystemInstall &op) {
    addCache("/var/cache/yum", "locked");
    ShellCommand install{
        shellJoin({"microdnf", "install", "-y", "--nodocs", "--setopt=install_weak_deps=0"}), {}};
    appendQuotedEach(op.packages, install.args);
    run.commands.push_back(std::move(install));
    if (!rules.cacheMounts)
      command(shellJoin({"microdnf", "clean", "all"}));
  }

  void operator()(const plan::CreateVenv &op) {
    command(shellJoin({op.python, "-m", "venv", op.path}));
  }

  // With a cache mount: no --no-cache-dir and no PIP_NO_CACHE_DIR, so pip's
  // cache speeds up rebuilds without ending up in the image. Without one the
  // cache would only be written into the layer: --no-cache-dir.
  void operator()(const plan::PipInstall &op) {
    addCache(PipCacheDir);
    for (const std::string &file : op.requirementFiles)
      bindContext(file, scratchPath(file));
    for (const std::string &file : op.constraintFiles)
      bindContext(file, scratchPath(file));
    bool wheels = !op.wheelStage.empty();
    if (wheels)
      bindStage(op.wheelStage, op.wheelDir, WheelMountDir);
    ShellCommand install{pipCommand("install"), {}};
    appendQuotedEach(op.options, install.args);
    appendIndexArgs(op.indexUrls, install.args);
    if (wheels)
      install.args.push_back(shellJoin({"--find-links", WheelMountDir}));
    else if (!op.wheelDir.empty())
      install.args.push_back(shellJoin({"--find-links", op.wheelDir}));
    for (const std::string &file : op.constraintFiles)
      install.args.push_back(shellJoin({"-c", scratchPath(file)}));
    for (const std::string &file : op.requirementFiles)
      install.args.push_back(shellJoin({"-r", scratchPath(file)}));
    appendQuotedEach(op.packages, install.args);
    run.commands.push_back(std::move(install));
  }

  // The lock is used as it is (--frozen): a stale lock is the author's to
  // fix, never re-resolved at build time. The project itself is installed
  // later, after the code copy (InstallProject), so a code edit never reaches
  // this layer. Hard links cannot cross from the cache mount into the layer,
  // hence UV_LINK_MODE=copy; bytecode is compiled once here rather than at
  // every container start.
  void operator()(const plan::UvSync &op) {
    addCache(UvCacheDir);
    for (const std::string &file : op.manifestFiles)
      bindContext(file, scratchPath(file));
    ShellCommand sync{llvm::join(std::vector<std::string>{
                                     shellAssign("UV_PROJECT_ENVIRONMENT", op.venv),
                                     shellAssign("UV_LINK_MODE", "copy"),
                                     shellAssign("UV_COMPILE_BYTECODE", "1"),
                                     shellAssign("UV_PYTHON_DOWNLOADS", "never"),
                                     uvCommand({"sync"})},
                                 " "),
                      {}};
    sync.args.push_back(shellJoin({"--frozen", "--no-install-project", "--no-dev"}));
    sync.args.push_back(shellJoin({"--project", projectScratchDir(op.projectDir)}));
    for (const std::string &extra : op.extras)
      sync.args.push_back(shellJoin({"--extra", extra}));
    run.commands.push_back(std::move(sync));
  }

  // Poetry installs into the venv VIRTUAL_ENV names (the stage sets it)
  // instead of one of its own; `--no-root` leaves the project for later and
  // `--only main` leaves out development groups. A lock that no longer
  // matches pyproject.toml fails the build.
  void operator()(const plan::PoetryInstall &op) {
    addCache(PoetryCacheDir);
    for (const std::string &file : op.manifestFiles)
      bindContext(file, scratchPath(file));
    std::vector<llvm::StringRef> poetry = {op.poetry, "install"};
    if (!rules.cacheMounts)
      poetry.push_back("--no-cache");
    ShellCommand install{shellAssign("POETRY_VIRTUALENVS_CREATE", "false") + " " +
                             shellJoin(poetry),
                         {}};
    install.args.push_back(shellJoin({"--directory", projectScratchDir(op.projectDir)}));
    install.args.push_back(shellJoin({"--no-root", "--only", "main", "--no-interaction"}));
    for (const std::string &extra : op.extras)
      install.args.push_back(shellJoin({"--extras", extra}));
    run.commands.push_back(std::move(install));
  }

  void operator()(const plan::InstallPoetry &op) {
    addCache(PipCacheDir);
    command(shellJoin({op.python, "-m", "venv", op.path}));
    command(pipCommand("install", op.path + "/bin/pip") + " " +
            shellQuote("poetry==" + op.version));
  }

  // The download is pinned twice: by the uv release (which fixes the patch
  // version each minor resolves to) and by the version itself.
  void operator()(const plan::InstallPython &op) {
    bindStage(op.uvImage, "/uv", UvMountPath);
    std::string dir = shellAssign("UV_PYTHON_INSTALL_DIR", op.installDir);
    command(dir + " " + uvCommand({"python", "install"}, UvMountPath) + " " +
            shellQuote(op.version));
    if (op.venv.empty())
      return;
    command(dir + " " + shellJoin({UvMountPath, "venv", "--python", op.version, "--seed",
                                   "--python-preference", "only-managed", op.venv}));
  }

  void operator()(const plan::InstallProject &op) {
    if (op.installer != "uv") {
      addCache(PipCacheDir);
      command(pipCommand("install") + " " + shellJoin({"--no-deps", op.path}));
      return;
    }
    addCache(UvCacheDir);
    std::string uv = "uv";
    if (!op.uvImage.empty()) {
      bindStage(op.uvImage, "/uv", UvMountPath);
      uv = UvMountPath.str();
    }
    command(shellAssign("UV_LINK_MODE", "copy") + " " +
            uvCommand({"pip", "install"}, uv) + " " + shellJoin({"--no-deps", op.path}));
  }

  void operator()(const plan::PipWheel &op) {
    addCache(PipCacheDir);
    ShellCommand wheel{pipCommand("wheel") + " " +
                           shellJoin({"--no-deps", "--no-build-isolation", "--wheel-dir", op.outDir}),
                       {}};
    appendIndexArgs(op.indexUrls, wheel.args);
    appendQuotedEach(op.packages, wheel.args);
    run.commands.push_back(std::move(wheel));
  }

  void operator()(const plan::ModelDownload &op) {
    // Not `required`: without the secret the download still works for a
    // public model.
    // dsl::checkBuildSecrets refuses token secrets for dialects without them.
    if (!op.secretId.empty() && rules.secretMounts)
      addMount(run, Mount{{{"type", "secret"}, {"id", op.secretId}}});
    std::vector<std::string> env = {
        shellAssign("IMAGEPLAN_MODEL_REPO", op.repo),
        shellAssign("IMAGEPLAN_MODEL_REVISION", op.revision),
        shellAssign("IMAGEPLAN_MODEL_DIR", op.path),
    };
    if (!op.secretId.empty())
      env.push_back(shellAssign("IMAGEPLAN_TOKEN_FILE", "/run/secrets/" + op.secretId));
    std::vector<llvm::StringRef> program(modelDownloadProgram().begin(),
                                         modelDownloadProgram().end());
    printfLines(shellJoin({"python3", "-c"}), program, env);
  }

  void operator()(const plan::MakeDirs &op) {
    std::vector<llvm::StringRef> mkdir = {"mkdir", "-p"};
    mkdir.insert(mkdir.end(), op.paths.begin(), op.paths.end());
    command(shellJoin(mkdir));
    if (op.owner.empty())
      return;
    std::string owner = op.owner + ":" + op.owner;
    std::vector<llvm::StringRef> chown = {"chown", owner};
    chown.insert(chown.end(), op.paths.begin(), op.paths.end());
    command(shellJoin(chown));
  }

  void operator()(const plan::CreateUser &op) {
    std::string id = std::to_string(op.uid);
    std::string home = "/home/" + op.name;
    if (op.busybox) {
      // busybox: -S system account, -D no password; the home is created.
      command(shellJoin({"addgroup", "-S", "-g", id, op.name}));
      command(shellJoin({"adduser", "-S", "-D", "-u", id, "-G", op.name, "-h", home, "-s",
                         "/sbin/nologin", op.name}));
      return;
    }
    command(shellJoin({"groupadd", "--system", "--gid", id, op.name}));
    command(shellJoin({"useradd", "--system", "--uid", id, "--gid", op.name, "--create-home",
                       "--home-dir", home, "--shell", "/usr/sbin/nologin", op.name}));
  }

  void operator()(const plan::RunScript &op) {
    // A relative target resolves against the WORKDIR, where the script runs.
    // Mounts are read-write so that tools that write beside their sources
    // (make, npm) work; what they write there is discarded with the mount.
    for (const std::string &input : op.inputs) {
      if (op.copyInputs)
        addCopy(run, FileCopy{"", input, input});
      else
        bindContext(input, input, /*readWrite=*/true);
    }
    // A YAML block scalar ends in a line break; it is not an empty last line.
    llvm::StringRef script = llvm::StringRef(op.script).rtrim("\n");
    if (!script.contains('\n')) {
      script = script.trim();
      if (script.empty())
        command(shellJoin({"true"}));
      else if (isSimpleCommand(script))
        // User-authored shell by design: written as the user wrote it.
        command(script.str());
      else
        command(shellJoin(withScript(script)));
      return;
    }
    // Dockerfile continuation lines would join a multi-line script into one
    // line; keep its line breaks by handing it to the shell as one argument.
    llvm::SmallVector<llvm::StringRef, 16> lines;
    script.split(lines, '\n');
    printfLines(shellJoin(scriptShell()),
                std::vector<llvm::StringRef>(lines.begin(), lines.end()), {});
  }

  void operator()(const plan::CopyContext &) { notARunOp(); }
  void operator()(const plan::CopyStage &) { notARunOp(); }
  void operator()(const plan::SetEnv &) { notARunOp(); }
  void operator()(const plan::SetWorkdir &) { notARunOp(); }
  void operator()(const plan::WriteFile &) { notARunOp(); }

private:
  void command(std::string head) { run.commands.push_back({std::move(head), {}}); }

  // The shell that runs a user script: bash with pipefail where the stage
  // has bash, else POSIX sh with what it has of the same strictness.
  std::vector<llvm::StringRef> scriptShell() const {
    if (posixShell)
      return {"sh", "-eu", "-c"};
    return {"bash", "-euo", "pipefail", "-c"};
  }

  std::vector<llvm::StringRef> withScript(llvm::StringRef script) const {
    std::vector<llvm::StringRef> words = scriptShell();
    words.push_back(script);
    return words;
  }

  void addCache(llvm::StringRef target, llvm::StringRef sharing = "") {
    if (rules.cacheMounts)
      addMount(run, cacheMount(target, sharing));
  }

  // Context files a command reads: bind-mounted where the dialect can, so
  // they never become part of a layer; else COPYed in before the RUN.
  void bindContext(llvm::StringRef source, llvm::StringRef target, bool readWrite = false) {
    if (rules.bindMounts)
      addMount(run, bindMount(source, target, "", readWrite));
    else
      addCopy(run, FileCopy{"", source.str(), target.str()});
  }

  void bindStage(llvm::StringRef stage, llvm::StringRef source, llvm::StringRef target) {
    if (rules.bindMounts)
      addMount(run, bindMount(source, target, stage));
    else
      addCopy(run, FileCopy{stage.str(), source.str(), target.str()});
  }

  // `uv <subcommand>`, with --no-cache when there is no cache mount to keep
  // uv's cache out of the layer.
  std::string uvCommand(std::vector<llvm::StringRef> subcommand, llvm::StringRef uv = "uv") const {
    subcommand.insert(subcommand.begin(), uv);
    if (!rules.cacheMounts)
      subcommand.push_back("--no-cache");
    return shellJoin(subcommand);
  }
  // `pip install` or `pip wheel`, with --no-cache-dir when there is no cache
  // mount to keep the cache out of the layer.
  std::string pipCommand(llvm::StringRef subcommand, llvm::StringRef pip = "pip") const {
    if (rules.cacheMounts)
      return shellJoin({pip, subcommand});
    return shellJoin({pip, subcommand, "--no-cache-dir"});
  }

  // `[ENV...] command "$(printf '%s\n' LINE...)"`, every word but the first
  // on a continuation line of its own.
  void printfLines(std::string command, llvm::ArrayRef<llvm::StringRef> lines,
                   llvm::ArrayRef<std::string> envPrefix) {
    ShellCommand cmd;
    std::string opener = command + " " + PrintfLinesOpen.str();
    if (envPrefix.empty()) {
      cmd.head = opener;
    } else {
      cmd.head = envPrefix.front();
      cmd.args.insert(cmd.args.end(), envPrefix.begin() + 1, envPrefix.end());
      cmd.args.push_back(opener);
    }
    for (llvm::StringRef line : lines)
      cmd.args.push_back(shellQuote(line, QuoteMode::Always));
    cmd.args.push_back(PrintfLinesClose.str());
    run.commands.push_back(std::move(cmd));
  }

  [[noreturn]] static void notARunOp() { llvm_unreachable("not a run operation"); }

  const DialectRules &rules;
  RunInstruction &run;
  bool posixShell;
};

} // namespace

void appendRunOp(const plan::Op &op, const DialectRules &rules, RunInstruction &run,
                 bool posixShell) {
  assert(plan::isRunOp(op));
  std::visit(RunOpEmitter(rules, run, posixShell), op);
}

void appendWriteFile(const plan::WriteFile &file, RunInstruction &run) {
  llvm::StringRef content = file.content;
  bool finalNewline = content.endswith("\n");
  if (finalNewline)
    content = content.drop_back();
  llvm::SmallVector<llvm::StringRef, 16> lines;
  if (!content.empty() || finalNewline)
    content.split(lines, '\n');
  // printf repeats its format for each argument: '%s\n' writes every line
  // with its line break. A last line without one gets a format of its own.
  std::string format;
  if (!finalNewline && !lines.empty()) {
    for (size_t i = 0; i + 1 < lines.size(); ++i)
      format += "%s\\n";
    format += "%s";
  } else {
    format = "%s\\n";
  }
  llvm::StringRef dir = llvm::StringRef(file.path).rsplit('/').first;
  if (!dir.empty())
    run.commands.push_back({shellJoin({"mkdir", "-p", dir}), {}});
  ShellCommand write{shellJoin({"printf", lines.empty() ? "" : format}), {}};
  for (llvm::StringRef line : lines)
    write.args.push_back(shellQuote(line, QuoteMode::Always));
  write.args.push_back("> " + shellQuote(file.path));
  run.commands.push_back(std::move(write));
  run.commands.push_back({shellJoin({"chmod", file.mode, file.path}), {}});
}

bool canShareRun(const RunInstruction &run, const RunInstruction &next,
                 const DialectRules &rules) {
  if (!rules.lockedCacheMountAlone)
    return true;
  RunInstruction merged = run;
  mergeRun(merged, next);
  unsigned caches = llvm::count_if(merged.mounts, isCacheMount);
  return caches <= 1 || llvm::none_of(merged.mounts, isLockedCacheMount);
}

void mergeRun(RunInstruction &run, RunInstruction next) {
  for (FileCopy &copy : next.copies)
    addCopy(run, std::move(copy));
  for (Mount &mount : next.mounts)
    addMount(run, std::move(mount));
  llvm::append_range(run.commands, std::move(next.commands));
}

std::vector<std::string> runLines(const RunInstruction &run) {
  std::vector<std::string> lines;
  // The first line follows `RUN `; only continuation lines are indented.
  auto add = [&lines](llvm::StringRef indent, llvm::StringRef text) {
    lines.push_back(lines.empty() ? text.str() : (indent + text).str());
  };
  for (const Mount &mount : run.mounts)
    add(Indent, mountFlag(mount));
  for (size_t i = 0; i < run.commands.size(); ++i) {
    const ShellCommand &cmd = run.commands[i];
    add(Indent, i == 0 ? cmd.head : "&& " + cmd.head);
    for (const std::string &arg : cmd.args)
      add(ArgIndent, arg);
  }
  return lines;
}

} // namespace imageplan::backends
