// Base image resolution: NVIDIA CUDA tags, python:* images and the Python
// version each distribution ships, so the planner can pick the interpreter
// source and reject a version the base cannot provide.
#include "planner/Base.h"

#include "dsl/CompatTable.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {
namespace {

struct DistroCodename {
  const char *distro;
  const char *codename;
};

// The release codename apt sources of a distribution name (its python3 is in
// dsl/compat.yaml).
constexpr DistroCodename kCodenames[] = {
    {"ubuntu20.04", "focal"},  {"ubuntu22.04", "jammy"},   {"ubuntu24.04", "noble"},
    {"debian11", "bullseye"}, {"debian12", "bookworm"},  {"debian13", "trixie"},
};

// Releases dsl/compat.yaml does not list for a Python version: older codenames, Alpine tags without a colon (python:3.12-alpine3.20), UBI.
constexpr std::pair<const char *, const char *> kMoreReleases[] = {
    {"buster", "debian10"}, {"debian:10", "debian10"}, {"ubi8", "ubi8"},
    {"ubi9", "ubi9"},       {"ubi10", "ubi10"},
};

/// "alpine3.20" for an image whose name or tag holds alpine3.20 or
/// alpine:3.20, else "".
std::string alpineRelease(llvm::StringRef lower) {
  size_t at = lower.find("alpine");
  if (at == llvm::StringRef::npos)
    return "";
  llvm::StringRef rest = lower.substr(at + 6);
  rest.consume_front(":");
  llvm::StringRef major = rest.take_while(llvm::isDigit);
  rest = rest.drop_front(major.size());
  if (major.empty() || !rest.consume_front("."))
    return "";
  llvm::StringRef minor = rest.take_while(llvm::isDigit);
  return minor.empty() ? "" : ("alpine" + major + "." + minor).str();
}

/// `image` without its digest, lowercase, every run of characters other than
/// [a-z0-9.] one '-'.
std::string referenceSlug(llvm::StringRef image) {
  std::string slug;
  for (char c : image.split('@').first.lower()) {
    if (llvm::isAlnum(c) || c == '.')
      slug += c;
    else if (!slug.empty() && slug.back() != '-')
      slug += '-';
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return slug.empty() ? "image" : slug;
}

std::string fullCudaVersion(llvm::StringRef version) {
  // NVIDIA tags carry three components: 11.8 -> 11.8.0.
  if (version.count('.') == 1)
    return (version + ".0").str();
  return version.str();
}

/// The repository name without registry or tag: "docker.io/library/python:3.11" -> "python".
llvm::StringRef repositoryName(llvm::StringRef image) {
  llvm::StringRef withoutDigest = image.split('@').first;
  llvm::StringRef last = withoutDigest.rsplit('/').second;
  if (last.empty())
    last = withoutDigest;
  return last.split(':').first;
}

void describeImage(BaseImages &out, llvm::StringRef image) {
  std::string lower = image.lower();
  llvm::StringRef repo = repositoryName(lower);
  if (repo == "python") {
    out.python = PythonSource::Image;
    out.distro = "python image";
    out.shippedPython = dsl::compat::pythonImageVersion(lower);
    return;
  }
  out.python = PythonSource::System;
  // The python3 each release ships (dsl/compat.yaml), by codename or version.
  if (const dsl::compat::DistroPython *d = dsl::compat::distroPythonOf(lower)) {
    out.distro = d->distro;
    out.shippedPython = d->python;
    for (const DistroCodename &c : kCodenames)
      if (out.distro == c.distro)
        out.codename = c.codename;
    return;
  }
  out.distro = repo.str();
}

} // namespace

std::string distroRelease(llvm::StringRef image) {
  std::string lower = image.split('@').first.lower();
  if (const dsl::compat::DistroPython *d = dsl::compat::distroPythonOf(lower))
    return d->distro;
  for (const auto &[marker, release] : kMoreReleases)
    if (llvm::StringRef(lower).contains(marker))
      return release;
  if (std::string alpine = alpineRelease(lower); !alpine.empty())
    return alpine;
  if (isWolfi(lower))
    return "wolfi"; // a rolling distribution: one release
  return referenceSlug(image);
}

std::string cudaTag(llvm::StringRef version, llvm::StringRef cudnn, llvm::StringRef flavor,
                    llvm::StringRef os) {
  std::string tag = fullCudaVersion(version) + "-";
  llvm::StringRef kind = flavor;
  bool withCudnn = kind.consume_front("cudnn-") || (!cudnn.empty() && kind != "base");
  if (withCudnn) {
    unsigned major = 0;
    bool numbered = !cudnn.empty() && !cudnn.getAsInteger(10, major) && major <= 8;
    tag += numbered ? ("cudnn" + cudnn + "-").str() : "cudnn-";
  }
  return tag + kind.str() + "-" + os.str();
}

std::string defaultBuilderFlavor(const dsl::BaseSpec &base) {
  bool cudnn = base.cudnn || (base.flavor && llvm::StringRef(base.flavor->value).startswith("cudnn-"));
  return cudnn ? "cudnn-devel" : "devel";
}

BaseImages resolveBase(const dsl::BaseSpec &base, llvm::StringRef override) {
  BaseImages out;
  if (!override.empty()) {
    out.runtime = out.devel = override.str();
    describeImage(out, override);
    out.manager = inferPackageManager(override);
    out.wolfi = isWolfi(override);
    return out;
  }
  std::string digest = base.digest ? "@" + base.digest->value : "";
  if (base.cuda) {
    std::string os = base.os ? base.os->value : "ubuntu22.04";
    // The final stage takes `flavor` (runtime by default), the builder
    // `builder_flavor` (devel, or cudnn-devel when cuDNN is in use).
    std::string cudnn = base.cudnn ? base.cudnn->value : "";
    std::string registry = base.registry ? base.registry->value : "nvidia";
    std::string flavor = base.flavor ? base.flavor->value : "runtime";
    std::string builderFlavor =
        base.builderFlavor ? base.builderFlavor->value : defaultBuilderFlavor(base);
    out.runtime = registry + "/cuda:" + cudaTag(base.cuda->value, cudnn, flavor, os) + digest;
    out.devel = registry + "/cuda:" + cudaTag(base.cuda->value, cudnn, builderFlavor, os);
    describeImage(out, os);
    out.manager = llvm::StringRef(os).startswith("ubi") ? plan::PackageManager::Dnf
                                                        : plan::PackageManager::Apt;
    return out;
  }
  std::string image = base.image ? base.image->value : "";
  out.runtime = image + digest;
  out.devel = out.runtime;
  describeImage(out, image);
  out.manager = inferPackageManager(image);
  out.wolfi = isWolfi(image);
  return out;
}

std::vector<std::string> interpreterPackages(const BaseImages &base, llvm::StringRef version,
                                             bool withHeaders) {
  if (base.python == PythonSource::Image)
    return {};
  return pythonPackages(base.manager, version, withHeaders, base.wolfi);
}

} // namespace imageplan::planner
