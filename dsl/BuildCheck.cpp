// Wheel builds and their checks (BuildCheck.h).
#include "dsl/BuildCheck.h"

#include "dsl/CompatCheck.h"
#include "dsl/CompatTable.h"
#include "dsl/Pins.h"
#include "dsl/PythonProject.h"
#include "readers/Requirements.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {
namespace {


const compat::TorchExtension *extensionOf(llvm::StringRef entry) {
  return compat::findExtension(requirementName(entry), exactVersion(entry));
}

/// What a torch extension's build imports besides torch: its table entry,
/// and setuptools where the venv is not seeded with it (Python 3.12 on).
std::vector<std::string> requiredTools(const compat::TorchExtension &extension,
                                       const Spec &spec) {
  std::vector<std::string> tools = extension.buildRequires;
  std::string python = effectivePython(spec);
  if (!python.empty() && compat::compareVersions(python, "3.12") >= 0)
    tools.push_back("setuptools");
  return tools;
}

std::vector<std::string> normalizedNames(const std::vector<LString> &entries) {
  std::vector<std::string> names;
  for (const LString &entry : entries)
    names.push_back(requirementName(entry.value));
  return names;
}

/// "8.0" -> "80", "9.0+PTX" -> "90": the form FLASH_ATTN_CUDA_ARCHS takes.
std::string compactArch(llvm::StringRef arch) {
  auto [major, minor] = arch.split('+').first.split('.');
  return (major + minor.take_front(1)).str();
}

std::vector<std::pair<std::string, std::string>>
torchBuildEnv(const Spec &spec, const std::vector<const compat::TorchExtension *> &extensions) {
  const PythonSpec &python = *spec.python;
  std::vector<std::pair<std::string, std::string>> env;
  long long jobs = python.buildJobs ? python.buildJobs->value : kDefaultBuildJobs;
  env.push_back({"MAX_JOBS", std::to_string(jobs)});
  if (!spec.base.cuda)
    return env;
  std::vector<std::string> archs;
  for (const LString &arch : python.cudaArchs)
    archs.push_back(arch.value);
  if (archs.empty())
    archs = compat::defaultArchsFor(spec.base.cuda->value);
  if (!archs.empty())
    env.push_back({"TORCH_CUDA_ARCH_LIST", llvm::join(archs, " ")});
  for (const compat::TorchExtension *extension : extensions) {
    if (extension->archEnv.empty() || python.cudaArchs.empty())
      continue;
    std::vector<std::string> own;
    for (const LString &arch : python.cudaArchs)
      if (extension->minArch.empty() ||
          compat::compareVersions(arch.value, extension->minArch) >= 0)
        own.push_back(compactArch(arch.value));
    if (!own.empty() && llvm::none_of(env, [&](const auto &v) { return v.first == extension->archEnv; }))
      env.push_back({extension->archEnv, llvm::join(own, ";")});
  }
  return env;
}

class BuildChecker {
public:
  BuildChecker(readers::DiagnosticEngine &diags, const Spec &spec)
      : diags(diags), spec(spec), python(*spec.python) {}

  void run() {
    for (const LString &entry : python.build)
      if (const compat::TorchExtension *extension = extensionOf(entry.value))
        checkExtensionBuild(entry, *extension);
      else
        checkIsolation(entry);
    for (const LString &entry : python.packages)
      checkNotBuiltOnInstall(entry);
    for (const OptionedPackage &package : python.optionedPackages)
      checkNotBuiltOnInstall(package.name);
    checkArchs();
    if (python.buildJobs && python.build.empty())
      diags.warning(python.buildJobs->loc, "'build_jobs' is unused; nothing is compiled "
                                           "('python.build' is empty)");
  }

private:
  void checkExtensionBuild(const LString &entry, const compat::TorchExtension &extension) {
    std::string what = requirementName(entry.value);
    if (std::string version = exactVersion(entry.value); !version.empty())
      what += " " + version;
    const std::optional<LString> &cuda = spec.base.cuda;
    if (!cuda) {
      diags.error(entry.loc, what + " compiles CUDA kernels with nvcc, which only NVIDIA's CUDA "
                                    "devel images have; use a 'cuda' base");
      return;
    }
    if (!extension.cuda.empty() && compat::compareVersions(cuda->value, extension.cuda) < 0) {
      diags.error(cuda->loc, what + " needs CUDA " + extension.cuda +
                                 " or newer to compile; did you mean cuda: \"" + extension.cuda +
                                 "\"?");
      diags.note(entry.loc, requirementName(entry.value) + " is built here");
    }
    std::optional<PinnedVersion> torch = pinnedVersion(python, "torch");
    if (!torch) {
      diags.error(entry.loc, what + " is compiled against the venv's torch, and 'packages' pins "
                                    "none; add an exact torch pin (torch==X.Y.Z) to 'packages'");
    } else if (!extension.torch.empty() &&
               compat::compareVersions(torch->version, extension.torch) < 0) {
      diags.error(torch->loc, what + " needs torch " + extension.torch +
                                  " or newer, and torch is pinned at " + torch->version);
      diags.note(entry.loc, requirementName(entry.value) + " is built here");
    }
    std::vector<std::string> have = normalizedNames(python.buildRequires);
    std::vector<std::string> missing;
    for (const std::string &tool : requiredTools(extension, spec))
      if (!llvm::is_contained(have, readers::normalizedPackageName(tool)))
        missing.push_back(tool);
    if (!missing.empty())
      diags.error(entry.loc, what + " is built with --no-build-isolation against the pinned torch, "
                                    "and needs " +
                                 compat::joinWithAnd(requiredTools(extension, spec)) +
                                 " at build time; add " + compat::joinWithAnd(missing) +
                                 " to 'build_requires'");
  }

  /// With `build_requires`, every build runs without isolation, in the venv
  /// they make: a Python 3.12 venv has no setuptools to build with.
  void checkIsolation(const LString &entry) {
    if (python.buildRequires.empty())
      return;
    std::string version = effectivePython(spec);
    if (version.empty() || compat::compareVersions(version, "3.12") < 0)
      return;
    if (llvm::is_contained(normalizedNames(python.buildRequires), "setuptools"))
      return;
    diags.warning(entry.loc, "with 'build_requires', " + requirementName(entry.value) +
                                 " is built with --no-build-isolation, and a Python " + version +
                                 " venv has no setuptools; add setuptools to 'build_requires' "
                                 "unless it builds with another backend");
  }

  void checkNotBuiltOnInstall(const LString &entry) {
    const compat::TorchExtension *extension = extensionOf(entry.value);
    if (!extension || !extension->sdist)
      return;
    diags.error(entry.loc, requirementName(entry.value) +
                               " has no wheels on PyPI, so pip compiles it where it installs it, "
                               "without nvcc or the pinned torch; move it to 'build'");
  }

  void checkArchs() {
    if (python.cudaArchs.empty())
      return;
    const LString &first = python.cudaArchs.front();
    const std::optional<LString> &cuda = spec.base.cuda;
    if (!cuda) {
      diags.error(first.loc, "'cuda_archs' applies to a 'cuda' base");
      return;
    }
    if (python.build.empty())
      diags.warning(first.loc, "'cuda_archs' is unused; nothing is compiled ('python.build' is "
                               "empty)");
    for (const LString &arch : python.cudaArchs)
      checkArch(arch, *cuda);
  }

  void checkArch(const LString &arch, const LString &cuda) {
    const compat::ArchSupport *support = compat::findArch(arch.value);
    if (!support) {
      diags.warning(arch.loc, "compute capability " + arch.value +
                                  " is not in imageplan's table; it is passed to the build "
                                  "unchecked");
      return;
    }
    std::string release = compat::majorMinor(cuda.value);
    if (compat::compareVersions(release, support->since) < 0) {
      diags.error(arch.loc, "CUDA " + release + " cannot compile for compute capability " +
                                support->arch + " (nvcc has it from CUDA " + support->since +
                                "); did you mean cuda: \"" + support->since + "\"?");
      diags.note(cuda.loc, "the CUDA release is chosen here");
    } else if (!support->until.empty() && compat::compareVersions(release, support->until) >= 0) {
      diags.error(arch.loc, "CUDA " + release + " no longer compiles for compute capability " +
                                support->arch + " (dropped in CUDA " + support->until + ")");
      diags.note(cuda.loc, "the CUDA release is chosen here");
    }
  }

  readers::DiagnosticEngine &diags;
  const Spec &spec;
  const PythonSpec &python;
};

} // namespace

std::vector<WheelBuildGroup> wheelBuilds(const Spec &spec) {
  if (!spec.python || spec.python->build.empty())
    return {};
  const PythonSpec &python = *spec.python;
  WheelBuildGroup againstVenv, isolated;
  isolated.isolated = true;
  std::vector<const compat::TorchExtension *> extensions;
  for (const LString &entry : python.build) {
    const compat::TorchExtension *extension = extensionOf(entry.value);
    if (extension)
      extensions.push_back(extension);
    // Without build requirements there is no build environment in the venv
    // but for what the table knows needs the pinned torch.
    bool inVenv = extension || !python.buildRequires.empty();
    (inVenv ? againstVenv : isolated).packages.push_back(entry.value);
  }
  if (!extensions.empty() || pinnedVersion(python, "torch"))
    againstVenv.env = torchBuildEnv(spec, extensions);
  if (python.buildJobs) {
    isolated.env.push_back({"MAX_JOBS", std::to_string(python.buildJobs->value)});
    if (againstVenv.env.empty())
      againstVenv.env = isolated.env;
  }
  std::vector<WheelBuildGroup> groups;
  for (WheelBuildGroup *group : {&againstVenv, &isolated})
    if (!group->packages.empty())
      groups.push_back(std::move(*group));
  return groups;
}

void checkBuilds(readers::DiagnosticEngine &diags, const Spec &spec) {
  // With uv or poetry, `build` and `packages` are errors of their own.
  if (spec.python && pythonManager(*spec.python) == PythonManager::Pip)
    BuildChecker(diags, spec).run();
}

} // namespace imageplan::dsl
