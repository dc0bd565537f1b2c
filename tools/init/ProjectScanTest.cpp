// Tests for scanProject on project folders written into a temporary folder:
// what it takes from the Dockerfile, pyproject.toml and requirement files, and
// the note it leaves when a reader rejects one of them.
#include "tools/init/InitTestSupport.h"

namespace imageplan::init {
namespace {

TEST_F(ProjectScanTest, DockerfileReadAsBuildKitReadsIt) {
  // The escape directive makes ` the continuation character; the base comes
  // from a global ARG through a stage the final one derives from (whose
  // packages are in the image too); the RUN's script is a heredoc.
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
  ASSERT_TRUE(facts.dockerfile);
  const DockerfileFacts &d = *facts.dockerfile;
  EXPECT_EQ(d.path, "Dockerfile");
  EXPECT_EQ(d.base, "alpine:3.20");
  EXPECT_EQ(d.packages, (Words{"gcc", "tini", "libstdc++", "libgomp"}));
  EXPECT_EQ(d.ports, (std::vector<int>{8080, 9090}));
  EXPECT_EQ(d.entrypoint, (Words{"tini", "--"}));
  EXPECT_EQ(d.cmd, (Words{"python", "-m", "app"})) << "plain words need no shell";
  EXPECT_EQ(facts.systemManager, "apk");
  EXPECT_EQ(facts.image, "alpine:3.20");
  EXPECT_EQ(facts.pythonVersion, "3.12") << "musl: the distribution's Python";
  EXPECT_EQ(d.notCarried, Words{});
}

TEST_F(ProjectScanTest, ARejectedDockerfileIsANote) {
  write("Dockerfile", "FROM python:3.12-slim\nEXPOSE 8000\nRUNN pip install x\nCOPY . \n");
  write("main.py", "print('hi')\n");
  ProjectFacts facts = scan();
  EXPECT_FALSE(facts.dockerfile);
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

TEST_F(ProjectScanTest, DefaultCommandsWithoutADockerfile) {
  write("requirements.txt", "uvicorn==0.32.1\n");
  write("main.py", "from fastapi import FastAPI\napp = FastAPI()\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.cmd, (Words{"uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"}));
  EXPECT_EQ(facts.ports, (std::vector<int>{8000}));

  write("pyproject.toml", "[project]\n[project.scripts]\nserve = \"app:run\"\n"
                          "[build-system]\nrequires = [\"hatchling\"]\n");
  EXPECT_EQ(scan().cmd, (Words{"serve"})) << "a package's console script";

  write("Dockerfile", "FROM python:3.11-slim\nENTRYPOINT [\"tini\", \"--\", \"serve\"]\n");
  EXPECT_TRUE(scan().cmd.empty()) << "the Dockerfile's entrypoint runs the app";
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
  EXPECT_EQ(facts.definedExtras, (Words{"server", "cuda"}));
  EXPECT_EQ(facts.extras, (Words{"server"})) << "a python image needs no cuda";
  EXPECT_EQ(facts.scripts, (Words{"serve"}));
  EXPECT_EQ(facts.pythonVersion, "3.12");
  EXPECT_EQ(facts.pythonVersionSource, "pyproject.toml's requires-python");
  EXPECT_EQ(facts.notes, (Words{"python.extras leaves out cuda (for another kind of base); add "
                                "the ones the image needs"}));
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
