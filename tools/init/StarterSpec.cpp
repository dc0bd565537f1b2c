// Makes the starter spec of `imageplan init` from the detected facts: what the
// top comment reports, lists as not carried and asks to review, and the keys
// of each section. How it is written is StarterSpecWriter.cpp's.
#include "tools/init/StarterSpec.h"

#include "dsl/CompatTable.h"
#include "dsl/Pins.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

namespace imageplan::init {
namespace {

std::vector<std::string> detectedLines(const ProjectFacts &facts) {
  std::vector<std::string> lines;
  if (const std::optional<DockerfileFacts> &d = facts.dockerfile) {
    lines.push_back(d->path + ", whose final stage starts from " + d->base);
    if (!d->others.empty())
      lines.push_back("also found: " + llvm::join(d->others, ", ") + "; init read " + d->path +
                      ", " + d->why);
    if (!d->packages.empty())
      lines.push_back("system packages its final image installs: " + llvm::join(d->packages, ", "));
    if (!d->buildPackages.empty())
      lines.push_back("system packages the stages it copies from install: " +
                      llvm::join(d->buildPackages, ", "));
  }
  if (!facts.pythonVersion.empty())
    lines.push_back("Python " + facts.pythonVersion + " (from " + facts.pythonVersionSource + ")");
  for (const std::string &file : facts.requirements)
    lines.push_back(file + ", installed from the spec");
  for (const std::string &file : facts.constraints)
    lines.push_back(file + ", a pip constraints file");
  if (facts.pyproject)
    lines.push_back(std::string("pyproject.toml") + (facts.uvLock ? " with uv.lock" : "") +
                    (facts.poetryLock ? " with poetry.lock" : "") +
                    (facts.buildSystem ? ", a package installed after the code copy" : ""));
  if (facts.packageJson)
    lines.push_back("package.json (a Node part)");
  if (facts.node && facts.node->buildScript)
    lines.push_back(facts.node->dir + "/package.json, built in the stage " + facts.node->dir +
                    " and copied to /app/static");
  else if (facts.node)
    lines.push_back(facts.node->dir + "/package.json, with no build script");
  if (!facts.healthRoute.empty() && !(facts.dockerfile && facts.dockerfile->healthcheck))
    lines.push_back("a " + facts.healthRoute + " route in the app's code: the health check");
  return lines;
}

std::vector<std::string> reviewLines(const ProjectFacts &facts, const StarterSpec &spec) {
  std::vector<std::string> review = facts.notes;
  for (const std::string &line : facts.otherRequirements)
    review.push_back(line + "; add it to python.requirements if the image needs it");
  if (facts.manager == "poetry" && !facts.poetryLock)
    review.push_back("there is no poetry.lock: run `poetry lock` and commit it; the image "
                     "installs exactly what it pins");
  if (!facts.manager.empty() && !facts.requirements.empty())
    review.push_back(facts.manager + " installs from its lock file: the requirement files "
                                     "were left out");
  if (!facts.scripts.empty() && facts.buildSystem && !facts.dockerfile)
    review.push_back("the command is the console script " + facts.scripts.front() +
                     "; check its arguments");
  if (facts.packageJson && !facts.dockerfile)
    review.push_back("the Node part is not built by this spec; build it first, or add a "
                     "custom step and copy its output");
  if (facts.node && !facts.node->buildScript)
    review.push_back(facts.node->dir + " is not built by this spec: add a stage (see "
                     "docs/spec.md, stages) if the image needs its output");
  if (facts.node && facts.node->buildScript)
    review.push_back("the " + facts.node->dir + " stage's Node image, and where its build "
                     "writes (" + facts.node->outDir + "/) and the app serves it from");
  if (facts.node && facts.node->buildScript && facts.node->lockFile.empty())
    review.push_back(facts.node->dir + " has no lock file: commit one (npm install writes "
                                       "package-lock.json) so that npm ci installs exactly it");
  if (spec.app.copy.empty())
    review.push_back("no app files were found to copy: fill in app.copy");
  if (spec.app.cmd.empty() && spec.app.entrypoint.empty())
    review.push_back("no command was found: set app.cmd");
  if (!spec.app.expose.empty() && !spec.app.healthcheck &&
      !(facts.dockerfile && facts.dockerfile->noHealthcheck))
    review.push_back("add a health check (app.healthcheck, docs/spec.md) if the app has a "
                     "health endpoint");
  if (!facts.dockerfile)
    review.push_back("system packages the app needs at run time go under system.packages");
  return review;
}

// A custom stage that installs the Node part's dependencies keyed on its
// manifest and lock file only, then builds it; the runtime copies the output.
StarterSpec::Stage nodeStage(const ProjectFacts::NodePart &node) {
  const std::string &dir = node.dir; // a plain name (ProjectScan): a plain word in `run`
  PlainCommand install = {"npm", "install", "--no-audit", "--no-fund"};
  if (node.lockFile == "package-lock.json")
    install = {"npm", "ci", "--no-audit", "--no-fund"};
  else if (node.lockFile == "yarn.lock")
    install = {"yarn", "install", "--frozen-lockfile"};
  StarterSpec::Step deps{.name = dir + "-deps",
                         .inputs = {dir + "/package.json"},
                         .run = {{"cd", dir}, install},
                         .changes = "rarely"};
  if (!node.lockFile.empty())
    deps.inputs.push_back(dir + "/" + node.lockFile);
  PlainCommand build = node.lockFile == "yarn.lock" ? PlainCommand{"yarn", "build"}
                                                    : PlainCommand{"npm", "run", "build"};
  StarterSpec::Step buildStep{.name = dir + "-build",
                              .after = {deps.name},
                              .inputs = {dir + "/"},
                              .run = {{"cd", dir}, build}};
  return {.name = dir,
          .image = "node:20-bookworm-slim",
          .workdir = "/src",
          .steps = {deps, buildStep},
          .exports = {{.from = "/src/" + dir + "/" + node.outDir, .to = "/app/static"}}};
}

/// The pip packages of `python` that compile against torch with no wheels to
/// install (flash-attn: dsl/compat.yaml) move to `build`, and their build
/// tools, from `packages` or the table, to `build_requires`: a pip install of
/// them in the runtime would have neither nvcc nor the pinned torch.
void moveTorchExtensions(StarterSpec::Python &python) {
  std::vector<std::string> tools;
  for (const std::string &package : python.packages) {
    const dsl::compat::TorchExtension *extension = dsl::compat::findExtension(
        dsl::requirementName(package), dsl::exactVersion(package));
    if (!extension || !extension->sdist)
      continue;
    python.build.push_back(package);
    for (const std::string &tool : extension->buildRequires)
      if (!llvm::is_contained(tools, tool))
        tools.push_back(tool);
  }
  if (python.build.empty())
    return;
  llvm::erase_if(python.packages, [&](const std::string &package) {
    return llvm::is_contained(python.build, package) ||
           llvm::is_contained(tools, dsl::requirementName(package));
  });
  python.buildRequires = std::move(tools);
}

StarterSpec::Python pythonSection(const ProjectFacts &facts) {
  StarterSpec::Python python;
  python.version = facts.pythonVersion;
  python.manager = facts.manager;
  if (facts.pyproject && (facts.buildSystem || !facts.manager.empty()))
    python.project = ".";
  if (!facts.manager.empty() && !facts.buildSystem)
    python.package = {.value = false,
                      .comment = "no [build-system]: only the dependencies are installed"};
  if (!facts.manager.empty())
    python.extras = facts.extras;
  if (facts.manager.empty()) {
    python.indexUrls = facts.indexUrls;
    python.packages = facts.pipPackages;
    python.requirements = facts.requirements;
    python.constraints = facts.constraints;
    moveTorchExtensions(python);
  }
  return python;
}

StarterSpec::Base baseSection(const ProjectFacts &facts) {
  if (facts.cuda.empty())
    return {.image = facts.image};
  return {.cuda = facts.cuda, .cudnn = facts.cudnn, .flavor = facts.cudaFlavor, .os = facts.os,
          .registry = facts.registry};
}

std::optional<StarterSpec::System> systemSection(const ProjectFacts &facts) {
  StarterSpec::System system;
  if (facts.dockerfile) {
    system.packages = facts.dockerfile->packages;
    system.buildPackages = facts.dockerfile->buildPackages;
  }
  if (!facts.systemManager.empty())
    system.manager = Commented<std::string>{facts.systemManager, "what the base image uses"};
  if (!system.manager && system.packages.empty() && system.buildPackages.empty())
    return std::nullopt;
  return system;
}

std::optional<StarterSpec::Healthcheck> healthcheckOf(const ProjectFacts &facts) {
  const std::vector<int> &ports = facts.ports;
  if (facts.dockerfile && facts.dockerfile->healthcheck) {
    const HealthcheckFacts &h = *facts.dockerfile->healthcheck;
    StarterSpec::Healthcheck check{h.http, 0, h.cmd, h.interval, h.timeout, h.startPeriod,
                                   h.retries};
    int port = h.port ? h.port : 80;
    if (!h.http.empty() && (ports.empty() || ports.front() != port))
      check.port = port;
    if (!h.http.empty())
      check.cmd.clear();
    return check;
  }
  if (facts.dockerfile && facts.dockerfile->noHealthcheck)
    return std::nullopt;
  if (facts.healthRoute.empty() || ports.empty())
    return std::nullopt;
  return StarterSpec::Healthcheck{.http = facts.healthRoute, .interval = "30s", .timeout = "5s"};
}

/// What the app runs as: the Dockerfile's USER, or root when it has none (as
/// the Dockerfile's image does); without a Dockerfile the spec's default.
std::optional<Commented<std::string>> userOf(const ProjectFacts &facts,
                                             std::vector<std::string> &review) {
  if (!facts.dockerfile)
    return std::nullopt;
  const std::string &user = facts.dockerfile->user;
  if (user.empty() || user == "root" || user == "0")
    return Commented<std::string>{"root", "as the Dockerfile: remove to run as app (uid 10001)"};
  if (dsl::rules::userName.check(user).empty())
    return Commented<std::string>{user, ""};
  review.push_back("the Dockerfile's USER " + user + " is not a user name the spec takes; the "
                   "image runs as app (uid 10001)");
  return std::nullopt;
}

void carryArtifacts(const ProjectFacts &facts, StarterSpec &spec,
                    std::vector<std::string> &notCarried) {
  if (!facts.dockerfile)
    return;
  for (const ArtifactFacts &a : facts.dockerfile->artifacts) {
    if (llvm::StringRef(a.image).contains("astral-sh/uv"))
      continue; // the spec copies uv itself where it needs it
    if (dsl::rules::baseImage.check(a.image).empty() &&
        dsl::rules::imagePath.check(a.from).empty() && dsl::rules::imagePath.check(a.to).empty())
      spec.artifacts.push_back({a.image, a.from, a.to});
    else
      notCarried.push_back(facts.dockerfile->path + ": COPY --from=" + a.image + " " + a.from +
                           " " + a.to + ": not carried");
  }
}

} // namespace

StarterSpec buildStarterSpec(const ProjectFacts &facts) {
  StarterSpec spec;
  spec.detected = detectedLines(facts);
  spec.name = facts.name;
  spec.base = baseSection(facts);
  spec.system = systemSection(facts);
  spec.python = pythonSection(facts);
  if (facts.node && facts.node->buildScript)
    spec.stages.push_back(nodeStage(*facts.node));
  std::vector<std::string> review;
  const DockerfileFacts *d = facts.dockerfile ? &*facts.dockerfile : nullptr;
  if (d) {
    spec.notCarriedFrom = d->path;
    spec.notCarried = d->notCarried;
    spec.labels = d->labels;
    carryArtifacts(facts, spec, spec.notCarried);
    for (const InlineFileFacts &file : d->files)
      spec.files.push_back({file.path, file.mode, file.content});
    spec.app.env = d->env;
    spec.app.dirs = d->dirs;
  }
  spec.app.workdir = d && !d->workdir.empty() ? d->workdir : "/app";
  spec.app.copy = facts.copy;
  spec.app.exclude = facts.exclude;
  spec.app.user = userOf(facts, review);
  spec.app.expose = facts.ports;
  spec.app.healthcheck = healthcheckOf(facts);
  spec.app.entrypoint = facts.entrypoint;
  spec.app.cmd = facts.cmd;
  spec.review = reviewLines(facts, spec);
  spec.review.insert(spec.review.end(), review.begin(), review.end());
  return spec;
}

} // namespace imageplan::init
