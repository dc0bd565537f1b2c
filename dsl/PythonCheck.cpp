// Rules of the `python:` section that need more than one key or the files on
// disk. Each message names the key to change and, where one exists, the fix.
#include "dsl/PythonCheck.h"

#include "dsl/ProjectDependencies.h"
#include "dsl/PythonProject.h"
#include "dsl/ValueRules.h"
#include "readers/Pyproject.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <optional>

namespace imageplan::dsl {
namespace {

std::string contextFile(llvm::StringRef contextDir, llvm::StringRef file) {
  llvm::SmallString<256> path(contextDir);
  llvm::sys::path::append(path, file);
  return std::string(path.str());
}

/// Where a key was written, or the section's location for a default.
llvm::SMLoc locOr(const std::optional<LString> &value, llvm::SMLoc fallback) {
  return value ? value->loc : fallback;
}

class PythonChecker {
public:
  PythonChecker(readers::DiagnosticEngine &diags, const Spec &spec, llvm::StringRef contextDir,
                std::vector<std::string> *filesRead)
      : diags(diags), spec(spec), python(*spec.python), app(spec.app), contextDir(contextDir),
        filesRead(filesRead), manager(pythonManager(python)) {}

  void run() {
    checkManagerKeys();
    checkEnvironmentKeys();
    if (contextDir.empty())
      return;
    for (const LString &file : python.constraints)
      requireFile(file.value, file.loc, "constraints file", "");
    if (python.conda)
      requireFile(python.conda->value, python.conda->loc, "conda environment file", "");
    std::string dir = projectDir(python);
    if (dir.empty())
      return;
    llvm::SMLoc projectLoc = locOr(python.project, locOr(python.manager, python.loc));
    if (manager == PythonManager::Pip) {
      // pip builds a project from pyproject.toml, setup.cfg or setup.py.
      std::string manifest = findProjectManifest(contextDir, dir);
      if (manifest.empty()) {
        std::string where = dir == "." ? " in" : " in " + quoteValue(dir) + " of";
        diags.error(projectLoc, "no pyproject.toml, setup.cfg or setup.py found" + where +
                                    " build context " + quoteValue(contextDir) +
                                    "; 'project' names the folder that holds the app's "
                                    "pyproject.toml or setup.py");
        return;
      }
      if (filesRead)
        filesRead->push_back(contextFile(contextDir, manifest));
      if (installsProject(python))
        checkProjectCopied(dir, manifest, projectLoc);
      return;
    }
    std::string pyproject = underProject(python, "pyproject.toml");
    bool hasPyproject =
        requireFile(pyproject, projectLoc, "project file",
                    "; 'project' names the folder that holds the app's pyproject.toml");
    std::string lock = lockFile(python);
    const char *command = manager == PythonManager::Uv ? "uv lock" : "poetry lock";
    requireFile(lock, locOr(python.lock, locOr(python.manager, python.loc)), "lock file",
                std::string("; manager '") + toString(manager) +
                    "' installs exactly what the lock file pins: run `" + command +
                    "` and commit it, or name it with 'lock'");
    if (hasPyproject)
      checkExtras(pyproject);
    if (installsProject(python))
      checkProjectCopied(dir, pyproject, projectLoc);
  }

private:
  /// The project is built from its copy in the image, after the code copy
  /// (so that a code edit never reaches the dependency layers): `app.copy`
  /// must bring its pyproject.toml along.
  void checkProjectCopied(const std::string &dir, const std::string &pyproject, llvm::SMLoc loc) {
    auto covers = [&](const CopySpec &copy) {
      // A copy elsewhere than the workdir is not where the project is built from.
      if (copy.to)
        return false;
      llvm::StringRef path = llvm::StringRef(copy.from.value).rtrim('/');
      return path == "." || path == dir || path == pyproject ||
             llvm::StringRef(dir).startswith((path + "/").str());
    };
    if (llvm::any_of(app.copy, covers))
      return;
    diags.error(loc, "the project is installed from its copy in the image, and 'app.copy' does "
                     "not copy " + quoteValue(pyproject) +
                     "; add it and the package's sources to 'app.copy'");
  }

  void checkManagerKeys() {
    auto only = [&](bool written, llvm::SMLoc loc, const char *key, const char *why) {
      if (written)
        diags.error(loc, llvm::Twine("'") + key + "' " + why);
    };
    auto firstLoc = [](const std::vector<LString> &list) {
      return list.empty() ? llvm::SMLoc() : list.front().loc;
    };
    // uv also installs a Python the base does not ship; whether it does is
    // the planner's to know, so a version is enough here.
    only(python.uvVersion && manager != PythonManager::Uv && !python.version,
         locOr(python.uvVersion, {}), "uv_version",
         "applies to 'manager: uv', or to a 'version' the base does not ship");
    only(python.poetryVersion && manager != PythonManager::Poetry,
         locOr(python.poetryVersion, {}), "poetry_version", "only applies to 'manager: poetry'");
    if (python.package && projectDir(python).empty())
      diags.error(python.package->loc,
                  "'package' applies to a project; set 'project' to the folder holding "
                  "pyproject.toml");
    checkInstallerKeys();
    if (manager == PythonManager::Pip) {
      only(python.lock.has_value(), locOr(python.lock, {}), "lock",
           "applies to manager uv or poetry; pip installs from 'requirements' and "
           "'constraints' files");
      bool declared = python.projectDependencies && python.projectDependencies->value;
      only(!python.extras.empty() && !declared, firstLoc(python.extras), "extras",
           "need manager uv or poetry, which install them from the lock file, or "
           "'project_dependencies: true', which installs what the project declares for them");
      if (python.projectDependencies && projectDir(python).empty())
        diags.error(python.projectDependencies->loc,
                    "'project_dependencies' applies to a project; set 'project' to the folder "
                    "holding its pyproject.toml or setup.cfg");
      return;
    }
    only(python.projectDependencies.has_value(), python.projectDependencies
             ? python.projectDependencies->loc : llvm::SMLoc(),
         "project_dependencies",
         "applies to manager pip; uv and poetry install a project's dependencies from its lock");
    std::string why = std::string("is read by manager pip only; with '") + toString(manager) +
                      "' declare dependencies in pyproject.toml and lock them in " +
                      (manager == PythonManager::Uv ? "uv.lock" : "poetry.lock");
    only(!python.requirements.empty(), firstLoc(python.requirements), "requirements",
         why.c_str());
    only(!python.constraints.empty(), firstLoc(python.constraints), "constraints",
         why.c_str());
    llvm::SMLoc packagesLoc = !python.packages.empty() ? python.packages.front().loc
                              : !python.optionedPackages.empty()
                                  ? python.optionedPackages.front().loc
                                  : llvm::SMLoc();
    only(packagesLoc.isValid(), packagesLoc, "packages", why.c_str());
    only(!python.build.empty(), firstLoc(python.build), "build", why.c_str());
    only(!python.buildRequires.empty(), firstLoc(python.buildRequires), "build_requires",
         why.c_str());
    only(!python.indexUrls.empty(), firstLoc(python.indexUrls), "index_urls",
         (std::string("is read by manager pip only; with '") + toString(manager) +
          "' declare indexes in pyproject.toml")
             .c_str());
  }

  /// `environment: base` and what only it reads: the prefix, a conda file.
  void checkEnvironmentKeys() {
    bool base = usesBaseEnvironment(python);
    auto needsBase = [&](const std::optional<LString> &key, const char *name, const char *what) {
      if (key && !base)
        diags.error(key->loc, llvm::Twine("'") + name + "' " + what +
                                  "; set 'environment: base' to install into the base image's "
                                  "own environment");
    };
    needsBase(python.prefix, "prefix", "names the base image's Python environment");
    needsBase(python.conda, "conda", "installs into the base image's conda environment");
    if (python.condaTool && !python.conda)
      diags.error(python.condaTool->loc, "'conda_tool' installs the 'conda' environment file; "
                                         "name the file with 'conda'");
    if (!base)
      return;
    llvm::SMLoc at = python.environment->loc;
    if (python.venv)
      diags.error(python.venv->loc, "'venv' places the fresh venv, and 'environment: base' "
                                    "uses the base image's environment instead; remove one");
    if (manager != PythonManager::Pip)
      diags.error(at, std::string("'environment: base' installs with pip into the base image's "
                                  "environment; manager '") +
                          toString(manager) + "' installs into a venv of its own");
    if (baseEnvironmentPrefix(spec).empty())
      diags.error(at, "where the base image keeps its Python environment is not known for " +
                          quoteValue(spec.base.image ? spec.base.image->value : "a CUDA base") +
                          "; set 'prefix' (the folder holding bin/python, e.g. '/opt/conda')");
  }

  /// `installer` and `index_strategy` choose the tool behind pip's steps; the
  /// options of a package must be ones that tool takes.
  void checkInstallerKeys() {
    bool uv = python.installer && python.installer->value == "uv";
    if (python.installer && manager != PythonManager::Pip)
      diags.error(python.installer->loc,
                  std::string("'installer' applies to manager pip; manager '") +
                      toString(manager) + "' installs with " + toString(manager) + " itself");
    if (python.indexStrategy && !uv)
      diags.error(python.indexStrategy->loc,
                  manager == PythonManager::Pip
                      ? "'index_strategy' is uv's; pip always merges the versions of every index "
                        "(uv's 'unsafe-best-match'): set 'installer: uv' or remove it"
                      : "'index_strategy' applies to 'installer: uv' with manager pip; with a "
                        "lock file every package's index is pinned already");
    if (!uv)
      return;
    // What uv's `pip install` does not take, and what it takes instead.
    static constexpr std::pair<llvm::StringLiteral, llvm::StringLiteral> kPipOnly[] = {
        {"--ignore-installed", "'--force-reinstall'"},
        {"--prefer-binary", "'--only-binary=<package>' for the packages that need it"},
        {"--no-compile", "nothing: uv does not compile bytecode unless asked"}};
    for (const OptionedPackage &package : python.optionedPackages)
      for (const LString &option : package.options)
        for (const auto &[pipOnly, instead] : kPipOnly)
          if (option.value == pipOnly)
            diags.error(option.loc, "uv's pip interface does not take " + quoteValue(pipOnly) +
                                        " ('installer: uv'); use " + instead);
  }

  /// Whether the file is there; reports it missing at `loc` when it is not.
  bool requireFile(const std::string &file, llvm::SMLoc loc, const char *what,
                   const std::string &hint) {
    std::string path = contextFile(contextDir, file);
    if (llvm::sys::fs::is_regular_file(path)) {
      if (filesRead)
        filesRead->push_back(path);
      return true;
    }
    bool exists = llvm::sys::fs::exists(path);
    diags.error(loc, std::string(what) + " " + quoteValue(file) +
                         (exists ? " is not a regular file" : " not found") +
                         " in build context " + quoteValue(contextDir) +
                         (exists ? "" : similarFileHint(contextDir, file)) + hint);
    return false;
  }

  /// The extras the pyproject.toml defines, none when it cannot be read;
  /// nothing after the reader reported it malformed at its location.
  std::optional<std::vector<std::string>> definedExtras(const std::string &pyproject) {
    llvm::Expected<unsigned> buffer = diags.addFile(contextFile(contextDir, pyproject),
                                                    readers::limits::kProjectFile, "", contextDir);
    if (!buffer) {
      diags.error(llvm::toString(buffer.takeError()));
      return std::nullopt;
    }
    llvm::Expected<readers::Pyproject> parsed = readers::parsePyproject(diags, *buffer);
    if (!parsed) {
      llvm::consumeError(parsed.takeError()); // its diagnostics are printed
      return std::nullopt;
    }
    return parsed->extras();
  }

  void checkExtras(const std::string &pyproject) {
    std::optional<std::vector<std::string>> defined = definedExtras(pyproject);
    if (!defined)
      return;
    llvm::SmallVector<llvm::StringRef, 8> names(defined->begin(), defined->end());
    std::vector<LString> wanted = python.extras;
    for (const VariantSpec &variant : spec.variants)
      for (const VariantValueSpec &value : variant.values)
        wanted.insert(wanted.end(), value.extras.begin(), value.extras.end());
    llvm::StringSet<> known;
    for (llvm::StringRef name : names)
      known.insert(name);
    unsigned unknown = 0; // suggestions compare with every name: the first 100 only
    for (const LString &extra : wanted) {
      if (known.contains(extra.value))
        continue;
      std::string suggestion =
          ++unknown <= 100 ? readers::closestMatch(extra.value, names) : std::string();
      std::string known = defined->empty() ? " defines no extras"
                                           : " defines no extra " + quoteValue(extra.value);
      diags.error(extra.loc,
                  quoteValue(pyproject) + known +
                      (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
    }
  }

  readers::DiagnosticEngine &diags;
  const Spec &spec;
  const PythonSpec &python;
  const AppSpec &app;
  llvm::StringRef contextDir;
  std::vector<std::string> *filesRead;
  PythonManager manager;
};

} // namespace

std::string similarFileHint(llvm::StringRef contextDir, llvm::StringRef file) {
  llvm::StringRef folder = llvm::sys::path::parent_path(file, llvm::sys::path::Style::posix);
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(contextFile(contextDir, folder), ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::sys::fs::is_regular_file(it->path()))
      names.push_back(llvm::sys::path::filename(it->path()).str());
  llvm::sort(names); // the directory's order is the file system's
  std::vector<llvm::StringRef> candidates(names.begin(), names.end());
  std::string match = readers::closestMatch(
      llvm::sys::path::filename(file, llvm::sys::path::Style::posix), candidates);
  if (match.empty())
    return "";
  return "; did you mean " + quoteValue(folder.empty() ? match : (folder + "/" + match).str()) +
         "?";
}

void checkPythonSection(readers::DiagnosticEngine &diags, const Spec &spec,
                        llvm::StringRef contextDir, std::vector<std::string> *filesRead) {
  if (spec.python)
    PythonChecker(diags, spec, contextDir, filesRead).run();
}

} // namespace imageplan::dsl
