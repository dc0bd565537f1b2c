// Specs that are valid but cannot mean what they say: the app's workdir or
// directories owned by the app user at a system directory, a copy whose
// destination is one, and an image reference that names a stage of the plan
// itself (a COPY --from or FROM would then read imageplan's own stage, or
// the stage being built). See docs/security.md.
#include "dsl/Sanity.h"

#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

namespace imageplan::dsl {
namespace {

/// Directories of the base image that a copy may not land on and the app
/// user may not own: replacing or owning one changes the system itself.
constexpr llvm::StringLiteral kSystemDirs[] = {
    "/",          "/bin",         "/boot",         "/dev",        "/etc",      "/home",
    "/lib",       "/lib32",       "/lib64",        "/libx32",     "/proc",     "/root",
    "/run",       "/sbin",        "/sys",          "/tmp",        "/usr",      "/usr/bin",
    "/usr/include", "/usr/lib",   "/usr/lib32",    "/usr/lib64",  "/usr/libexec",
    "/usr/local", "/usr/sbin",    "/usr/share",    "/var",        "/var/lib",  "/var/run",
    "/var/tmp"};

/// Where installed programs live: a copy may put a file there, but the app
/// user owning the folder could replace what root runs.
constexpr llvm::StringLiteral kProgramDirs[] = {"/opt", "/usr/local/bin", "/usr/local/lib",
                                                "/usr/local/sbin", "/usr/local/share"};

/// Kernel file systems: nothing an image build writes can be there.
constexpr llvm::StringLiteral kKernelDirs[] = {"/proc", "/sys", "/dev"};

std::string normalized(llvm::StringRef path) {
  llvm::SmallString<128> normal(path);
  llvm::sys::path::remove_dots(normal, /*remove_dot_dot=*/true, llvm::sys::path::Style::posix);
  llvm::StringRef text = normal;
  while (text.size() > 1 && text.endswith("/"))
    text = text.drop_back();
  return text.empty() ? "/" : text.str();
}

bool underKernelDir(llvm::StringRef path) {
  return llvm::any_of(kKernelDirs, [&](llvm::StringRef dir) {
    return path.startswith(dir) && path.size() > dir.size() && path[dir.size()] == '/';
  });
}

/// Why `path` may not be the destination of a copy, or "".
std::string destinationProblem(llvm::StringRef path) {
  std::string normal = normalized(path);
  if (llvm::is_contained(kSystemDirs, llvm::StringRef(normal)))
    return "is a system directory; copying there would replace part of the base image: name "
           "a path of its own, such as /usr/local/bin/tool or /opt/data";
  if (underKernelDir(normal))
    return "is inside a kernel file system (/proc, /sys, /dev), which a build cannot write";
  return "";
}

/// Why the app user may not own `path` (or have it as its workdir), or "".
std::string ownedDirectoryProblem(llvm::StringRef path, const char *use) {
  std::string normal = normalized(path);
  if (llvm::is_contained(kSystemDirs, llvm::StringRef(normal)) ||
      llvm::is_contained(kProgramDirs, llvm::StringRef(normal)))
    return std::string("is a system directory; ") + use + ": use a directory of its own, such "
           "as /app or /var/lib/app";
  if (underKernelDir(normal))
    return "is inside a kernel file system (/proc, /sys, /dev), which a build cannot write";
  return "";
}

class SanityChecker {
public:
  SanityChecker(readers::DiagnosticEngine &diags, const Spec &spec) : diags(diags), spec(spec) {}

  void run() {
    checkWorkdirs();
    checkDestinations();
    checkImageReferences();
  }

private:
  void report(const LString &value, const llvm::Twine &what, const std::string &problem) {
    if (!problem.empty())
      diags.error(value.loc, what + " " + quoteValue(value.value) + " " + problem);
  }

  void checkWorkdirs() {
    const AppSpec &app = spec.app;
    std::string workdir = app.workdir ? app.workdir->value : "/app";
    if (app.workdir)
      report(*app.workdir, "workdir",
             ownedDirectoryProblem(workdir, "the app's code would be copied into it"));
    for (const LString &dir : app.dirs) {
      bool absolute = llvm::StringRef(dir.value).startswith("/");
      std::string path = absolute ? dir.value : workdir + "/" + dir.value;
      std::string problem =
          ownedDirectoryProblem(path, "imageplan would make it owned by the app user");
      if (!problem.empty() && !absolute)
        problem = "(" + normalized(path) + ") " + problem;
      report(dir, "'dirs' entry", problem);
    }
    for (const StageSpec &stage : spec.stages)
      if (stage.workdir)
        report(*stage.workdir, "workdir",
               ownedDirectoryProblem(stage.workdir->value,
                                     "the stage's steps would write into it"));
  }

  void checkDestinations() {
    for (const FileSpec &file : spec.files)
      report(file.path, "file path", destinationProblem(file.path.value));
    for (const ArtifactSpec &artifact : spec.artifacts)
      report(artifact.to, "artifact destination", destinationProblem(artifact.to.value));
    for (const StageSpec &stage : spec.stages)
      for (const auto &[from, to] : stage.exports)
        report(to, "export destination", destinationProblem(to.value));
    for (const ModelSpec &model : spec.models)
      report(model.path, "model path", destinationProblem(model.path.value));
    for (const AssetSpec &asset : spec.assets)
      report(asset.path, "asset path", destinationProblem(asset.path.value));
    // A relative destination lands under the workdir (checked above), and
    // the value rule refuses '..': only an absolute one can be a system directory.
    for (const CopySpec &copy : spec.app.copy)
      if (copy.to && llvm::StringRef(copy.to->value).startswith("/"))
        report(*copy.to, "copy destination", destinationProblem(copy.to->value));
    for (const StepSpec &step : spec.steps)
      for (const LString &output : step.outputs)
        report(output, "step output", destinationProblem(output.value));
  }

  /// Names of the stages the plan makes: imageplan's own, custom stages and
  /// targets, lowercase as Docker compares them.
  bool namesStage(llvm::StringRef image, std::string &which) const {
    std::string name = image.lower();
    if (name == "builder" || name == "runtime" || llvm::StringRef(name).startswith("model-")) {
      which = "imageplan's own stage '" + name + "'";
      return true;
    }
    for (const StageSpec &stage : spec.stages)
      if (!stage.name.value.empty() && llvm::StringRef(stage.name.value).lower() == name) {
        which = "the stage '" + name + "' of this spec";
        return true;
      }
    for (const TargetSpec &target : spec.targets)
      if (!target.name.value.empty() && llvm::StringRef(target.name.value).lower() == name) {
        which = "the target '" + name + "' of this spec";
        return true;
      }
    return false;
  }

  void checkImageReferences() {
    auto check = [&](const LString &image, const char *what, const char *instead) {
      std::string which;
      if (!image.value.empty() && namesStage(image.value, which))
        diags.error(image.loc, llvm::Twine(what) + " " + quoteValue(image.value) + " names " +
                                   which + ", not an image; " + instead);
    };
    if (spec.base.image)
      check(*spec.base.image, "base image", "name an image such as 'python:3.12-slim'");
    for (const ArtifactSpec &artifact : spec.artifacts)
      check(artifact.image, "artifact image",
            "artifacts are copied from other images; to copy from a custom stage, use its "
            "'exports'");
    for (const StageSpec &stage : spec.stages)
      check(stage.image, "stage image", "a custom stage starts from an image");
  }

  readers::DiagnosticEngine &diags;
  const Spec &spec;
};

} // namespace

void checkSanity(readers::DiagnosticEngine &diags, const Spec &spec) {
  SanityChecker(diags, spec).run();
}

} // namespace imageplan::dsl
