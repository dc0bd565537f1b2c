// Package manager inference from image references, and the per-manager names
// of the packages imageplan installs itself.
#include "planner/SystemManager.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

using plan::PackageManager;
using Packages = std::vector<std::string>;

TEST(SystemManagerTest, InfersFromTheImageReference) {
  EXPECT_EQ(inferPackageManager("alpine:3.20"), PackageManager::Apk);
  EXPECT_EQ(inferPackageManager("python:3.12-alpine3.20"), PackageManager::Apk);
  EXPECT_EQ(inferPackageManager("cgr.dev/chainguard/wolfi-base:latest"), PackageManager::Apk);
  EXPECT_EQ(inferPackageManager("cgr.dev/chainguard/python:latest-dev"), PackageManager::Apk);
  EXPECT_EQ(inferPackageManager("registry.access.redhat.com/ubi9/ubi:9.4"), PackageManager::Dnf);
  EXPECT_EQ(inferPackageManager("registry.access.redhat.com/ubi9/ubi-minimal:9.4"),
            PackageManager::Microdnf);
  EXPECT_EQ(inferPackageManager("redhat/ubi8-minimal"), PackageManager::Microdnf);
  EXPECT_EQ(inferPackageManager("rockylinux:9"), PackageManager::Dnf);
  EXPECT_EQ(inferPackageManager("fedora:40"), PackageManager::Dnf);
  EXPECT_EQ(inferPackageManager("quay.io/centos/centos:stream9"), PackageManager::Dnf);
  EXPECT_EQ(inferPackageManager("nvidia/cuda:12.4.1-runtime-ubi9"), PackageManager::Dnf);
  EXPECT_EQ(inferPackageManager("nvidia/cuda:12.4.1-runtime-ubuntu22.04"), PackageManager::Apt);
  EXPECT_EQ(inferPackageManager("ubuntu:24.04"), PackageManager::Apt);
  EXPECT_EQ(inferPackageManager("debian:bookworm-slim@sha256:00"), PackageManager::Apt);
  EXPECT_EQ(inferPackageManager("localhost:5000/ubuntu-builder"), PackageManager::Apt);
  // "ubi" must be a word of its own: rubicon is not a UBI image.
  EXPECT_EQ(inferPackageManager("example/rubicon:1"), PackageManager::Apt);
}

TEST(SystemManagerTest, PythonPackagesPerDistribution) {
  EXPECT_EQ(pythonPackages(PackageManager::Apt, "3.11", false),
            (Packages{"python3", "python3-venv"}));
  EXPECT_EQ(pythonPackages(PackageManager::Apt, "", true),
            (Packages{"python3", "python3-venv", "python3-dev"}));
  EXPECT_EQ(pythonPackages(PackageManager::Apk, "3.12", true),
            (Packages{"python3", "python3-dev"}));
  EXPECT_EQ(pythonPackages(PackageManager::Dnf, "3.11", true),
            (Packages{"python3.11", "python3.11-pip", "python3.11-devel"}));
  EXPECT_EQ(pythonPackages(PackageManager::Microdnf, "", false),
            (Packages{"python3", "python3-pip"}));
  EXPECT_EQ(pythonCommand(PackageManager::Dnf, "3.11"), "python3.11");
  EXPECT_EQ(pythonCommand(PackageManager::Apt, "3.11"), "python3");
  EXPECT_EQ(pythonCommand(PackageManager::Microdnf, ""), "python3");
}

TEST(SystemManagerTest, WolfiHasItsOwnPythonNames) {
  EXPECT_TRUE(isWolfi("cgr.dev/chainguard/wolfi-base:latest"));
  EXPECT_FALSE(isWolfi("alpine:3.20"));
  EXPECT_EQ(pythonPackages(PackageManager::Apk, "3.11", true, /*wolfi=*/true),
            (Packages{"python-3.11", "py3.11-pip", "python-3.11-dev"}));
  EXPECT_EQ(pythonPackages(PackageManager::Apk, "", false, /*wolfi=*/true),
            (Packages{"python-3.12", "py3.12-pip"}));
  EXPECT_EQ(pythonCommand(PackageManager::Apk, "3.11", /*wolfi=*/true), "python3.11");
  EXPECT_EQ(pythonCommand(PackageManager::Apk, "3.11"), "python3");
}

TEST(SystemManagerTest, UserToolsAndShell) {
  EXPECT_EQ(userToolPackages(PackageManager::Microdnf), (Packages{"shadow-utils"}));
  EXPECT_TRUE(userToolPackages(PackageManager::Dnf).empty());
  EXPECT_TRUE(usesBusyboxUserTools(PackageManager::Apk));
  EXPECT_FALSE(usesBusyboxUserTools(PackageManager::Apt));
  EXPECT_TRUE(lacksBash(PackageManager::Apk));
  EXPECT_FALSE(lacksBash(PackageManager::Dnf));
}

TEST(SystemManagerTest, NamesRoundTrip) {
  for (PackageManager m : {PackageManager::Apt, PackageManager::Apk, PackageManager::Dnf,
                           PackageManager::Microdnf})
    EXPECT_EQ(plan::parsePackageManager(plan::toString(m)), m);
  EXPECT_FALSE(plan::parsePackageManager("yum"));
}

} // namespace
} // namespace imageplan::planner
