// What a `python:` section means once its defaults are filled in: which
// manager installs it, where its pyproject.toml and lock file are, and where
// the virtual environment is built. The checks and the planner both ask here,
// so they can never disagree about a default.
#pragma once

#include "dsl/Spec.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::dsl {

enum class PythonManager { Pip, Uv, Poetry };

PythonManager pythonManager(const PythonSpec &python);
const char *toString(PythonManager manager);

/// The folder holding pyproject.toml ("." for the context root), or "" when
/// the app is not installed as a package (pip without `project`).
std::string projectDir(const PythonSpec &python);
/// True when the project is installed as a package after the code copy: a
/// project is set and `package` is not false.
bool installsProject(const PythonSpec &python);
/// `<project>/<name>`, or `name` when the project is the context root.
std::string underProject(const PythonSpec &python, llvm::StringRef name);
/// The lock file uv or poetry installs from, or "" for pip.
std::string lockFile(const PythonSpec &python);
/// What the dependency install reads: pyproject.toml and the lock file (uv,
/// poetry), in that order. Empty for pip.
std::vector<std::string> manifestFiles(const PythonSpec &python);

/// The pins used when the spec gives none: releases known to work with the
/// commands imageplan writes (docs/spec.md).
inline constexpr const char *kDefaultUvVersion = "0.5.11";
inline constexpr const char *kDefaultPoetryVersion = "1.8.5";
std::string uvVersion(const PythonSpec &python);
std::string poetryVersion(const PythonSpec &python);

/// True when the venv is built in the builder stage and copied whole into
/// the runtime: `venv: builder`, or by default when something is compiled
/// (`system.build_packages` or `python.build`). Never with `environment: base`.
bool venvInBuilder(const Spec &spec);

/// True with `environment: base`: pip installs into the base image's own
/// Python environment instead of a fresh venv.
bool usesBaseEnvironment(const PythonSpec &python);

/// The prefix of the base image's Python environment: `prefix`, else the one
/// a known image keeps it at (/opt/conda for pytorch/pytorch, continuumio/*,
/// condaforge/*, mambaorg/micromamba; /usr/local for python:*), else "".
std::string baseEnvironmentPrefix(const Spec &spec);

/// What installs `conda`: `conda_tool`, else micromamba on the micromamba
/// images, mamba on the condaforge images, conda elsewhere.
std::string condaTool(const Spec &spec);

} // namespace imageplan::dsl
