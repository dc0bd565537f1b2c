// Compatibility checks of a spec against the table (CompatCheck.h). Messages
// name the released versions that would fit; the location is the value to
// change, with a note at the value it conflicts with.
#include "dsl/CompatCheck.h"

#include "dsl/CompatTable.h"
#include "dsl/Pins.h"
#include "dsl/PythonProject.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {
namespace {

constexpr llvm::StringLiteral kTorchIndex = "https://download.pytorch.org/whl/";
constexpr const char *kPyPI = "https://pypi.org/simple";


unsigned majorOf(llvm::StringRef version) {
  unsigned major = 0;
  (void)version.split('.').first.getAsInteger(10, major);
  return major;
}

/// "11.8" of a wheel tag "cu118"; "" for another tag.
std::string cudaOfTag(llvm::StringRef tag) {
  if (!tag.consume_front("cu") || tag.size() < 3 || !llvm::all_of(tag, llvm::isDigit))
    return "";
  return (tag.drop_back() + "." + tag.take_back()).str();
}

/// The CUDA version of the torch release's wheel tag that fits a base with
/// CUDA `cuda`: the same major, the newest minor not above the base's, else
/// the oldest above it; "" when no tag has the base's major.
std::string fittingTag(const compat::TorchRelease &release, llvm::StringRef cuda) {
  std::string below, above;
  for (const std::string &tag : release.cuda) {
    if (majorOf(tag) != majorOf(cuda))
      continue;
    if (compat::compareVersions(tag, compat::majorMinor(cuda)) <= 0)
      below = tag;
    else if (above.empty())
      above = tag;
  }
  return below.empty() ? above : below;
}

/// The torch release the spec pins: torch itself, or what its torchvision or
/// torchaudio pin is built for.
const compat::TorchRelease *pinnedTorch(const PythonSpec &python,
                                        std::optional<PinnedVersion> *pin = nullptr) {
  if (std::optional<PinnedVersion> torch = pinnedVersion(python, "torch")) {
    if (pin)
      *pin = torch;
    return compat::findTorch(torch->version);
  }
  for (const char *domain : {"torchvision", "torchaudio"})
    if (std::optional<PinnedVersion> version = pinnedVersion(python, domain))
      if (const compat::TorchRelease *release = compat::torchForDomain(domain, version->version))
        return release;
  return nullptr;
}

std::string quoted(llvm::StringRef value) { return "\"" + value.str() + "\""; }

class CompatChecker {
public:
  CompatChecker(readers::DiagnosticEngine &diags, const Spec &spec) : diags(diags), spec(spec) {}

  void run() {
    if (spec.base.cuda)
      checkCudaRelease(*spec.base.cuda);
    // With uv or poetry the lock decides; `packages` is an error of its own.
    if (!spec.python || pythonManager(*spec.python) != PythonManager::Pip)
      return;
    const PythonSpec &python = *spec.python;
    std::optional<PinnedVersion> torchPin;
    const compat::TorchRelease *torch = pinnedTorch(python, &torchPin);
    if (torch && torchPin) {
      checkTorchPython(*torch, *torchPin);
      if (spec.base.cuda)
        checkTorchCuda(*torch, *torchPin, *spec.base.cuda);
    }
    for (const LString &url : python.indexUrls)
      checkIndex(url, torchPin ? torch : nullptr);
    if (torch && torchPin) {
      checkDomain("torchvision", torch->torchvision, *torch);
      checkDomain("torchaudio", torch->torchaudio, *torch);
    }
    if (torchPin)
      checkXformers(*torchPin);
    warnUnknownTorch(torchPin, torch);
  }

private:
  /// A CUDA version NVIDIA never released inside the table's range, and the
  /// driver the release needs against the one the spec must run on.
  void checkCudaRelease(const LString &cuda) {
    const compat::Table &table = compat::table();
    if (table.cuda.empty())
      return;
    const compat::CudaRelease *release = compat::findCuda(cuda.value);
    if (!release) {
      std::string minor = compat::majorMinor(cuda.value);
      bool inside = compat::compareVersions(minor, table.cuda.front().version) >= 0 &&
                    compat::compareVersions(minor, table.cuda.back().version) <= 0;
      if (!inside)
        return; // older or newer than the table: nothing to say about it
      std::string previous;
      for (const compat::CudaRelease &known : table.cuda)
        if (compat::compareVersions(known.version, minor) < 0)
          previous = compat::majorMinor(known.version);
      diags.error(cuda.loc, "CUDA " + minor + " was never released" +
                                (previous.empty() ? "" : "; did you mean cuda: " + quoted(previous) +
                                                             "?"));
      return;
    }
    const std::optional<LString> &driver = spec.base.driver;
    if (!driver || compat::compareVersions(driver->value, release->driver) >= 0)
      return;
    std::string newest;
    for (const compat::CudaRelease &known : table.cuda)
      if (compat::compareVersions(known.driver, driver->value) <= 0)
        newest = known.version;
    diags.error(cuda.loc, "CUDA " + release->version + " needs NVIDIA driver " + release->driver +
                              " or newer, and 'driver' is " + driver->value +
                              (newest.empty() ? "; no CUDA release in the table runs on it"
                                              : "; did you mean cuda: " + quoted(newest) + "?"));
    diags.note(driver->loc, "the driver is given here");
  }

  void checkTorchPython(const compat::TorchRelease &torch, const PinnedVersion &pin) {
    std::string python = effectivePython(spec);
    if (python.empty() || (compat::compareVersions(python, torch.pythonMin) >= 0 &&
                           compat::compareVersions(python, torch.pythonMax) <= 0))
      return;
    std::string range = "torch " + torch.version + " has wheels for Python " + torch.pythonMin +
                        " to " + torch.pythonMax;
    const std::optional<LString> &version = spec.python->version;
    if (version) {
      std::string fit = compat::compareVersions(python, torch.pythonMax) > 0 ? torch.pythonMax
                                                                             : torch.pythonMin;
      diags.error(version->loc, range + ", not " + python + "; did you mean version: " +
                                    quoted(fit) + "?");
      diags.note(pin.loc, "torch is pinned here");
      return;
    }
    // The base decides the Python: suggest the first torch series with it.
    std::string suggestion;
    for (const compat::TorchRelease &release : compat::table().torch) {
      bool fits = compat::compareVersions(python, release.pythonMin) >= 0 &&
                  compat::compareVersions(python, release.pythonMax) <= 0;
      if (!fits)
        continue;
      if (suggestion.empty() || compat::majorMinor(release.version) == compat::majorMinor(suggestion))
        suggestion = release.version;
    }
    std::optional<ShippedPython> shipped = shippedPython(spec.base);
    diags.error(pin.loc, range + ", and " + (shipped ? shipped->distro : "the base") + " ships " +
                             python +
                             (suggestion.empty() ? "" : "; did you mean torch==" + suggestion + "?"));
  }

  void checkTorchCuda(const compat::TorchRelease &torch, const PinnedVersion &pin,
                      const LString &cuda) {
    std::string wheels = "torch " + torch.version + " has CUDA " + compat::joinWithAnd(torch.cuda) + " wheels";
    std::string local = cudaOfTag(pin.local);
    std::string suggestion = torch.cuda.back();
    if (!local.empty()) {
      if (!llvm::is_contained(torch.cuda, local)) {
        std::string fit = fittingTag(torch, cuda.value);
        diags.error(pin.loc, "torch " + torch.version + " has no +" + pin.local +
                                 " wheels, only CUDA " + compat::joinWithAnd(torch.cuda) + " ones" +
                                 (fit.empty() ? "" : "; did you mean torch==" + torch.version + "+" +
                                                         compat::cudaWheelTag(fit) + "?"));
        return;
      }
      if (majorOf(local) == majorOf(cuda.value))
        return;
      suggestion = local; // the wheel the pin names decides
    } else if (!fittingTag(torch, cuda.value).empty()) {
      return;
    }
    diags.error(cuda.loc, wheels + "; did you mean cuda: " + quoted(suggestion) + "?");
    diags.note(pin.loc, "torch is pinned here");
  }

  /// An index of PyTorch's (https://download.pytorch.org/whl/<tag>) against
  /// the CUDA base and the pinned torch.
  void checkIndex(const LString &url, const compat::TorchRelease *torch) {
    llvm::StringRef rest = llvm::StringRef(url.value).rtrim('/');
    if (!rest.consume_front(kTorchIndex) || rest.contains('/'))
      return;
    const std::optional<LString> &cuda = spec.base.cuda;
    std::string suggestion;
    if (cuda && torch && !fittingTag(*torch, cuda->value).empty())
      suggestion = kTorchIndex.str() + compat::cudaWheelTag(fittingTag(*torch, cuda->value));
    std::string didYouMean = suggestion.empty() ? "" : "; did you mean " + suggestion + "?";
    if (rest == "cpu") {
      if (cuda)
        diags.warning(url.loc, url.value + " serves CPU-only torch wheels, which leave the GPU of "
                                           "the CUDA base unused" + didYouMean);
      return;
    }
    std::string served = cudaOfTag(rest);
    if (served.empty())
      return;
    if (cuda && majorOf(served) != majorOf(cuda->value)) {
      diags.error(url.loc, url.value + " serves CUDA " + served + " wheels, and the base is CUDA " +
                               cuda->value + didYouMean);
      return;
    }
    if (torch && !llvm::is_contained(torch->cuda, served))
      diags.error(url.loc, url.value + " has no torch " + torch->version + " wheels (torch " +
                               torch->version + " has CUDA " + compat::joinWithAnd(torch->cuda) +
                               " wheels)" + didYouMean);
  }

  void checkDomain(const char *domain, const std::string &expected,
                   const compat::TorchRelease &torch) {
    std::optional<PinnedVersion> pin = pinnedVersion(*spec.python, domain);
    if (!pin || expected.empty() || compat::compareVersions(pin->version, expected) == 0)
      return;
    const compat::TorchRelease *builtFor = compat::torchForDomain(domain, pin->version);
    std::string what = std::string(domain) + " " + pin->version +
                       (builtFor ? " is built for torch " + builtFor->version + ", not "
                                 : " is not built for torch ") +
                       torch.version;
    diags.error(pin->loc, what + "; did you mean " + domain + "==" + expected + "?");
  }

  void checkXformers(const PinnedVersion &torch) {
    std::optional<PinnedVersion> pin = pinnedVersion(*spec.python, "xformers");
    if (!pin)
      return;
    const compat::XformersPin *known = compat::findXformers(pin->version);
    if (!known || compat::compareVersions(known->torch, torch.version) == 0)
      return;
    std::string suggestion;
    for (const compat::XformersPin &other : compat::table().xformers)
      if (compat::compareVersions(other.torch, torch.version) == 0)
        suggestion = other.version;
    diags.error(pin->loc, "xformers " + pin->version + " wheels require torch " + known->torch +
                              ", and torch is pinned at " + torch.version +
                              (suggestion.empty() ? "" : "; did you mean xformers==" + suggestion +
                                                             "?"));
    diags.note(torch.loc, "torch is pinned here");
  }

  /// Without an index and without the release in the table, pip takes
  /// whatever torch build PyPI has.
  void warnUnknownTorch(const std::optional<PinnedVersion> &pin,
                        const compat::TorchRelease *torch) {
    if (!pin || torch || !spec.base.cuda || !spec.python->indexUrls.empty() ||
        compat::table().torch.empty())
      return;
    diags.warning(pin->loc, "torch " + pin->version +
                                " is not in imageplan's compatibility table, so no index is "
                                "derived for the CUDA base; set 'index_urls' (" +
                                kTorchIndex + compat::cudaWheelTag(spec.base.cuda->value) +
                                " for CUDA " + compat::majorMinor(spec.base.cuda->value) + ")");
  }

  readers::DiagnosticEngine &diags;
  const Spec &spec;
};

} // namespace

void checkCompatibility(readers::DiagnosticEngine &diags, const Spec &spec) {
  CompatChecker(diags, spec).run();
}

std::optional<ShippedPython> shippedPython(const BaseSpec &base) {
  if (base.cuda) {
    std::string os = base.os ? base.os->value : "ubuntu22.04";
    if (const compat::DistroPython *entry = compat::distroPythonOf(os))
      return ShippedPython{entry->python, entry->distro};
    return std::nullopt;
  }
  if (!base.image)
    return std::nullopt;
  std::string fromTag = compat::pythonImageVersion(base.image->value);
  if (!fromTag.empty())
    return ShippedPython{fromTag, "python image"};
  if (const compat::DistroPython *entry = compat::distroPythonOf(base.image->value))
    return ShippedPython{entry->python, entry->distro};
  return std::nullopt;
}

std::string effectivePython(const Spec &spec) {
  if (spec.python && spec.python->version)
    return spec.python->version->value;
  std::optional<ShippedPython> shipped = shippedPython(spec.base);
  return shipped ? shipped->version : "";
}

std::vector<std::string> defaultIndexUrls(const Spec &spec) {
  if (!spec.python || !spec.python->indexUrls.empty() || !spec.base.cuda)
    return {};
  std::optional<PinnedVersion> pin;
  const compat::TorchRelease *torch = pinnedTorch(*spec.python, &pin);
  if (!torch)
    return {};
  std::string tag;
  if (pin && !pin->local.empty() && llvm::is_contained(torch->cuda, cudaOfTag(pin->local)))
    tag = pin->local;
  else if (std::string fit = fittingTag(*torch, spec.base.cuda->value); !fit.empty())
    tag = compat::cudaWheelTag(fit);
  if (tag.empty())
    return {};
  return {kTorchIndex.str() + tag, kPyPI};
}

} // namespace imageplan::dsl
