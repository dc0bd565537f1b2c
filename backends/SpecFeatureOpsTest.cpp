// Exact text of the operations of the spec features real ML repositories
// need: an apt repository and its key, the app user's ids and groups, uv as
// pip's installer, a conda environment file, asset fetches, and a variant's
// switch with the ARG it reads (global for the FROM lines).
#include "backends/Backend.h"
#include "backends/TestPlans.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

using plan::ChangeClass;
using testing::layer;

plan::Plan planWith(std::vector<plan::Op> ops) {
  plan::Plan p;
  p.specPath = "spec.yaml";
  plan::Stage s;
  s.name = "main";
  s.from = "base:1";
  s.layers = {layer("step", ChangeClass::Rarely, std::move(ops))};
  p.stages = {s};
  return p;
}

// The text after the layer's comment line.
std::string layerText(std::vector<plan::Op> ops, Dialect dialect = Dialect::BuildKit) {
  std::string text = emitDockerfile(planWith(std::move(ops)), {dialect});
  llvm::StringRef comment = "# step (changes rarely)\n";
  size_t at = text.find(comment.str());
  EXPECT_NE(at, std::string::npos) << text;
  return text.substr(at + comment.size());
}

plan::AptSource source() {
  plan::AptSource s;
  s.name = "vendor";
  s.uri = "https://repo.example.com/apt";
  s.suites = {"jammy"};
  s.components = {"main", "contrib"};
  return s;
}

TEST(SpecFeatureOpsTest, AptSourcePinnedBySha256) {
  plan::AptSource s = source();
  s.keyFile = s.signedBy = "/etc/apt/keyrings/vendor.asc";
  s.keySha256 = std::string(64, 'a');
  EXPECT_EQ(layerText({plan::FetchUrl{"https://repo.example.com/key.asc", s.keyFile}, s}),
            "ADD https://repo.example.com/key.asc /etc/apt/keyrings/vendor.asc\n"
            "RUN echo '" +
                std::string(64, 'a') +
                "  /etc/apt/keyrings/vendor.asc' "
                "| sha256sum --check --quiet - \\\n"
                "    && chmod 0644 /etc/apt/keyrings/vendor.asc \\\n"
                "    && mkdir -p /etc/apt/sources.list.d \\\n"
                "    && printf '%s\\n' \\\n"
                "        'Types: deb' \\\n"
                "        'URIs: https://repo.example.com/apt' \\\n"
                "        'Suites: jammy' \\\n"
                "        'Components: main contrib' \\\n"
                "        'Signed-By: /etc/apt/keyrings/vendor.asc' \\\n"
                "        > /etc/apt/sources.list.d/vendor.sources \\\n"
                "    && chmod 0644 /etc/apt/sources.list.d/vendor.sources\n");
}

TEST(SpecFeatureOpsTest, AptSourcePinnedByFingerprintKeepsThatKeyAlone) {
  plan::AptSource s = source();
  s.keyFile = "/tmp/imageplan/keys/vendor.asc";
  s.fingerprint = "F23C5A6CF475977595C89F51BA6932366A755776";
  s.signedBy = "/etc/apt/keyrings/vendor.gpg";
  std::string text = layerText({s});
  EXPECT_NE(text.find("gpg --homedir /tmp/imageplan/gnupg --batch --no-autostart --export "
                      "F23C5A6CF475977595C89F51BA6932366A755776 > /etc/apt/keyrings/vendor.gpg \\\n"
                      "    && test -s /etc/apt/keyrings/vendor.gpg"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("'Signed-By: /etc/apt/keyrings/vendor.gpg'"), std::string::npos) << text;
}

TEST(SpecFeatureOpsTest, UserWithIdsAndGroups) {
  plan::CreateUser user{"worker", 1000};
  user.gid = 1001;
  user.groups = {"video", "render"};
  EXPECT_EQ(layerText({user}),
            "RUN groupadd --force --system video \\\n"
            "    && groupadd --force --system render \\\n"
            "    && groupadd --system --gid 1001 worker \\\n"
            "    && useradd --system --uid 1000 --gid worker --groups video,render --create-home "
            "--home-dir /home/worker --shell /usr/sbin/nologin worker\n");
  user.busybox = true;
  user.groups = {"audio"};
  EXPECT_EQ(layerText({user}),
            "RUN (grep -q '^audio:' /etc/group || addgroup -S audio) \\\n"
            "    && addgroup -S -g 1001 worker \\\n"
            "    && adduser -S -D -u 1000 -G worker -h /home/worker -s /sbin/nologin worker \\\n"
            "    && addgroup worker audio\n");
}

TEST(SpecFeatureOpsTest, UvAsPipsInstaller) {
  plan::PipInstall pip{
      {"torch==2.3.1"}, {"requirements.txt"}, {"https://a.example/simple"}, "", "", {},
      {"--no-deps"}};
  pip.installer = "uv";
  pip.python = "/opt/venv/bin/python";
  pip.indexStrategy = "unsafe-best-match";
  EXPECT_EQ(
      layerText({pip}),
      "RUN --mount=type=cache,id=uv,target=/root/.cache/uv \\\n"
      "    --mount=type=bind,source=requirements.txt,target=/tmp/imageplan/requirements.txt \\\n"
      "    UV_LINK_MODE=copy uv pip install \\\n"
      "        --python /opt/venv/bin/python \\\n"
      "        --index-strategy unsafe-best-match \\\n"
      "        --no-deps \\\n"
      "        --index-url https://a.example/simple \\\n"
      "        -r /tmp/imageplan/requirements.txt \\\n"
      "        torch==2.3.1\n");
  EXPECT_NE(layerText({pip}, Dialect::Legacy).find("uv pip install --no-cache"), std::string::npos);
}

TEST(SpecFeatureOpsTest, CondaEnvironmentFile) {
  plan::CondaEnvUpdate conda{"environment.yml", "/opt/conda", "micromamba"};
  EXPECT_EQ(
      layerText({conda}),
      "RUN --mount=type=bind,source=environment.yml,target=/tmp/imageplan/environment.yml \\\n"
      "    --mount=type=cache,id=conda-main,target=/root/.cache/conda/pkgs,sharing=locked \\\n"
      "    CONDA_PKGS_DIRS=/root/.cache/conda/pkgs micromamba install --yes --prefix "
      "/opt/conda --file /tmp/imageplan/environment.yml\n");
  conda.tool = "conda";
  EXPECT_EQ(layerText({conda}, Dialect::Legacy),
            "COPY environment.yml /tmp/imageplan/environment.yml\n"
            "RUN conda env update --prefix /opt/conda --file /tmp/imageplan/environment.yml \\\n"
            "    && conda clean --all --yes\n");
}

TEST(SpecFeatureOpsTest, GitCheckoutAtACommit) {
  EXPECT_EQ(layerText({plan::GitCheckout{"https://example.com/r.git", std::string(40, 'c'),
                                         "/opt/r", true}}),
            "RUN git init --quiet /opt/r \\\n"
            "    && GIT_TERMINAL_PROMPT=0 git -C /opt/r remote add origin "
            "https://example.com/r.git \\\n"
            "    && GIT_TERMINAL_PROMPT=0 git -C /opt/r fetch --quiet --depth 1 origin " +
                std::string(40, 'c') +
                " \\\n"
                "    && GIT_TERMINAL_PROMPT=0 git -C /opt/r -c advice.detachedHead=false checkout "
                "--quiet FETCH_HEAD \\\n"
                "    && GIT_TERMINAL_PROMPT=0 git -C /opt/r lfs install --local \\\n"
                "    && GIT_TERMINAL_PROMPT=0 git -C /opt/r lfs pull \\\n"
                "    && rm -rf /opt/r/.git\n");
}

TEST(SpecFeatureOpsTest, AssetDownloadPassesDataThroughTheEnvironment) {
  std::string text = layerText(
      {plan::AssetDownload{"https://example.com/it's.zip", std::string(64, 'b'), "/opt/a", "zip"}});
  EXPECT_NE(text.find("RUN IMAGEPLAN_ASSET_URL='https://example.com/it'\\''s.zip' \\\n"
                      "        IMAGEPLAN_ASSET_SHA256=" +
                      std::string(64, 'b') +
                      " \\\n"
                      "        IMAGEPLAN_ASSET_PATH=/opt/a \\\n"
                      "        IMAGEPLAN_ASSET_UNPACK=zip \\\n"
                      "        python3 -c \"$(printf '%s\\n' \\\n"),
            std::string::npos)
      << text;
}

TEST(SpecFeatureOpsTest, VariantSwitchAndItsArg) {
  plan::PipInstall cpu{
      {"torch==2.3.1+cpu"}, {}, {"https://download.pytorch.org/whl/cpu"}, "", "", {}, {}};
  plan::VariantSwitch choice{"BACKEND", {{"cpu", {cpu}}, {"none", {}}}};
  EXPECT_EQ(layerText({plan::DeclareArg{"BACKEND", "cpu"}, choice}),
            "ARG BACKEND=cpu\n"
            "RUN --mount=type=cache,id=pip,target=/root/.cache/pip \\\n"
            "    case \"$BACKEND\" in \\\n"
            "        cpu) \\\n"
            "            pip install \\\n"
            "                --index-url https://download.pytorch.org/whl/cpu \\\n"
            "                torch==2.3.1+cpu \\\n"
            "            ;; \\\n"
            "        none) \\\n"
            "            true \\\n"
            "            ;; \\\n"
            "        *) echo 'BACKEND must be one of cpu, none' >&2 && exit 1 ;; \\\n"
            "        esac\n");
}

TEST(SpecFeatureOpsTest, GlobalArgsComeBeforeTheFirstFrom) {
  plan::Plan p = planWith({plan::SetWorkdir{"/app"}});
  p.args = {{"BACKEND", "cpu"}};
  std::string text = emitDockerfile(p, {Dialect::Docker20});
  EXPECT_NE(text.find("# Build arguments the FROM lines below read (docker build --build-arg "
                      "NAME=VALUE).\n"
                      "ARG BACKEND=cpu\n\n"
                      "# Stage main"),
            std::string::npos)
      << text;
}

} // namespace
} // namespace imageplan::backends
