// Small helpers over the plan types. The questions asked of every operation
// are answered by visitors with one case per type and no default, so a new
// operation does not compile until it answers them.
#include "planner/Plan.h"

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
          [](const auto &) { return Paths(); },
      },
      op);
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
