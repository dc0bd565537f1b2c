// Warnings for files in the build context that look like secrets (`.env`,
// `*.pem`, `id_rsa`, `.ssh/`: secretFilePatterns) inside a folder the spec
// copies or mounts. The generated .dockerignore leaves them out; the warning
// says so, so that a file the image needs is not lost without a word, and a
// key that should not be in the repository at all is noticed.
#include "dsl/ContextSecrets.h"

#include "dsl/Secrets.h"
#include "dsl/ValueRules.h"
#include "readers/DockerignoreMatcher.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace imageplan::dsl {
namespace {

namespace fs = llvm::sys::fs;

/// Entries looked at in all: a context with more is only partly searched.
constexpr size_t kMaxEntries = 100000;
/// Files named in one warning; the rest are counted.
constexpr size_t kMaxNamed = 5;

std::vector<readers::PathPattern> compileAll(llvm::ArrayRef<std::string> texts) {
  std::vector<readers::PathPattern> patterns;
  for (const std::string &text : texts) {
    if (llvm::Expected<readers::PathPattern> pattern =
            readers::PathPattern::compile(readers::cleanPath(text)))
      patterns.push_back(std::move(*pattern));
    else
      llvm::consumeError(pattern.takeError()); // reported by the value rule
  }
  return patterns;
}

bool anyCovers(const std::vector<readers::PathPattern> &patterns, llvm::StringRef path) {
  return llvm::any_of(patterns, [&](const readers::PathPattern &pattern) {
    return pattern.matchesOrParent(path);
  });
}

class ContextSecretScan {
public:
  ContextSecretScan(readers::DiagnosticEngine &diags, const Spec &spec, llvm::StringRef contextDir)
      : diags(diags), spec(spec), contextDir(contextDir) {
    std::vector<std::string> secret;
    for (llvm::StringRef pattern : secretFilePatterns())
      if (pattern != "**/.git") // always left out, and in every repository
        secret.push_back(pattern.str());
    secrets = compileAll(secret);
    std::vector<std::string> excluded;
    for (const LString &pattern : spec.app.exclude)
      excluded.push_back(pattern.value);
    excludes = compileAll(excluded);
    for (const LString &path : namedPaths())
      if (std::string clean = readers::cleanPath(path.value);
          clean != "." && anyCovers(secrets, clean))
        named.push_back(clean);
  }

  void run() {
    for (const CopySpec &copy : spec.app.copy)
      scanEntry(copy.from, "copy");
    for (const StepSpec &step : spec.steps)
      for (const LString &input : step.inputs)
        scanEntry(input, "inputs");
    for (const StageSpec &stage : spec.stages)
      for (const StepSpec &step : stage.steps)
        for (const LString &input : step.inputs)
          scanEntry(input, "inputs");
  }

private:
  std::vector<LString> namedPaths() const {
    std::vector<LString> paths;
    for (const CopySpec &copy : spec.app.copy)
      paths.push_back(copy.from);
    for (const StepSpec &step : spec.steps)
      llvm::append_range(paths, step.inputs);
    for (const StageSpec &stage : spec.stages)
      for (const StepSpec &step : stage.steps)
        llvm::append_range(paths, step.inputs);
    return paths;
  }

  /// Whether the .dockerignore keeps `path` (context-relative) out anyway,
  /// or the spec names it: then it is no surprise.
  bool accountedFor(llvm::StringRef path) const {
    return anyCovers(excludes, path) ||
           llvm::any_of(named, [&](const std::string &name) {
             return path == name || path.startswith(name + "/");
           });
  }

  void scanEntry(const LString &entry, const char *key) {
    std::string root = readers::cleanPath(entry.value);
    llvm::SmallString<256> dir(contextDir);
    if (root != ".")
      llvm::sys::path::append(dir, root);
    if (!fs::is_directory(dir))
      return; // a file named explicitly, or missing (reported elsewhere)
    std::vector<std::string> found;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec, /*follow_symlinks=*/false), end;
         it != end && !ec && seen < kMaxEntries; it.increment(ec)) {
      ++seen;
      llvm::StringRef full = it->path();
      std::string relative = readers::cleanPath(full.drop_front(contextDir.size()).ltrim('/'));
      if (llvm::sys::path::filename(relative) == ".git" || accountedFor(relative)) {
        it.no_push();
        continue;
      }
      if (anyCovers(secrets, relative)) {
        found.push_back(relative);
        it.no_push(); // a folder such as .ssh counts once
      }
    }
    if (found.empty())
      return;
    llvm::sort(found);
    std::string list;
    for (size_t i = 0; i < found.size() && i < kMaxNamed; ++i)
      list += (i ? ", " : "") + quoteValue(found[i]);
    if (found.size() > kMaxNamed)
      list += " and " + std::to_string(found.size() - kMaxNamed) + " more";
    diags.warning(entry.loc, llvm::Twine("'") + key + "' entry " + quoteValue(entry.value) +
                                 " holds files that look like secrets: " + list +
                                 "; the generated .dockerignore leaves them out of the image "
                                 "(name one in '" + key + "' to copy it)");
  }

  readers::DiagnosticEngine &diags;
  const Spec &spec;
  llvm::StringRef contextDir;
  std::vector<readers::PathPattern> secrets, excludes;
  std::vector<std::string> named;
  size_t seen = 0;
};

} // namespace

void warnAboutContextSecrets(readers::DiagnosticEngine &diags, const Spec &spec,
                             llvm::StringRef contextDir) {
  ContextSecretScan(diags, spec, contextDir).run();
}

} // namespace imageplan::dsl
