// The value rules of ValueRules.h for where images go: registry repositories
// (publish.image, cache.ref), platforms and cache modes. A repository here
// has no tag or digest: the bake file tags images itself and keeps one cache
// tag per image target.
#include "dsl/Parser.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {
namespace {

bool isLowerAlnum(char c) { return llvm::isDigit(c) || (c >= 'a' && c <= 'z'); }

/// A registry host as the first path component: it has a '.' or a ':'
/// (a port), or is localhost.
bool isRegistryHost(llvm::StringRef part) {
  return part.contains('.') || part.contains(':') || part == "localhost";
}

std::string checkHost(llvm::StringRef host) {
  auto [name, port] = host.split(':');
  if (name.empty() || !llvm::all_of(name, [](char c) {
        return llvm::isAlnum(c) || c == '.' || c == '-';
      }))
    return "the registry host '" + host.str() + "' is not a host name";
  if (host.contains(':') && (port.empty() || !llvm::all_of(port, llvm::isDigit)))
    return "the registry port in '" + host.str() + "' is not a number";
  return "";
}

/// A path component of a repository: lowercase letters and digits, joined by
/// single '.', '_' or '-' (or '__'), as the OCI distribution spec allows.
bool isPathComponent(llvm::StringRef part) {
  if (part.empty() || !isLowerAlnum(part.front()) || !isLowerAlnum(part.back()))
    return false;
  for (size_t i = 0; i < part.size(); ++i) {
    char c = part[i];
    if (isLowerAlnum(c))
      continue;
    if (c != '.' && c != '_' && c != '-')
      return false;
    bool doubleUnderscore = c == '_' && i + 1 < part.size() && part[i + 1] == '_';
    if (!isLowerAlnum(part[i + 1]) && !doubleUnderscore && part[i + 1] != '-')
      return false;
  }
  return true;
}

std::string checkRepository(llvm::StringRef v) {
  if (v.contains('@'))
    return "expected a repository without a digest, like 'registry.example.com/acme/app'";
  llvm::SmallVector<llvm::StringRef, 8> parts;
  v.split(parts, '/');
  size_t first = 0;
  if (parts.size() > 1 && isRegistryHost(parts.front())) {
    if (std::string why = checkHost(parts.front()); !why.empty())
      return why;
    first = 1;
  }
  for (size_t i = first; i < parts.size(); ++i) {
    if (parts[i].contains(':'))
      return "expected a repository without a tag, like 'registry.example.com/acme/app' (the "
             "bake file adds the tags)";
    if (!isPathComponent(parts[i]))
      return "expected a repository like 'registry.example.com/acme/app': lowercase letters "
             "and digits, separated by '.', '_', '-' and '/'";
  }
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
