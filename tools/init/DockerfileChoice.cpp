// Which Dockerfile init reads: every Dockerfile of the project is found (at
// the top, one folder down, and two down under docker/-like folders), each is
// read with readers/' parser, and the GPU one wins when there are several
// (the image people ship for serving), then the one nearest the top. The
// spec's comment says which was read and why.
#include "tools/init/ProjectFile.h"
#include "tools/init/ScanSteps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace imageplan::init {
namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

// Folders whose subfolders hold one Dockerfile per variant (docker/cuda/Dockerfile).
constexpr llvm::StringLiteral kDockerFolders[] = {"docker", "dockerfiles", "deploy",
                                                  "container", "containers", ".docker"};

bool isDockerfileName(llvm::StringRef name) {
  std::string lower = name.lower();
  llvm::StringRef n(lower);
  if (n.endswith(".dockerignore") || n.endswith(".md") || n.endswith(".txt"))
    return false;
  return n == "dockerfile" || n == "containerfile" || n.startswith("dockerfile.") ||
         n.endswith(".dockerfile") || n.startswith("containerfile.");
}

/// The names in `dir`: files and folders, each sorted.
void listNames(const llvm::Twine &dir, std::vector<std::string> &files,
               std::vector<std::string> &dirs) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    std::string name = path::filename(it->path()).str();
    (fs::is_directory(it->path()) ? dirs : files).push_back(name);
  }
  llvm::sort(files);
  llvm::sort(dirs);
}

void findIn(llvm::StringRef root, const std::string &prefix, int depth,
            std::vector<std::string> &found) {
  std::vector<std::string> files, dirs;
  listNames(root + "/" + prefix, files, dirs);
  for (const std::string &file : files)
    if (isDockerfileName(file))
      found.push_back(prefix + file);
  if (depth == 0)
    return;
  for (const std::string &name : dirs) {
    std::string lower = llvm::StringRef(name).lower();
    bool dockerFolder = llvm::is_contained(kDockerFolders, llvm::StringRef(lower));
    if (!dockerFolder && (isSkippedDir(name) || name.front() == '.'))
      continue;
    findIn(root, prefix + name + "/", dockerFolder ? depth - 1 : 0, found);
  }
}

struct Candidate {
  std::string path;
  std::optional<readers::Dockerfile> file;
  std::string base; // of its final stage, ARGs expanded
  bool gpu = false;
  bool cuda = false; // NVIDIA's: what GPU serving images mostly run on
};

std::string finalBase(const readers::Dockerfile &file) {
  const readers::DockerfileStage *stage = &file.stages[shippedStage(file)];
  while (stage->baseStage >= 0)
    stage = &file.stages[stage->baseStage];
  return stage->base;
}

/// Rank: GPU first (NVIDIA's CUDA before others), then nearer the top, then
/// plain `Dockerfile`, then by name.
bool before(const Candidate &a, const Candidate &b) {
  auto key = [](const Candidate &c) {
    llvm::StringRef name = path::filename(c.path, path::Style::posix);
    return std::make_tuple(!c.gpu, !c.cuda, std::count(c.path.begin(), c.path.end(), '/'),
                           name.lower() != "dockerfile", c.path);
  };
  return key(a) < key(b);
}

std::string whyChosen(const Candidate &chosen, const std::vector<Candidate> &all) {
  bool otherGpu = llvm::any_of(all, [&](const Candidate &c) { return c.gpu && &c != &chosen; });
  if (chosen.gpu && !otherGpu)
    return "the GPU one (" +
           (isGpuImage(chosen.base) ? "its base is " + chosen.base : std::string("by its name")) +
           ")";
  if (chosen.cuda)
    return "the CUDA one among the GPU ones (its base is " + chosen.base + ")";
  if (chosen.gpu)
    return "the first of the GPU ones, nearest the top";
  return "none is for GPUs; it is the one nearest the top";
}

} // namespace

bool isGpuImage(llvm::StringRef image) {
  std::string lower = image.lower();
  llvm::StringRef i(lower);
  return i.contains("nvidia/cuda") || i.contains("nvcr.io") || i.contains("cuda") ||
         i.contains("rocm") || i.contains("-gpu") || i.contains("gpu-") || i.contains("cudnn");
}

void readDockerfiles(llvm::StringRef dir, const std::vector<std::string> &files,
                     const std::vector<std::string> &dirs, ProjectFacts &facts) {
  std::vector<std::string> found;
  for (const std::string &file : files)
    if (isDockerfileName(file))
      found.push_back(file);
  for (const std::string &name : dirs) {
    std::string lower = llvm::StringRef(name).lower();
    bool dockerFolder = llvm::is_contained(kDockerFolders, llvm::StringRef(lower));
    if (dockerFolder || (!isSkippedDir(name) && name.front() != '.'))
      findIn(dir, name + "/", dockerFolder ? 1 : 0, found);
  }
  if (found.empty())
    return;
  std::vector<Candidate> candidates;
  for (const std::string &file : found) {
    Candidate c{file, readProjectFile(dir, file, readers::parseDockerfile,
                                      "nothing was taken from it", facts.notes)};
    if (!c.file)
      continue;
    c.base = finalBase(*c.file);
    std::string name = path::filename(file, path::Style::posix).lower();
    std::string base = llvm::StringRef(c.base).lower();
    c.cuda = llvm::StringRef(base).contains("cuda") || llvm::StringRef(base).contains("nvcr.io") ||
             llvm::StringRef(name).contains("cuda");
    c.gpu = c.cuda || isGpuImage(c.base) || llvm::StringRef(name).contains("gpu") ||
            llvm::StringRef(name).contains("rocm");
    candidates.push_back(std::move(c));
  }
  if (candidates.empty())
    return;
  std::stable_sort(candidates.begin(), candidates.end(), before);
  const Candidate &chosen = candidates.front();
  DockerfileFacts read = readDockerfile(*chosen.file, chosen.path, dir);
  for (const std::string &file : found)
    if (file != chosen.path)
      read.others.push_back(file);
  if (!read.others.empty())
    read.why = whyChosen(chosen, candidates);
  facts.notes.insert(facts.notes.end(), read.notes.begin(), read.notes.end());
  facts.dockerfile = std::move(read);
}

} // namespace imageplan::init
