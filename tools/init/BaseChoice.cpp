// How init chooses the spec's base from the Dockerfile's: an NVIDIA CUDA image
// (any registry) becomes cuda/cudnn/os keys, any other image is kept as it is
// (an Alpine, Wolfi or UBI one with its package manager spelled out), and
// without a Dockerfile the base is a python image. Each choice settles the
// Python version the spec asks for: the one the Dockerfile's commands name
// (python3.10 in its entrypoint, python3.11 from an apt repository) wins, then
// the one the base ships.
#include "tools/init/ScanSteps.h"

#include "planner/Base.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::init {

std::string majorMinor(llvm::StringRef text) {
  size_t at = text.find("3.");
  if (at == llvm::StringRef::npos)
    return "";
  llvm::StringRef rest = text.drop_front(at + 2);
  llvm::StringRef minor = rest.take_while(llvm::isDigit);
  return minor.empty() ? "" : "3." + minor.str();
}

namespace {

/// The Python version the Dockerfile's own commands name: python3.X run by
/// its command or entrypoint, or installed or run by a RUN.
std::string explicitPython(const ProjectFacts &facts, std::string &source) {
  if (!facts.dockerfile)
    return "";
  const DockerfileFacts &d = *facts.dockerfile;
  for (const std::vector<std::string> *command : {&d.entrypoint, &d.cmd})
    for (const std::string &word : *command) {
      llvm::StringRef program = llvm::StringRef(word).rsplit('/').second;
      if (program.empty())
        program = word;
      if (program.startswith("python3.") && !majorMinor(program).empty()) {
        source = "the Dockerfile's " + std::string(command == &d.cmd ? "CMD" : "ENTRYPOINT");
        return majorMinor(program);
      }
    }
  if (!d.pythonVersions.empty()) {
    source = "what the Dockerfile's RUNs install and run";
    return d.pythonVersions.front();
  }
  return "";
}

unsigned minorOf(llvm::StringRef version) {
  unsigned minor = 0;
  (void)version.split('.').second.getAsInteger(10, minor);
  return minor;
}

/// Sets the version: the one the Dockerfile names, else `shipped` (what the
/// base provides, "" when unknown), else what the project asks for.
void settleVersion(ProjectFacts &facts, const std::string &shipped, const std::string &distro) {
  std::string source;
  std::string named = explicitPython(facts, source);
  if (!named.empty()) {
    if (!shipped.empty() && named != shipped)
      facts.notes.push_back(distro + " ships Python " + shipped + "; the spec installs " + named +
                            " (uv's standalone build) because " + source + " runs it");
    if (!facts.pythonVersion.empty() && facts.pythonVersion != named)
      facts.notes.push_back("the project asks for Python " + facts.pythonVersion + " (" +
                            facts.pythonVersionSource + ") but " + source + " runs python" +
                            named + "; the spec uses " + named);
    facts.pythonVersion = named;
    facts.pythonVersionSource = source;
    return;
  }
  if (shipped.empty())
    return; // the base's python3, whatever it is (the project's wish stays a note)
  // The project's version is a lower bound (requires-python = ">=3.11"): what
  // the base ships meets it, or uv's standalone build of it is installed.
  if (!facts.pythonVersion.empty() && minorOf(facts.pythonVersion) > minorOf(shipped)) {
    facts.notes.push_back(distro + " ships Python " + shipped + " but the project asks for " +
                          facts.pythonVersion + " (" + facts.pythonVersionSource +
                          "); the spec installs uv's standalone build of it");
    return;
  }
  facts.pythonVersion = shipped;
  facts.pythonVersionSource = distro;
}

/// nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04, or the same in another registry.
bool readCudaImage(llvm::StringRef base, ProjectFacts &facts) {
  std::string lower = base.lower();
  auto [repo, tag] = llvm::StringRef(lower).split(':');
  if (!(repo == "nvidia/cuda" || repo.endswith("/nvidia/cuda") ||
        (repo.endswith("/cuda") && repo.contains("nvidia"))) ||
      tag.empty() || !llvm::isDigit(tag.front()))
    return false;
  if (repo != "nvidia/cuda")
    facts.registry = repo.drop_back(5).str();
  llvm::SmallVector<llvm::StringRef, 4> parts;
  tag.split(parts, '-');
  facts.cuda = parts[0].str();
  bool unnumberedCudnn = false;
  for (llvm::StringRef part : parts) {
    if (part.startswith("cudnn") && part.size() > 5)
      facts.cudnn = part.drop_front(5).str();
    unnumberedCudnn |= part == "cudnn";
    if (part.startswith("ubuntu") || part.startswith("ubi"))
      facts.os = part.str();
    if (oneOf(part, {"base", "devel"}))
      facts.cudaFlavor = part.str();
  }
  // 12.4.1-cudnn-runtime-ubuntu22.04: cuDNN 9, named by the flavor.
  if (unnumberedCudnn)
    facts.cudaFlavor = "cudnn-" + (facts.cudaFlavor.empty() ? "runtime" : facts.cudaFlavor);
  if (facts.os.empty() ||
      !oneOf(facts.os, {"ubuntu20.04", "ubuntu22.04", "ubuntu24.04", "ubi8", "ubi9"})) {
    facts.notes.push_back("the Dockerfile's base '" + base.str() +
                          "' is not an Ubuntu or UBI CUDA image; the spec uses ubuntu22.04");
    facts.os = "ubuntu22.04";
  }
  return true;
}

void chooseCudaVersion(ProjectFacts &facts) {
  if (llvm::StringRef(facts.os).startswith("ubi")) {
    // dnf installs the python3.X the project asks for.
    std::string source;
    std::string named = explicitPython(facts, source);
    if (!named.empty()) {
      facts.pythonVersion = named;
      facts.pythonVersionSource = source;
    }
    if (facts.pythonVersion.empty()) {
      facts.pythonVersion = "3.11";
      facts.pythonVersionSource = "imageplan's default";
    }
    return;
  }
  settleVersion(facts, facts.os == "ubuntu20.04"   ? "3.8"
                       : facts.os == "ubuntu24.04" ? "3.12"
                                                   : "3.10",
                facts.os);
}

/// Any other image is kept: its package manager spelled out when it is not
/// apt, and the Python it provides.
void keepImage(ProjectFacts &facts, plan::PackageManager manager) {
  facts.image = facts.dockerfile->base;
  if (manager != plan::PackageManager::Apt)
    facts.systemManager = plan::toString(manager);
  dsl::BaseSpec spec;
  spec.image = dsl::LString{facts.image, {}};
  planner::BaseImages resolved = planner::resolveBase(spec, "");
  std::string distro = resolved.python == planner::PythonSource::Image
                           ? "the Dockerfile's base image"
                           : resolved.distro;
  if (resolved.python == planner::PythonSource::Image) {
    // A python image ships exactly its version; the spec cannot install another.
    if (!resolved.shippedPython.empty()) {
      facts.pythonVersion = resolved.shippedPython;
      facts.pythonVersionSource = distro;
    }
    return;
  }
  if (resolved.shippedPython.empty() && manager == plan::PackageManager::Apk)
    facts.notes.push_back("which Python the base '" + facts.image +
                          "' ships is not known; check python.version");
  if (resolved.shippedPython.empty() && manager == plan::PackageManager::Apt) {
    std::string kept = facts.pythonVersion;
    facts.pythonVersion.clear();
    settleVersion(facts, "", distro);
    if (facts.pythonVersion.empty())
      facts.notes.push_back("python.version is left out: the spec installs the python3 of '" +
                            facts.image + "'" +
                            (kept.empty() ? "" : " (the project asks for " + kept + ")"));
    return;
  }
  if (manager == plan::PackageManager::Apk && !resolved.shippedPython.empty()) {
    // musl: no standalone build; the distribution's python3 is the one.
    if (!facts.pythonVersion.empty() && facts.pythonVersion != resolved.shippedPython)
      facts.notes.push_back("the project asks for Python " + facts.pythonVersion + " but " +
                            distro + " ships " + resolved.shippedPython + "; the spec uses " +
                            resolved.shippedPython);
    facts.pythonVersion = resolved.shippedPython;
    facts.pythonVersionSource = distro;
    return;
  }
  settleVersion(facts, resolved.shippedPython, distro);
  if (facts.pythonVersion.empty()) {
    facts.pythonVersion = "3.11";
    facts.pythonVersionSource = "imageplan's default";
  }
}

} // namespace

void chooseBase(ProjectFacts &facts) {
  std::string base = facts.dockerfile ? facts.dockerfile->base : "";
  if (!base.empty() && readCudaImage(base, facts)) {
    chooseCudaVersion(facts);
    return;
  }
  if (!base.empty()) {
    keepImage(facts, planner::inferPackageManager(base));
    std::string lower = llvm::StringRef(base).lower();
    if (llvm::StringRef(lower).contains("conda") || llvm::StringRef(lower).startswith("pytorch/"))
      facts.notes.push_back("the base's conda Python is not used: the spec installs python3 "
                            "and a venv at /opt/venv, which holds every Python package");
    return;
  }
  std::string version = facts.pythonVersion.empty() ? "3.11" : facts.pythonVersion;
  facts.image = "python:" + version + "-slim";
  if (facts.pythonVersion.empty()) {
    facts.pythonVersion = version;
    facts.pythonVersionSource = "imageplan's default";
  }
}

} // namespace imageplan::init
