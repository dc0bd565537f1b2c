// Asset rules (AssetCheck.h).
#include "dsl/AssetCheck.h"

#include "dsl/ValueRules.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"

namespace imageplan::dsl {
namespace {

void checkSource(readers::DiagnosticEngine &diags, const AssetSpec &asset) {
  const std::string &name = asset.name.value;
  if (!asset.url && !asset.git) {
    diags.error(asset.loc, "asset " + quoteValue(name) +
                               " needs a 'url' (with its 'sha256') "
                               "or a 'git' repository (with its 'revision')");
    return;
  }
  if (asset.url && asset.git) {
    diags.error(asset.git->loc,
                "asset " + quoteValue(name) + " sets both 'url' and 'git'; use only one");
    diags.note(asset.url->loc, "'url' is set here");
    return;
  }
  auto notWith = [&](bool written, llvm::SMLoc loc, const char *key, const char *source) {
    if (written)
      diags.error(loc, llvm::Twine("'") + key + "' applies to an asset with '" + source + "'");
  };
  if (asset.url) {
    if (!asset.sha256)
      diags.error(asset.url->loc, "asset " + quoteValue(name) +
                                      " needs the 'sha256' of what 'url' serves: without it a "
                                      "changed download would go unnoticed");
    notWith(asset.revision.has_value(), asset.revision ? asset.revision->loc : llvm::SMLoc(),
            "revision", "git");
    notWith(asset.lfs.has_value(), asset.lfs ? asset.lfs->loc : llvm::SMLoc(), "lfs", "git");
    return;
  }
  if (!asset.revision)
    diags.error(asset.git->loc, "asset " + quoteValue(name) +
                                    " needs the 'revision' (a full commit id) to check out");
  notWith(asset.sha256.has_value(), asset.sha256 ? asset.sha256->loc : llvm::SMLoc(), "sha256",
          "url");
  notWith(asset.unpack.has_value(), asset.unpack ? asset.unpack->loc : llvm::SMLoc(), "unpack",
          "url");
}

std::string normalized(llvm::StringRef path) {
  llvm::SmallString<128> normal(path);
  llvm::sys::path::remove_dots(normal, /*remove_dot_dot=*/false, llvm::sys::path::Style::posix);
  return std::string(llvm::StringRef(normal).rtrim('/'));
}

} // namespace

void checkAssets(readers::DiagnosticEngine &diags, const Spec &spec) {
  llvm::StringMap<llvm::SMLoc> names, paths;
  for (const ModelSpec &model : spec.models)
    if (model.bake.value && !model.path.value.empty())
      paths.try_emplace(normalized(model.path.value), model.path.loc);
  for (const AssetSpec &asset : spec.assets) {
    if (asset.name.value.empty())
      continue; // missing or invalid, reported by the parser
    checkSource(diags, asset);
    auto [name, newName] = names.try_emplace(asset.name.value, asset.name.loc);
    if (!newName) {
      diags.error(asset.name.loc, "duplicate asset name " + quoteValue(asset.name.value));
      diags.note(name->second, "previous definition is here");
    }
    if (asset.path.value.empty())
      continue;
    auto [path, newPath] = paths.try_emplace(normalized(asset.path.value), asset.path.loc);
    if (!newPath) {
      diags.error(asset.path.loc, "asset path " + quoteValue(asset.path.value) +
                                      " is already where another asset or a baked model goes");
      diags.note(path->second, "previous definition is here");
    }
  }
}

} // namespace imageplan::dsl
