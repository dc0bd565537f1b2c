// The value helpers of GraphShared.h.
#include "planner/GraphShared.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace imageplan::planner {

std::vector<std::string> values(const std::vector<dsl::LString> &list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const dsl::LString &item : list)
    out.push_back(item.value);
  return out;
}

plan::Pairs values(const dsl::LPairs &pairs) {
  plan::Pairs out;
  for (const auto &[key, value] : pairs)
    out.push_back({key.value, value.value});
  return out;
}

std::vector<std::string> sortedUnique(std::vector<std::string> list) {
  llvm::sort(list);
  list.erase(std::unique(list.begin(), list.end()), list.end());
  return list;
}

std::string modelSlug(llvm::StringRef id) {
  llvm::StringRef name = id.contains('/') ? id.rsplit('/').second : id;
  std::string slug;
  for (char c : name.lower()) {
    bool keep = llvm::isAlnum(c);
    if (keep)
      slug.push_back(c);
    else if (!slug.empty() && slug.back() != '-')
      slug.push_back('-');
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return slug.empty() ? "model" : slug;
}

std::string appWorkdir(const dsl::AppSpec &app) {
  return app.workdir ? app.workdir->value : "/app";
}

std::string destinationUnder(llvm::StringRef workdir, llvm::StringRef path) {
  std::string base = workdir.rtrim('/').str() + "/";
  if (path == ".")
    return base;
  path.consume_front("./");
  return base + path.str();
}

std::string copyDestination(llvm::StringRef workdir, const dsl::CopySpec &copy) {
  if (!copy.to)
    return destinationUnder(workdir, copy.from.value);
  llvm::StringRef to = copy.to->value;
  return to.startswith("/") ? to.str() : destinationUnder(workdir, to);
}

std::vector<std::string> copySources(const dsl::AppSpec &app) {
  std::vector<std::string> sources;
  for (const dsl::CopySpec &copy : app.copy)
    sources.push_back(copy.from.value);
  return sources;
}

} // namespace imageplan::planner
