// The base and Python decisions the graph is built on (GraphInputs.h).
#include "planner/GraphInputs.h"

#include "dsl/CompatCheck.h"
#include "dsl/Pins.h"
#include "dsl/PythonProject.h"
#include "planner/Costs.h"
#include "planner/GraphShared.h"
#include "planner/Planner.h"
#include "planner/RepositoryNodes.h"
#include "planner/VariantNodes.h"

namespace imageplan::planner {
namespace {

/// uv's standalone CPython builds: glibc bases, 3.8 to 3.13 with uv 0.5.
bool managedPythonInstallable(const BaseImages &base, llvm::StringRef version) {
  if (base.manager == plan::PackageManager::Apk)
    return false;
  unsigned minor = 0;
  llvm::StringRef digits = version;
  if (!digits.consume_front("3.") || digits.getAsInteger(10, minor))
    return false;
  return minor >= 8 && minor <= 13;
}

/// The Python version a base cannot ship: uv's when it can install it there
/// (returned), else an error.
std::string checkPythonVersion(readers::DiagnosticEngine &diags, const BaseImages &base,
                               const dsl::LString &version) {
  if (base.python == PythonSource::Image) {
    diags.error(version.loc, "python " + version.value + " is not the python " + base.distro +
                                 " ships (" + base.shippedPython + "); use version \"" +
                                 base.shippedPython + "\" or a base image that ships " +
                                 version.value);
    return "";
  }
  // A distribution base: a Python it does not ship comes from uv.
  if (managedPythonInstallable(base, version.value))
    return version.value;
  diags.error(version.loc, "python " + version.value + " is neither the python " + base.distro +
                               " ships (" + base.shippedPython +
                               ") nor one imageplan can install there: uv-managed CPython "
                               "covers " +
                               kManagedPythonFirst + " to " + kManagedPythonLast +
                               " on glibc bases (apt, dnf); use version \"" + base.shippedPython +
                               "\" or a python:" + version.value + " image");
  return "";
}

/// The pins' constraints file, whether a builder venv is split into the
/// pins and the rest, and where poetry comes from. The file is for the base
/// image's environment (`environment: base`) as much as for a venv.
void decidePythonLayout(GraphInputs &in) {
  if (!in.spec.python)
    return;
  const dsl::PythonSpec &python = *in.spec.python;
  dsl::PythonManager manager = dsl::pythonManager(python);
  // Something pip installs after the pins (the project goes --no-deps):
  // without it, the one install names every pin itself and needs no file,
  // and a split venv would have nothing for its second layer.
  bool declared = in.projectRequirements && !in.projectRequirements->requirements.empty();
  bool byVariant = llvm::any_of(in.spec.variants, [](const dsl::VariantSpec &variant) {
    return llvm::any_of(variant.values, [](const auto &value) { return !value.packages.empty(); });
  });
  bool later = !python.requirements.empty() || !python.optionedPackages.empty() ||
               !python.build.empty() || declared || byVariant;
  if (manager == dsl::PythonManager::Pip && later)
    in.pinLines = dsl::constraintLines(python);
  in.splitVenv = in.venvInBuilder && manager == dsl::PythonManager::Pip && later &&
                 costs::pipInstallCost(values(python.packages)) >= costs::kCostsMinutes;
  in.poetryStage = manager == dsl::PythonManager::Poetry && !in.venvInBuilder;
}

} // namespace

std::string GraphInputs::uvImage() const {
  return kUvImage + (spec.python ? dsl::uvVersion(*spec.python) : dsl::kDefaultUvVersion);
}

std::vector<std::string> GraphInputs::indexUrls() const {
  if (!spec.python)
    return {};
  if (!spec.python->indexUrls.empty())
    return values(spec.python->indexUrls);
  return dsl::defaultIndexUrls(spec);
}

std::vector<std::string> GraphInputs::constraintFiles() const {
  return spec.python ? values(spec.python->constraints) : std::vector<std::string>{};
}

std::string GraphInputs::runtimeFrom() const {
  return baseVariant ? variantBaseStage("base-", baseVariant->arg) : base.runtime;
}

std::string GraphInputs::develFrom() const {
  if (!baseVariant)
    return base.devel;
  return variantBaseStage(baseVariant->develDiffers ? "builder-base-" : "base-", baseVariant->arg);
}

std::string GraphInputs::envPrefix() const { return baseEnvironment ? basePrefix : kVenv; }

bool GraphInputs::uvInstaller() const {
  return spec.python && spec.python->installer && spec.python->installer->value == "uv";
}

void GraphInputs::useInstaller(plan::PipInstall &op, llvm::StringRef prefix) const {
  if (!uvInstaller())
    return;
  op.installer = "uv";
  op.python = (prefix + "/bin/python").str();
  if (spec.python->indexStrategy)
    op.indexStrategy = spec.python->indexStrategy->value;
}

std::string GraphInputs::runtimeUser() const {
  std::string user = spec.app.user ? spec.app.user->value : "app";
  return user == "root" ? "" : user;
}

const std::string *GraphInputs::lockedCommit(llvm::StringRef id, llvm::StringRef revision) const {
  if (!lock)
    return nullptr;
  const dsl::LockedModel *locked = lock->findModel(id, revision);
  return locked ? &locked->commit.value : nullptr;
}

GraphInputs graphInputs(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                        const PlanOptions &options) {
  GraphInputs in{spec, resolveBase(spec.base, options.baseOverride), "", dsl::venvInBuilder(spec),
                 {}, false, false, options.baseOverride, options.lock};
  if (options.projectRequirements)
    in.projectRequirements = &*options.projectRequirements;
  if (spec.python && dsl::usesBaseEnvironment(*spec.python)) {
    // The base image ships the interpreter, in the environment pip installs
    // into; what version it is, only a python:* image's name says.
    in.baseEnvironment = true;
    in.basePrefix = dsl::baseEnvironmentPrefix(spec);
    if (in.base.python != PythonSource::Image)
      in.base.shippedPython.clear();
    in.base.python = PythonSource::Image;
  }
  decidePythonLayout(in);
  // An explicit manager wins over the one the base image's name suggests.
  if (spec.system.manager)
    if (auto manager = plan::parsePackageManager(spec.system.manager->value))
      in.base.manager = *manager;
  in.aptSources = resolveRepositories(diags, spec, in.base);
  in.baseVariant = resolveBaseVariant(diags, spec, in.base, options.baseOverride);
  // An overridden base is a test's stand-in: whatever it ships is taken as is.
  bool overridden = !options.baseOverride.empty();
  if (!spec.python || !spec.python->version || overridden || in.base.shippedPython.empty())
    return in;
  const dsl::LString &version = *spec.python->version;
  if (version.value != in.base.shippedPython)
    in.managedPython = checkPythonVersion(diags, in.base, version);
  return in;
}

} // namespace imageplan::planner
