// Project detection for `imageplan init`. Everything is read from the folder
// in sorted order, so the same folder always gives the same spec.
#include "tools/init/ProjectScan.h"

#include "tools/init/ProjectFile.h"

#include "planner/Base.h"
#include "readers/Pyproject.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <optional>

namespace imageplan::init {
namespace {

bool oneOf(llvm::StringRef word, std::initializer_list<llvm::StringRef> words) {
  return llvm::is_contained(llvm::ArrayRef<llvm::StringRef>(words.begin(), words.end()), word);
}

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

// Folders that are never part of the image.
constexpr llvm::StringLiteral kSkippedDirs[] = {
    "tests", "test", "docs", "doc", "venv", ".venv", "env", "node_modules", "__pycache__",
    "build", "dist", ".git", ".github", ".idea", ".vscode", "scripts", "examples", "notebooks"};

std::optional<std::string> readText(const llvm::Twine &file) {
  auto buffer = llvm::MemoryBuffer::getFile(file);
  if (!buffer)
    return std::nullopt;
  return (*buffer)->getBuffer().str();
}

/// "3.11" from "3.11.7", ">=3.10", "python3.12"; "" when there is none.
std::string majorMinor(llvm::StringRef text) {
  size_t at = text.find("3.");
  if (at == llvm::StringRef::npos)
    return "";
  llvm::StringRef rest = text.drop_front(at + 2);
  llvm::StringRef minor = rest.take_while(llvm::isDigit);
  return minor.empty() ? "" : "3." + minor.str();
}

/// Dockerfile lines with continuations joined and comments dropped.
std::vector<std::string> dockerfileInstructions(llvm::StringRef text) {
  std::vector<std::string> instructions;
  std::string current;
  llvm::SmallVector<llvm::StringRef, 64> lines;
  text.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::StringRef trimmed = line.trim();
    if (trimmed.startswith("#"))
      continue;
    if (trimmed.endswith("\\")) {
      current += trimmed.drop_back().str() + " ";
      continue;
    }
    current += trimmed.str();
    if (!llvm::StringRef(current).trim().empty())
      instructions.push_back(llvm::StringRef(current).trim().str());
    current.clear();
  }
  return instructions;
}

std::vector<std::string> execForm(llvm::StringRef arguments) {
  std::vector<std::string> words;
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(arguments);
  if (!value) {
    llvm::consumeError(value.takeError());
    return words;
  }
  if (const llvm::json::Array *array = value->getAsArray())
    for (const llvm::json::Value &item : *array)
      if (auto text = item.getAsString())
        words.push_back(text->str());
  return words;
}

/// A word a spec accepts as a system package that is not the Python the
/// spec installs itself (python3, python3.11-pip, py3-pip, python-3.12).
bool isNonPythonPackage(llvm::StringRef word) {
  if (word.empty() || !llvm::isAlnum(word[0]) ||
      !llvm::all_of(word, [](char c) { return llvm::isAlnum(c) || llvm::StringRef("+._=-").contains(c); }))
    return false;
  llvm::StringRef name = word.split('=').first;
  return !name.startswith("python3") && !name.startswith("python-3") &&
         !(name.startswith("py3") && name.endswith("-pip"));
}

/// The packages of `apk add`, `dnf install`, `microdnf install` and `yum
/// install` commands in one RUN's shell text.
void readInstalls(llvm::StringRef run, std::vector<std::string> &packages) {
  llvm::SmallVector<llvm::StringRef, 32> words;
  run.split(words, ' ', -1, false);
  bool installing = false;
  for (size_t i = 0; i < words.size(); ++i) {
    llvm::StringRef word = words[i];
    if (oneOf(word, {"&&", "||", ";", "|"}) || word.endswith(";")) {
      installing = false;
      continue;
    }
    if (i + 1 < words.size() &&
        ((word == "apk" && words[i + 1] == "add") ||
         (oneOf(word, {"dnf", "microdnf", "yum"}) && words[i + 1] == "install"))) {
      installing = true;
      ++i;
      continue;
    }
    if (installing && !word.startswith("-") && isNonPythonPackage(word) &&
        !llvm::is_contained(packages, word))
      packages.push_back(word.str());
  }
}

void readDockerfile(llvm::StringRef text, ProjectFacts &facts) {
  std::vector<std::pair<std::string, std::string>> stages; // name -> base
  for (const std::string &instruction : dockerfileInstructions(text)) {
    auto [keyword, arguments] = llvm::StringRef(instruction).split(' ');
    std::string upper = keyword.upper();
    arguments = arguments.trim();
    if (upper == "FROM") {
      llvm::SmallVector<llvm::StringRef, 4> words;
      arguments.split(words, ' ', -1, false);
      llvm::erase_if(words, [](llvm::StringRef w) { return w.startswith("--"); });
      if (words.empty())
        continue;
      std::string base = words[0].str();
      for (const auto &[name, earlier] : stages)
        if (name == base)
          base = earlier;
      std::string name = words.size() >= 3 && words[1].equals_insensitive("as") ? words[2].str() : "";
      stages.push_back({name, base});
      facts.dockerfileBase = base;
      facts.ports.clear(); // ports, CMD, ENTRYPOINT and packages of the final stage only
      facts.cmd.clear();
      facts.entrypoint.clear();
      facts.dockerfilePackages.clear();
    } else if (upper == "RUN") {
      readInstalls(arguments, facts.dockerfilePackages);
    } else if (upper == "EXPOSE") {
      llvm::SmallVector<llvm::StringRef, 4> words;
      arguments.split(words, ' ', -1, false);
      for (llvm::StringRef word : words) {
        unsigned port = 0;
        if (!word.split('/').first.getAsInteger(10, port) && port > 0 && port < 65536)
          facts.ports.push_back(static_cast<int>(port));
      }
    } else if (upper == "CMD") {
      facts.cmd = execForm(arguments);
    } else if (upper == "ENTRYPOINT") {
      facts.entrypoint = execForm(arguments);
    }
  }
}

/// An Alpine, Wolfi or UBI base is kept, with the package manager it implies
/// spelled out in the spec, and a Python the distribution can provide.
void keepNonAptBase(ProjectFacts &facts, plan::PackageManager manager) {
  facts.image = facts.dockerfileBase;
  facts.systemManager = plan::toString(manager);
  dsl::BaseSpec spec;
  spec.image = dsl::LString{facts.image, {}};
  planner::BaseImages resolved = planner::resolveBase(spec, "");
  std::string shipped = resolved.shippedPython;
  llvm::StringRef source = resolved.python == planner::PythonSource::Image
                               ? "the Dockerfile's base image"
                               : llvm::StringRef(resolved.distro);
  if (!shipped.empty()) {
    if (!facts.pythonVersion.empty() && facts.pythonVersion != shipped)
      facts.notes.push_back("the project asks for Python " + facts.pythonVersion + " but " +
                            source.str() + " ships " + shipped + "; the spec uses " + shipped);
    facts.pythonVersion = shipped;
    facts.pythonVersionSource = source.str();
    return;
  }
  if (manager == plan::PackageManager::Apk) {
    facts.notes.push_back("which Python the base '" + facts.image +
                          "' ships is not known; check python.version");
  }
  if (facts.pythonVersion.empty()) {
    facts.pythonVersion = "3.11";
    facts.pythonVersionSource = "imageplan's default";
  }
}

/// The spec's base from a Dockerfile base image.
void chooseBase(ProjectFacts &facts) {
  llvm::StringRef base = facts.dockerfileBase;
  std::string lower = base.lower();
  llvm::StringRef repo = llvm::StringRef(lower).split(':').first;
  llvm::StringRef tag = llvm::StringRef(lower).split(':').second;
  if (repo.endswith("nvidia/cuda") && !tag.empty()) {
    // 11.8.0-cudnn8-runtime-ubuntu22.04
    llvm::SmallVector<llvm::StringRef, 4> parts;
    tag.split(parts, '-');
    facts.cuda = parts[0].str();
    bool unnumberedCudnn = false;
    for (llvm::StringRef part : parts) {
      if (part.startswith("cudnn") && part.size() > 5)
        facts.cudnn = part.drop_front(5).str();
      unnumberedCudnn |= part == "cudnn";
      if (part.startswith("ubuntu") || part.startswith("ubi"))
        facts.os = part.str();
      if (oneOf(part, {"base", "devel"}))
        facts.cudaFlavor = part.str();
    }
    // 12.4.1-cudnn-runtime-ubuntu22.04: cuDNN 9, named by the flavor.
    if (unnumberedCudnn)
      facts.cudaFlavor = "cudnn-" + (facts.cudaFlavor.empty() ? "runtime" : facts.cudaFlavor);
    if (facts.os.empty() ||
        !oneOf(facts.os, {"ubuntu20.04", "ubuntu22.04", "ubuntu24.04", "ubi8", "ubi9"})) {
      facts.notes.push_back("the Dockerfile's base '" + base.str() +
                            "' is not an Ubuntu or UBI CUDA image; the spec uses ubuntu22.04");
      facts.os = "ubuntu22.04";
    }
    if (llvm::StringRef(facts.os).startswith("ubi")) {
      // dnf installs the python3.X the project asks for.
      if (facts.pythonVersion.empty()) {
        facts.pythonVersion = "3.11";
        facts.pythonVersionSource = "imageplan's default";
      }
      return;
    }
    const char *shipped = facts.os == "ubuntu20.04" ? "3.8"
                          : facts.os == "ubuntu24.04" ? "3.12"
                                                      : "3.10";
    if (!facts.pythonVersion.empty() && facts.pythonVersion != shipped)
      facts.notes.push_back("the project asks for Python " + facts.pythonVersion + " but " +
                            facts.os + " ships " + shipped + "; the spec uses " + shipped);
    facts.pythonVersion = shipped;
    facts.pythonVersionSource = facts.os;
    return;
  }
  plan::PackageManager manager = planner::inferPackageManager(base);
  if (!base.empty() && manager != plan::PackageManager::Apt) {
    keepNonAptBase(facts, manager);
    return;
  }
  if (repo.endswith("python")) {
    facts.image = base.str();
    std::string version = majorMinor(tag);
    if (!version.empty()) {
      facts.pythonVersion = version;
      facts.pythonVersionSource = "the Dockerfile's base image";
    }
    return;
  }
  if (!base.empty())
    facts.notes.push_back("the Dockerfile's base '" + base.str() +
                          "' is not a python or NVIDIA CUDA image; the spec starts from a "
                          "python image instead");
  std::string version = facts.pythonVersion.empty() ? "3.11" : facts.pythonVersion;
  facts.image = "python:" + version + "-slim";
  if (facts.pythonVersion.empty()) {
    facts.pythonVersion = version;
    facts.pythonVersionSource = "imageplan's default";
  }
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
  if (!facts.pythonVersion.empty())
    return;
  facts.pythonVersion = majorMinor(pyproject.requiresPython);
  facts.pythonVersionSource = "pyproject.toml's requires-python";
  if (facts.pythonVersion.empty() && pyproject.poetry) {
    facts.pythonVersion = majorMinor(pyproject.poetry->python);
    facts.pythonVersionSource = "pyproject.toml's poetry python";
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
    readPyproject(readProjectFile(dir, "pyproject.toml", readers::parsePyproject,
                                  "nothing was taken from it", facts.notes)
                      .value_or(readers::Pyproject()),
                  facts);
  if (auto text = readText(dir + "/Dockerfile"))
    readDockerfile(*text, facts);
  chooseBase(facts);

  std::string allRequirements;
  for (const std::string &file : files) {
    llvm::StringRef name(file);
    if (name.startswith("constraints") && name.endswith(".txt")) {
      facts.constraints.push_back(file);
      continue;
    }
    if (!name.startswith("requirements") || !name.endswith(".txt"))
      continue;
    if (name == "requirements.txt") {
      facts.requirements.push_back(file);
      allRequirements += readText(dir + "/" + file).value_or("");
    } else {
      facts.otherRequirements.push_back(file);
    }
  }

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
      break;
    }
  if (facts.mainModule.empty())
    for (const std::string &name : dirs) {
      llvm::SmallString<256> mainFile(dir);
      path::append(mainFile, name, "__main__.py");
      if (fs::exists(mainFile)) {
        facts.mainModule = name;
        break;
      }
    }
  if (llvm::StringRef(allRequirements).contains("uvicorn") &&
      llvm::StringRef(facts.mainModule).endswith(".py"))
    if (auto code = readText(dir + "/" + facts.mainModule))
      facts.fastapi = llvm::StringRef(*code).contains("FastAPI(");
  // A FastAPI app in a package (app/main.py): uvicorn runs app.main:app.
  if (llvm::StringRef(allRequirements).contains("uvicorn") && !facts.fastapi)
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
        break;
      }
      if (facts.fastapi)
        break;
    }
  facts.node = findNodePart(dir, dirs);
  return facts;
}

} // namespace imageplan::init
