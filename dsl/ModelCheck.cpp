// Checks of a model's download settings (ModelCheck.h).
#include "dsl/ModelCheck.h"

#include "dsl/ValueRules.h"

namespace imageplan::dsl {
namespace {

/// The download settings a model has, with where each was written.
std::vector<std::pair<const char *, llvm::SMLoc>> downloadSettings(const ModelSpec &model) {
  std::vector<std::pair<const char *, llvm::SMLoc>> set;
  auto add = [&](const char *key, const auto &value) {
    if (value)
      set.push_back({key, value->loc});
  };
  add("image", model.image);
  add("downloader", model.downloader);
  add("hub_version", model.hubVersion);
  add("hf_transfer", model.hfTransfer);
  if (!model.allowPatterns.empty())
    set.push_back({"allow_patterns", model.allowPatterns.front().loc});
  if (!model.ignorePatterns.empty())
    set.push_back({"ignore_patterns", model.ignorePatterns.front().loc});
  return set;
}

void checkHubSettings(readers::DiagnosticEngine &diags, const ModelSpec &model) {
  if (usesUrllib(model)) {
    if (model.hubVersion)
      diags.error(model.hubVersion->loc, "'hub_version' needs 'downloader: huggingface_hub'; "
                                         "the urllib downloader installs nothing");
    if (model.hfTransfer && model.hfTransfer->value)
      diags.error(model.hfTransfer->loc, "'hf_transfer' needs 'downloader: huggingface_hub'");
    return;
  }
  if (!model.hfTransfer || !model.hfTransfer->value)
    return;
  unsigned major = 0;
  llvm::StringRef(hubVersion(model)).split('.').first.getAsInteger(10, major);
  if (major >= 1)
    diags.error(model.hfTransfer->loc,
                "huggingface_hub " + hubVersion(model) +
                    " does not use hf_transfer (1.0 replaced it with hf_xet); remove "
                    "'hf_transfer' or set 'hub_version' to a 0.x release such as \"" +
                    kDefaultHubVersion + "\"");
}

} // namespace

std::string hubVersion(const ModelSpec &model) {
  return model.hubVersion ? model.hubVersion->value : kDefaultHubVersion;
}

bool usesUrllib(const ModelSpec &model) {
  return model.downloader && model.downloader->value == "urllib";
}

void checkModelDownloads(readers::DiagnosticEngine &diags, const Spec &spec) {
  for (const ModelSpec &model : spec.models) {
    if (!model.bake.value) {
      for (auto [key, loc] : downloadSettings(model))
        diags.error(loc, llvm::Twine("'") + key +
                             "' applies to a download at build time; set 'bake: true' or "
                             "remove it (a model that is not baked is fetched by the app)");
      continue;
    }
    checkHubSettings(diags, model);
  }
}

} // namespace imageplan::dsl
