// Project detection for `imageplan init`. Everything is read from the folder
// in sorted order, so the same folder always gives the same spec. Each file in
// a language of its own goes through its reader in readers/ (ProjectFile.h).
#include "tools/init/ProjectScan.h"

#include "tools/init/ProjectFile.h"
#include "tools/init/ScanSteps.h"

#include "readers/InputFile.h"
#include "readers/Pyproject.h"
#include "readers/Requirements.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
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

std::optional<std::string> readText(const llvm::Twine &file) {
  auto buffer = readers::readInputFile(file.str(), readers::limits::kProjectFile);
  if (!buffer) {
    llvm::consumeError(buffer.takeError());
    return std::nullopt;
  }
  return (*buffer)->getBuffer().str();
}

/// What pyproject.toml says: the manager its tables belong to, whether it is a
/// package, its extras and console scripts, and a Python version.
void readPyproject(const readers::Pyproject &pyproject, ProjectFacts &facts) {
  if (facts.uvLock)
    facts.manager = "uv";
  else if (facts.poetryLock || pyproject.poetry)
    facts.manager = "poetry";
  facts.buildSystem = pyproject.buildSystem;
  facts.extras = pyproject.extras();
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

// A folder name that is safe as a plain word in shell text and YAML: the
// starter spec writes `cd NAME` into a step.
bool isPlainName(llvm::StringRef name) {
  return !name.empty() && name.front() != '-' && llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '.' || c == '_' || c == '-';
  });
}

// The first folder (in name order) holding a package.json: a frontend built
// with Node, then copied into the image.
std::optional<ProjectFacts::NodePart> findNodePart(llvm::StringRef dir,
                                                   const std::vector<std::string> &dirs) {
  for (const std::string &name : dirs) {
    if (llvm::is_contained(kSkippedDirs, llvm::StringRef(name)) || name.front() == '.' ||
        !isPlainName(name))
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

// `module:variable` of a FastAPI app assigned at the top of `code`, or "".
std::string fastapiVariable(llvm::StringRef code) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  code.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    auto [lhs, rhs] = line.split('=');
    lhs = lhs.trim();
    if (rhs.trim().startswith("FastAPI(") && !lhs.empty() &&
        llvm::all_of(lhs, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
      return lhs.str();
  }
  return "";
}

bool isPythonPackage(llvm::StringRef dir, llvm::StringRef name) {
  llvm::SmallString<256> init(dir);
  path::append(init, name, "__init__.py");
  return fs::exists(init);
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

/// The requirement and constraint files; whether the installed ones ask for
/// uvicorn (then the app may be a FastAPI app it serves).
bool readRequirementFiles(llvm::StringRef dir, const std::vector<std::string> &files,
                          ProjectFacts &facts) {
  bool uvicorn = false;
  for (const std::string &file : files) {
    llvm::StringRef name(file);
    if (name.startswith("constraints") && name.endswith(".txt")) {
      facts.constraints.push_back(file);
      continue;
    }
    if (!name.startswith("requirements") || !name.endswith(".txt"))
      continue;
    if (name != "requirements.txt") {
      facts.otherRequirements.push_back(file);
      continue;
    }
    facts.requirements.push_back(file);
    std::optional<readers::RequirementsFile> requirements =
        readProjectFile(dir, file, readers::parseRequirements,
                        "init did not look into it (the spec still installs it)", facts.notes);
    uvicorn |= requirements && requirements->hasPackage("uvicorn");
  }
  return uvicorn;
}

/// What the image copies, and the module that runs the app.
void findAppFiles(llvm::StringRef dir, const std::vector<std::string> &files,
                  const std::vector<std::string> &dirs, ProjectFacts &facts) {
  for (const std::string &file : files)
    if (llvm::StringRef(file).endswith(".py") && file != "setup.py" &&
        !llvm::StringRef(file).startswith("test_") && file != "conftest.py")
      facts.copy.push_back(file);
  for (const std::string &name : dirs) {
    if (llvm::is_contained(kSkippedDirs, llvm::StringRef(name)) ||
        llvm::StringRef(name).startswith("."))
      continue;
    if (isPythonPackage(dir, name) ||
        oneOf(name, {"app", "src", "static", "templates", "config"}))
      facts.copy.push_back(name + "/");
  }
  // A package is built from its copy in the image: pyproject.toml goes along.
  if (facts.pyproject && facts.buildSystem)
    facts.copy.push_back("pyproject.toml");
  llvm::sort(facts.copy);

  for (const char *candidate : {"main.py", "app.py", "server.py"})
    if (llvm::is_contained(files, candidate)) {
      facts.mainModule = candidate;
      return;
    }
  for (const std::string &name : dirs) {
    llvm::SmallString<256> mainFile(dir);
    path::append(mainFile, name, "__main__.py");
    if (fs::exists(mainFile)) {
      facts.mainModule = name;
      return;
    }
  }
}

/// A FastAPI app uvicorn runs: in the main module, or in a package
/// (app/main.py: uvicorn runs app.main:app).
void findFastapiApp(llvm::StringRef dir, ProjectFacts &facts) {
  if (llvm::StringRef(facts.mainModule).endswith(".py"))
    if (auto code = readText(dir + "/" + facts.mainModule))
      facts.fastapi = llvm::StringRef(*code).contains("FastAPI(");
  if (facts.fastapi)
    return;
  for (const std::string &copied : facts.copy) {
    llvm::StringRef package(copied);
    if (!package.consume_back("/") || !isPlainName(package))
      continue;
    for (const char *file : {"main.py", "app.py", "server.py", "api.py"}) {
      std::optional<std::string> code = readText(dir + "/" + package + "/" + file);
      std::string variable = code ? fastapiVariable(*code) : "";
      if (variable.empty())
        continue;
      facts.fastapi = true;
      facts.asgiApp = (package + "." + llvm::StringRef(file).drop_back(3) + ":" + variable).str();
      return;
    }
  }
}

} // namespace

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
  if (std::optional<readers::Dockerfile> dockerfile =
          readProjectFile(dir, "Dockerfile", readers::parseDockerfile, kIgnored, facts.notes))
    readDockerfile(*dockerfile, facts);
  chooseBase(facts);

  bool uvicorn = readRequirementFiles(dir, files, facts);
  findAppFiles(dir, files, dirs, facts);
  if (uvicorn)
    findFastapiApp(dir, facts);
  facts.node = findNodePart(dir, dirs);
  return facts;
}

} // namespace imageplan::init
