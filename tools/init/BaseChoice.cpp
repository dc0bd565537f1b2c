// How init chooses the spec's base from the Dockerfile's: a CUDA image becomes
// cuda/cudnn/os keys, an Alpine, Wolfi or UBI base is kept with its package
// manager, a python image is kept, and anything else becomes a python image.
// Each choice settles the Python version the spec asks for.
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

/// An Alpine, Wolfi or UBI base is kept, with the package manager it implies
/// spelled out in the spec, and a Python the distribution can provide.
void keepNonAptBase(ProjectFacts &facts, plan::PackageManager manager) {
  facts.image = facts.dockerfileBase;
  facts.systemManager = plan::toString(manager);
  dsl::BaseSpec spec;
  spec.image = dsl::LString{facts.image, {}};
  planner::BaseImages resolved = planner::resolveBase(spec, "");
  std::string shipped = resolved.shippedPython;
  llvm::StringRef source = resolved.python == planner::PythonSource::Image
                               ? "the Dockerfile's base image"
                               : llvm::StringRef(resolved.distro);
  if (!shipped.empty()) {
    if (!facts.pythonVersion.empty() && facts.pythonVersion != shipped)
      facts.notes.push_back("the project asks for Python " + facts.pythonVersion + " but " +
                            source.str() + " ships " + shipped + "; the spec uses " + shipped);
    facts.pythonVersion = shipped;
    facts.pythonVersionSource = source.str();
    return;
  }
  if (manager == plan::PackageManager::Apk) {
    facts.notes.push_back("which Python the base '" + facts.image +
                          "' ships is not known; check python.version");
  }
  if (facts.pythonVersion.empty()) {
    facts.pythonVersion = "3.11";
    facts.pythonVersionSource = "imageplan's default";
  }
}

} // namespace

void chooseBase(ProjectFacts &facts) {
  llvm::StringRef base = facts.dockerfileBase;
  std::string lower = base.lower();
  llvm::StringRef repo = llvm::StringRef(lower).split(':').first;
  llvm::StringRef tag = llvm::StringRef(lower).split(':').second;
  if (repo.endswith("nvidia/cuda") && !tag.empty()) {
    // 11.8.0-cudnn8-runtime-ubuntu22.04
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
    if (llvm::StringRef(facts.os).startswith("ubi")) {
      // dnf installs the python3.X the project asks for.
      if (facts.pythonVersion.empty()) {
        facts.pythonVersion = "3.11";
        facts.pythonVersionSource = "imageplan's default";
      }
      return;
    }
    const char *shipped = facts.os == "ubuntu20.04" ? "3.8"
                          : facts.os == "ubuntu24.04" ? "3.12"
                                                      : "3.10";
    if (!facts.pythonVersion.empty() && facts.pythonVersion != shipped)
      facts.notes.push_back("the project asks for Python " + facts.pythonVersion + " but " +
                            facts.os + " ships " + shipped + "; the spec uses " + shipped);
    facts.pythonVersion = shipped;
    facts.pythonVersionSource = facts.os;
    return;
  }
  plan::PackageManager manager = planner::inferPackageManager(base);
  if (!base.empty() && manager != plan::PackageManager::Apt) {
    keepNonAptBase(facts, manager);
    return;
  }
  if (repo.endswith("python")) {
    facts.image = base.str();
    std::string version = majorMinor(tag);
    if (!version.empty()) {
      facts.pythonVersion = version;
      facts.pythonVersionSource = "the Dockerfile's base image";
    }
    return;
  }
  if (!base.empty())
    facts.notes.push_back("the Dockerfile's base '" + base.str() +
                          "' is not a python or NVIDIA CUDA image; the spec starts from a "
                          "python image instead");
  std::string version = facts.pythonVersion.empty() ? "3.11" : facts.pythonVersion;
  facts.image = "python:" + version + "-slim";
  if (facts.pythonVersion.empty()) {
    facts.pythonVersion = version;
    facts.pythonVersionSource = "imageplan's default";
  }
}

} // namespace imageplan::init
