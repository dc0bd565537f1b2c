// The publish and cache sections (see SpecParser.h): where the images are
// pushed, for which platforms, and where their registry build cache lives.
#include "dsl/SpecParser.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::dsl {

void SpecParser::readPublish(const Field &field) {
  PublishSpec publish;
  publish.loc = field.keyLoc;
  std::optional<KeysSeen> seen = r.readSection(
      field,
      {
          {"image", [&](const Field &f) { publish.image = r.string(f, &rules::repository); }},
          {"platforms",
           [&](const Field &f) {
             publish.platforms = r.stringList(f, &rules::platform);
             for (size_t i = 0; i < publish.platforms.size(); ++i)
               for (size_t j = 0; j < i; ++j)
                 if (publish.platforms[i].value == publish.platforms[j].value) {
                   r.diags().error(publish.platforms[i].loc,
                                   "platform '" + publish.platforms[i].value + "' is listed twice");
                   r.diags().note(publish.platforms[j].loc, "first listed here");
                   break;
                 }
           }},
      });
  if (seen)
    spec.publish = std::move(publish);
}

void SpecParser::readCache(const Field &field) {
  CacheSpec cache;
  cache.loc = field.keyLoc;
  if (field.value.IsScalar()) {
    if (std::optional<LString> ref = r.string(field, &rules::repository)) {
      cache.ref = *ref;
      spec.cache = std::move(cache);
    }
    return;
  }
  bool hasRef = false;
  std::optional<KeysSeen> seen = r.readSection(
      field, {
                 {"ref",
                  [&](const Field &f) {
                    if (std::optional<LString> ref = r.string(f, &rules::repository)) {
                      cache.ref = *ref;
                      hasRef = true;
                    }
                  },
                  /*required=*/true},
                 {"mode", [&](const Field &f) { cache.mode = r.string(f, &rules::cacheMode); }},
             });
  if (seen && hasRef)
    spec.cache = std::move(cache);
}

} // namespace imageplan::dsl
