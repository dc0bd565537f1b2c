// Value rules of a model's download settings (declared in ValueRules.h).
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {
namespace {

std::string checkModelImage(llvm::StringRef v) {
  if (v == "runtime")
    return "";
  return rules::baseImage.check(v);
}

std::string checkDownloader(llvm::StringRef v) {
  return checkOneOf(v, {"huggingface_hub", "urllib"});
}

/// A pattern is matched against repository paths (fnmatch), so it is
/// relative, and text in shell only ever reaches it quoted: what is refused
/// here is what can match nothing or reads as an option.
std::string checkModelPattern(llvm::StringRef v) {
  if (v.empty() || v.startswith("/") || v.startswith("-"))
    return "expected a pattern relative to the repository like '*.safetensors' or "
           "'tokenizer/' (not empty, not starting with '/' or '-')";
  llvm::SmallVector<llvm::StringRef, 8> parts;
  v.split(parts, '/');
  if (llvm::is_contained(parts, ".."))
    return "a pattern may not contain '..': repository paths never do";
  return "";
}

} // namespace

namespace rules {
const ValueRule modelImage{"model stage image", checkModelImage};
const ValueRule downloader{"downloader", checkDownloader};
const ValueRule modelPattern{"file pattern", checkModelPattern};
} // namespace rules

} // namespace imageplan::dsl
