// Exact Dockerfile text of the Python project operations: uv sync, poetry and
// its install, the project install, and pip's constraints and options.
#include "backends/Backend.h"
#include "backends/TestPlans.h"

#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

using plan::ChangeClass;
using testing::layer;
using testing::layerText;

TEST(PythonOpsTest, UvSyncInstallsTheLockWithoutTheProject) {
  plan::UvSync sync{{"svc/pyproject.toml", "svc/uv.lock"}, "svc", {"cuda", "server"}, "/opt/venv"};
  EXPECT_EQ(
      "RUN --mount=type=cache,id=uv-debian12,target=/root/.cache/uv \\\n"
      "    --mount=type=bind,source=svc/pyproject.toml,target=/tmp/imageplan/svc/pyproject.toml \\\n"
      "    --mount=type=bind,source=svc/uv.lock,target=/tmp/imageplan/svc/uv.lock \\\n"
      "    UV_PROJECT_ENVIRONMENT=/opt/venv UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 "
      "UV_PYTHON_DOWNLOADS=never uv sync \\\n"
      "        --frozen --no-install-project --no-dev \\\n"
      "        --project /tmp/imageplan/svc \\\n"
      "        --extra cuda \\\n"
      "        --extra server\n",
      layerText({sync}));
}

TEST(PythonOpsTest, UvSyncOfTheContextRoot) {
  plan::UvSync sync{{"pyproject.toml", "uv.lock"}, ".", {}, "/opt/venv"};
  std::string text = layerText({sync});
  EXPECT_NE(std::string::npos, text.find("        --project /tmp/imageplan\n")) << text;
  EXPECT_EQ(std::string::npos, text.find("--extra")) << text;
}

TEST(PythonOpsTest, PoetryInstallsTheMainGroupIntoTheActiveVenv) {
  plan::InstallPoetry tool{"python3", "1.8.5", "/opt/poetry"};
  plan::PoetryInstall install{
      {"pyproject.toml", "poetry.lock"}, ".", {"cuda"}, "/opt/poetry/bin/poetry", "", ""};
  EXPECT_EQ("RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
            "    --mount=type=cache,id=poetry-debian12,target=/root/.cache/pypoetry \\\n"
            "    --mount=type=bind,source=pyproject.toml,target=/tmp/imageplan/pyproject.toml \\\n"
            "    --mount=type=bind,source=poetry.lock,target=/tmp/imageplan/poetry.lock \\\n"
            "    python3 -m venv /opt/poetry \\\n"
            "    && /opt/poetry/bin/pip install poetry==1.8.5 \\\n"
            "    && POETRY_VIRTUALENVS_CREATE=false /opt/poetry/bin/poetry install \\\n"
            "        --directory /tmp/imageplan \\\n"
            "        --no-root --only main --no-interaction \\\n"
            "        --extras cuda\n",
            layerText({tool, install}));
}

TEST(PythonOpsTest, ProjectInstallWithPipOrUv) {
  EXPECT_EQ("RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
            "    pip install --no-deps /app/\n",
            layerText({plan::InstallProject{"pip", "/app/", ""}}));
  EXPECT_EQ("RUN --mount=type=cache,id=uv-debian12,target=/root/.cache/uv \\\n"
            "    UV_LINK_MODE=copy uv pip install --no-deps '/srv/my app'\n",
            layerText({plan::InstallProject{"uv", "/srv/my app", ""}}));
  // Without a uv of its own, the stage borrows the binary from its image.
  EXPECT_EQ("RUN --mount=type=cache,id=uv-debian12,target=/root/.cache/uv \\\n"
            "    --mount=type=bind,from=ghcr.io/astral-sh/uv:0.5.11,source=/uv,"
            "target=/tmp/imageplan/bin/uv \\\n"
            "    UV_LINK_MODE=copy /tmp/imageplan/bin/uv pip install --no-deps /app/\n",
            layerText({plan::InstallProject{"uv", "/app/", "ghcr.io/astral-sh/uv:0.5.11"}}));
}

TEST(PythonOpsTest, PipConstraintsAndOptions) {
  plan::PipInstall pip;
  pip.packages = {"whisper @ https://x.org/w.tar.gz"};
  pip.requirementFiles = {"requirements.txt"};
  pip.constraintFiles = {"constraints.txt"};
  pip.options = {"--no-deps"};
  EXPECT_EQ(
      "RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
      "    --mount=type=bind,source=requirements.txt,target=/tmp/imageplan/requirements.txt \\\n"
      "    --mount=type=bind,source=constraints.txt,target=/tmp/imageplan/constraints.txt \\\n"
      "    pip install \\\n"
      "        --no-deps \\\n"
      "        -c /tmp/imageplan/constraints.txt \\\n"
      "        -r /tmp/imageplan/requirements.txt \\\n"
      "        'whisper @ https://x.org/w.tar.gz'\n",
      layerText({pip}));
}

TEST(PythonOpsTest, WheelsOfTheSameStageNeedNoMount) {
  plan::PipInstall pip;
  pip.packages = {"flash-attn==2.3.6"};
  pip.wheelDir = "/wheels";
  EXPECT_EQ("RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
            "    pip install \\\n"
            "        --find-links /wheels \\\n"
            "        flash-attn==2.3.6\n",
            layerText({pip}));
}

TEST(PythonOpsTest, LegacyCopiesTheManifestsAndKeepsNoCache) {
  plan::UvSync sync{{"pyproject.toml", "uv.lock"}, ".", {"cuda"}, "/opt/venv"};
  EXPECT_EQ("COPY pyproject.toml /tmp/imageplan/pyproject.toml\n"
            "COPY uv.lock /tmp/imageplan/uv.lock\n"
            "RUN UV_PROJECT_ENVIRONMENT=/opt/venv UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 "
            "UV_PYTHON_DOWNLOADS=never uv sync --no-cache \\\n"
            "        --frozen --no-install-project --no-dev \\\n"
            "        --project /tmp/imageplan \\\n"
            "        --extra cuda\n",
            layerText({sync}, Dialect::Legacy));
  plan::InstallPoetry tool{"python3", "1.8.5", "/opt/poetry"};
  plan::PoetryInstall install{
      {"pyproject.toml", "poetry.lock"}, ".", {}, "/opt/poetry/bin/poetry", "", ""};
  std::string poetry = layerText({tool, install}, Dialect::Legacy);
  EXPECT_NE(std::string::npos, poetry.find("/opt/poetry/bin/pip install --no-cache-dir "
                                           "poetry==1.8.5"))
      << poetry;
  EXPECT_NE(std::string::npos, poetry.find("/opt/poetry/bin/poetry install --no-cache")) << poetry;
  EXPECT_EQ(std::string::npos, poetry.find("--mount")) << poetry;
  EXPECT_EQ("RUN pip install --no-cache-dir --no-deps /app/\n",
            layerText({plan::InstallProject{"pip", "/app/", ""}}, Dialect::Legacy));
}

TEST(PythonOpsTest, BuildahCopiesWhatItCannotBindMount) {
  // buildah keeps cache mounts but has no bind mounts: the uv binary comes in
  // with a COPY from its image, the manifests from the context.
  EXPECT_EQ("COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /tmp/imageplan/bin/uv\n"
            "RUN --mount=type=cache,id=uv-debian12,target=/root/.cache/uv \\\n"
            "    UV_LINK_MODE=copy /tmp/imageplan/bin/uv pip install --no-deps /app/\n",
            layerText({plan::InstallProject{"uv", "/app/", "ghcr.io/astral-sh/uv:0.5.11"}},
                      Dialect::Buildah));
  plan::PipInstall pip;
  pip.requirementFiles = {"requirements.txt"};
  pip.constraintFiles = {"constraints.txt"};
  std::string text = layerText({pip}, Dialect::Buildah);
  EXPECT_NE(std::string::npos, text.find("COPY constraints.txt /tmp/imageplan/constraints.txt\n"))
      << text;
  EXPECT_EQ(std::string::npos, text.find("type=bind")) << text;
}

TEST(PythonOpsTest, Docker20KeepsEveryMount) {
  std::string text =
      layerText({plan::InstallProject{"uv", "/app/", "ghcr.io/astral-sh/uv:0.5.11"}},
                Dialect::Docker20);
  EXPECT_NE(std::string::npos,
            text.find("--mount=type=bind,from=ghcr.io/astral-sh/uv:0.5.11,source=/uv,"
                      "target=/tmp/imageplan/bin/uv"))
      << text;
}

TEST(PythonOpsTest, InstallPythonWithUvAndItsVenv) {
  plan::InstallPython python{"3.12", "ghcr.io/astral-sh/uv:0.5.11", "/opt/python", "/opt/venv"};
  EXPECT_EQ("RUN --mount=type=bind,from=ghcr.io/astral-sh/uv:0.5.11,source=/uv,"
            "target=/tmp/imageplan/bin/uv \\\n"
            "    UV_PYTHON_INSTALL_DIR=/opt/python /tmp/imageplan/bin/uv python install 3.12 \\\n"
            "    && UV_PYTHON_INSTALL_DIR=/opt/python /tmp/imageplan/bin/uv venv --python 3.12 "
            "--seed --python-preference only-managed /opt/venv\n",
            layerText({python}));
  python.venv.clear();
  std::string legacy = layerText({python}, Dialect::Legacy);
  EXPECT_EQ("COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /tmp/imageplan/bin/uv\n"
            "RUN UV_PYTHON_INSTALL_DIR=/opt/python /tmp/imageplan/bin/uv python install "
            "--no-cache 3.12\n",
            legacy);
}

} // namespace
} // namespace imageplan::backends
