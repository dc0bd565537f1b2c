// Small helpers over the plan types.
#include "planner/Plan.h"

namespace imageplan::plan {

bool isRunOp(const Op &op) {
  return !std::holds_alternative<CopyContext>(op) && !std::holds_alternative<CopyStage>(op) &&
         !std::holds_alternative<SetEnv>(op) && !std::holds_alternative<SetWorkdir>(op) &&
         !std::holds_alternative<WriteFile>(op);
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

const char *toString(Dialect dialect) {
  switch (dialect) {
  case Dialect::BuildKit:
    return "buildkit";
  case Dialect::Docker20:
    return "docker20";
  case Dialect::Buildah:
    return "buildah";
  case Dialect::Legacy:
    return "legacy";
  }
  return "buildkit";
}

std::optional<Dialect> parseDialect(std::string_view name) {
  for (Dialect dialect : {Dialect::BuildKit, Dialect::Docker20, Dialect::Buildah, Dialect::Legacy})
    if (name == toString(dialect))
      return dialect;
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

} // namespace imageplan::plan
