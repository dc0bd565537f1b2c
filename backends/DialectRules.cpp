// The table of dialects (see DialectRules.h).
#include "backends/DialectRules.h"

#include "llvm/Support/ErrorHandling.h"

namespace imageplan::backends {

DialectRules rulesFor(plan::Dialect dialect) {
  DialectRules rules;
  switch (dialect) {
  case plan::Dialect::BuildKit:
    rules.syntaxDirective = true;
    rules.copyLink = true;
    rules.cacheMounts = rules.bindMounts = rules.secretMounts = true;
    rules.aptListsCache = true;
    rules.heredocs = true;
    return rules;
  case plan::Dialect::Docker20:
    rules.cacheMounts = rules.bindMounts = rules.secretMounts = true;
    rules.aptListsCache = true;
    return rules;
  case plan::Dialect::Buildah:
    // Bind mounts exist in buildah 1.28, but a changed source does not
    // invalidate the layer (containers/buildah#5400): COPY is always right.
    rules.cacheMounts = rules.secretMounts = true;
    rules.lockedCacheMountAlone = true;
    return rules;
  case plan::Dialect::Legacy:
    return rules;
  }
  llvm_unreachable("unknown dialect");
}

} // namespace imageplan::backends
