// system.repositories: extra apt repositories and their signing keys (see
// SpecParser.h). Whether the base uses apt is Check.cpp's to say.
#include "dsl/SpecParser.h"

namespace imageplan::dsl {

void SpecParser::readRepositories(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    AptRepositorySpec repo;
    repo.loc = loc;
    repo.key.loc = loc;
    auto required = [&](const char *key, LString &into, const ValueRule *rule) {
      return KeyReader{key,
                       [&into, rule, this](const Field &f) {
                         if (auto v = r.string(f, rule))
                           into = *v;
                       },
                       /*required=*/true};
    };
    bool keyRead = false;
    KeysSeen seen = r.readMapping(
        node, loc,
        {required("name", repo.name, &rules::stepName),
         required("url", repo.url, &rules::indexUrl),
         {"suites", [&](const Field &f) { repo.suites = r.stringList(f, &rules::aptSuite); }},
         {"components",
          [&](const Field &f) { repo.components = r.stringList(f, &rules::aptComponent); }},
         {"key",
          [&](const Field &f) {
            if (std::optional<RepositoryKeySpec> key = readRepositoryKey(f)) {
              repo.key = *key;
              keyRead = true;
            }
          },
          /*required=*/true}});
    if (seen.has("key") && !keyRead)
      return; // reported
    spec.system.repositories.push_back(std::move(repo));
  });
}

std::optional<RepositoryKeySpec> SpecParser::readRepositoryKey(const Field &field) {
  RepositoryKeySpec key;
  key.loc = field.keyLoc;
  std::optional<KeysSeen> seen = r.readSection(
      field, {{"url", [&](const Field &f) { key.url = r.string(f, &rules::indexUrl); }},
              {"sha256", [&](const Field &f) { key.sha256 = r.string(f, &rules::sha256); }},
              {"fingerprint",
               [&](const Field &f) { key.fingerprint = r.string(f, &rules::keyFingerprint); }}});
  if (!seen)
    return std::nullopt;
  requireOneOf(*seen, "sha256", "fingerprint", field);
  if (seen->has("sha256") && !seen->has("url"))
    r.diags().error(field.keyLoc, "a key pinned by 'sha256' needs the 'url' it is downloaded "
                                  "from");
  return key;
}

} // namespace imageplan::dsl
