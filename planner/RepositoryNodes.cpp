// Apt repository nodes (RepositoryNodes.h).
#include "planner/RepositoryNodes.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {
namespace {

constexpr const char *kKeyrings = "/etc/apt/keyrings";
// Where a key pinned by fingerprint is fetched to; only the pinned key is
// exported from it into the keyring apt reads.
constexpr const char *kFetchedKeys = "/tmp/imageplan/keys";
constexpr const char *kDefaultKeyserver =
    "https://keyserver.ubuntu.com/pks/lookup?op=get&search=0x";

bool isFlat(const std::vector<std::string> &suites) {
  return suites.size() == 1 && llvm::StringRef(suites.front()).endswith("/");
}

} // namespace

std::vector<plan::AptSource> resolveRepositories(readers::DiagnosticEngine &diags,
                                                 const dsl::Spec &spec, const BaseImages &base) {
  std::vector<plan::AptSource> sources;
  const std::vector<dsl::AptRepositorySpec> &repos = spec.system.repositories;
  if (repos.empty())
    return sources;
  if (base.manager != plan::PackageManager::Apt) {
    diags.error(repos.front().loc, std::string("'repositories' are apt sources, and this base "
                                               "installs its packages with ") +
                                       plan::toString(base.manager));
    return sources;
  }
  for (const dsl::AptRepositorySpec &repo : repos) {
    plan::AptSource source;
    source.name = repo.name.value;
    source.uri = repo.url.value;
    source.suites = values(repo.suites);
    if (source.suites.empty()) {
      if (base.codename.empty()) {
        diags.error(repo.loc, "repository '" + repo.name.value + "' needs 'suites': the base " +
                                  "image's name does not say which release it is (such as "
                                  "'jammy' or 'bookworm')");
        continue;
      }
      source.suites = {base.codename};
    }
    source.components = values(repo.components);
    if (source.components.empty() && !isFlat(source.suites))
      source.components = {"main"};
    const dsl::RepositoryKeySpec &key = repo.key;
    if (key.sha256) {
      source.keyFile = std::string(kKeyrings) + "/" + source.name + ".asc";
      source.keySha256 = key.sha256->value;
      source.signedBy = source.keyFile;
    } else if (key.fingerprint) {
      source.keyFile = std::string(kFetchedKeys) + "/" + source.name + ".asc";
      source.fingerprint = llvm::StringRef(key.fingerprint->value).upper();
      source.signedBy = std::string(kKeyrings) + "/" + source.name + ".gpg";
    }
    sources.push_back(std::move(source));
  }
  return sources;
}

void addRepositoryNodes(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                        std::initializer_list<std::optional<unsigned>> before) {
  std::vector<unsigned> installs; // the nodes of `before` that run apt
  for (const std::optional<unsigned> &node : before)
    if (node && llvm::any_of(graph.nodes[*node].ops, [](const plan::Op &op) {
          return std::holds_alternative<plan::SystemInstall>(op);
        }))
      installs.push_back(*node);
  if (installs.empty())
    return;
  for (size_t i = 0; i < in.aptSources.size(); ++i) {
    const plan::AptSource &source = in.aptSources[i];
    const dsl::AptRepositorySpec &repo = in.spec.system.repositories[i];
    std::string keyUrl =
        repo.key.url ? repo.key.url->value : kDefaultKeyserver + source.fingerprint;
    std::vector<plan::Op> ops = {plan::FetchUrl{keyUrl, source.keyFile}};
    // apt reaches an https repository only with CA certificates, and gpg
    // picks the pinned key out of what a keyserver sends.
    std::vector<std::string> tools;
    if (llvm::StringRef(source.uri).startswith("https://"))
      tools.push_back("ca-certificates");
    if (!source.fingerprint.empty())
      tools.push_back("gpg");
    if (!tools.empty())
      ops.push_back(plan::SystemInstall{tools, plan::PackageManager::Apt});
    ops.push_back(source);
    Node &node =
        addNode(graph, NodeKind::AptRepository, "apt repository " + source.name, stage, repo.loc,
                costs::kSystemPackagesRate,
                source.fingerprint.empty() ? costs::kAptRepository : costs::kAptRepositoryGpg,
                std::move(ops), {"system"});
    unsigned id = node.id;
    for (unsigned next : installs)
      addEdge(graph, id, next);
  }
}

} // namespace imageplan::planner
