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

namespace {

/// The repository of an image reference, lowercased, without registry host,
/// tag or digest: "docker.io/pytorch/pytorch:2.3.1-cuda12.1" -> "pytorch/pytorch".
std::string repositoryOf(llvm::StringRef image) {
  llvm::StringRef ref = image.split('@').first;
  size_t slash = ref.rfind('/'), colon = ref.rfind(':');
  if (colon != llvm::StringRef::npos && (slash == llvm::StringRef::npos || colon > slash))
    ref = ref.take_front(colon);
  auto [first, rest] = ref.split('/');
  if (!rest.empty() && (first.contains('.') || first.contains(':') || first == "localhost"))
    ref = rest;
  if (ref.startswith("library/"))
    ref = ref.drop_front(8);
  return ref.lower();
}

} // namespace

bool usesBaseEnvironment(const PythonSpec &python) {
  return python.environment && python.environment->value == "base";
}

std::string baseEnvironmentPrefix(const Spec &spec) {
  if (spec.python && spec.python->prefix)
    return spec.python->prefix->value;
  if (!spec.base.image)
    return "";
  std::string repo = repositoryOf(spec.base.image->value);
  llvm::StringRef name = repo;
  if (name == "pytorch/pytorch" || name.startswith("continuumio/") ||
      name.startswith("condaforge/") || name == "mambaorg/micromamba")
    return "/opt/conda";
  if (name == "python")
    return "/usr/local";
  return "";
}

std::string condaTool(const Spec &spec) {
  if (spec.python && spec.python->condaTool)
    return spec.python->condaTool->value;
  std::string repo = spec.base.image ? repositoryOf(spec.base.image->value) : "";
  if (repo == "mambaorg/micromamba")
    return "micromamba";
  return llvm::StringRef(repo).startswith("condaforge/") ? "mamba" : "conda";
}

bool venvInBuilder(const Spec &spec) {
  if (!spec.python || usesBaseEnvironment(*spec.python))
    return false;
  if (spec.python->venv)
    return spec.python->venv->value == "builder";
  return !spec.system.buildPackages.empty() || !spec.python->build.empty();
}

} // namespace imageplan::dsl
