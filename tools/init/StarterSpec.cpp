// Makes the starter spec of `imageplan init` from the detected facts: what the
// top comment reports and asks to review, and the keys of each section. How it
// is written is StarterSpecWriter.cpp's.
#include "tools/init/StarterSpec.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

namespace imageplan::init {
namespace {

std::vector<std::string> defaultCommand(const ProjectFacts &facts, int port) {
  // A package's console script is what its authors run.
  if (!facts.scripts.empty() && facts.buildSystem)
    return {facts.scripts.front()};
  if (!facts.asgiApp.empty())
    return {"uvicorn", facts.asgiApp, "--host", "0.0.0.0", "--port", std::to_string(port)};
  if (facts.fastapi) {
    std::string module = llvm::StringRef(facts.mainModule).drop_back(3).str();
    return {"uvicorn", module + ":app", "--host", "0.0.0.0", "--port", std::to_string(port)};
  }
  if (llvm::StringRef(facts.mainModule).endswith(".py"))
    return {"python", facts.mainModule};
  if (!facts.mainModule.empty())
    return {"python", "-m", facts.mainModule};
  return {};
}

std::vector<std::string> detectedLines(const ProjectFacts &facts) {
  std::vector<std::string> lines;
  if (!facts.dockerfileBase.empty())
    lines.push_back("a Dockerfile whose final stage starts from " + facts.dockerfileBase);
  if (!facts.systemManager.empty() && !facts.dockerfilePackages.empty())
    lines.push_back("packages its final stage installs with " + facts.systemManager + ": " +
                    llvm::join(facts.dockerfilePackages, ", "));
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
  return lines;
}

std::vector<std::string> reviewLines(const ProjectFacts &facts, bool hasCommand, bool hasPorts) {
  std::vector<std::string> review = facts.notes;
  for (const std::string &file : facts.otherRequirements)
    review.push_back(file + " was left out (development or test dependencies?); add it to "
                            "python.requirements if the image needs it");
  if (facts.manager == "poetry" && !facts.poetryLock)
    review.push_back("there is no poetry.lock: run `poetry lock` and commit it; the image "
                     "installs exactly what it pins");
  if (!facts.extras.empty() && !facts.manager.empty())
    review.push_back("python.extras lists every extra pyproject.toml defines; keep the ones "
                     "the image needs");
  if (!facts.manager.empty() && !facts.requirements.empty())
    review.push_back(facts.manager + " installs from its lock file: the requirement files "
                                     "were left out");
  if (!facts.scripts.empty() && facts.buildSystem)
    review.push_back("the command is the console script " + facts.scripts.front() +
                     "; check its arguments");
  if (facts.packageJson)
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
  if (facts.copy.empty())
    review.push_back("no app files were found to copy: fill in app.copy");
  if (!hasCommand)
    review.push_back("no command was found: set app.cmd");
  if (hasPorts)
    review.push_back("add a health check if the app has a health endpoint (see below)");
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
    python.requirements = facts.requirements;
    python.constraints = facts.constraints;
  }
  return python;
}

} // namespace

StarterSpec buildStarterSpec(const ProjectFacts &facts) {
  std::vector<int> ports = facts.ports;
  if (ports.empty() && facts.fastapi)
    ports.push_back(8000);
  std::vector<std::string> cmd = facts.cmd;
  if (cmd.empty() && facts.entrypoint.empty())
    cmd = defaultCommand(facts, ports.empty() ? 8000 : ports.front());

  StarterSpec spec;
  spec.detected = detectedLines(facts);
  spec.review = reviewLines(facts, !cmd.empty() || !facts.entrypoint.empty(), !ports.empty());
  spec.name = facts.name;
  if (!facts.cuda.empty())
    spec.base = {.cuda = facts.cuda, .cudnn = facts.cudnn, .flavor = facts.cudaFlavor,
                 .os = facts.os};
  else
    spec.base.image = facts.image;
  if (!facts.systemManager.empty())
    spec.system = {.manager = {facts.systemManager, "what the base image uses", {}},
                   .packages = facts.dockerfilePackages};
  spec.python = pythonSection(facts);
  if (facts.node && facts.node->buildScript)
    spec.stages.push_back(nodeStage(*facts.node));
  spec.app.workdir = "/app";
  spec.app.copy = facts.copy;
  spec.app.expose.value = ports;
  if (!ports.empty())
    spec.app.expose.notes = {"healthcheck: {http: /health, interval: 30s, timeout: 5s}"};
  spec.app.entrypoint = facts.entrypoint;
  spec.app.cmd = cmd;
  return spec;
}

} // namespace imageplan::init
