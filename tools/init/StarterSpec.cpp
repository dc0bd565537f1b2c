// Writes the starter spec of `imageplan init`: the detected facts as a
// commented imageplan.yaml that `gen` accepts as it is.
#include "tools/init/ProjectScan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace imageplan::init {
namespace {

bool oneOf(llvm::StringRef word, std::initializer_list<llvm::StringRef> words) {
  return llvm::is_contained(llvm::ArrayRef<llvm::StringRef>(words.begin(), words.end()), word);
}

/// A YAML scalar: plain when that is unambiguous, else double-quoted.
std::string scalar(llvm::StringRef text) {
  bool plain = !text.empty() && (llvm::isAlpha(text.front()) || text.front() == '/' ||
                                 text.front() == '_' || text.front() == '.');
  for (char c : text)
    plain = plain && (llvm::isAlnum(c) || llvm::StringRef("._/:@+-=").contains(c));
  std::string lower = text.lower();
  if (oneOf(lower, {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}))
    plain = false;
  if (plain)
    return text.str();
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string flowList(const std::vector<std::string> &items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + scalar(items[i]);
  return out + "]";
}

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

// A custom stage that installs the Node part's dependencies keyed on its
// manifest and lock file only, then builds it; the runtime copies the output.
void writeNodeStage(llvm::raw_ostream &os, const ProjectFacts::NodePart &node) {
  const std::string &dir = node.dir; // a plain name (ProjectScan): safe in shell text
  std::vector<std::string> manifests = {dir + "/package.json"};
  std::string install = "npm install --no-audit --no-fund";
  if (node.lockFile == "package-lock.json")
    install = "npm ci --no-audit --no-fund";
  else if (node.lockFile == "yarn.lock")
    install = "yarn install --frozen-lockfile";
  if (!node.lockFile.empty())
    manifests.push_back(dir + "/" + node.lockFile);
  bool yarn = node.lockFile == "yarn.lock";
  os << "\nstages:\n"
     << "  - name: " << scalar(dir) << "\n"
     << "    image: node:20-bookworm-slim\n"
     << "    workdir: /src\n"
     << "    steps:\n"
     << "      - name: " << scalar(dir + "-deps") << "\n"
     << "        inputs: " << flowList(manifests) << "\n"
     << "        run: " << scalar("cd " + dir + " && " + install) << "\n"
     << "        changes: rarely\n";
  os << "      - name: " << scalar(dir + "-build") << "\n"
       << "        after: [" << scalar(dir + "-deps") << "]\n"
       << "        inputs: [" << scalar(dir + "/") << "]\n"
       << "        run: " << scalar("cd " + dir + (yarn ? " && yarn build" : " && npm run build"))
       << "\n";
  os << "    exports:\n"
     << "      - {from: " << scalar("/src/" + dir + "/" + node.outDir) << ", to: /app/static}\n";
}

} // namespace

std::string starterSpec(const ProjectFacts &facts) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::vector<int> ports = facts.ports;
  if (ports.empty() && facts.fastapi)
    ports.push_back(8000);
  std::vector<std::string> cmd = facts.cmd;
  if (cmd.empty() && facts.entrypoint.empty())
    cmd = defaultCommand(facts, ports.empty() ? 8000 : ports.front());

  os << "# Starter spec written by `imageplan init`. Review it, then run:\n"
     << "#   imageplan gen imageplan.yaml -o Dockerfile\n"
     << "# Detected:\n";
  if (!facts.dockerfileBase.empty())
    os << "#   - a Dockerfile whose final stage starts from " << facts.dockerfileBase << "\n";
  if (!facts.systemManager.empty() && !facts.dockerfilePackages.empty())
    os << "#   - packages its final stage installs with " << facts.systemManager << ": "
       << llvm::join(facts.dockerfilePackages, ", ") << "\n";
  os << "#   - Python " << facts.pythonVersion << " (from " << facts.pythonVersionSource << ")\n";
  for (const std::string &file : facts.requirements)
    os << "#   - " << file << ", installed from the spec\n";
  for (const std::string &file : facts.constraints)
    os << "#   - " << file << ", a pip constraints file\n";
  if (facts.pyproject)
    os << "#   - pyproject.toml" << (facts.uvLock ? " with uv.lock" : "")
       << (facts.poetryLock ? " with poetry.lock" : "")
       << (facts.buildSystem ? ", a package installed after the code copy" : "") << "\n";
  if (facts.packageJson)
    os << "#   - package.json (a Node part)\n";
  if (facts.node && facts.node->buildScript)
    os << "#   - " << facts.node->dir << "/package.json, built in the stage " << facts.node->dir
       << " and copied to /app/static\n";
  else if (facts.node)
    os << "#   - " << facts.node->dir << "/package.json, with no build script\n";
  os << "# To review:\n";
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
  if (cmd.empty() && facts.entrypoint.empty())
    review.push_back("no command was found: set app.cmd");
  if (!ports.empty())
    review.push_back("add a health check if the app has a health endpoint (see below)");
  review.push_back("system packages the app needs at run time go under system.packages");
  for (const std::string &line : review)
    os << "#   - " << line << "\n";

  os << "\nimageplan: 1\n"
     << "name: " << scalar(facts.name) << "\n\n"
     << "base:\n";
  if (!facts.cuda.empty()) {
    os << "  cuda: " << scalar(facts.cuda) << "\n";
    if (!facts.cudnn.empty())
      os << "  cudnn: " << scalar(facts.cudnn) << "\n";
    if (!facts.cudaFlavor.empty())
      os << "  flavor: " << scalar(facts.cudaFlavor) << "\n";
    os << "  os: " << scalar(facts.os) << "\n";
  } else {
    os << "  image: " << scalar(facts.image) << "\n";
  }
  if (!facts.systemManager.empty())
    os << "\nsystem:\n"
       << "  manager: " << facts.systemManager << "  # what the base image uses\n"
       << "  packages: " << flowList(facts.dockerfilePackages) << "\n";
  os << "\npython:\n"
     << "  version: \"" << facts.pythonVersion << "\"\n";
  if (!facts.manager.empty())
    os << "  manager: " << facts.manager << "\n";
  if (facts.pyproject && (facts.buildSystem || !facts.manager.empty()))
    os << "  project: .\n";
  if (!facts.manager.empty() && !facts.buildSystem)
    os << "  package: false  # no [build-system]: only the dependencies are installed\n";
  if (!facts.manager.empty() && !facts.extras.empty())
    os << "  extras: " << flowList(facts.extras) << "\n";
  if (facts.manager.empty() && !facts.requirements.empty())
    os << "  requirements: " << flowList(facts.requirements) << "\n";
  if (facts.manager.empty() && !facts.constraints.empty())
    os << "  constraints: " << flowList(facts.constraints) << "\n";
  if (facts.node && facts.node->buildScript)
    writeNodeStage(os, *facts.node);
  os << "\napp:\n"
     << "  workdir: /app\n";
  if (!facts.copy.empty())
    os << "  copy: " << flowList(facts.copy) << "\n";
  if (!ports.empty()) {
    os << "  expose: [";
    for (size_t i = 0; i < ports.size(); ++i)
      os << (i ? ", " : "") << ports[i];
    os << "]\n"
       << "  # healthcheck: {http: /health, interval: 30s, timeout: 5s}\n";
  }
  if (!facts.entrypoint.empty())
    os << "  entrypoint: " << flowList(facts.entrypoint) << "\n";
  if (!cmd.empty())
    os << "  cmd: " << flowList(cmd) << "\n";
  return text;
}

} // namespace imageplan::init
