// The defaults of a `python:` section (see PythonProject.h).
#include "dsl/PythonProject.h"

namespace imageplan::dsl {

PythonManager pythonManager(const PythonSpec &python) {
  if (!python.manager || python.manager->value == "pip")
    return PythonManager::Pip;
  return python.manager->value == "uv" ? PythonManager::Uv : PythonManager::Poetry;
}

const char *toString(PythonManager manager) {
  switch (manager) {
  case PythonManager::Pip: return "pip";
  case PythonManager::Uv: return "uv";
  case PythonManager::Poetry: return "poetry";
  }
  return "pip";
}

std::string projectDir(const PythonSpec &python) {
  if (python.project) {
    llvm::StringRef dir = llvm::StringRef(python.project->value).rtrim('/');
    return dir.empty() ? "." : dir.str();
  }
  return pythonManager(python) == PythonManager::Pip ? "" : ".";
}

bool installsProject(const PythonSpec &python) {
  return !projectDir(python).empty() && (!python.package || python.package->value);
}

std::string underProject(const PythonSpec &python, llvm::StringRef name) {
  std::string dir = projectDir(python);
  if (dir.empty() || dir == ".")
    return name.str();
  return dir + "/" + name.str();
}

std::string lockFile(const PythonSpec &python) {
  PythonManager manager = pythonManager(python);
  if (manager == PythonManager::Pip)
    return "";
  if (python.lock)
    return python.lock->value;
  return underProject(python, manager == PythonManager::Uv ? "uv.lock" : "poetry.lock");
}

std::vector<std::string> manifestFiles(const PythonSpec &python) {
  if (pythonManager(python) == PythonManager::Pip)
    return {};
  return {underProject(python, "pyproject.toml"), lockFile(python)};
}

std::string uvVersion(const PythonSpec &python) {
  return python.uvVersion ? python.uvVersion->value : kDefaultUvVersion;
}

std::string poetryVersion(const PythonSpec &python) {
  return python.poetryVersion ? python.poetryVersion->value : kDefaultPoetryVersion;
}

bool venvInBuilder(const Spec &spec) {
  if (!spec.python)
    return false;
  if (spec.python->venv)
    return spec.python->venv->value == "builder";
  return !spec.system.buildPackages.empty() || !spec.python->build.empty();
}

} // namespace imageplan::dsl
