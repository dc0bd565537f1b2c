// What the spec's python section installs. A Dockerfile that says is followed:
// the requirement files it installs (not every requirements*.txt), the extras
// it names, the packages and index URLs of its pip calls. Otherwise the
// project's files decide: requirements.txt and the other requirement files
// that are not development or test ones, and of mutually exclusive variants
// (requirements-cpu.txt / requirements-gpu.txt, extras cpu / cu124) the one
// the base needs; the rest is listed in the comments with why.
#include "tools/init/ProjectFile.h"
#include "tools/init/ScanSteps.h"

#include "dsl/ValueRules.h"
#include "readers/Requirements.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::init {
namespace {

constexpr llvm::StringLiteral kPyPI = "https://pypi.org/simple";
constexpr llvm::StringLiteral kTorchIndex = "https://download.pytorch.org/whl/";

/// Words of a requirement file's or an extra's name that mark development
/// or test dependencies.
constexpr llvm::StringLiteral kDevelopmentWords[] = {
    "dev", "develop", "development", "test", "tests", "testing", "lint", "docs", "doc",
    "ci", "typing", "format", "style", "bench", "benchmark", "local"};

/// The words of a name: "requirements-dev.txt" -> requirements, dev.
std::vector<std::string> nameWords(llvm::StringRef name) {
  name.consume_back(".txt");
  name.consume_back(".in");
  std::vector<std::string> words;
  for (llvm::StringRef word : llvm::split(name, '-'))
    for (llvm::StringRef part : llvm::split(word, '_'))
      for (llvm::StringRef piece : llvm::split(part, '.'))
        if (!piece.empty())
          words.push_back(piece.lower());
  return words;
}

/// A variant of a build for one kind of hardware: cpu, gpu, cuda, cu124, rocm6.1, xpu.
std::string variantOf(llvm::StringRef name) {
  for (const std::string &word : nameWords(name)) {
    llvm::StringRef w(word);
    if (oneOf(w, {"cpu", "gpu", "cuda", "rocm", "xpu", "mps", "metal"}) ||
        (w.startswith("cu") && w.size() > 2 && llvm::all_of(w.drop_front(2), llvm::isDigit)) ||
        (w.startswith("cuda") && llvm::all_of(w.drop_front(4), llvm::isDigit)) ||
        (w.startswith("rocm") && llvm::all_of(w.drop_front(4), [](char c) {
           return llvm::isDigit(c) || c == '.';
         })))
      return word;
  }
  return "";
}

bool isDevelopment(llvm::StringRef name) {
  return llvm::any_of(nameWords(name), [](const std::string &word) {
    return llvm::is_contained(kDevelopmentWords, llvm::StringRef(word));
  });
}

unsigned cudaNumber(llvm::StringRef variant) {
  unsigned n = 0;
  variant.consume_front("cuda");
  variant.consume_front("cu");
  (void)variant.getAsInteger(10, n);
  return n;
}

/// Of `variants`, the one the base needs: the CUDA build matching the base's
/// CUDA (the newest one not newer), a generic GPU one, ROCm on ROCm, else cpu.
std::string pickVariant(const std::vector<std::string> &variants, const ProjectFacts &facts) {
  std::string image = llvm::StringRef(facts.image).lower();
  bool rocm = llvm::StringRef(image).contains("rocm");
  bool gpu = !facts.cuda.empty() || isGpuImage(facts.image);
  std::string best;
  unsigned want = cudaNumber(torchCudaTag(facts.cuda)), bestNumber = 0;
  for (const std::string &variant : variants) {
    llvm::StringRef v(variant);
    unsigned n = cudaNumber(variant);
    if (rocm && v.startswith("rocm"))
      return variant;
    if (!gpu || rocm)
      continue;
    if (n > 0 && (want == 0 || n <= want) && n > bestNumber) {
      best = variant;
      bestNumber = n;
    } else if (bestNumber == 0 && oneOf(v, {"gpu", "cuda"}) && best.empty()) {
      best = variant;
    }
  }
  if (!best.empty())
    return best;
  if (!gpu && llvm::is_contained(variants, "cpu"))
    return "cpu";
  return "";
}

/// The requirement files a file includes with -r, before it.
void withIncludes(llvm::StringRef dir, const std::string &file, ProjectFacts &facts,
                  std::vector<std::string> &out, int depth = 0) {
  if (llvm::is_contained(out, file))
    return;
  std::optional<readers::RequirementsFile> parsed = readProjectFile(
      dir, file, readers::parseRequirements,
      "init did not look into it (the spec still installs it)", facts.notes);
  llvm::StringRef folder = llvm::StringRef(file).rsplit('/').second.empty()
                               ? llvm::StringRef()
                               : llvm::StringRef(file).rsplit('/').first;
  if (parsed && depth < 4)
    for (const std::string &included : parsed->optionValues("requirement")) {
      std::string path = folder.empty() || llvm::StringRef(included).contains('/')
                             ? included
                             : (folder + "/" + included).str();
      if (readText(dir + "/" + path))
        withIncludes(dir, path, facts, out, depth + 1);
    }
  if (!llvm::is_contained(out, file))
    out.push_back(file);
  facts.uvicorn |= parsed && parsed->hasPackage("uvicorn");
  facts.requirementsNameTorch |= parsed && parsed->hasPackage("torch");
}

/// Without a Dockerfile that says: the requirement files of the top folder.
void chooseRequirementFiles(llvm::StringRef dir, const std::vector<std::string> &files,
                            ProjectFacts &facts) {
  std::vector<std::string> variants;
  for (const std::string &file : files)
    if (llvm::StringRef(file).startswith("requirements") && llvm::StringRef(file).endswith(".txt") &&
        !variantOf(file).empty() && !isDevelopment(file))
      variants.push_back(variantOf(file));
  std::string picked = pickVariant(variants, facts);
  for (const std::string &file : files) {
    llvm::StringRef name(file);
    if (name.startswith("constraints") && name.endswith(".txt")) {
      facts.constraints.push_back(file);
      continue;
    }
    if (!name.startswith("requirements") || !name.endswith(".txt"))
      continue;
    std::string variant = variantOf(file);
    if (isDevelopment(file))
      facts.otherRequirements.push_back(file + " was left out (development or test "
                                               "dependencies, by its name)");
    else if (!variant.empty() && variant != picked)
      facts.otherRequirements.push_back(file + " was left out (the " + variant + " variant; " +
                                        (picked.empty() ? "no variant" : "the " + picked + " one") +
                                        " fits the base)");
    else
      withIncludes(dir, file, facts, facts.requirements);
  }
}

void chooseExtras(ProjectFacts &facts) {
  const std::vector<std::string> &defined = facts.definedExtras;
  std::vector<std::string> named = facts.dockerfile ? facts.dockerfile->extras
                                                    : std::vector<std::string>();
  if (llvm::is_contained(named, "*")) {
    facts.extras = defined;
    return;
  }
  for (const std::string &extra : named)
    if (llvm::is_contained(defined, extra))
      facts.extras.push_back(extra);
    else
      facts.notes.push_back("the Dockerfile installs the extra '" + extra +
                            "', which pyproject.toml does not define; it was left out");
  if (!named.empty())
    return;
  // Every extra but development ones, and of the variants for kinds of
  // hardware (cpu, cu124, rocm: mutually exclusive) the one the base needs.
  std::vector<std::string> variants;
  for (const std::string &extra : defined)
    if (variantOf(extra) == llvm::StringRef(extra).lower())
      variants.push_back(extra);
  std::string picked = pickVariant(variants, facts);
  std::vector<std::string> left;
  for (const std::string &extra : defined) {
    bool variant = llvm::is_contained(variants, extra);
    if (isDevelopment(extra))
      left.push_back(extra + " (development)");
    else if (variant && extra != picked)
      left.push_back(extra + " (" + (picked.empty() ? "for another kind of base"
                                                    : "a variant other than " + picked) + ")");
    else
      facts.extras.push_back(extra);
  }
  if (!left.empty())
    facts.notes.push_back("python.extras leaves out " + llvm::join(left, ", ") +
                          "; add the ones the image needs");
}

/// What the spec's pip installs by name, and from which indexes.
void choosePackages(ProjectFacts &facts) {
  if (facts.dockerfile) {
    facts.pipPackages = facts.dockerfile->pipPackages;
    facts.indexUrls = facts.dockerfile->indexUrls;
    if (!facts.indexUrls.empty() && !facts.dockerfile->primaryIndex)
      facts.indexUrls.insert(facts.indexUrls.begin(), kPyPI.str());
  }
  // pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime: its conda torch is not in the venv.
  llvm::StringRef image(facts.image);
  auto [repo, tag] = image.split(':');
  // 2.1.0-cuda12.1-cudnn8-runtime: CUDA 12.1.
  std::string cuda =
      tag.split("-cuda").second.take_while([](char c) { return llvm::isDigit(c) || c == '.'; }).str();
  bool hasTorch = facts.requirementsNameTorch ||
                  llvm::any_of(facts.pipPackages, [](const std::string &package) {
                    return readers::normalizedPackageName(
                               llvm::StringRef(package).take_until([](char c) {
                                 return llvm::StringRef("=<>!~[;@ ").contains(c);
                               })) == "torch";
                  });
  if (repo.endswith("pytorch/pytorch") && llvm::isDigit(tag.front()) && !hasTorch) {
    facts.pipPackages.insert(facts.pipPackages.begin(), "torch==" + tag.split('-').first.str());
    std::string index = kTorchIndex.str() + (cuda.empty() ? "cpu" : torchCudaTag(cuda));
    if (!llvm::is_contained(facts.indexUrls, index)) {
      facts.indexUrls.insert(facts.indexUrls.begin(), index);
      if (!llvm::is_contained(facts.indexUrls, kPyPI))
        facts.indexUrls.push_back(kPyPI.str());
    }
  }
  if (facts.indexUrls.size() == 1 && facts.indexUrls.front() != kPyPI &&
      !facts.requirements.empty())
    facts.indexUrls.push_back(kPyPI.str()); // the requirement files came from PyPI
}

} // namespace

std::string torchCudaTag(llvm::StringRef version) {
  auto [major, rest] = version.split('.');
  llvm::StringRef minor = rest.split('.').first;
  if (major.empty() || minor.empty() || !llvm::all_of(major, llvm::isDigit) ||
      !llvm::all_of(minor, llvm::isDigit))
    return "";
  return ("cu" + major + minor).str();
}

void choosePython(llvm::StringRef dir, const std::vector<std::string> &files,
                  ProjectFacts &facts) {
  const DockerfileFacts *d = facts.dockerfile ? &*facts.dockerfile : nullptr;
  if (d && !d->requirementFiles.empty()) {
    for (const std::string &file : d->requirementFiles)
      withIncludes(dir, file, facts, facts.requirements);
    for (const std::string &file : files)
      if (llvm::StringRef(file).startswith("requirements") &&
          llvm::StringRef(file).endswith(".txt") && !llvm::is_contained(facts.requirements, file))
        facts.otherRequirements.push_back(file + " was left out (" + d->path +
                                          " does not install it)");
  } else if (!d || !d->installsProject) {
    chooseRequirementFiles(dir, files, facts);
  }
  if (!facts.manager.empty())
    chooseExtras(facts);
  else if (d && !d->extras.empty())
    facts.notes.push_back("the Dockerfile installs the project with the extras " +
                          llvm::join(d->extras, ", ") + "; with pip the spec installs the "
                          "project --no-deps: list what they need in a requirements file");
  choosePackages(facts);
  // A package without requirement files: its declared dependencies, by name.
  if (facts.manager.empty() && facts.buildSystem && facts.requirements.empty())
    for (const std::string &dependency : facts.projectDependencies) {
      if (dsl::rules::pipPackage.check(dependency).empty())
        facts.pipPackages.push_back(dependency);
      else
        facts.notes.push_back("the dependency '" + dependency + "' of pyproject.toml is not "
                              "in python.packages (it has a marker or blanks): add it to a "
                              "requirements file");
    }
}

} // namespace imageplan::init
