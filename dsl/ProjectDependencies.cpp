// Reading a pip project's declared dependencies (ProjectDependencies.h).
#include "dsl/ProjectDependencies.h"

#include "dsl/PythonProject.h"
#include "dsl/ValueRules.h"
#include "readers/Pyproject.h"
#include "readers/Requirements.h"
#include "readers/SetupCfg.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace imageplan::dsl {
namespace {

std::string underDir(llvm::StringRef dir, llvm::StringRef name) {
  return dir.empty() || dir == "." ? name.str() : (dir + "/" + name).str();
}

/// Where `file` of the context is; messages name it as the spec names it,
/// without a leading "./".
std::string onDisk(llvm::StringRef contextDir, llvm::StringRef file) {
  if (contextDir == ".")
    return file.str();
  llvm::SmallString<256> path(contextDir);
  llvm::sys::path::append(path, file);
  return std::string(path.str());
}

/// What both manifest formats declare.
struct Declared {
  std::vector<readers::DeclaredRequirement> requirements;
  std::vector<readers::DeclaredExtra> extras;
};

class RequirementsReader {
public:
  RequirementsReader(readers::DiagnosticEngine &diags, const PythonSpec &python,
                     llvm::StringRef contextDir)
      : diags(diags), python(python), contextDir(contextDir), loc(python.projectDependencies->loc) {
  }

  std::optional<ProjectRequirements> read(std::vector<std::string> *filesRead) {
    std::string dir = projectDir(python);
    std::string manifest = findProjectManifest(contextDir, dir);
    std::optional<Declared> declared;
    if (manifest == underDir(dir, "pyproject.toml"))
      declared = fromPyproject(manifest, filesRead);
    if (!declared && !failed) {
      std::string cfg = underDir(dir, "setup.cfg");
      if (llvm::sys::fs::is_regular_file(onDisk(contextDir, cfg))) {
        manifest = cfg;
        declared = fromSetupCfg(cfg, filesRead);
      }
    }
    if (!declared) {
      if (!failed)
        reportUndeclared(dir, manifest);
      return std::nullopt;
    }
    return collect(manifest, *declared);
  }

  unsigned errors = 0;

private:
  void error(llvm::SMLoc at, const llvm::Twine &message) {
    diags.error(at, message);
    ++errors;
    failed = true;
  }

  std::optional<unsigned> load(const std::string &file, std::vector<std::string> *filesRead) {
    llvm::Expected<unsigned> buffer = diags.addFile(onDisk(contextDir, file), readers::limits::kProjectFile, "", contextDir);
    if (!buffer) {
      error(loc, "cannot read " + quoteValue(file) + ": " + llvm::toString(buffer.takeError()));
      return std::nullopt;
    }
    if (filesRead)
      filesRead->push_back(onDisk(contextDir, file));
    return *buffer;
  }

  /// [project] of a pyproject.toml; none when it has no [project] table
  /// (setup.cfg may declare them then).
  std::optional<Declared> fromPyproject(const std::string &file,
                                        std::vector<std::string> *filesRead) {
    std::optional<unsigned> buffer = load(file, filesRead);
    if (!buffer)
      return std::nullopt;
    llvm::Expected<readers::Pyproject> parsed = readers::parsePyproject(diags, *buffer);
    if (!parsed) {
      llvm::consumeError(parsed.takeError()); // printed
      ++errors;
      failed = true;
      return std::nullopt;
    }
    if (!parsed->hasProject)
      return std::nullopt;
    for (const readers::PyprojectKey &field : parsed->dynamic)
      if (field.name == "dependencies" ||
          (field.name == "optional-dependencies" && !python.extras.empty()))
        error(field.loc, "the project's " + field.name +
                             " are dynamic (filled in by its build backend), and imageplan "
                             "installs only what pyproject.toml declares; list them under "
                             "[project] or in a requirements file ('python.requirements')");
    if (failed)
      return std::nullopt;
    return Declared{parsed->dependencyEntries, parsed->extraEntries};
  }

  std::optional<Declared> fromSetupCfg(const std::string &file,
                                       std::vector<std::string> *filesRead) {
    std::optional<unsigned> buffer = load(file, filesRead);
    if (!buffer)
      return std::nullopt;
    llvm::Expected<readers::SetupCfg> parsed = readers::parseSetupCfg(diags, *buffer);
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      ++errors;
      failed = true;
      return std::nullopt;
    }
    if (!parsed->hasOptions)
      return std::nullopt;
    return Declared{parsed->installRequires, parsed->extras};
  }

  void reportUndeclared(llvm::StringRef dir, llvm::StringRef manifest) {
    std::string where = dir.empty() || dir == "." ? "the build context" : quoteValue(dir);
    if (manifest.empty())
      error(loc, "'project_dependencies' reads pyproject.toml or setup.cfg, and " + where +
                     " has neither");
    else
      error(loc, "'project_dependencies' reads [project] dependencies of pyproject.toml or "
                 "[options] install_requires of setup.cfg, and " +
                     where +
                     " declares neither (setup.py is a program imageplan does not run); declare "
                     "them in setup.cfg or list them in 'python.requirements'");
  }

  /// The requirement as pip takes it on its command line; reported otherwise.
  void add(const readers::DeclaredRequirement &requirement, llvm::StringRef manifest,
           ProjectRequirements &out) {
    llvm::StringRef text = llvm::StringRef(requirement.text).trim();
    std::string why;
    if (text.empty())
      why = "a requirement may not be empty";
    else if (text.startswith("-"))
      why = "a requirement may not start with '-', which pip would read as an option";
    else if (std::string bad = findForbiddenCharacter(text, /*multiline=*/false); !bad.empty())
      why = "a requirement may not contain " + bad;
    if (!why.empty()) {
      error(requirement.loc, "invalid requirement " + quoteValue(requirement.text) + " in " +
                                 quoteValue(manifest) + "; " + why);
      return;
    }
    if (!llvm::is_contained(out.requirements, text))
      out.requirements.push_back(text.str());
  }

  std::optional<ProjectRequirements> collect(const std::string &manifest,
                                             const Declared &declared) {
    ProjectRequirements out{manifest, {}};
    for (const readers::DeclaredRequirement &requirement : declared.requirements)
      add(requirement, manifest, out);
    llvm::SmallVector<std::string, 8> normalNames;
    for (const readers::DeclaredExtra &extra : declared.extras)
      normalNames.push_back(readers::normalizedPackageName(extra.key.name));
    for (const LString &wanted : python.extras) {
      std::string normal = readers::normalizedPackageName(wanted.value);
      auto found = llvm::find(normalNames, normal);
      if (found == normalNames.end()) {
        llvm::SmallVector<llvm::StringRef, 8> names;
        for (const readers::DeclaredExtra &extra : declared.extras)
          names.push_back(extra.key.name);
        std::string suggestion = readers::closestMatch(wanted.value, names);
        error(wanted.loc, quoteValue(manifest) +
                              (names.empty() ? " declares no extras"
                                             : " declares no extra " + quoteValue(wanted.value)) +
                              (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
        continue;
      }
      for (const readers::DeclaredRequirement &requirement :
           declared.extras[found - normalNames.begin()].requirements)
        add(requirement, manifest, out);
    }
    if (failed)
      return std::nullopt;
    return out;
  }

  readers::DiagnosticEngine &diags;
  const PythonSpec &python;
  llvm::StringRef contextDir;
  llvm::SMLoc loc;
  bool failed = false;
};

} // namespace

std::string findProjectManifest(llvm::StringRef contextDir, llvm::StringRef projectDir) {
  for (const char *name : kProjectManifests) {
    std::string file = underDir(projectDir, name);
    if (llvm::sys::fs::is_regular_file(onDisk(contextDir, file)))
      return file;
  }
  return "";
}

llvm::Expected<std::optional<ProjectRequirements>>
readProjectRequirements(readers::DiagnosticEngine &diags, const Spec &spec,
                        llvm::StringRef contextDir, std::vector<std::string> *filesRead) {
  if (!spec.python || !spec.python->projectDependencies ||
      !spec.python->projectDependencies->value || contextDir.empty() ||
      pythonManager(*spec.python) != PythonManager::Pip || projectDir(*spec.python).empty())
    return std::nullopt;
  RequirementsReader reader(diags, *spec.python, contextDir);
  std::optional<ProjectRequirements> requirements = reader.read(filesRead);
  if (reader.errors)
    return readers::diagnosticsReported(reader.errors);
  return requirements;
}

} // namespace imageplan::dsl
