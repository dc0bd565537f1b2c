// The dialects by name, and what each one may use (see DialectRules.h).
#include "backends/DialectRules.h"

#include "llvm/Support/ErrorHandling.h"

namespace imageplan::backends {

const char *toString(Dialect dialect) {
  switch (dialect) {
  case Dialect::BuildKit: return "buildkit";
  case Dialect::Docker20: return "docker20";
  case Dialect::Buildah: return "buildah";
  case Dialect::Legacy: return "legacy";
  }
  llvm_unreachable("unknown dialect");
}

std::optional<Dialect> parseDialect(std::string_view name) {
  for (Dialect dialect : kDialects)
    if (name == toString(dialect))
      return dialect;
  return std::nullopt;
}

DialectRules rulesFor(Dialect dialect) {
  DialectRules rules;
  switch (dialect) {
  case Dialect::BuildKit:
    rules.syntaxDirective = true;
    rules.copyLink = true;
    rules.cacheMounts = rules.bindMounts = rules.secretMounts = true;
    rules.aptListsCache = true;
    rules.heredocs = true;
    return rules;
  case Dialect::Docker20:
    rules.cacheMounts = rules.bindMounts = rules.secretMounts = true;
    rules.aptListsCache = true;
    return rules;
  case Dialect::Buildah:
    // Bind mounts exist in buildah 1.28, but a changed source does not
    // invalidate the layer (containers/buildah#5400): COPY is always right.
    rules.cacheMounts = rules.secretMounts = true;
    rules.lockedCacheMountAlone = true;
    return rules;
  case Dialect::Legacy:
    return rules;
  }
  llvm_unreachable("unknown dialect");
}

} // namespace imageplan::backends
