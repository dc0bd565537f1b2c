// The value rules of ValueRules.h for where images go: registry repositories
// (publish.image, cache.ref), platforms and cache modes. A repository here
// has no tag or digest: the bake file tags images itself and keeps one cache
// tag per image target.
#include "dsl/Parser.h"
#include "dsl/ValueRuleHelpers.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {
namespace {

/// A repository is Docker's reference grammar without the tag and digest
/// (ValueRules.cpp's detail::isRepositoryName); a tag or digest gets a
/// message of its own.
std::string checkRepository(llvm::StringRef v) {
  if (v.contains('@'))
    return "expected a repository without a digest, like 'registry.example.com/acme/app'";
  size_t slash = v.rfind('/'), colon = v.rfind(':');
  if (colon != llvm::StringRef::npos && (slash == llvm::StringRef::npos || colon > slash))
    return "expected a repository without a tag, like 'registry.example.com/acme/app' (the "
           "bake file adds the tags)";
  if (!detail::isRepositoryName(v))
    return "expected a repository like 'registry.example.com/acme/app': lowercase letters "
           "and digits, separated by '.', '_', '-' and '/', after an optional registry host";
  return "";
}

constexpr llvm::StringRef kOperatingSystems[] = {"linux", "windows"};
constexpr llvm::StringRef kArchitectures[] = {"amd64",   "arm64", "arm",     "386",
                                              "ppc64le", "s390x", "riscv64", "mips64le"};
constexpr llvm::StringRef kVariants[] = {"v5", "v6", "v7", "v8"};

std::string checkPlatform(llvm::StringRef v) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  v.split(parts, '/');
  if (parts.size() < 2 || parts.size() > 3)
    return "expected os/arch[/variant], like 'linux/amd64' or 'linux/arm/v7'";
  if (std::string why = checkOneOf(parts[0], kOperatingSystems); !why.empty())
    return "unknown operating system: " + why;
  if (std::string why = checkOneOf(parts[1], kArchitectures); !why.empty())
    return "unknown architecture: " + why;
  if (parts.size() == 3)
    if (std::string why = checkOneOf(parts[2], kVariants); !why.empty())
      return "unknown variant: " + why;
  return "";
}

std::string checkCacheMode(llvm::StringRef v) { return checkOneOf(v, {"max", "min"}); }

} // namespace

namespace rules {
const ValueRule repository{"repository", checkRepository};
const ValueRule platform{"platform", checkPlatform};
const ValueRule cacheMode{"cache mode", checkCacheMode};
} // namespace rules

std::string repositoryProblem(llvm::StringRef repository) { return checkRepository(repository); }

} // namespace imageplan::dsl
