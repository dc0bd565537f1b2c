// Small helpers over the plan types. The questions asked of every operation
// are answered by visitors with one case per type and no default, so a new
// operation does not compile until it answers them.
#include "planner/Plan.h"

#include <algorithm>

namespace imageplan::plan {
namespace {

template <class... Cases> struct Visitor : Cases... {
  using Cases::operator()...;
};
template <class... Cases> Visitor(Cases...) -> Visitor<Cases...>;

using Paths = std::vector<std::string>;

/// `first` followed by `second`.
Paths concat(Paths first, const Paths &second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

} // namespace

bool isRunOp(const Op &op) {
  return std::visit(Visitor{
                        [](const SystemInstall &) { return true; },
                        [](const CreateVenv &) { return true; },
                        [](const PipInstall &) { return true; },
                        [](const PipWheel &) { return true; },
                        [](const ModelDownload &) { return true; },
                        [](const CopyContext &) { return false; },
                        [](const CopyStage &) { return false; },
                        [](const MakeDirs &) { return true; },
                        [](const CreateUser &) { return true; },
                        [](const RunScript &) { return true; },
                        [](const SetEnv &) { return false; },
                        [](const SetWorkdir &) { return false; },
                        [](const WriteFile &) { return false; },
                        [](const UvSync &) { return true; },
                        [](const PoetryInstall &) { return true; },
                        [](const InstallPoetry &) { return true; },
                        [](const InstallProject &) { return true; },
                        [](const InstallPython &) { return true; },
                        [](const RecordVenv &) { return true; },
                        [](const SplitVenv &) { return true; },
                        [](const CondaEnvUpdate &) { return true; },
                        [](const FetchUrl &) { return false; },
                        [](const AptSource &) { return true; },
                        [](const AssetDownload &) { return true; },
                        [](const GitCheckout &) { return true; },
                        [](const VariantSwitch &) { return true; },
                        [](const DeclareArg &) { return false; },
                    },
                    op);
}

std::vector<std::string> contextInputs(const Op &op) {
  return std::visit(
      Visitor{
          [](const SystemInstall &) { return Paths(); },
          [](const CreateVenv &) { return Paths(); },
          [](const PipInstall &pip) { return concat(pip.constraintFiles, pip.requirementFiles); },
          [](const PipWheel &wheel) { return wheel.constraintFiles; },
          [](const ModelDownload &) { return Paths(); },
          [](const CopyContext &copy) { return copy.sources; },
          [](const CopyStage &) { return Paths(); },
          [](const MakeDirs &) { return Paths(); },
          [](const CreateUser &) { return Paths(); },
          [](const RunScript &script) { return script.inputs; },
          [](const SetEnv &) { return Paths(); },
          [](const SetWorkdir &) { return Paths(); },
          [](const WriteFile &) { return Paths(); },
          [](const UvSync &sync) { return sync.manifestFiles; },
          [](const PoetryInstall &poetry) { return poetry.manifestFiles; },
          [](const InstallPoetry &) { return Paths(); },
          // It installs from the code copies already in the image.
          [](const InstallProject &) { return Paths(); },
          [](const InstallPython &) { return Paths(); },
          [](const RecordVenv &) { return Paths(); },
          [](const SplitVenv &) { return Paths(); },
          [](const CondaEnvUpdate &conda) { return Paths{conda.file}; },
          [](const FetchUrl &) { return Paths(); },
          [](const AptSource &) { return Paths(); },
          [](const AssetDownload &) { return Paths(); },
          [](const GitCheckout &) { return Paths(); },
          [](const VariantSwitch &variant) {
            Paths paths;
            for (const auto &[value, installs] : variant.cases)
              for (const VariantInstall &install : installs)
                for (const std::string &path : contextInputs(std::visit(
                         [](const auto &each) { return Op(each); }, install)))
                  if (std::find(paths.begin(), paths.end(), path) == paths.end())
                    paths.push_back(path);
            return paths;
          },
          [](const DeclareArg &) { return Paths(); },
      },
      op);
}

std::vector<std::string> stagesRead(const Op &op) {
  auto nonEmpty = [](std::initializer_list<std::string> names) {
    Paths out;
    for (const std::string &name : names)
      if (!name.empty())
        out.push_back(name);
    return out;
  };
  return std::visit(
      Visitor{
          [&](const PipInstall &pip) { return nonEmpty({pip.wheelStage, pip.pinsStage}); },
          [&](const PipWheel &wheel) { return nonEmpty({wheel.pinsStage}); },
          [&](const CopyStage &copy) { return nonEmpty({copy.stage}); },
          [&](const PoetryInstall &poetry) { return nonEmpty({poetry.poetryStage}); },
          [&](const InstallPython &python) { return nonEmpty({python.uvImage}); },
          [&](const InstallProject &project) { return nonEmpty({project.uvImage}); },
          [](const VariantSwitch &variant) {
            Paths names;
            for (const auto &[value, installs] : variant.cases)
              for (const VariantInstall &install : installs)
                for (const std::string &name : stagesRead(std::visit(
                         [](const auto &each) { return Op(each); }, install)))
                  if (std::find(names.begin(), names.end(), name) == names.end())
                    names.push_back(name);
            return names;
          },
          [](const auto &) { return Paths(); },
      },
      op);
}

namespace {

using Refs = std::vector<std::string *>;

/// The image references an operation holds; a CopyStage's may name a stage.
Refs imageFields(Op &op) {
  return std::visit(Visitor{
                        [](SystemInstall &) { return Refs(); },
                        [](CreateVenv &) { return Refs(); },
                        [](PipInstall &) { return Refs(); }, // wheelStage: always a stage
                        [](PipWheel &) { return Refs(); },
                        [](ModelDownload &) { return Refs(); },
                        [](CopyContext &) { return Refs(); },
                        [](CopyStage &copy) { return Refs{&copy.stage}; },
                        [](MakeDirs &) { return Refs(); },
                        [](CreateUser &) { return Refs(); },
                        [](RunScript &) { return Refs(); },
                        [](SetEnv &) { return Refs(); },
                        [](SetWorkdir &) { return Refs(); },
                        [](WriteFile &) { return Refs(); },
                        [](UvSync &) { return Refs(); },
                        [](PoetryInstall &) { return Refs(); },
                        [](InstallPoetry &) { return Refs(); },
                        [](InstallProject &project) { return Refs{&project.uvImage}; },
                        [](InstallPython &python) { return Refs{&python.uvImage}; },
                        [](RecordVenv &) { return Refs(); },
                        [](SplitVenv &) { return Refs(); },
                        [](CondaEnvUpdate &) { return Refs(); },
                        [](FetchUrl &) { return Refs(); },
                        [](AptSource &) { return Refs(); },
                        [](AssetDownload &) { return Refs(); },
                        [](GitCheckout &) { return Refs(); },
                        [](VariantSwitch &) { return Refs(); },
                        [](DeclareArg &) { return Refs(); },
                    },
                    op);
}

} // namespace

void forEachImage(Plan &plan, const std::function<void(std::string &)> &visit) {
  std::vector<std::string> stageNames;
  for (const Stage &stage : plan.stages)
    stageNames.push_back(stage.name);
  auto isStage = [&](const std::string &name) {
    return std::find(stageNames.begin(), stageNames.end(), name) != stageNames.end();
  };
  // A reference a build argument expands (FROM base-${BACKEND}) names one of
  // the variant's alias stages, each FROM an image of its own, visited there.
  auto isTemplated = [](const std::string &ref) { return ref.find("${") != std::string::npos; };
  for (Stage &stage : plan.stages) {
    if (!stage.fromStage && !stage.from.empty() && !isTemplated(stage.from))
      visit(stage.from);
    for (Layer &layer : stage.layers)
      for (Op &op : layer.ops)
        for (std::string *ref : imageFields(op))
          if (!ref->empty() && !isStage(*ref) && !isTemplated(*ref))
            visit(*ref);
  }
}

std::vector<std::string> imageReferences(const Plan &plan) {
  Plan copy = plan;
  std::vector<std::string> refs;
  forEachImage(copy, [&](std::string &ref) {
    if (std::find(refs.begin(), refs.end(), ref) == refs.end())
      refs.push_back(ref);
  });
  return refs;
}

const char *toString(PackageManager manager) {
  switch (manager) {
  case PackageManager::Apt:
    return "apt";
  case PackageManager::Apk:
    return "apk";
  case PackageManager::Dnf:
    return "dnf";
  case PackageManager::Microdnf:
    return "microdnf";
  }
  return "apt";
}

std::optional<PackageManager> parsePackageManager(std::string_view name) {
  for (PackageManager manager : {PackageManager::Apt, PackageManager::Apk, PackageManager::Dnf,
                                 PackageManager::Microdnf})
    if (name == toString(manager))
      return manager;
  return std::nullopt;
}

const char *toString(ChangeClass c) {
  switch (c) {
  case ChangeClass::Rarely:
    return "rarely";
  case ChangeClass::Sometimes:
    return "sometimes";
  case ChangeClass::Often:
    return "often";
  case ChangeClass::Always:
    return "always";
  }
  return "rarely";
}

// The bounds match the named rates of `changes:` (see dsl/Check.cpp): each name
// falls in its own class.
ChangeClass classify(double p) {
  if (p <= 0.03)
    return ChangeClass::Rarely;
  if (p <= 0.2)
    return ChangeClass::Sometimes;
  if (p <= 0.6)
    return ChangeClass::Often;
  return ChangeClass::Always;
}

double expectedRebuildSeconds(const Layer &layer) { return layer.cost * layer.rebuildProbability; }

double expectedRebuildSeconds(const Stage &stage) {
  double total = 0;
  for (const Layer &layer : stage.layers)
    total += expectedRebuildSeconds(layer);
  return total;
}

double expectedRebuildSeconds(const Plan &plan) {
  double total = 0;
  for (const Stage &stage : plan.stages)
    total += expectedRebuildSeconds(stage);
  return total;
}

} // namespace imageplan::plan
