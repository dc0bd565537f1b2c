// Tests for what init keeps of a Dockerfile: which one it reads when there
// are several, the final image's settings, what its RUNs install (through a
// Makefile too), the lines it cannot carry, and how the Python side and the
// command follow the Dockerfile.
#include "tools/init/InitTestSupport.h"

#include "tools/init/ScanSteps.h"

namespace imageplan::init {
namespace {

TEST_F(ProjectScanTest, TheGpuDockerfileOfSeveralIsRead) {
  write("Dockerfile", "FROM python:3.11-slim\nCMD [\"python\", \"app.py\"]\n");
  write("docker/Dockerfile.rocm", "FROM rocm/pytorch:latest\n");
  write("Dockerfiles/cuda.Dockerfile", "ARG CUDA=12.1.1\n"
                                       "ARG BASE=nvidia/cuda:${CUDA}-cudnn8-runtime-ubuntu22.04\n"
                                       "FROM ${BASE}\n");
  write("tests/Dockerfile", "FROM nvidia/cuda:12.1.1-devel-ubuntu22.04\n");
  ProjectFacts facts = scan();
  ASSERT_TRUE(facts.dockerfile);
  EXPECT_EQ(facts.dockerfile->path, "Dockerfiles/cuda.Dockerfile");
  EXPECT_EQ(facts.dockerfile->others, (Words{"Dockerfile", "docker/Dockerfile.rocm"}))
      << "tests/ is not part of the image";
  EXPECT_EQ(facts.dockerfile->why, "the CUDA one among the GPU ones (its base is "
                                   "nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04)");
  EXPECT_EQ(facts.cuda, "12.1.1");
  EXPECT_EQ(facts.cudnn, "8");
  EXPECT_EQ(facts.pythonVersion, "3.10");
}

TEST_F(ProjectScanTest, TheFinalImagesSettingsAreKept) {
  write("Dockerfile", "FROM ubuntu:22.04\n"
                      "WORKDIR /srv\n"
                      "WORKDIR app\n"
                      "ENV DEBIAN_FRONTEND=noninteractive MODEL=/m\n"
                      "ENV MODEL=/models\n"
                      "LABEL org.opencontainers.image.source=https://example.com/x\n"
                      "USER svc:svc\n"
                      "EXPOSE 8000\n"
                      "HEALTHCHECK --interval=10s --retries=2 CMD "
                      "curl -f http://127.0.0.1:9000/ready || exit 1\n"
                      "VOLUME /data\n"
                      "CMD exec python -m svc --workers ${WORKERS:-2}\n");
  const DockerfileFacts d = *scan().dockerfile;
  EXPECT_EQ(d.workdir, "/srv/app");
  EXPECT_EQ(d.user, "svc");
  EXPECT_EQ(d.env, (std::vector<std::pair<std::string, std::string>>{{"MODEL", "/models"}}));
  EXPECT_EQ(d.labels.size(), 1u);
  ASSERT_TRUE(d.healthcheck);
  EXPECT_EQ(d.healthcheck->http, "/ready");
  EXPECT_EQ(d.healthcheck->port, 9000);
  EXPECT_EQ(d.healthcheck->interval, "10s");
  EXPECT_EQ(d.healthcheck->retries, 2);
  EXPECT_EQ(d.cmd, (Words{"/bin/sh", "-c", "exec python -m svc --workers ${WORKERS:-2}"}));
  EXPECT_EQ(d.notCarried, (Words{"Dockerfile:10: VOLUME /data: not carried"}));
}

TEST_F(ProjectScanTest, RunsAreReadThroughTheMakefileAndWhatIsLeftIsListed) {
  write("Makefile", "install: system\n"
                    "\tpip install -r requirements/prod.txt\n"
                    "\tpython -m app.fetch_weights\n"
                    "system:\n"
                    "\tapt-get update && apt-get install -y libpq5\n");
  write("requirements/prod.txt", "-r base.txt\nuvicorn==0.29.0\n");
  write("requirements/base.txt", "fastapi==0.110.0\n");
  write("Dockerfile", "FROM python:3.12-slim AS build\n"
                      "RUN apt-get update && apt-get install -y build-essential git\n"
                      "RUN git clone https://example.com/x.git /x\n"
                      "FROM python:3.12-slim\n"
                      "WORKDIR /app\n"
                      "COPY Makefile ./\n"
                      "COPY requirements/ requirements/\n"
                      "RUN make install && mkdir -p uploads /var/cache/x\n"
                      "RUN pip install torch==2.2.0 --index-url "
                      "https://download.pytorch.org/whl/cu121\n"
                      "COPY --from=build /x /opt/x\n"
                      "COPY --from=mwader/static-ffmpeg:6.1 /ffmpeg /usr/local/bin/\n"
                      "COPY app/ app/\n"
                      "FROM python:3.12-slim AS test\n");
  write("app/__init__.py", "");
  ProjectFacts facts = scan();
  const DockerfileFacts &d = *facts.dockerfile;
  EXPECT_EQ(d.packages, (Words{"libpq5"}));
  EXPECT_EQ(d.buildPackages, (Words{"build-essential", "git"}));
  EXPECT_EQ(d.requirementFiles, (Words{"requirements/prod.txt"}));
  EXPECT_EQ(facts.requirements, (Words{"requirements/base.txt", "requirements/prod.txt"}))
      << "what a requirement file includes comes first";
  EXPECT_EQ(d.dirs, (Words{"uploads"}));
  EXPECT_EQ(facts.pipPackages, (Words{"torch==2.2.0"}));
  EXPECT_EQ(facts.indexUrls,
            (Words{"https://download.pytorch.org/whl/cu121", "https://pypi.org/simple"}));
  ASSERT_EQ(d.artifacts.size(), 1u);
  EXPECT_EQ(d.artifacts[0].to, "/usr/local/bin/ffmpeg");
  EXPECT_EQ(d.notCarried,
            (Words{"Dockerfile:3: RUN git clone https://example.com/x.git /x: not carried (git clone); "
                   "a step under steps: can run it",
                   "Makefile:3: python -m app.fetch_weights (make install, Dockerfile:8): not "
                   "carried",
                   "Dockerfile:13: the stage test is not part of the final image: not read"}));
  EXPECT_EQ(facts.copy, (Words{"Makefile", "app/"})) << "requirements/ is the python section's";
}

TEST_F(ProjectScanTest, TheTorchVariantFollowsTheBase) {
  write("Dockerfile", "FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04\n");
  write("requirements.txt", "fastapi\n");
  write("requirements-cpu.txt", "torch\n");
  write("requirements_cu121.txt", "torch\n");
  write("requirements-cu124.txt", "torch\n");
  write("requirements-dev.txt", "pytest\n");
  write("requirements-serve.txt", "uvicorn\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.requirements, (Words{"requirements-cu124.txt", "requirements-serve.txt",
                                       "requirements.txt"}));
  EXPECT_EQ(facts.otherRequirements,
            (Words{"requirements-cpu.txt was left out (the cpu variant; the cu124 one fits the "
                   "base)",
                   "requirements-dev.txt was left out (development or test dependencies, by its "
                   "name)",
                   "requirements_cu121.txt was left out (the cu121 variant; the cu124 one fits "
                   "the base)"}));
  EXPECT_EQ(torchCudaTag("12.4.1"), "cu124");
  EXPECT_EQ(torchCudaTag("11.8"), "cu118");
}

TEST_F(ProjectScanTest, TheCommandFollowsTheDockerfile) {
  write("Dockerfile", "FROM python:3.11-slim\n"
                      "WORKDIR /app\n"
                      "COPY src/ .\n"
                      "COPY docker/entrypoint.sh /usr/local/bin/\n"
                      "ENTRYPOINT [\"entrypoint.sh\"]\n"
                      "CMD [\"/usr/local/bin/python\", \"main.py\", \"--config\", "
                      "\"conf/prod.yaml\"]\n");
  write("src/main.py", "print(1)\n");
  write("docker/entrypoint.sh", "#!/usr/bin/env bash\nexec \"$@\"\n");
  write("conf/prod.yaml", "a: 1\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.entrypoint, (Words{"bash", "/app/docker/entrypoint.sh"}));
  EXPECT_EQ(facts.cmd, (Words{"python", "src/main.py", "--config", "conf/prod.yaml"}));
  EXPECT_EQ(facts.copy, (Words{"conf/prod.yaml", "docker/entrypoint.sh", "src/"}))
      << "conf/prod.yaml because the command reads it";
}

TEST_F(ProjectScanTest, ADockerfileBuiltFromItsOwnFolder) {
  // docker build docker/: its COPY sources are under docker/.
  write("docker/Dockerfile", "FROM python:3.11-slim\n"
                             "COPY requirements.txt .\n"
                             "RUN pip install -r requirements.txt\n"
                             "COPY serve.py .\n"
                             "CMD [\"python\", \"serve.py\"]\n");
  write("docker/requirements.txt", "flask\n");
  write("docker/serve.py", "print(1)\n");
  ProjectFacts facts = scan();
  EXPECT_EQ(facts.requirements, (Words{"docker/requirements.txt"}));
  EXPECT_EQ(facts.copy, (Words{"docker/serve.py"}));
  EXPECT_EQ(facts.cmd, (Words{"python", "docker/serve.py"}));
  EXPECT_TRUE(llvm::is_contained(facts.notes,
                                 "docker/Dockerfile copies files of docker/ as if it were the "
                                 "build context: the spec's paths start with docker/"));
}

} // namespace
} // namespace imageplan::init
