// assets: files and folders baked in from outside the build context (see
// SpecParser.h); which keys go together is AssetCheck.cpp's to say.
#include "dsl/SpecParser.h"

namespace imageplan::dsl {

void SpecParser::readAssets(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    AssetSpec asset;
    asset.loc = loc;
    auto optional = [&](std::optional<LString> &into, const ValueRule *rule) {
      return [&into, rule, this](const Field &f) { into = r.string(f, rule); };
    };
    r.readMapping(node, loc,
                  {{"name",
                    [&](const Field &f) {
                      if (auto v = r.string(f, &rules::stepName))
                        asset.name = *v;
                    },
                    /*required=*/true},
                   {"url", optional(asset.url, &rules::assetUrl)},
                   {"sha256", optional(asset.sha256, &rules::sha256)},
                   {"unpack", optional(asset.unpack, &rules::unpackFormat)},
                   {"git", optional(asset.git, &rules::gitUrl)},
                   {"revision", optional(asset.revision, &rules::commitId)},
                   {"lfs", [&](const Field &f) { asset.lfs = r.boolean(f); }},
                   {"path",
                    [&](const Field &f) {
                      if (auto v = r.string(f, &rules::imagePath))
                        asset.path = *v;
                    },
                    /*required=*/true},
                   {"changes", [&](const Field &f) { asset.changes = r.changes(f); }}});
    spec.assets.push_back(std::move(asset));
  });
}

} // namespace imageplan::dsl
