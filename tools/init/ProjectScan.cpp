// Project detection for `imageplan init`. Everything is read from the folder
// in sorted order, so the same folder always gives the same spec. Each file in
// a language of its own goes through its reader in readers/ (ProjectFile.h):
// the Dockerfiles (DockerfileChoice.cpp, DockerfileFacts.cpp), then the base
// (BaseChoice.cpp), the Python side (PythonChoice.cpp) and the app's files and
// command (AppFiles.cpp).
#include "tools/init/ProjectScan.h"

#include "tools/init/ProjectFile.h"
#include "tools/init/ScanSteps.h"

#include "readers/InputFile.h"
#include "readers/Pyproject.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <optional>

namespace imageplan::init {
namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

// Folders that are never part of the image.
constexpr llvm::StringLiteral kSkippedDirs[] = {
    "tests", "test", "docs", "doc", "venv", ".venv", "env", "node_modules", "__pycache__",
    "build", "dist", ".git", ".github", ".idea", ".vscode", "scripts", "examples", "notebooks"};

// What a reader's rejection of a file means for the spec.
constexpr llvm::StringLiteral kIgnored = "nothing was taken from it";

/// What pyproject.toml says: the manager its tables belong to, whether it is a
/// package, its extras and console scripts, and a Python version.
void readPyproject(const readers::Pyproject &pyproject, ProjectFacts &facts) {
  if (facts.uvLock)
    facts.manager = "uv";
  else if (facts.poetryLock || pyproject.poetry)
    facts.manager = "poetry";
  facts.buildSystem = pyproject.buildSystem;
  facts.definedExtras = pyproject.extras();
  facts.projectDependencies = pyproject.dependencies;
  facts.scripts = pyproject.consoleScripts();
  std::pair<std::string, llvm::StringRef> sources[] = {
      {pyproject.requiresPython, "pyproject.toml's requires-python"},
      {pyproject.poetry ? pyproject.poetry->python : "", "pyproject.toml's poetry python"}};
  for (const auto &[constraint, source] : sources) {
    if (!facts.pythonVersion.empty() || constraint.empty())
      continue;
    facts.pythonVersion = majorMinor(constraint);
    facts.pythonVersionSource = source.str();
  }
}

// The first folder (in name order) holding a package.json: a frontend built
// with Node, then copied into the image.
std::optional<ProjectFacts::NodePart> findNodePart(llvm::StringRef dir,
                                                   const std::vector<std::string> &dirs) {
  for (const std::string &name : dirs) {
    if (isSkippedDir(name) || name.front() == '.' || !isPlainName(name))
      continue;
    std::optional<std::string> manifest = readText(dir + "/" + name + "/package.json");
    if (!manifest)
      continue;
    ProjectFacts::NodePart part;
    part.dir = name;
    for (const char *lock : {"package-lock.json", "yarn.lock"})
      if (fs::exists(dir + "/" + name + "/" + lock)) {
        part.lockFile = lock;
        break;
      }
    llvm::StringRef text(*manifest);
    part.buildScript = text.contains("\"build\":") || text.contains("\"build\" :");
    part.outDir = text.contains("\"react-scripts\"") ? "build" : "dist";
    return part;
  }
  return std::nullopt;
}

/// The names of the files and folders in `dir`, each sorted.
llvm::Error listFolder(llvm::StringRef dir, std::vector<std::string> &files,
                       std::vector<std::string> &dirs) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = path::filename(it->path());
    if (fs::is_directory(it->path()))
      dirs.push_back(name.str());
    else
      files.push_back(name.str());
  }
  if (ec)
    return llvm::createStringError(ec, "cannot list '" + dir + "': " + ec.message());
  llvm::sort(files);
  llvm::sort(dirs);
  return llvm::Error::success();
}

} // namespace

std::optional<std::string> readText(const llvm::Twine &file) {
  auto buffer = readers::readInputFile(file.str(), readers::limits::kProjectFile);
  if (!buffer) {
    llvm::consumeError(buffer.takeError());
    return std::nullopt;
  }
  return (*buffer)->getBuffer().str();
}

bool isSkippedDir(llvm::StringRef name) { return llvm::is_contained(kSkippedDirs, name); }

std::string specName(llvm::StringRef name) {
  std::string out;
  for (char c : name.lower()) {
    if (llvm::isAlnum(c) || c == '.' || c == '_' || c == '-')
      out.push_back(c);
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
  }
  while (!out.empty() && !llvm::isAlnum(out.front()))
    out.erase(out.begin());
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out.empty() ? "app" : out;
}

llvm::Expected<ProjectFacts> scanProject(llvm::StringRef dir) {
  if (!fs::is_directory(dir))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + dir + "' is not a folder");
  ProjectFacts facts;
  llvm::SmallString<256> real;
  facts.name = specName(fs::real_path(dir, real) ? path::filename(dir) : path::filename(real));
  std::vector<std::string> files, dirs;
  if (llvm::Error error = listFolder(dir, files, dirs))
    return error;

  facts.pyproject = llvm::is_contained(files, "pyproject.toml");
  facts.uvLock = llvm::is_contained(files, "uv.lock");
  facts.poetryLock = llvm::is_contained(files, "poetry.lock");
  facts.setupPy = llvm::is_contained(files, "setup.py");
  facts.packageJson = llvm::is_contained(files, "package.json");

  // The Python version: .python-version, then pyproject's requires-python.
  if (auto text = readText(dir + "/.python-version")) {
    facts.pythonVersion = majorMinor(*text);
    facts.pythonVersionSource = ".python-version";
  }
  if (facts.pyproject)
    readPyproject(readProjectFile(dir, "pyproject.toml", readers::parsePyproject, kIgnored,
                                  facts.notes)
                      .value_or(readers::Pyproject()),
                  facts);
  readDockerfiles(dir, files, dirs, facts);
  chooseBase(facts);
  choosePython(dir, files, facts);
  chooseAppFiles(dir, files, dirs, facts);
  // A Node part is built when the Dockerfile builds one, or when there is no
  // Dockerfile to say (a package.json for tooling is no frontend).
  if (!facts.dockerfile || facts.dockerfile->buildsNode)
    facts.node = findNodePart(dir, dirs);
  else if (std::optional<ProjectFacts::NodePart> part = findNodePart(dir, dirs))
    facts.notes.push_back(part->dir + "/package.json is not built: " + facts.dockerfile->path +
                          " does not build a Node part");
  return facts;
}

} // namespace imageplan::init
