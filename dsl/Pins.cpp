// Pins and their constraints file (Pins.h).
#include "dsl/Pins.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::dsl {
namespace {

std::optional<readers::Requirement> parse(const LString &entry) {
  return readers::parseRequirementText(entry.value);
}

/// `==2.0.1+cu118` -> {"2.0.1", "cu118"}; nothing for any other specifier.
std::optional<std::pair<std::string, std::string>> exact(llvm::StringRef specifier) {
  if (!specifier.consume_front("===") && !specifier.consume_front("=="))
    return std::nullopt;
  if (specifier.empty() || specifier.contains(',') || specifier.contains('*'))
    return std::nullopt;
  auto [version, local] = specifier.split('+');
  return std::make_pair(version.str(), local.str());
}

std::string constraintLine(const readers::Requirement &requirement) {
  if (requirement.name.empty() || requirement.editable)
    return "";
  std::string line;
  if (!requirement.url.empty())
    line = requirement.name + " @ " + requirement.url;
  else if (!requirement.specifier.empty())
    line = requirement.name + requirement.specifier;
  else
    return "";
  if (!requirement.marker.empty())
    line += (requirement.url.empty() ? "; " : " ; ") + requirement.marker;
  return line;
}

} // namespace

std::vector<Pin> pythonPins(const PythonSpec &python) {
  std::vector<Pin> pins;
  auto add = [&](const LString &entry, PinSource source) {
    if (std::optional<readers::Requirement> requirement = parse(entry))
      pins.push_back({&entry, source, std::move(*requirement)});
  };
  for (const LString &entry : python.packages)
    add(entry, PinSource::Packages);
  for (const OptionedPackage &package : python.optionedPackages)
    add(package.name, PinSource::Optioned);
  for (const LString &entry : python.build)
    add(entry, PinSource::Build);
  return pins;
}

std::vector<std::string> constraintLines(const PythonSpec &python) {
  std::vector<std::string> lines;
  for (const Pin &pin : pythonPins(python)) {
    std::string line = constraintLine(pin.requirement);
    if (!line.empty() && !llvm::is_contained(lines, line))
      lines.push_back(line);
  }
  return lines;
}

std::optional<PinnedVersion> pinnedVersion(const PythonSpec &python, llvm::StringRef name) {
  std::string wanted = readers::normalizedPackageName(name);
  for (const Pin &pin : pythonPins(python)) {
    if (pin.source == PinSource::Build || pin.requirement.name != wanted)
      continue;
    if (auto version = exact(pin.requirement.specifier))
      return PinnedVersion{version->first, version->second, pin.entry->loc};
  }
  return std::nullopt;
}

std::string requirementName(llvm::StringRef entry) {
  std::optional<readers::Requirement> requirement = readers::parseRequirementText(entry);
  return requirement ? requirement->name : "";
}

std::string exactVersion(llvm::StringRef entry) {
  std::optional<readers::Requirement> requirement = readers::parseRequirementText(entry);
  if (!requirement)
    return "";
  std::optional<std::pair<std::string, std::string>> version = exact(requirement->specifier);
  return version ? version->first : "";
}

} // namespace imageplan::dsl
