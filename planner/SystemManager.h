// Which package manager a base image uses, and what each manager calls the
// packages imageplan itself needs (the Python interpreter, its headers, the
// user tools), so that the rest of the planner never spells a package name.
#pragma once

#include "planner/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::planner {

/// The package manager of `image`, from its repository name: alpine, wolfi,
/// chainguard and cgr.dev images use apk; ubi*-minimal images microdnf; ubi,
/// redhat, rockylinux, almalinux, fedora, centos and amazonlinux dnf; anything
/// else apt.
plan::PackageManager inferPackageManager(llvm::StringRef image);

/// True for Wolfi images (wolfi, chainguard, cgr.dev): apk, but with their
/// own package names.
bool isWolfi(llvm::StringRef image);

/// The packages that give a stage a Python interpreter that can make a venv
/// (plus the C headers when `withHeaders`). `version` ("3.11", or "") picks a
/// versioned package where the distribution has several (dnf: python3.11,
/// Wolfi: python-3.11, where 3.12 is the default).
std::vector<std::string> pythonPackages(plan::PackageManager manager, llvm::StringRef version,
                                        bool withHeaders, bool wolfi = false);

/// The command that runs that interpreter: python3, or python3.11 on dnf and
/// Wolfi.
std::string pythonCommand(plan::PackageManager manager, llvm::StringRef version,
                          bool wolfi = false);

/// Packages the user-creation commands need beyond the base image: the
/// minimal UBI images ship without groupadd/useradd.
std::vector<std::string> userToolPackages(plan::PackageManager manager);

/// True when users are created with busybox's addgroup/adduser.
bool usesBusyboxUserTools(plan::PackageManager manager);

/// True when the base ships no bash, so RUN must use /bin/sh.
bool lacksBash(plan::PackageManager manager);

/// The same for any image by its name: apk images (Alpine, Wolfi, and so
/// alpine/git) and busybox images.
bool imageLacksBash(llvm::StringRef image);

} // namespace imageplan::planner
