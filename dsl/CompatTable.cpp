// Reads the embedded compatibility table (CompatTable.h). The text comes from
// dsl/compat.yaml through the generated CompatData.cpp; yaml-cpp exceptions
// stay in this file.
#include "dsl/CompatTable.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <yaml-cpp/yaml.h>

namespace imageplan::dsl::compat {

// dsl/compat.yaml, as generated into the build tree (CMakeLists.txt).
extern const char *const kCompatYaml;

namespace {

std::string text(const YAML::Node &node, const char *key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

std::vector<std::string> list(const YAML::Node &node, const char *key) {
  std::vector<std::string> out;
  const YAML::Node value = node[key];
  if (value && value.IsSequence())
    for (const YAML::Node &item : value)
      out.push_back(item.as<std::string>());
  return out;
}

/// The entries of section `key`, each a mapping; an error when it is missing.
std::vector<YAML::Node> section(const YAML::Node &root, const char *key) {
  const YAML::Node value = root[key];
  if (!value || !value.IsSequence())
    throw YAML::Exception(YAML::Mark::null_mark(), std::string("no section '") + key + "'");
  std::vector<YAML::Node> entries;
  for (const YAML::Node &entry : value) {
    if (!entry.IsMap())
      throw YAML::Exception(entry.Mark(), std::string("an entry of '") + key + "' is no mapping");
    entries.push_back(entry);
  }
  return entries;
}

Table readTable(const YAML::Node &root) {
  Table table;
  for (const YAML::Node &e : section(root, "torch")) {
    std::vector<std::string> python = list(e, "python");
    if (python.size() != 2)
      throw YAML::Exception(e.Mark(), "'python' needs the oldest and the newest version");
    table.torch.push_back({text(e, "version"), list(e, "cuda"), python[0], python[1],
                           text(e, "torchvision"), text(e, "torchaudio")});
  }
  for (const YAML::Node &e : section(root, "cuda"))
    table.cuda.push_back({text(e, "version"), text(e, "driver")});
  for (const YAML::Node &e : section(root, "archs"))
    table.archs.push_back({text(e, "arch"), text(e, "since"), text(e, "until")});
  for (const YAML::Node &e : section(root, "default_archs"))
    table.defaultArchs.push_back({text(e, "cuda"), list(e, "archs")});
  for (const YAML::Node &e : section(root, "extensions")) {
    std::vector<std::string> versions = list(e, "versions");
    if (versions.size() != 2)
      throw YAML::Exception(e.Mark(), "'versions' needs the first and the first uncovered");
    table.extensions.push_back({text(e, "name"), versions[0], versions[1], text(e, "cuda"),
                                text(e, "torch"), list(e, "build_requires"), text(e, "min_arch"),
                                text(e, "arch_env"), text(e, "sdist") == "true"});
  }
  for (const YAML::Node &e : section(root, "xformers"))
    table.xformers.push_back({text(e, "version"), text(e, "torch")});
  for (const YAML::Node &e : section(root, "distro_python"))
    table.distroPython.push_back({text(e, "marker"), text(e, "distro"), text(e, "python")});
  return table;
}

struct Loaded {
  Table table;
  std::string error;
};

const Loaded &loaded() {
  static const Loaded once = [] {
    Loaded result;
    if (std::optional<Table> parsed = parseTable(kCompatYaml, result.error))
      result.table = std::move(*parsed);
    return result;
  }();
  return once;
}

/// A version's numeric components; a component that is no number stops it.
llvm::SmallVector<llvm::StringRef, 4> components(llvm::StringRef version) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  version.split(parts, '.');
  return parts;
}

} // namespace

int compareVersions(llvm::StringRef a, llvm::StringRef b) {
  llvm::SmallVector<llvm::StringRef, 4> x = components(a), y = components(b);
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    llvm::StringRef p = i < x.size() ? x[i] : "0", q = i < y.size() ? y[i] : "0";
    unsigned m = 0, n = 0;
    bool numbers = !p.getAsInteger(10, m) && !q.getAsInteger(10, n);
    if (numbers && m != n)
      return m < n ? -1 : 1;
    if (!numbers && p != q)
      return p.compare(q);
  }
  return 0;
}

std::string majorMinor(llvm::StringRef version) {
  llvm::SmallVector<llvm::StringRef, 4> parts = components(version);
  if (parts.size() < 2)
    return version.str();
  return (parts[0] + "." + parts[1]).str();
}

std::string joinWithAnd(const std::vector<std::string> &items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

std::string cudaWheelTag(llvm::StringRef cudaVersion) {
  llvm::SmallVector<llvm::StringRef, 4> parts = components(cudaVersion);
  return "cu" + parts[0].str() + (parts.size() > 1 ? parts[1].str() : "0");
}

std::optional<Table> parseTable(llvm::StringRef text, std::string &error) {
  try {
    return readTable(YAML::Load(text.str()));
  } catch (const YAML::Exception &e) {
    error = e.what();
    return std::nullopt;
  }
}

const Table &table() { return loaded().table; }
const std::string &tableError() { return loaded().error; }

const TorchRelease *findTorch(llvm::StringRef version) {
  for (const TorchRelease &release : table().torch)
    if (compareVersions(release.version, version) == 0)
      return &release;
  return nullptr;
}

const TorchRelease *torchForDomain(llvm::StringRef domain, llvm::StringRef version) {
  for (const TorchRelease &release : table().torch) {
    const std::string &own = domain == "torchvision" ? release.torchvision : release.torchaudio;
    if (compareVersions(own, version) == 0)
      return &release;
  }
  return nullptr;
}

const CudaRelease *findCuda(llvm::StringRef version) {
  const CudaRelease *before = nullptr;
  for (const CudaRelease &release : table().cuda) {
    if (compareVersions(release.version, version) == 0)
      return &release;
    if (majorMinor(release.version) == majorMinor(version) &&
        compareVersions(release.version, version) < 0)
      before = &release;
  }
  return before;
}

const TorchExtension *findExtension(llvm::StringRef name, llvm::StringRef version) {
  for (const TorchExtension &extension : table().extensions) {
    if (extension.name != name)
      continue;
    if (version.empty())
      return &extension;
    bool above = extension.from.empty() || compareVersions(version, extension.from) >= 0;
    bool below = extension.below.empty() || compareVersions(version, extension.below) < 0;
    if (above && below)
      return &extension;
  }
  return nullptr;
}

const XformersPin *findXformers(llvm::StringRef version) {
  for (const XformersPin &pin : table().xformers)
    if (pin.version == version)
      return &pin;
  return nullptr;
}

std::string pythonImageVersion(llvm::StringRef image) {
  std::string lower = image.lower();
  llvm::StringRef reference = llvm::StringRef(lower).split('@').first;
  llvm::StringRef last = reference.rsplit('/').second;
  if (last.empty())
    last = reference;
  auto [repository, tag] = last.split(':');
  if (repository != "python")
    return "";
  // python:3.11-slim, python:3.11.7-bookworm -> 3.11
  auto [major, rest] = tag.split('.');
  llvm::StringRef minor = rest.take_while([](char c) { return llvm::isDigit(c); });
  if (major.empty() || !llvm::all_of(major, llvm::isDigit) || minor.empty())
    return "";
  return (major + "." + minor).str();
}

const DistroPython *distroPythonOf(llvm::StringRef imageOrOs) {
  std::string lower = imageOrOs.lower();
  for (const DistroPython &entry : table().distroPython)
    if (llvm::StringRef(lower).contains(entry.marker))
      return &entry;
  return nullptr;
}

const ArchSupport *findArch(llvm::StringRef arch) {
  llvm::StringRef plain = arch.split('+').first;
  for (const ArchSupport &support : table().archs)
    if (support.arch == plain)
      return &support;
  return nullptr;
}

std::vector<std::string> defaultArchsFor(llvm::StringRef cudaVersion) {
  std::vector<std::string> archs;
  for (const DefaultArchs &entry : table().defaultArchs)
    if (compareVersions(cudaVersion, entry.cuda) >= 0)
      archs = entry.archs;
  return archs;
}

} // namespace imageplan::dsl::compat
