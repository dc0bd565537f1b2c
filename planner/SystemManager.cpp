// Package manager inference and the per-distribution package names of
// SystemManager.h.
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {

namespace {

/// "registry.access.redhat.com/ubi9/ubi-minimal:9.4" -> the lowercased
/// reference without its digest and tag, registry and path included, since
/// the path often carries the distribution (ubi9/..., cgr.dev/chainguard/...).
std::string referenceWithoutTag(llvm::StringRef image) {
  llvm::StringRef ref = image.split('@').first;
  // A ':' after the last '/' starts the tag; one before it is a registry port.
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != llvm::StringRef::npos && (slash == llvm::StringRef::npos || colon > slash))
    ref = ref.take_front(colon);
  return ref.lower();
}

llvm::StringRef tagOf(llvm::StringRef image) {
  llvm::StringRef ref = image.split('@').first;
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon == llvm::StringRef::npos || (slash != llvm::StringRef::npos && colon < slash))
    return "";
  return ref.drop_front(colon + 1);
}

bool containsAny(llvm::StringRef text, std::initializer_list<llvm::StringRef> words) {
  for (llvm::StringRef word : words)
    if (text.contains(word))
      return true;
  return false;
}

/// "ubi", "ubi9", "ubi9-minimal", "ubi-minimal": a word of `text` (split at
/// '/' and '-') that is ubi, optionally followed by digits.
bool namesUbi(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 8> words;
  text.split(words, '/');
  for (llvm::StringRef part : words) {
    llvm::SmallVector<llvm::StringRef, 4> pieces;
    part.split(pieces, '-');
    for (llvm::StringRef piece : pieces) {
      llvm::StringRef rest = piece;
      if (rest.consume_front("ubi") && llvm::all_of(rest, llvm::isDigit))
        return true;
    }
  }
  return false;
}

} // namespace

bool isWolfi(llvm::StringRef image) {
  return containsAny(referenceWithoutTag(image), {"wolfi", "chainguard", "cgr.dev"});
}

plan::PackageManager inferPackageManager(llvm::StringRef image) {
  std::string ref = referenceWithoutTag(image);
  std::string tag = tagOf(image).lower();
  // python:3.12-alpine and the like: the variant is in the tag.
  if (containsAny(ref, {"alpine", "wolfi", "chainguard", "cgr.dev"}) ||
      llvm::StringRef(tag).contains("alpine"))
    return plan::PackageManager::Apk;
  bool ubi = namesUbi(ref);
  if (ubi && llvm::StringRef(ref).contains("minimal"))
    return plan::PackageManager::Microdnf;
  if (ubi || containsAny(ref, {"redhat", "rhel", "rockylinux", "almalinux", "fedora", "centos",
                               "amazonlinux"}))
    return plan::PackageManager::Dnf;
  // The NVIDIA CUDA images name the OS in the tag: 12.4.1-runtime-ubi9.
  if (namesUbi(tag))
    return plan::PackageManager::Dnf;
  return plan::PackageManager::Apt;
}

std::vector<std::string> pythonPackages(plan::PackageManager manager, llvm::StringRef version,
                                        bool withHeaders, bool wolfi) {
  using plan::PackageManager;
  if (manager == PackageManager::Apk && wolfi) {
    // Wolfi packages each interpreter as python-3.X, its pip as py3.X-pip.
    std::string v = version.empty() ? "3.12" : version.str();
    std::vector<std::string> packages = {"python-" + v, "py" + v + "-pip"};
    if (withHeaders)
      packages.push_back("python-" + v + "-dev");
    return packages;
  }
  switch (manager) {
  case PackageManager::Apt: {
    // Debian splits venv (and ensurepip) out of python3.
    std::vector<std::string> packages = {"python3", "python3-venv"};
    if (withHeaders)
      packages.push_back("python3-dev");
    return packages;
  }
  case PackageManager::Apk: {
    // Alpine's python3 includes venv and ensurepip.
    std::vector<std::string> packages = {"python3"};
    if (withHeaders)
      packages.push_back("python3-dev");
    return packages;
  }
  case PackageManager::Dnf:
  case PackageManager::Microdnf: {
    // RHEL ships several interpreters side by side (python3.11, python3.12);
    // the pip package brings the wheels ensurepip installs into a venv.
    std::string name = version.empty() ? "python3" : ("python" + version).str();
    std::vector<std::string> packages = {name, name + "-pip"};
    if (withHeaders)
      packages.push_back(name + "-devel");
    return packages;
  }
  }
  return {};
}

std::string pythonCommand(plan::PackageManager manager, llvm::StringRef version, bool wolfi) {
  if (manager == plan::PackageManager::Apk && wolfi)
    return "python" + (version.empty() ? std::string("3.12") : version.str());
  bool versioned = manager == plan::PackageManager::Dnf ||
                   manager == plan::PackageManager::Microdnf;
  return versioned && !version.empty() ? ("python" + version).str() : "python3";
}

std::vector<std::string> userToolPackages(plan::PackageManager manager) {
  if (manager == plan::PackageManager::Microdnf)
    return {"shadow-utils"};
  return {};
}

bool usesBusyboxUserTools(plan::PackageManager manager) {
  return manager == plan::PackageManager::Apk;
}

bool lacksBash(plan::PackageManager manager) { return manager == plan::PackageManager::Apk; }

bool imageLacksBash(llvm::StringRef image) {
  return lacksBash(inferPackageManager(image)) ||
         llvm::StringRef(referenceWithoutTag(image)).contains("busybox");
}

} // namespace imageplan::planner
