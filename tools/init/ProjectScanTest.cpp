// Tests for scanProject on project folders written into a temporary folder:
// what it takes from the Dockerfile, pyproject.toml and requirement files, and
// the note it leaves when a reader rejects one of them.
#include "tools/init/ProjectScan.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace imageplan::init {
namespace {

using Words = std::vector<std::string>;

class ProjectScanTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-init-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name, llvm::StringRef text) {
    llvm::SmallString<128> file(dir);
    llvm::sys::path::append(file, name);
    ASSERT_FALSE(llvm::sys::fs::create_directories(llvm::sys::path::parent_path(file)));
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    os << text;
  }

  ProjectFacts scan() {
    llvm::Expected<ProjectFacts> facts = scanProject(dir);
    if (!facts) {
      ADD_FAILURE() << llvm::toString(facts.takeError());
      return ProjectFacts();
    }
    return std::move(*facts);
  }

  llvm::SmallString<128> dir;
};

TEST_F(ProjectScanTest, DockerfileReadAsBuildKitReadsIt) {
  // The escape directive makes ` the continuation character; the base comes
  // from a global ARG through a stage the final one derives from; the RUN's
  // script is a heredoc.
  write("Dockerfile", "# escape=`\n"
                      "ARG ALPINE=3.20\n"
                      "FROM --platform=$BUILDPLATFORM alpine:${ALPINE} AS Base\n"
                      "RUN apk add gcc\n"
                      "FROM base\n"
                      "RUN <<EOF\n"
                      "set -eu\n"
                      "apk --no-cache add tini 'libstdc++' py3-pip\n"
                      "EOF\n"
                      "RUN dnf install -y `\n"
                      "      libgomp python3.11 && dnf clean all\n"
                      "EXPOSE 8080/tcp ${PORT:-9090}\n"
                      "ENTRYPOINT [\"tini\", \"--\"]\n"
                      "CMD python -m app\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.dockerfileBase, "alpine:3.20");
  EXPECT_EQ(facts.dockerfilePackages, (Words{"tini", "libstdc++", "libgomp"}));
  EXPECT_EQ(facts.ports, (std::vector<int>{8080, 9090}));
  EXPECT_EQ(facts.entrypoint, (Words{"tini", "--"}));
  EXPECT_TRUE(facts.cmd.empty()) << "a shell-form CMD is not taken";
  EXPECT_EQ(facts.systemManager, "apk");
  EXPECT_EQ(facts.image, "alpine:3.20");
}

TEST_F(ProjectScanTest, ARejectedDockerfileIsANote) {
  write("Dockerfile", "FROM python:3.12-slim\nEXPOSE 8000\nRUNN pip install x\nCOPY . \n");
  write("main.py", "print('hi')\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.dockerfileBase, "");
  EXPECT_TRUE(facts.ports.empty());
  EXPECT_EQ(facts.image, "python:3.11-slim") << "the default, as without a Dockerfile";
  EXPECT_EQ(facts.notes, (Words{"Dockerfile could not be read; nothing was taken from it: "
                                "Dockerfile:3:1: error: unknown instruction 'RUNN'; did you mean "
                                "'RUN'? (and 1 more error)"}));
}

TEST_F(ProjectScanTest, UvicornInTheRequirementsMakesAFastapiApp) {
  write("requirements.txt", "# uvicorn is only mentioned here\nfastapi==0.115.5\n");
  write("main.py", "from fastapi import FastAPI\napp = FastAPI()\n");
  EXPECT_FALSE(scan().fastapi) << "a comment is not a requirement";

  write("requirements.txt", "fastapi==0.115.5 \\\n    --hash=sha256:aa\nUvicorn[standard]>=0.32\n");
  ProjectFacts facts = scan();
  EXPECT_TRUE(facts.fastapi);
  EXPECT_EQ(facts.requirements, (Words{"requirements.txt"}));
}

TEST_F(ProjectScanTest, APackageServedByUvicorn) {
  write("requirements.txt", "uvicorn==0.32.1\n");
  write("api/__init__.py", "");
  write("api/server.py", "import fastapi\nservice = FastAPI(title=\"x\")\n");
  ProjectFacts facts = scan();
  EXPECT_TRUE(facts.fastapi);
  EXPECT_EQ(facts.asgiApp, "api.server:service");
  EXPECT_EQ(facts.copy, (Words{"api/"}));
}

TEST_F(ProjectScanTest, ARejectedRequirementsFileIsANote) {
  write("requirements.txt", "uvicorn==0.32.1\n--frobnicate\n");
  write("main.py", "from fastapi import FastAPI\napp = FastAPI()\n");
  ProjectFacts facts = scan();
  EXPECT_FALSE(facts.fastapi);
  EXPECT_EQ(facts.requirements, (Words{"requirements.txt"}));
  EXPECT_EQ(facts.notes, (Words{"requirements.txt could not be read; init did not look into it "
                                "(the spec still installs it): requirements.txt:2:1: error: "
                                "unknown option '--frobnicate' in a requirements file"}));
}

TEST_F(ProjectScanTest, PyprojectTablesInFileOrder) {
  write("pyproject.toml", "[project]\n"
                          "requires-python = \">=3.12\"\n"
                          "[project.optional-dependencies]\n"
                          "server = [\"uvicorn\"]\n"
                          "cuda = [\"torch\"]\n"
                          "[project.scripts]\n"
                          "serve = \"app.main:run\"\n"
                          "[build-system]\n"
                          "requires = [\"hatchling\"]\n");
  write("uv.lock", "version = 1\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.manager, "uv");
  EXPECT_TRUE(facts.buildSystem);
  EXPECT_EQ(facts.extras, (Words{"server", "cuda"}));
  EXPECT_EQ(facts.scripts, (Words{"serve"}));
  EXPECT_EQ(facts.pythonVersion, "3.12");
  EXPECT_EQ(facts.pythonVersionSource, "pyproject.toml's requires-python");
  EXPECT_TRUE(facts.notes.empty());
}

TEST_F(ProjectScanTest, PoetryPythonWhenThereIsNoRequiresPython) {
  write("pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.10\"\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.manager, "poetry");
  EXPECT_FALSE(facts.buildSystem);
  EXPECT_EQ(facts.pythonVersion, "3.10");
  EXPECT_EQ(facts.pythonVersionSource, "pyproject.toml's poetry python");
}

TEST_F(ProjectScanTest, MalformedPyprojectIsANote) {
  write("pyproject.toml", "[project]\nrequires-python = \">=3.12\"\n[build-system\n");
  write("uv.lock", "");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.manager, "uv") << "the lock file still names the manager";
  EXPECT_FALSE(facts.buildSystem);
  EXPECT_EQ(facts.pythonVersion, "3.11");
  EXPECT_EQ(facts.notes,
            (Words{"pyproject.toml could not be read; nothing was taken from it: "
                   "pyproject.toml:3:14: error: invalid TOML: error while parsing table header: "
                   "expected ']', saw '\\n'"}));
}

} // namespace
} // namespace imageplan::init
