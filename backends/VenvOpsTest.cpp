// Exact Dockerfile text of what one dependency set adds to the Python
// operations: the pins' constraints file mounted into pip calls (copied in
// where the dialect has no bind mounts), build tools installed with
// --target, the wheel build's knobs and isolation, poetry mounted from its
// stage, and the record and split of a builder venv.
#include "backends/Backend.h"
#include "backends/TestPlans.h"

#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

using plan::ChangeClass;
using testing::layer;
using testing::layerText;

plan::PipInstall pinned(std::vector<std::string> packages) {
  plan::PipInstall pip;
  pip.packages = std::move(packages);
  pip.pinsStage = "python-pins";
  pip.pinsFile = "/imageplan/constraints.txt";
  return pip;
}

TEST(VenvOpsTest, EveryPipCallReadsThePins) {
  plan::PipInstall pip = pinned({});
  pip.requirementFiles = {"requirements.txt"};
  pip.stageConstraints = {"/opt/imageplan/venv-pins/freeze.txt"};
  pip.constraintFiles = {"constraints.txt"};
  EXPECT_EQ(
      "RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
      "    --mount=type=bind,source=requirements.txt,target=/tmp/imageplan/requirements.txt \\\n"
      "    --mount=type=bind,from=python-pins,source=/imageplan/constraints.txt,"
      "target=/tmp/imageplan-pins/constraints.txt \\\n"
      "    --mount=type=bind,source=constraints.txt,target=/tmp/imageplan/constraints.txt \\\n"
      "    pip install \\\n"
      "        -c /tmp/imageplan-pins/constraints.txt \\\n"
      "        -c /opt/imageplan/venv-pins/freeze.txt \\\n"
      "        -c /tmp/imageplan/constraints.txt \\\n"
      "        -r /tmp/imageplan/requirements.txt\n",
      layerText({pip}));
  EXPECT_EQ("COPY --from=python-pins /imageplan/constraints.txt "
            "/tmp/imageplan-pins/constraints.txt\n"
            "RUN pip install --no-cache-dir \\\n"
            "        -c /tmp/imageplan-pins/constraints.txt \\\n"
            "        torch==2.0.1\n",
            layerText({pinned({"torch==2.0.1"})}, Dialect::Legacy));
}

TEST(VenvOpsTest, BuildToolsGoToAFolderOfTheirOwn) {
  plan::PipInstall tools = pinned({"packaging", "ninja"});
  tools.target = "/opt/imageplan/build-tools";
  EXPECT_EQ("RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
            "    --mount=type=bind,from=python-pins,source=/imageplan/constraints.txt,"
            "target=/tmp/imageplan-pins/constraints.txt \\\n"
            "    pip install \\\n"
            "        --target /opt/imageplan/build-tools \\\n"
            "        -c /tmp/imageplan-pins/constraints.txt \\\n"
            "        packaging \\\n"
            "        ninja\n",
            layerText({tools}));
}

TEST(VenvOpsTest, AWheelBuiltAgainstTorchSeesItsToolsAndKnobs) {
  plan::PipWheel wheel;
  wheel.packages = {"flash-attn==2.3.6"};
  wheel.outDir = "/wheels";
  wheel.toolsDir = "/opt/imageplan/build-tools";
  wheel.env = {{"MAX_JOBS", "4"}, {"TORCH_CUDA_ARCH_LIST", "8.0 9.0+PTX"}};
  wheel.pinsStage = "python-pins";
  wheel.pinsFile = "/imageplan/constraints.txt";
  EXPECT_EQ("RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
            "    --mount=type=bind,from=python-pins,source=/imageplan/constraints.txt,"
            "target=/tmp/imageplan-pins/constraints.txt \\\n"
            "    MAX_JOBS=4 TORCH_CUDA_ARCH_LIST='8.0 9.0+PTX' PYTHONPATH=/opt/imageplan/build-tools "
            "PATH=/opt/imageplan/build-tools/bin:\"$PATH\" pip wheel --no-deps "
            "--no-build-isolation --wheel-dir /wheels \\\n"
            "        -c /tmp/imageplan-pins/constraints.txt \\\n"
            "        flash-attn==2.3.6\n",
            layerText({wheel}));
  plan::PipWheel isolated;
  isolated.packages = {"ujson==5.10.0"};
  isolated.outDir = "/wheels";
  isolated.isolated = true;
  EXPECT_EQ("RUN --mount=type=cache,id=pip-debian12,target=/root/.cache/pip \\\n"
            "    pip wheel --no-deps --wheel-dir /wheels \\\n"
            "        ujson==5.10.0\n",
            layerText({isolated}));
}

TEST(VenvOpsTest, PoetryIsMountedFromItsStage) {
  plan::PoetryInstall install{
      {"pyproject.toml", "poetry.lock"}, ".", {}, "/opt/poetry/bin/poetry", "poetry", "/opt/poetry"};
  std::string text = layerText({install});
  EXPECT_NE(std::string::npos,
            text.find("--mount=type=bind,from=poetry,source=/opt/poetry,target=/opt/poetry"))
      << text;
  std::string legacy = layerText({install}, Dialect::Legacy);
  EXPECT_NE(std::string::npos, legacy.find("COPY --from=poetry /opt/poetry /opt/poetry\n"))
      << legacy;
}

TEST(VenvOpsTest, RecordAndSplitRunFixedProgramsOnTheirArguments) {
  std::string record = layerText({plan::RecordVenv{"/opt/venv", "/opt/imageplan/venv-pins"}});
  EXPECT_EQ(0u, record.find("RUN mkdir -p /opt/imageplan/venv-pins \\\n"
                            "    && pip freeze --all > /opt/imageplan/venv-pins/freeze.txt \\\n"
                            "    && python -c \"$(printf '%s\\n' \\\n"))
      << record;
  EXPECT_NE(std::string::npos, record.find("        )\" \\\n"
                                           "        /opt/venv \\\n"
                                           "        /opt/imageplan/venv-pins/files.txt\n"))
      << record;
  std::string split = layerText(
      {plan::SplitVenv{"/opt/venv", "/opt/imageplan/venv-pins", "/opt/imageplan/venv-rest"}});
  EXPECT_NE(std::string::npos, split.find("        /opt/imageplan/venv-pins/files.txt \\\n"
                                          "        /opt/imageplan/venv-rest\n"))
      << split;
  EXPECT_NE(std::string::npos, split.find("pin the package they belong to in python.packages"))
      << split;
}

} // namespace
} // namespace imageplan::backends
