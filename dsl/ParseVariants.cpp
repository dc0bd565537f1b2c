// variants: build arguments whose values select packages or the base (see
// SpecParser.h); how they fit the rest of the spec is VariantCheck.cpp's.
#include "dsl/SpecParser.h"

namespace imageplan::dsl {

void SpecParser::readVariants(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    VariantSpec variant;
    variant.loc = loc;
    r.readMapping(
        node, loc,
        {{"arg",
          [&](const Field &f) {
            if (auto v = r.string(f, &rules::envName))
              variant.arg = *v;
          },
          /*required=*/true},
         {"default",
          [&](const Field &f) { variant.defaultValue = r.string(f, &rules::variantValue); }},
         {"values",
          [&](const Field &f) {
            r.forEachMapping(f, [&](const YAML::Node &item, llvm::SMLoc itemLoc) {
              variant.values.push_back(readVariantValue(item, itemLoc));
            });
          },
          /*required=*/true}});
    spec.variants.push_back(std::move(variant));
  });
}

VariantValueSpec SpecParser::readVariantValue(const YAML::Node &node, llvm::SMLoc loc) {
  VariantValueSpec value;
  value.loc = loc;
  r.readMapping(
      node, loc,
      {{"name",
        [&](const Field &f) {
          if (auto v = r.string(f, &rules::variantValue))
            value.name = *v;
        },
        /*required=*/true},
       {"base",
        [&](const Field &f) {
          BaseSpec base;
          if (readBaseInto(f, base))
            value.base = std::move(base);
        }},
       {"packages", [&](const Field &f) { value.packages = r.stringList(f, &rules::pipPackage); }},
       {"index_urls", [&](const Field &f) { value.indexUrls = r.stringList(f, &rules::indexUrl); }},
       {"extras", [&](const Field &f) { value.extras = r.stringList(f, &rules::extraName); }}});
  return value;
}

} // namespace imageplan::dsl
