// checkSpec: the rules that need the whole spec rather than one value, and the
// ones that look at the build context on disk. Dependency cycles are left to
// the planner, which builds the graph they live in.
#include "dsl/Parser.h"

#include "dsl/BuildCheck.h"
#include "dsl/CompatCheck.h"
#include "dsl/ContextSecrets.h"
#include "dsl/ModelCheck.h"
#include "dsl/AssetCheck.h"
#include "dsl/PythonCheck.h"
#include "dsl/VariantCheck.h"
#include "dsl/PythonProject.h"
#include "dsl/Sanity.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace imageplan::dsl {

namespace {

bool isBuiltinGroup(llvm::StringRef name) { return llvm::is_contained(kBuiltinGroups, name); }

/// Step names are unique across the whole spec: top-level steps and the
/// steps of every custom stage.
void checkStepNames(readers::DiagnosticEngine &diags, const Spec &spec) {
  llvm::StringMap<llvm::SMLoc> seen;
  auto check = [&](const StepSpec &step) {
    const LString &name = step.name;
    if (name.value.empty())
      return; // missing or invalid, reported by the parser
    if (isBuiltinGroup(name.value)) {
      diags.error(name.loc, "step name " + quoteValue(name.value) +
                                " is reserved for the built-in group of the same name");
      return;
    }
    auto [it, inserted] = seen.try_emplace(name.value, name.loc);
    if (!inserted) {
      diags.error(name.loc, "duplicate step name " + quoteValue(name.value));
      diags.note(it->second, "previous definition is here");
    }
  };
  for (const StepSpec &step : spec.steps)
    check(step);
  for (const StageSpec &stage : spec.stages)
    for (const StepSpec &step : stage.steps)
      check(step);
}

/// `after:` names a step of the same list, or (for top-level steps) a
/// built-in group. Names are looked up in a set: a spec may hold thousands of
/// steps. Only the first kMaxSuggestions unknown names get a suggestion, each
/// of which compares the name with every step's.
void checkAfterIn(readers::DiagnosticEngine &diags, const std::vector<StepSpec> &steps, bool groups,
                  llvm::StringRef stageName = "") {
  constexpr unsigned kMaxSuggestions = 100;
  llvm::SmallVector<llvm::StringRef, 16> targets;
  llvm::StringSet<> known;
  for (const StepSpec &step : steps)
    if (!step.name.value.empty() && known.insert(step.name.value).second)
      targets.push_back(step.name.value);
  if (groups)
    for (const char *group : kBuiltinGroups)
      if (known.insert(group).second)
        targets.push_back(group);

  unsigned unknown = 0;
  for (const StepSpec &step : steps) {
    for (const LString &target : step.after) {
      if (target.value == step.name.value) {
        diags.error(target.loc, "step " + quoteValue(step.name.value) + " cannot run after itself");
        continue;
      }
      if (known.contains(target.value))
        continue;
      std::string suggestion =
          ++unknown <= kMaxSuggestions ? readers::closestMatch(target.value, targets) : "";
      std::string scope = stageName.empty()
                              ? ""
                              : " (steps of stage " + quoteValue(stageName) +
                                    " run after steps of the same stage only)";
      diags.error(target.loc,
                  "unknown step " + quoteValue(target.value) + " in 'after'" + scope +
                      (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
    }
  }
}

void checkAfter(readers::DiagnosticEngine &diags, const Spec &spec) {
  checkAfterIn(diags, spec.steps, /*groups=*/true);
  for (const StageSpec &stage : spec.stages)
    checkAfterIn(diags, stage.steps, /*groups=*/false, stage.name.value);
}

/// Stages the planner adds besides the builder, runtime and model stages:
/// the pins' constraints file, the part of a builder venv installed after
/// the pins, and poetry for a venv built in the runtime.
constexpr llvm::StringLiteral kGeneratedStages[] = {"python-pins", "builder-venv", "poetry"};

/// Custom stages and targets become Dockerfile stages: their names must not
/// clash with each other or with the stages imageplan makes itself.
void checkStageNames(readers::DiagnosticEngine &diags, const Spec &spec) {
  llvm::StringMap<llvm::SMLoc> seen;
  auto check = [&](const LString &name, const char *what) {
    if (name.value.empty())
      return;
    llvm::StringRef value = name.value;
    if (value == "builder" || value == "runtime" || value.startswith("model-") ||
        value.startswith("asset-") || llvm::is_contained(kGeneratedStages, value)) {
      diags.error(name.loc, std::string(what) + " name " + quoteValue(value) +
                                " is reserved for a stage imageplan makes");
      return;
    }
    auto [it, inserted] = seen.try_emplace(value, name.loc);
    if (!inserted) {
      diags.error(name.loc, std::string("duplicate stage name ") + quoteValue(value));
      diags.note(it->second, "previous definition is here");
    }
  };
  for (const StageSpec &stage : spec.stages)
    check(stage.name, "stage");
  for (const TargetSpec &target : spec.targets)
    check(target.name, "target");
}

/// Model paths compared as directories: `/models/a/` and `/models//a` are the
/// same place in the image.
std::string normalizedImagePath(llvm::StringRef path) {
  llvm::SmallString<128> normal(path);
  llvm::sys::path::remove_dots(normal, /*remove_dot_dot=*/false, llvm::sys::path::Style::posix);
  return std::string(normal.str());
}

void checkModelPaths(readers::DiagnosticEngine &diags, const Spec &spec) {
  llvm::StringMap<llvm::SMLoc> seen;
  for (const ModelSpec &model : spec.models) {
    if (model.path.value.empty())
      continue;
    auto [it, inserted] = seen.try_emplace(normalizedImagePath(model.path.value), model.path.loc);
    if (!inserted) {
      diags.error(model.path.loc, "duplicate model path " + quoteValue(model.path.value));
      diags.note(it->second, "previous definition is here");
    }
  }
}

bool buildsSomething(const Spec &spec) {
  return (spec.python && !spec.python->build.empty()) ||
         llvm::any_of(spec.steps, [](const StepSpec &step) {
           return step.stage && step.stage->value == "builder";
         });
}

void checkBuildOnlyPackages(readers::DiagnosticEngine &diags, const Spec &spec) {
  if (buildsSomething(spec))
    return;
  const char *why = "; nothing is built (no 'python.build' and no step with 'stage: builder')";
  if (spec.python && !spec.python->buildRequires.empty())
    diags.warning(spec.python->buildRequires.front().loc,
                  llvm::Twine("'build_requires' are unused") + why);
  // Build packages also serve a venv built in the builder (sdists compile there).
  if (!spec.system.buildPackages.empty() && !venvInBuilder(spec))
    diags.warning(spec.system.buildPackages.front().loc,
                  llvm::Twine("'build_packages' are unused") + why);
}

void checkFilePaths(readers::DiagnosticEngine &diags, const Spec &spec) {
  llvm::StringMap<llvm::SMLoc> seen;
  for (const FileSpec &file : spec.files) {
    if (file.path.value.empty())
      continue;
    auto [it, inserted] = seen.try_emplace(normalizedImagePath(file.path.value), file.path.loc);
    if (!inserted) {
      diags.error(file.path.loc, "duplicate file path " + quoteValue(file.path.value));
      diags.note(it->second, "previous definition is here");
    }
  }
}

/// `exclude` trims a copy of the whole context; with an allowlist of paths
/// there is nothing for it to trim.
void checkExclude(readers::DiagnosticEngine &diags, const Spec &spec) {
  if (spec.app.exclude.empty())
    return;
  bool copiesAll =
      llvm::any_of(spec.app.copy, [](const CopySpec &copy) { return copy.from.value == "."; });
  if (!copiesAll)
    diags.error(spec.app.exclude.front().loc,
                "'exclude' applies only to 'copy: [.]', a copy of the whole build context; "
                "list the paths to copy instead");
}

/// (major, minor) of a CUDA version such as "12.4.1".
std::pair<unsigned, unsigned> cudaMajorMinor(llvm::StringRef version) {
  auto [major, rest] = version.split('.');
  unsigned a = 0, b = 0;
  (void)major.getAsInteger(10, a);
  (void)rest.split('.').first.getAsInteger(10, b);
  return {a, b};
}

/// The flavor and OS combinations NVIDIA publishes, by a simple rule (see
/// docs/spec.md, "CUDA images"): cuDNN tags name the cuDNN major up to CUDA
/// 12.2 and only say `cudnn` from 12.3 on; no cuDNN `base` flavor; ubi9
/// images carry cuDNN 9 only.
void checkCudaBase(readers::DiagnosticEngine &diags, const Spec &spec) {
  const BaseSpec &base = spec.base;
  if (!base.cuda)
    return;
  auto version = cudaMajorMinor(base.cuda->value);
  bool before123 = version < std::pair<unsigned, unsigned>{12, 3};
  unsigned cudnnMajor = 0;
  if (base.cudnn)
    (void)llvm::StringRef(base.cudnn->value).getAsInteger(10, cudnnMajor);
  bool numbered = base.cudnn && cudnnMajor <= 8;
  const std::optional<LString> &flavor = base.flavor;
  if (base.cudnn && flavor && flavor->value == "base")
    diags.error(flavor->loc, "NVIDIA publishes no cuDNN variant of the 'base' flavor; use "
                             "'runtime' or remove 'cudnn'");
  const LString *cudnnUse = nullptr; // where the spec asks for cuDNN
  if (base.cudnn)
    cudnnUse = &*base.cudnn;
  else if (flavor && llvm::StringRef(flavor->value).startswith("cudnn-"))
    cudnnUse = &*flavor;
  else if (base.builderFlavor && base.builderFlavor->value == "cudnn-devel")
    cudnnUse = &*base.builderFlavor;
  if (cudnnUse && !numbered && before123)
    diags.error(cudnnUse->loc, "the CUDA " + base.cuda->value +
                                   " images name their cuDNN major version; set 'cudnn: \"8\"' "
                                   "(the unnumbered 'cudnn' tags start at CUDA 12.3)");
  if (!base.os)
    return;
  if (numbered && base.os->value == "ubi9")
    diags.error(base.os->loc, "NVIDIA's ubi9 CUDA images carry cuDNN 9 only; use 'os: ubi8' "
                              "for cuDNN " + base.cudnn->value + ", or CUDA 12.3 or newer "
                              "without 'cudnn'");
}

void checkModelSecrets(readers::DiagnosticEngine &diags, const Spec &spec) {
  for (const ModelSpec &model : spec.models)
    if (model.tokenSecret && !model.bake.value)
      diags.warning(model.tokenSecret->loc,
                    "secret " + quoteValue(model.tokenSecret->value) +
                        " is unused; a model is only downloaded at build time with 'bake: true'");
}

/// Repository names become file names, unique; a flat repository (suite
/// "./") has no components.
void checkRepositories(readers::DiagnosticEngine &diags, const SystemSpec &system) {
  llvm::StringMap<llvm::SMLoc> seen;
  for (const AptRepositorySpec &repo : system.repositories) {
    if (!repo.name.value.empty()) {
      auto [it, inserted] = seen.try_emplace(repo.name.value, repo.name.loc);
      if (!inserted) {
        diags.error(repo.name.loc, "duplicate repository name " + quoteValue(repo.name.value));
        diags.note(it->second, "previous definition is here");
      }
    }
    bool flat = llvm::any_of(repo.suites, [](const LString &suite) {
      return llvm::StringRef(suite.value).endswith("/");
    });
    if (flat && repo.suites.size() > 1)
      diags.error(repo.suites[1].loc, "a flat repository (a suite ending in '/') has one suite");
    if (flat && !repo.components.empty())
      diags.error(repo.components.front().loc,
                  "a flat repository (a suite ending in '/') has no components");
  }
}

/// uid, gid and groups describe the non-root user imageplan makes.
void checkAppUser(readers::DiagnosticEngine &diags, const AppSpec &app) {
  bool root = app.user && app.user->value == "root";
  auto onlyForUser = [&](llvm::SMLoc loc, const char *key) {
    if (root)
      diags.error(loc, llvm::Twine("'") + key +
                           "' applies to the non-root app user; 'user: root' makes none");
  };
  if (app.uid)
    onlyForUser(app.uid->loc, "uid");
  if (app.gid)
    onlyForUser(app.gid->loc, "gid");
  if (!app.groups.empty())
    onlyForUser(app.groups.front().loc, "groups");
  if (root)
    return;
  std::string user = app.user ? app.user->value : "app";
  llvm::StringMap<llvm::SMLoc> seen;
  for (const LString &group : app.groups) {
    if (group.value == user) {
      diags.error(group.loc, "group " + quoteValue(group.value) +
                                 " is the user's own group; list only supplementary groups");
      continue;
    }
    auto [it, inserted] = seen.try_emplace(group.value, group.loc);
    if (!inserted) {
      diags.error(group.loc, "duplicate group " + quoteValue(group.value));
      diags.note(it->second, "previous definition is here");
    }
  }
}

void checkHealthcheckPort(readers::DiagnosticEngine &diags, const Spec &spec) {
  const std::optional<HealthcheckSpec> &check = spec.app.healthcheck;
  if (!check || !check->http || check->port || !spec.app.expose.empty())
    return;
  if (llvm::StringRef(check->http->value).startswith("/"))
    diags.error(check->http->loc, "healthcheck path " + quoteValue(check->http->value) +
                                      " needs a port; set 'port' or list one in 'expose'");
}

void checkRequirementFiles(readers::DiagnosticEngine &diags, const Spec &spec,
                           llvm::StringRef contextDir, std::vector<std::string> *filesRead) {
  if (!spec.python)
    return;
  for (const LString &file : spec.python->requirements) {
    llvm::SmallString<256> path(contextDir);
    llvm::sys::path::append(path, file.value);
    if (llvm::sys::fs::is_regular_file(path)) {
      if (filesRead)
        filesRead->push_back(std::string(path.str()));
      continue;
    }
    bool exists = llvm::sys::fs::exists(path);
    diags.error(file.loc, "requirements file " + quoteValue(file.value) +
                              (exists ? " is not a regular file" : " not found") +
                              " in build context " + quoteValue(contextDir) +
                              (exists ? "" : similarFileHint(contextDir, file.value)));
  }
}

} // namespace

llvm::Error checkSpec(readers::DiagnosticEngine &diags, const Spec &spec,
                      llvm::StringRef contextDir, std::vector<std::string> *filesRead) {
  unsigned errorsBefore = diags.errorCount();
  // The checks run in the order the schema lists its sections (python, system,
  // models, app, steps), so messages come out roughly in document order.
  if (!contextDir.empty())
    checkRequirementFiles(diags, spec, contextDir, filesRead);
  checkCudaBase(diags, spec);
  checkCompatibility(diags, spec);
  checkRepositories(diags, spec.system);
  checkPythonSection(diags, spec, contextDir, filesRead);
  checkBuilds(diags, spec);
  checkBuildOnlyPackages(diags, spec);
  checkModelPaths(diags, spec);
  checkModelSecrets(diags, spec);
  checkModelDownloads(diags, spec);
  checkAssets(diags, spec);
  checkHealthcheckPort(diags, spec);
  checkAppUser(diags, spec.app);
  checkExclude(diags, spec);
  checkFilePaths(diags, spec);
  checkStepNames(diags, spec);
  checkAfter(diags, spec);
  checkStageNames(diags, spec);
  checkVariants(diags, spec);
  checkSanity(diags, spec);
  if (!contextDir.empty())
    warnAboutContextSecrets(diags, spec, contextDir);
  if (unsigned errors = diags.errorCount() - errorsBefore)
    return readers::diagnosticsReported(errors);
  return llvm::Error::success();
}

llvm::Error checkBuildSecrets(readers::DiagnosticEngine &diags, const Spec &spec,
                              llvm::StringRef dialect, bool hasSecrets) {
  if (hasSecrets)
    return llvm::Error::success();
  unsigned errors = 0;
  for (const ModelSpec &model : spec.models) {
    if (!model.bake.value || !model.tokenSecret)
      continue;
    diags.error(model.tokenSecret->loc,
                "the " + dialect + " dialect has no build secrets, so the token for '" +
                    model.id.value +
                    "' would have to be stored in the image; use dialect docker20 or newer, "
                    "or remove 'token_secret' for a public model");
    ++errors;
  }
  return errors ? readers::diagnosticsReported(errors) : llvm::Error::success();
}

} // namespace imageplan::dsl
