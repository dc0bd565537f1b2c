// Tests for the spec features real ML repositories need: the new keys read
// into the AST with their locations, and the declared dependencies of a
// project read from its manifest (the negative cases in tests/negative/ have
// the full diagnostics).
#include "dsl/Parser.h"
#include "dsl/ProjectDependencies.h"
#include "dsl/PythonProject.h"

#include "dsl/TestSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

constexpr const char *kHead = "imageplan: 1\nname: x\nbase: {image: \"pytorch/pytorch:2.3.1\"}\n";

TEST(SpecFeaturesTest, NewKeysAreRead) {
  CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse(std::string(kHead) + R"(python:
  environment: base
  conda: environment.yml
  installer: uv
  index_strategy: unsafe-best-match
  packages: [{name: torch==2.3.1, index_url: "https://download.pytorch.org/whl/cu121"}]
app:
  uid: 1000
  groups: [video]
  copy: [app/, {from: conf.toml, to: /etc/conf.toml}]
  cmd: exec serve --port "${PORT}"
steps:
  - {name: fonts, needs: [system], run: echo}
stages:
  - {name: git, image: "alpine/git:2.45.2", shell: sh, steps: [{name: s, run: "true"}]}
variants:
  - arg: BACKEND
    values: [{name: cpu}, {name: cuda, base: {cuda: "12.1.1"}}]
)");
  ASSERT_TRUE(spec) << c.output();
  const PythonSpec &python = *spec->python;
  EXPECT_TRUE(usesBaseEnvironment(python));
  EXPECT_EQ(baseEnvironmentPrefix(*spec), "/opt/conda");
  EXPECT_EQ(condaTool(*spec), "conda");
  EXPECT_EQ(python.optionedPackages.front().indexUrl->value,
            "https://download.pytorch.org/whl/cu121");
  EXPECT_EQ(spec->app.uid->value, 1000);
  ASSERT_EQ(spec->app.copy.size(), 2u);
  EXPECT_FALSE(spec->app.copy[0].to);
  EXPECT_EQ(spec->app.copy[1].to->value, "/etc/conf.toml");
  EXPECT_EQ(c.lineCol(spec->app.copy[1].from.loc), "13:23");
  EXPECT_EQ(spec->app.shellCmd->value, "exec serve --port \"${PORT}\"");
  EXPECT_TRUE(spec->app.cmd.empty());
  ASSERT_TRUE(spec->steps.front().needs);
  EXPECT_EQ(spec->steps.front().needs->front().value, "system");
  EXPECT_EQ(spec->stages.front().shell->value, "sh");
  ASSERT_EQ(spec->variants.size(), 1u);
  EXPECT_TRUE(spec->variants.front().values[1].base->cuda);
}

TEST(SpecFeaturesTest, PrefixAndCondaToolByImage) {
  auto spec = [](llvm::StringRef image) {
    Spec s;
    s.base.image = LString{image.str(), {}};
    return s;
  };
  EXPECT_EQ(baseEnvironmentPrefix(spec("docker.io/condaforge/miniforge3:24.3.0-0")), "/opt/conda");
  EXPECT_EQ(condaTool(spec("condaforge/miniforge3:24.3.0-0")), "mamba");
  EXPECT_EQ(condaTool(spec("mambaorg/micromamba:1.5.8")), "micromamba");
  EXPECT_EQ(baseEnvironmentPrefix(spec("python:3.11-slim")), "/usr/local");
  EXPECT_EQ(baseEnvironmentPrefix(spec("registry.example.com/ml/base:7")), "");
}

class ProjectDependenciesTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-deps", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name, llvm::StringRef text) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    ASSERT_FALSE(ec);
    out << text;
  }

  /// The requirements of `python` (a spec's python section), or the
  /// diagnostics with the context folder named CONTEXT.
  std::string read(llvm::StringRef python) {
    CapturedDiagnostics c;
    std::optional<Spec> spec = c.parse(std::string(kHead) + python.str() + "app: {}\n");
    EXPECT_TRUE(spec) << c.output();
    std::vector<std::string> filesRead;
    llvm::Expected<std::optional<ProjectRequirements>> read =
        readProjectRequirements(c.engine(), *spec, dir, &filesRead);
    if (!read) {
      llvm::consumeError(read.takeError());
      std::string output = c.output();
      for (size_t at; (at = output.find(dir.str())) != std::string::npos;)
        output.replace(at, dir.size(), "CONTEXT");
      return output;
    }
    if (!*read)
      return "(none)";
    std::string text = (*read)->manifest + ":";
    for (const std::string &requirement : (*read)->requirements)
      text += " [" + requirement + "]";
    return text;
  }

  llvm::SmallString<128> dir;
};

TEST_F(ProjectDependenciesTest, PyprojectWithExtras) {
  write("pyproject.toml", R"([project]
name = "demo"
dependencies = ["requests >= 2", "numpy; python_version >= '3.9'"]
[project.optional-dependencies]
Server = ["uvicorn[standard]", "requests >= 2"]
)");
  write("setup.cfg", "[options]\ninstall_requires = ignored\n");
  EXPECT_EQ(read("python: {project: ., project_dependencies: true, extras: [server]}\n"),
            "pyproject.toml: [requests >= 2] [numpy; python_version >= '3.9'] "
            "[uvicorn[standard]]");
}

TEST_F(ProjectDependenciesTest, SetupCfgWhenPyprojectHasNoProjectTable) {
  write("pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n");
  write("setup.cfg", "[options]\ninstall_requires =\n    click>=8\n");
  EXPECT_EQ(read("python: {project: ., project_dependencies: true}\n"), "setup.cfg: [click>=8]");
}

TEST_F(ProjectDependenciesTest, NotAskedForOrNotPip) {
  write("pyproject.toml", "[project]\nname = \"demo\"\ndependencies = [\"click\"]\n");
  EXPECT_EQ(read("python: {project: .}\n"), "(none)");
  EXPECT_EQ(read("python: {project: ., project_dependencies: false}\n"), "(none)");
}

TEST_F(ProjectDependenciesTest, SetupPyAloneCannotBeRead) {
  write("setup.py", "from setuptools import setup\nsetup()\n");
  EXPECT_EQ(read("python: {project: ., project_dependencies: true}\n"),
            "imageplan.yaml:4:44: error: 'project_dependencies' reads [project] dependencies of "
            "pyproject.toml or [options] install_requires of setup.cfg, and the build context "
            "declares neither (setup.py is a program imageplan does not run); declare them in "
            "setup.cfg or list them in 'python.requirements'\n"
            "python: {project: ., project_dependencies: true}\n"
            "                                           ^\n");
}

} // namespace
} // namespace imageplan::dsl
