// Exact text of the operations that depend on the base's distribution and on
// the dialect: apk, dnf and microdnf installs with and without cache mounts,
// busybox user creation, stages without bash, and inline files.
#include "backends/Backend.h"
#include "backends/TestPlans.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

using plan::ChangeClass;
using plan::PackageManager;
using testing::layer;

plan::Plan planWith(std::vector<plan::Op> ops, bool posixShell = false) {
  plan::Plan p;
  p.specPath = "spec.yaml";
  plan::Stage s;
  s.name = "main";
  s.from = "base:1";
  s.distro = "os1";
  s.posixShell = posixShell;
  s.layers = {layer("step", ChangeClass::Rarely, std::move(ops))};
  p.stages = {s};
  return p;
}

// The text after the layer's comment line.
std::string layerText(std::vector<plan::Op> ops, Dialect dialect = Dialect::BuildKit,
                      bool posixShell = false) {
  std::string text = emitDockerfile(planWith(std::move(ops), posixShell), {dialect});
  llvm::StringRef comment = "# step (changes rarely)\n";
  size_t at = text.find(comment.str());
  EXPECT_NE(at, std::string::npos) << text;
  return text.substr(at + comment.size());
}

plan::SystemInstall install(PackageManager manager) {
  return plan::SystemInstall{{"curl", "py3-pip"}, manager};
}

TEST(SystemOpsTest, ApkUsesItsCacheThroughALink) {
  for (Dialect dialect : {Dialect::BuildKit, Dialect::Docker20, Dialect::Buildah})
    EXPECT_EQ("RUN --mount=type=cache,id=apk-os1-main,target=/var/cache/apk,sharing=locked \\\n"
              "    ln -sfn /var/cache/apk /etc/apk/cache \\\n"
              "    && apk add --update-cache \\\n"
              "        curl \\\n"
              "        py3-pip \\\n"
              "    && rm /etc/apk/cache\n",
              layerText({install(PackageManager::Apk)}, dialect))
        << toString(dialect);
}

TEST(SystemOpsTest, ApkWithoutMountsKeepsNoCache) {
  EXPECT_EQ("RUN apk add --no-cache \\\n"
            "        curl \\\n"
            "        py3-pip\n",
            layerText({install(PackageManager::Apk)}, Dialect::Legacy));
}

TEST(SystemOpsTest, DnfKeepsPackagesInTheCacheMount) {
  for (Dialect dialect : {Dialect::BuildKit, Dialect::Docker20, Dialect::Buildah})
    EXPECT_EQ("RUN --mount=type=cache,id=dnf-os1-main,target=/var/cache/dnf,sharing=locked \\\n"
              "    dnf install -y --setopt=install_weak_deps=False --setopt=keepcache=True \\\n"
              "        curl \\\n"
              "        py3-pip\n",
              layerText({install(PackageManager::Dnf)}, dialect))
        << toString(dialect);
}

TEST(SystemOpsTest, DnfWithoutMountsCleansInTheLayer) {
  EXPECT_EQ("RUN dnf install -y --setopt=install_weak_deps=False --nodocs \\\n"
            "        curl \\\n"
            "        py3-pip \\\n"
            "    && dnf clean all\n",
            layerText({install(PackageManager::Dnf)}, Dialect::Legacy));
}

TEST(SystemOpsTest, Microdnf) {
  EXPECT_EQ("RUN --mount=type=cache,id=microdnf-os1-main,target=/var/cache/yum,sharing=locked \\\n"
            "    microdnf install -y --nodocs --setopt=install_weak_deps=0 \\\n"
            "        curl \\\n"
            "        py3-pip\n",
            layerText({install(PackageManager::Microdnf)}));
  EXPECT_EQ("RUN microdnf install -y --nodocs --setopt=install_weak_deps=0 \\\n"
            "        curl \\\n"
            "        py3-pip \\\n"
            "    && microdnf clean all\n",
            layerText({install(PackageManager::Microdnf)}, Dialect::Legacy));
}

TEST(SystemOpsTest, OneCacheMountPerRunForEveryManagerButApt) {
  // buildah allows one sharing=locked cache mount per RUN.
  for (PackageManager manager :
       {PackageManager::Apk, PackageManager::Dnf, PackageManager::Microdnf}) {
    std::string text = layerText({install(manager)}, Dialect::Buildah);
    size_t first = text.find("sharing=locked");
    ASSERT_NE(first, std::string::npos) << text;
    EXPECT_EQ(text.find("sharing=locked", first + 1), std::string::npos) << text;
  }
}

TEST(SystemOpsTest, BuildahGivesTheLockedApkMountARunOfItsOwn) {
  plan::PipInstall flask;
  flask.packages = {"flask"};
  std::string text = layerText({install(PackageManager::Apk), flask}, Dialect::Buildah);
  EXPECT_EQ("RUN --mount=type=cache,id=apk-os1-main,target=/var/cache/apk,sharing=locked \\\n"
            "    ln -sfn /var/cache/apk /etc/apk/cache \\\n"
            "    && apk add --update-cache \\\n"
            "        curl \\\n"
            "        py3-pip \\\n"
            "    && rm /etc/apk/cache\n"
            "RUN --mount=type=cache,id=pip-os1,target=/root/.cache/pip \\\n"
            "    pip install \\\n"
            "        flask\n",
            text);
}

TEST(SystemOpsTest, BusyboxUser) {
  EXPECT_EQ("RUN addgroup -S -g 10001 app \\\n"
            "    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app\n",
            layerText({plan::CreateUser{"app", 10001, /*busybox=*/true}}));
}

TEST(SystemOpsTest, StageWithoutBashHasNoShellAndScriptsRunUnderSh) {
  std::string text = emitDockerfile(planWith(
      {plan::RunScript{"s", "make || true", {}}, plan::RunScript{"t", "a\nb\n", {}}},
      /*posixShell=*/true));
  EXPECT_EQ(text.find("SHELL"), std::string::npos) << text;
  EXPECT_NE(text.find("RUN sh -eu -c 'make || true' \\\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sh -eu -c \"$(printf '%s\\n'"), std::string::npos) << text;
  EXPECT_EQ(text.find("bash"), std::string::npos) << text;
}

plan::WriteFile entrypoint() {
  return plan::WriteFile{"/usr/local/bin/entrypoint.sh",
                         "#!/bin/sh\nset -eu\nexec \"$@\"  \n", "0755"};
}

TEST(SystemOpsTest, InlineFileIsACopyHeredocOnBuildKit) {
  EXPECT_EQ("COPY --chmod=0755 <<'IMAGEPLAN_EOF' /usr/local/bin/entrypoint.sh\n"
            "#!/bin/sh\n"
            "set -eu\n"
            "exec \"$@\"  \n"
            "IMAGEPLAN_EOF\n",
            layerText({entrypoint()}));
}

TEST(SystemOpsTest, HeredocDelimiterIsNoLineOfTheContent) {
  plan::WriteFile file{"/etc/x", "IMAGEPLAN_EOF\nIMAGEPLAN_EOF_2\n", "0644"};
  EXPECT_EQ("COPY --chmod=0644 <<'IMAGEPLAN_EOF_3' /etc/x\n"
            "IMAGEPLAN_EOF\n"
            "IMAGEPLAN_EOF_2\n"
            "IMAGEPLAN_EOF_3\n",
            layerText({file}));
}

TEST(SystemOpsTest, InlineFileIsPrintfWithoutHeredocs) {
  for (Dialect dialect : {Dialect::Docker20, Dialect::Buildah, Dialect::Legacy})
    EXPECT_EQ("RUN mkdir -p /usr/local/bin \\\n"
              "    && printf '%s\\n' \\\n"
              "        '#!/bin/sh' \\\n"
              "        'set -eu' \\\n"
              "        'exec \"$@\"  ' \\\n"
              "        > /usr/local/bin/entrypoint.sh \\\n"
              "    && chmod 0755 /usr/local/bin/entrypoint.sh\n",
              layerText({entrypoint()}, dialect))
        << toString(dialect);
}

TEST(SystemOpsTest, ContentWithoutFinalLineBreakKeepsItsBytes) {
  // A heredoc always ends in a line break, so even BuildKit uses printf.
  plan::WriteFile file{"/etc/app/token", "a\nb", "0600"};
  EXPECT_EQ("RUN mkdir -p /etc/app \\\n"
            "    && printf '%s\\n%s' \\\n"
            "        'a' \\\n"
            "        'b' \\\n"
            "        > /etc/app/token \\\n"
            "    && chmod 0600 /etc/app/token\n",
            layerText({file}));
}

TEST(SystemOpsTest, DockerignoreListsTheExcludes) {
  plan::Plan p = planWith({});
  p.contextPaths = {"."};
  p.contextExcludes = {"tests/", "**/*.log"};
  EXPECT_EQ("# Generated by imageplan from spec.yaml; do not edit.\n"
            "# The image copies the whole build context; only what it never reads is left out.\n"
            ".git\n"
            "**/__pycache__\n"
            "**/*.pyc\n"
            ".dockerignore\n"
            "# Left out by the spec (app.exclude):\n"
            "tests/\n"
            "**/*.log\n",
            emitDockerignore(p));
}

} // namespace
} // namespace imageplan::backends
