// The commands of Python run operations: venvs, pip, uv, poetry, managed
// CPython, the project install and wheel builds, each with its cache mount
// (or, without one, the option that keeps the cache out of the layer).
#include "backends/RunBuilder.h"

#include "backends/ShellQuote.h"
#include "backends/VenvPrograms.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::backends {

void emitOp(RunBuilder &b, const plan::CreateVenv &op) {
  b.command(shellJoin({op.python, "-m", "venv", op.path}));
}

namespace {

/// The -c arguments every pip call of a venv carries: the pins' constraints
/// file (mounted from its stage), this stage's own (the pins' freeze), then
/// the spec's constraint files (mounted from the context).
void appendConstraints(RunBuilder &b, const std::string &pinsStage, const std::string &pinsFile,
                       llvm::ArrayRef<std::string> stageFiles,
                       llvm::ArrayRef<std::string> contextFiles, std::vector<std::string> &args) {
  if (!pinsStage.empty()) {
    b.bindStage(pinsStage, pinsFile, PinsMountPath);
    args.push_back(shellJoin({"-c", PinsMountPath}));
  }
  for (const std::string &file : stageFiles)
    args.push_back(shellJoin({"-c", file}));
  for (const std::string &file : contextFiles) {
    b.bindContext(file, scratchPath(file));
    args.push_back(shellJoin({"-c", scratchPath(file)}));
  }
}

} // namespace

// With a cache mount: no --no-cache-dir and no PIP_NO_CACHE_DIR, so pip's
// cache speeds up rebuilds without ending up in the image. Without one the
// cache would only be written into the layer: --no-cache-dir.
// With `installer: uv`, uv's pip interface takes the same arguments (plus
// its index strategy), installs into the interpreter named by --python, and
// copies out of its cache mount like `uv sync`.
void emitOp(RunBuilder &b, const plan::PipInstall &op) {
  bool uv = op.installer == "uv";
  b.addCache(uv ? UvCache : PipCache);
  for (const std::string &file : op.requirementFiles)
    b.bindContext(file, scratchPath(file));
  bool wheels = !op.wheelStage.empty();
  if (wheels)
    b.bindStage(op.wheelStage, op.wheelDir, WheelMountDir);
  ShellCommand install{b.pipCommand("install"), {}};
  if (uv) {
    install.head =
        shellAssign("UV_LINK_MODE", "copy") + " " + b.uvCommand({"pip", "install"});
    install.args.push_back(shellJoin({"--python", op.python}));
    if (!op.indexStrategy.empty())
      install.args.push_back(shellJoin({"--index-strategy", op.indexStrategy}));
  }
  appendQuotedEach(op.options, install.args);
  if (!op.target.empty())
    install.args.push_back(shellJoin({"--target", op.target}));
  appendIndexArgs(op.indexUrls, install.args);
  if (wheels)
    install.args.push_back(shellJoin({"--find-links", WheelMountDir}));
  else if (!op.wheelDir.empty())
    install.args.push_back(shellJoin({"--find-links", op.wheelDir}));
  appendConstraints(b, op.pinsStage, op.pinsFile, op.stageConstraints, op.constraintFiles,
                    install.args);
  for (const std::string &file : op.requirementFiles)
    install.args.push_back(shellJoin({"-r", scratchPath(file)}));
  appendQuotedEach(op.packages, install.args);
  b.push(std::move(install));
}

// The lock is used as it is (--frozen): a stale lock is the author's to
// fix, never re-resolved at build time. The project itself is installed
// later, after the code copy (InstallProject), so a code edit never reaches
// this layer. Hard links cannot cross from the cache mount into the layer,
// hence UV_LINK_MODE=copy; bytecode is compiled once here rather than at
// every container start.
void emitOp(RunBuilder &b, const plan::UvSync &op) {
  b.addCache(UvCache);
  for (const std::string &file : op.manifestFiles)
    b.bindContext(file, scratchPath(file));
  ShellCommand sync{
      llvm::join(std::vector<std::string>{shellAssign("UV_PROJECT_ENVIRONMENT", op.venv),
                                          shellAssign("UV_LINK_MODE", "copy"),
                                          shellAssign("UV_COMPILE_BYTECODE", "1"),
                                          shellAssign("UV_PYTHON_DOWNLOADS", "never"),
                                          b.uvCommand({"sync"})},
                 " "),
      {}};
  sync.args.push_back(shellJoin({"--frozen", "--no-install-project", "--no-dev"}));
  sync.args.push_back(shellJoin({"--project", projectScratchDir(op.projectDir)}));
  for (const std::string &extra : op.extras)
    sync.args.push_back(shellJoin({"--extra", extra}));
  b.push(std::move(sync));
}

// Poetry installs into the venv VIRTUAL_ENV names (the stage sets it)
// instead of one of its own; `--no-root` leaves the project for later and
// `--only main` leaves out development groups. A lock that no longer
// matches pyproject.toml fails the build.
void emitOp(RunBuilder &b, const plan::PoetryInstall &op) {
  b.addCache(PoetryCache);
  for (const std::string &file : op.manifestFiles)
    b.bindContext(file, scratchPath(file));
  // Poetry from a stage of its own is mounted at the path its scripts name.
  if (!op.poetryStage.empty())
    b.bindStage(op.poetryStage, op.poetryHome, op.poetryHome);
  std::vector<llvm::StringRef> poetry = {op.poetry, "install"};
  if (!b.rules().cacheMounts)
    poetry.push_back("--no-cache");
  ShellCommand install{shellAssign("POETRY_VIRTUALENVS_CREATE", "false") + " " + shellJoin(poetry),
                       {}};
  install.args.push_back(shellJoin({"--directory", projectScratchDir(op.projectDir)}));
  install.args.push_back(shellJoin({"--no-root", "--only", "main", "--no-interaction"}));
  for (const std::string &extra : op.extras)
    install.args.push_back(shellJoin({"--extras", extra}));
  b.push(std::move(install));
}

void emitOp(RunBuilder &b, const plan::InstallPoetry &op) {
  b.addCache(PipCache);
  b.command(shellJoin({op.python, "-m", "venv", op.path}));
  b.command(b.pipCommand("install", op.path + "/bin/pip") + " " +
            shellQuote("poetry==" + op.version));
}

// The download is pinned twice: by the uv release (which fixes the patch
// version each minor resolves to) and by the version itself.
void emitOp(RunBuilder &b, const plan::InstallPython &op) {
  b.bindStage(op.uvImage, "/uv", UvMountPath);
  std::string dir = shellAssign("UV_PYTHON_INSTALL_DIR", op.installDir);
  b.command(dir + " " + b.uvCommand({"python", "install"}, UvMountPath) + " " +
            shellQuote(op.version));
  if (op.venv.empty())
    return;
  b.command(dir + " " +
            shellJoin({UvMountPath, "venv", "--python", op.version, "--seed", "--python-preference",
                       "only-managed", op.venv}));
}

void emitOp(RunBuilder &b, const plan::InstallProject &op) {
  if (op.installer != "uv") {
    b.addCache(PipCache);
    b.command(b.pipCommand("install") + " " + shellJoin({"--no-deps", op.path}));
    return;
  }
  b.addCache(UvCache);
  std::string uv = "uv";
  if (!op.uvImage.empty()) {
    b.bindStage(op.uvImage, "/uv", UvMountPath);
    uv = UvMountPath.str();
  }
  b.command(shellAssign("UV_LINK_MODE", "copy") + " " + b.uvCommand({"pip", "install"}, uv) + " " +
            shellJoin({"--no-deps", op.path}));
}

// conda keeps downloaded packages in its package cache: pointed into a cache
// mount (locked: two stages must not write one cache at once), or cleaned
// in the same layer without one. micromamba installs an environment file
// with `install`, conda and mamba with `env update`.
void emitOp(RunBuilder &b, const plan::CondaEnvUpdate &op) {
  std::string file = scratchPath(op.file);
  b.bindContext(op.file, file);
  b.addCache(CondaCache);
  std::string head;
  if (b.rules().cacheMounts)
    head = shellAssign("CONDA_PKGS_DIRS", CondaCache.target) + " ";
  if (op.tool == "micromamba")
    head += shellJoin({op.tool, "install", "--yes", "--prefix", op.prefix, "--file", file});
  else
    head += shellJoin({op.tool, "env", "update", "--prefix", op.prefix, "--file", file});
  b.command(head);
  if (!b.rules().cacheMounts)
    b.command(shellJoin({op.tool, "clean", "--all", "--yes"}));
}

// A build against the venv (--no-build-isolation) sees its build tools
// through PYTHONPATH and PATH when they live in a folder of their own; the
// knobs (MAX_JOBS, TORCH_CUDA_ARCH_LIST) are the command's environment, so
// changing one is a change of this RUN.
void emitOp(RunBuilder &b, const plan::PipWheel &op) {
  b.addCache(PipCache);
  std::vector<std::string> prefix;
  for (const auto &[name, value] : op.env)
    prefix.push_back(shellAssign(name, value));
  if (!op.toolsDir.empty()) {
    prefix.push_back(shellAssign("PYTHONPATH", op.toolsDir));
    // The one expansion: the stage's PATH, behind the tools' scripts.
    prefix.push_back(shellAssign("PATH", op.toolsDir + "/bin") + ":\"$PATH\"");
  }
  std::vector<llvm::StringRef> flags = {"--no-deps"};
  if (!op.isolated)
    flags.push_back("--no-build-isolation");
  flags.push_back("--wheel-dir");
  flags.push_back(op.outDir);
  prefix.push_back(b.pipCommand("wheel") + " " + shellJoin(flags));
  ShellCommand wheel{llvm::join(prefix, " "), {}};
  appendIndexArgs(op.indexUrls, wheel.args);
  appendConstraints(b, op.pinsStage, op.pinsFile, {}, op.constraintFiles, wheel.args);
  appendQuotedEach(op.packages, wheel.args);
  b.push(std::move(wheel));
}

// The freeze is what every later install of the venv reads with -c; the
// manifest is what SplitVenv compares against. Both stay in the builder.
void emitOp(RunBuilder &b, const plan::RecordVenv &op) {
  b.command(shellJoin({"mkdir", "-p", op.dir}));
  b.command(shellJoin({"pip", "freeze", "--all"}) + " > " + shellQuote(op.dir + "/freeze.txt"));
  std::vector<llvm::StringRef> program(venvManifestProgram().begin(),
                                       venvManifestProgram().end());
  b.printfLines(shellJoin({"python", "-c"}), program, {},
                {shellQuote(op.venv), shellQuote(op.dir + "/files.txt")});
}

void emitOp(RunBuilder &b, const plan::SplitVenv &op) {
  std::vector<llvm::StringRef> program(venvSplitProgram().begin(), venvSplitProgram().end());
  b.printfLines(shellJoin({"python", "-c"}), program, {},
                {shellQuote(op.venv), shellQuote(op.recordDir + "/files.txt"),
                 shellQuote(op.outDir)});
}

} // namespace imageplan::backends
