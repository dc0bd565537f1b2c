// ContextPaths (ContextPaths.h): COPY's rules for where a source lands, kept
// as pairs of image path and context path and searched from the last.
#include "readers/ContextPaths.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Path.h"

namespace imageplan::readers {
namespace {

namespace path = llvm::sys::path;

/// `text` as a clean absolute POSIX path: no "." or ".." parts, no trailing '/'.
std::string cleanAbsolute(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 8> parts, kept;
  text.split(parts, '/', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    if (part == ".")
      continue;
    if (part == "..") {
      if (!kept.empty())
        kept.pop_back();
      continue;
    }
    kept.push_back(part);
  }
  std::string out;
  for (llvm::StringRef part : kept)
    out += "/" + part.str();
  return out.empty() ? "/" : out;
}

std::string joinContext(llvm::StringRef dir, llvm::StringRef rest) {
  return dir == "." ? rest.str() : (dir + "/" + rest).str();
}

bool isGlob(llvm::StringRef source) { return source.find_first_of("*?[") != llvm::StringRef::npos; }

} // namespace

std::string cleanContextPath(llvm::StringRef text) {
  std::string absolute = cleanAbsolute(text);
  return absolute == "/" ? "." : absolute.substr(1);
}

std::string ContextPaths::absolute(llvm::StringRef text) const {
  if (text.startswith("/"))
    return cleanAbsolute(text);
  return cleanAbsolute(workdir + "/" + text.str());
}

std::vector<std::string> ContextPaths::candidates(llvm::StringRef text) const {
  std::string target = absolute(text);
  std::vector<std::string> out;
  for (auto it = copies.rbegin(); it != copies.rend(); ++it) {
    llvm::StringRef image = it->imagePath;
    if (target == image && !it->intoDirectory)
      out.push_back(it->contextPath);
    llvm::StringRef rest(target);
    std::string prefix = image == "/" ? "/" : image.str() + "/";
    if (!rest.consume_front(prefix))
      continue;
    out.push_back(joinContext(it->contextPath, rest));
    if (it->intoDirectory && rest == path::filename(it->contextPath, path::Style::posix))
      out.push_back(it->contextPath);
  }
  return out;
}

void ContextPaths::apply(const DockerfileInstruction &inst) {
  if (inst.keyword == "WORKDIR" && !inst.args.empty()) {
    workdir = absolute(inst.args.front());
    return;
  }
  if (!inst.copy || !inst.copy->from.isContext())
    return;
  const DockerfileCopy &copy = *inst.copy;
  llvm::StringRef dest = copy.dest;
  bool intoDirectory = dest.endswith("/") || dest == "." || copy.sources.size() > 1;
  for (const std::string &source : copy.sources) {
    llvm::StringRef s(source);
    if (isGlob(s) || s.contains("://") || s.startswith("git@"))
      continue;
    std::string context = cleanContextPath(s);
    // A folder's contents land in the destination itself.
    bool folder = s.endswith("/") || context == ".";
    copies.push_back({absolute(dest), context, intoDirectory && !folder});
  }
}

ContextPaths ContextPaths::withMounts(const DockerfileInstruction &run) const {
  ContextPaths seen = *this;
  for (const DockerfileMount &mount : run.mounts)
    if (mount.type == "bind" && mount.from.isContext() && !mount.target.empty())
      seen.copies.push_back({absolute(mount.target), cleanContextPath(mount.source), false});
  return seen;
}

} // namespace imageplan::readers
