// Tests of the python section's defaults (PythonProject.h) and cross-key and
// on-disk checks (PythonCheck.h), and of parsing packages with options. What
// pyproject.toml defines is readers/Pyproject.h's to read (PyprojectTest.cpp).
#include "dsl/PythonCheck.h"
#include "dsl/PythonProject.h"

#include "dsl/Parser.h"
#include "dsl/TestSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

using testing::CapturedDiagnostics;

constexpr const char *kHead = "imageplan: 1\nname: x\nbase: {image: python}\n";

std::optional<Spec> parsed(CapturedDiagnostics &c, llvm::StringRef python,
                           llvm::StringRef app = "app: {copy: [.]}\n") {
  return c.parse(std::string(kHead) + python.str() + app.str());
}

TEST(PythonProjectTest, Defaults) {
  CapturedDiagnostics c;
  std::optional<Spec> pip = parsed(c, "python: {requirements: [r.txt]}\n");
  ASSERT_TRUE(pip) << c.output();
  EXPECT_EQ(pythonManager(*pip->python), PythonManager::Pip);
  EXPECT_EQ(projectDir(*pip->python), "");
  EXPECT_EQ(lockFile(*pip->python), "");
  EXPECT_TRUE(manifestFiles(*pip->python).empty());
  EXPECT_FALSE(venvInBuilder(*pip));

  std::optional<Spec> uv = parsed(c, "python: {manager: uv}\n");
  ASSERT_TRUE(uv) << c.output();
  EXPECT_EQ(projectDir(*uv->python), ".");
  EXPECT_EQ(manifestFiles(*uv->python), (std::vector<std::string>{"pyproject.toml", "uv.lock"}));
  EXPECT_EQ(uvVersion(*uv->python), kDefaultUvVersion);

  std::optional<Spec> poetry =
      parsed(c, "system: {build_packages: [gcc]}\n"
                "python: {manager: poetry, project: svc/, poetry_version: \"1.8.4\"}\n");
  ASSERT_TRUE(poetry) << c.output();
  EXPECT_EQ(manifestFiles(*poetry->python),
            (std::vector<std::string>{"svc/pyproject.toml", "svc/poetry.lock"}));
  EXPECT_EQ(poetryVersion(*poetry->python), "1.8.4");
  EXPECT_TRUE(venvInBuilder(*poetry)); // build packages: the venv is built where they are

  std::optional<Spec> runtime =
      parsed(c, "system: {build_packages: [gcc]}\npython: {venv: runtime}\n");
  ASSERT_TRUE(runtime) << c.output();
  EXPECT_FALSE(venvInBuilder(*runtime));
  EXPECT_EQ(c.output(), "");
}

TEST(PythonProjectTest, PackagesWithOptionsKeepTheirLocations) {
  CapturedDiagnostics c;
  std::optional<Spec> spec =
      parsed(c, "python:\n"
                "  packages:\n"
                "    - numpy==1.26.4\n"
                "    - {name: \"whisper @ https://x.org/w.tar.gz\", options: [--no-deps, --pre]}\n");
  ASSERT_TRUE(spec) << c.output();
  ASSERT_EQ(spec->python->packages.size(), 1u);
  ASSERT_EQ(spec->python->optionedPackages.size(), 1u);
  const OptionedPackage &package = spec->python->optionedPackages.front();
  EXPECT_EQ(package.name.value, "whisper @ https://x.org/w.tar.gz");
  ASSERT_EQ(package.options.size(), 2u);
  EXPECT_EQ(package.options[1].value, "--pre");
  EXPECT_TRUE(package.loc.isValid());
  EXPECT_TRUE(package.options[0].loc.isValid());
}

TEST(PythonProjectTest, EmptyOptionsAreAnError) {
  CapturedDiagnostics c;
  EXPECT_FALSE(parsed(c, "python:\n  packages:\n    - {name: a, options: []}\n"));
  EXPECT_NE(c.output().find("'options' may not be empty; write the package as a string"),
            std::string::npos)
      << c.output();
}

class PythonFilesTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-python-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name, llvm::StringRef text) {
    llvm::SmallString<128> file(dir);
    llvm::sys::path::append(file, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    os << text;
  }

  /// The diagnostics of checking `python` in the temporary context, with the
  /// context's path replaced by CONTEXT.
  std::string check(llvm::StringRef python, llvm::StringRef app = "app: {copy: [.]}\n") {
    CapturedDiagnostics c;
    std::optional<Spec> spec = parsed(c, python, app);
    EXPECT_TRUE(spec) << c.output();
    if (!spec)
      return c.output();
    filesRead.clear();
    llvm::consumeError(checkSpec(c.engine(), *spec, dir, &filesRead));
    std::string output = c.output();
    for (size_t at; (at = output.find(dir.str())) != std::string::npos;)
      output.replace(at, dir.size(), "CONTEXT");
    return output;
  }

  llvm::SmallString<128> dir;
  std::vector<std::string> filesRead;
};

TEST_F(PythonFilesTest, UvProjectReadsPyprojectAndLock) {
  write("pyproject.toml", "[project.optional-dependencies]\ncuda = []\n");
  write("uv.lock", "version = 1\n");
  EXPECT_EQ(check("python: {manager: uv, extras: [cuda]}\n"), "");
  EXPECT_EQ(filesRead, (std::vector<std::string>{(dir + "/pyproject.toml").str(),
                                                 (dir + "/uv.lock").str()}));
}

TEST_F(PythonFilesTest, MissingLockPointsAtTheManager) {
  write("pyproject.toml", "");
  EXPECT_EQ(check("python: {manager: poetry}\n"),
            "imageplan.yaml:4:19: error: lock file 'poetry.lock' not found in build context "
            "'CONTEXT'; manager 'poetry' installs exactly what the lock file pins: run `poetry "
            "lock` and commit it, or name it with 'lock'\n"
            "python: {manager: poetry}\n"
            "                  ^\n");
}

TEST_F(PythonFilesTest, UnknownExtraSuggestsADefinedOne) {
  write("pyproject.toml", "[project.optional-dependencies]\nserver = []\n");
  write("uv.lock", "");
  EXPECT_EQ(check("python: {manager: uv, extras: [sever]}\n"),
            "imageplan.yaml:4:32: error: 'pyproject.toml' defines no extra 'sever'; did you mean "
            "'server'?\n"
            "python: {manager: uv, extras: [sever]}\n"
            "                               ^\n");
}

TEST_F(PythonFilesTest, MalformedPyprojectIsReportedWhereItIsWrong) {
  write("pyproject.toml", "[project.optional-dependencies]\nserver = uvicorn\n");
  write("uv.lock", "");
  // The extras are not checked against a file that could not be read.
  EXPECT_EQ(check("python: {manager: uv, extras: [sever]}\n"),
            "CONTEXT/pyproject.toml:2:10: error: invalid TOML: error while parsing value: could "
            "not determine value type\n"
            "server = uvicorn\n"
            "         ^\n");
}

TEST_F(PythonFilesTest, ProjectMustBeCopied) {
  write("pyproject.toml", "");
  EXPECT_EQ(check("python: {project: .}\n", "app: {copy: [src/]}\n"),
            "imageplan.yaml:4:19: error: the project is installed from its copy in the image, "
            "and 'app.copy' does not copy 'pyproject.toml'; add it and the package's sources to "
            "'app.copy'\n"
            "python: {project: .}\n"
            "                  ^\n");
  EXPECT_EQ(check("python: {project: .}\n", "app: {copy: [pyproject.toml, src/]}\n"), "");
}

TEST_F(PythonFilesTest, ConstraintFilesMustExist) {
  write("c.txt", "");
  EXPECT_EQ(check("python: {constraints: [c.txt, d.txt]}\n"),
            "imageplan.yaml:4:31: error: constraints file 'd.txt' not found in build context "
            "'CONTEXT'; did you mean 'c.txt'?\n"
            "python: {constraints: [c.txt, d.txt]}\n"
            "                              ^\n");
}

} // namespace
} // namespace imageplan::dsl
