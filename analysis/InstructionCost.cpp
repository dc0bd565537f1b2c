// The score's cost table (docs/score.md): a RUN is split into simple shell
// commands, each recognised command is priced from the planner's own tables
// (planner/Costs.h), a command that runs a build tool is priced by what the
// tool runs (BuildToolCost.cpp), and unrecognised work costs a flat amount per
// RUN.
#include "analysis/InstructionCost.h"

#include "analysis/CostWork.h"
#include "planner/Costs.h"
#include "readers/ShellWords.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <optional>

namespace imageplan::analysis {
namespace {

// Seconds, beside the planner's tables in Costs.h.
constexpr double kRunMinimum = 1;      // any RUN: a container start and a snapshot
constexpr double kUnknownWork =
    planner::costs::kCustomStep; // once per RUN with unrecognised commands
constexpr double kVenv = 5;
constexpr double kUserCommand = 0.5;   // useradd, groupadd, ...
constexpr double kDownload = 5;        // curl, wget, ADD <url>
constexpr double kGitClone = 10;
// uv sync, poetry install, conda install, ...: what the plan charges for
// installing a lock file's dependencies.
constexpr double kPackageManagerSync = planner::costs::kLockedDependencies;
constexpr double kNodeInstall = 30;    // npm ci, yarn install, ...
constexpr double kSystemUpgrade = 30;  // apt-get upgrade
constexpr double kContextCopy = planner::costs::kAppCopy;
constexpr double kStageCopy = planner::costs::kArtifactCopy;

/// Packages pip compiles from source when no prebuilt wheel is offered with
/// --find-links: installing one costs its wheel build.
constexpr llvm::StringLiteral kCompiledOnInstall[] = {"flash-attn", "flash_attn", "apex"};

/// Text that marks a model download from the Hugging Face hub.
constexpr llvm::StringLiteral kModelMarkers[] = {
    "huggingface-cli download", "hf download", "snapshot_download", "hf_hub_download",
    "from_pretrained", "huggingface.co"};

/// Commands that only move files around or set shell state.
constexpr llvm::StringLiteral kHousekeeping[] = {
    "mkdir", "chown", "chmod", "ln",   "rm",    "cp",    "mv",   "touch", "echo",
    "printf", "cd",   "export", "set", "true",  "false", "test", "[",     ":",
    "sed",   "cat",   "ls",    "tee",  "rmdir", "unset", "exit", "fi",    "done",
    "esac",  "}",     "for",   "case", "umask", "install", "find", "xargs", "id"};

/// Words that may stand before a command without being it.
constexpr llvm::StringLiteral kPrefixes[] = {"sudo", "env",  "time", "nice", "nohup", "exec",
                                             "command", "if", "then", "else", "elif", "do",
                                             "while", "until", "!", "{"};


bool isAssignment(llvm::StringRef word) {
  size_t eq = word.find('=');
  if (eq == 0 || eq == llvm::StringRef::npos)
    return false;
  return (llvm::isAlpha(word[0]) || word[0] == '_') &&
         llvm::all_of(word.take_front(eq), [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// The index of the program in `words`: after assignments and wrappers
/// (`sudo`, `env -i`, `if`, ...).
size_t programIndex(llvm::ArrayRef<std::string> words) {
  size_t start = 0;
  while (
      start < words.size() &&
      (isAssignment(words[start]) || llvm::is_contained(kPrefixes, words[start]) ||
       (start > 0 && words[start - 1] == "env" && llvm::StringRef(words[start]).startswith("-"))))
    ++start;
  return start;
}

bool oneOfShells(llvm::StringRef program) {
  return program == "bash" || program == "sh" || program == "dash" || program == "zsh" ||
         program == "ash";
}

std::string baseName(llvm::StringRef path) {
  size_t slash = path.rfind('/');
  return path.substr(slash == llvm::StringRef::npos ? 0 : slash + 1).str();
}

/// What one simple command costs and how a report names it.
struct CommandCost {
  double seconds = 0;
  std::string label; // empty: housekeeping, not worth naming
  bool unknown = false;
};

/// pip options that take the next word as their value.
constexpr llvm::StringLiteral kPipValueOptions[] = {
    "-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
    "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--cache-dir",
    "--trusted-host", "--platform", "--python-version", "--implementation", "--abi",
    "--only-binary", "--no-binary", "--progress-bar", "-e", "--editable", "--src",
    "--upgrade-strategy", "-w", "--wheel-dir", "--log", "--proxy", "--retries", "--timeout",
    "--exists-action", "--global-option", "--config-settings", "-C", "-d", "--dest"};

/// A project folder rather than a package name: `.`, `./pkg`, `/src/app`,
/// `file:...`; wheels and archives are packages.
bool isLocalProject(llvm::StringRef package) {
  llvm::StringRef path = package.split('[').first; // .[gpu]
  if (path.endswith(".whl") || path.endswith(".tar.gz") || path.endswith(".zip"))
    return false;
  return path == "." || path == ".." || path.startswith("./") || path.startswith("../") ||
         path.startswith("/") || path.startswith("file:");
}

/// What pip's `sub` (install, wheel, download) does with one package: a
/// project installs its declared dependencies unless --no-deps (what the plan
/// charges for a requirements file, then for the project itself); flash-attn
/// and apex compile unless wheels are offered.
double pipPackageWork(llvm::StringRef sub, llvm::StringRef package, bool findLinks, bool noDeps) {
  if (sub == "wheel")
    return planner::costs::wheelBuildCost(package);
  if (sub == "install" && isLocalProject(package))
    return planner::costs::kProjectInstall + (noDeps ? 0 : planner::costs::kRequirementsFile);
  std::string name = package.take_until([](char c) {
    return llvm::StringRef("=<>!~[;@ ").contains(c);
  }).lower();
  if (sub == "install" && !findLinks && llvm::is_contained(kCompiledOnInstall, name))
    return planner::costs::wheelBuildCost(package);
  return planner::costs::pipPackageCost(package);
}

CommandCost pipCost(llvm::ArrayRef<std::string> args) {
  // args start after "pip": the subcommand, then options and packages.
  std::string sub;
  std::vector<std::string> packages, requirementFiles;
  bool findLinks = false, noDeps = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (arg.startswith("-")) {
      llvm::StringRef name = arg.split('=').first;
      bool inlineValue = arg.contains('=');
      if (name == "-f" || name == "--find-links" || name == "--no-index")
        findLinks = true;
      noDeps |= name == "--no-deps";
      if (!llvm::is_contained(kPipValueOptions, name) || inlineValue) {
        if ((name == "-r" || name == "--requirement") && inlineValue)
          requirementFiles.push_back(arg.split('=').second.str());
        continue;
      }
      if (i + 1 >= args.size())
        break;
      llvm::StringRef value = args[++i];
      if (name == "-r" || name == "--requirement")
        requirementFiles.push_back(value.str());
      else if (name == "-e" || name == "--editable")
        packages.push_back(value.str());
      continue;
    }
    if (sub.empty())
      sub = arg.str();
    else
      packages.push_back(arg.str());
  }
  CommandCost cost;
  if (sub != "install" && sub != "wheel" && sub != "download")
    return cost; // uninstall, list, freeze, config: nothing worth pricing
  cost.seconds =
      planner::costs::kPipBase + planner::costs::kRequirementsFile * requirementFiles.size();
  std::vector<std::string> projects;
  for (const std::string &package : packages) {
    if (sub != "download" && isLocalProject(package))
      projects.push_back(package);
    cost.seconds += pipPackageWork(sub, package, findLinks, noDeps);
  }
  cost.label = "pip " + sub;
  for (const std::string &file : requirementFiles)
    cost.label += " -r " + baseName(file);
  for (const std::string &project : projects)
    cost.label += " " + project;
  if (packages.size() > projects.size())
    cost.label += " (" + std::to_string(packages.size() - projects.size()) + ")";
  return cost;
}

/// apt-get, apt, apk, dnf, yum, microdnf, zypper.
CommandCost systemPackagesCost(llvm::StringRef tool, llvm::ArrayRef<std::string> args) {
  std::string sub;
  size_t packages = 0;
  bool refreshesIndex = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (arg.startswith("-")) {
      if (arg == "-o" || arg == "-t" || arg == "-c" || arg == "--target-release")
        ++i;
      if (arg == "--update" || arg == "-U" || arg == "--no-cache")
        refreshesIndex = true;
      continue;
    }
    if (sub.empty())
      sub = arg.str();
    else
      ++packages;
  }
  CommandCost cost;
  cost.label = (tool + " " + sub).str();
  if (sub == "update" || sub == "makecache") {
    cost.seconds = planner::costs::kAptBase;
  } else if (sub == "install" || sub == "add") {
    cost.seconds =
        planner::costs::kAptPerPackage * packages + (refreshesIndex ? planner::costs::kAptBase : 0);
    cost.label += " (" + std::to_string(packages) + ")";
  } else if (sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade") {
    cost.seconds = kSystemUpgrade;
  } else {
    cost.label.clear(); // clean, autoremove, remove, del: housekeeping
  }
  return cost;
}

bool mentionsModel(llvm::StringRef text) {
  return llvm::any_of(kModelMarkers,
                      [&](llvm::StringLiteral marker) { return text.contains(marker); });
}

CommandCost commandCost(std::vector<std::string> words) {
  CommandCost cost;
  // Drop assignments and wrappers in front of the command.
  size_t start = programIndex(words);
  if (start >= words.size())
    return cost;
  llvm::ArrayRef<std::string> args = llvm::makeArrayRef(words).drop_front(start + 1);
  std::string program = baseName(words[start]);
  if (mentionsModel(llvm::join(llvm::makeArrayRef(words).drop_front(start), " "))) {
    cost.seconds = planner::costs::kModelDownload;
    cost.label = "model download";
    return cost;
  }
  llvm::StringRef prog(program);
  if (prog == "pip" || prog.startswith("pip3"))
    return pipCost(args);
  if (prog == "uv" && !args.empty()) {
    if (args[0] == "pip")
      return pipCost(args.drop_front());
    if (args[0] == "venv")
      return {kVenv, "venv"};
    if (args[0] == "sync")
      return {kPackageManagerSync, "uv sync"};
  }
  if (prog.startswith("python")) {
    if (args.size() >= 2 && args[0] == "-m") {
      if (args[1] == "pip")
        return pipCost(args.drop_front(2));
      if (args[1] == "venv" || args[1] == "virtualenv")
        return {kVenv, "venv"};
      return {0, program + " -m " + args[1], true};
    }
    // `python setup.py install|develop`: the project and its dependencies, as pip would.
    if (args.size() >= 2 && baseName(args[0]) == "setup.py" &&
        (args[1] == "install" || args[1] == "develop"))
      return {planner::costs::kPipBase + pipPackageWork("install", ".", false, false),
              "setup.py " + args[1]};
    return {0, program, true};
  }
  if (prog == "virtualenv")
    return {kVenv, "venv"};
  if (prog == "apt-get" || prog == "apt" || prog == "aptitude" || prog == "apk" ||
      prog == "dnf" || prog == "yum" || prog == "microdnf" || prog == "zypper")
    return systemPackagesCost(prog, args);
  if (prog == "useradd" || prog == "adduser" || prog == "groupadd" || prog == "addgroup" ||
      prog == "usermod")
    return {kUserCommand, program};
  if ((prog == "poetry" || prog == "pipenv" || prog == "pdm") && !args.empty() &&
      args[0] == "install")
    return {kPackageManagerSync, program + " install"};
  if ((prog == "conda" || prog == "mamba" || prog == "micromamba") && !args.empty() &&
      (args[0] == "install" || args[0] == "create" || args[0] == "env"))
    return {kPackageManagerSync, program + " " + args[0]};
  if ((prog == "npm" || prog == "pnpm") && !args.empty() &&
      (args[0] == "ci" || args[0] == "install" || args[0] == "i"))
    return {kNodeInstall, program + " " + args[0]};
  if (prog == "yarn" && (args.empty() || args[0] == "install"))
    return {kNodeInstall, "yarn install"};
  if (prog == "curl" || prog == "wget")
    return {kDownload, program};
  if (prog == "git" && !args.empty() && args[0] == "clone")
    return {kGitClone, "git clone"};
  if (llvm::is_contained(kHousekeeping, prog))
    return cost;
  return {0, program, true};
}

/// The script a shell runs with -c (`bash -euo pipefail -c SCRIPT`), with
/// the `"$(printf '%s\n' LINE...)"` form imageplan writes turned back into
/// its lines; std::nullopt for a shell that runs a file or reads stdin.
std::optional<std::string> shellScript(llvm::ArrayRef<std::string> args) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (!arg.startswith("-") || arg.startswith("--") || !arg.drop_front().contains('c'))
      continue;
    llvm::StringRef script = args[i + 1];
    if (script.startswith("$(") && script.endswith(")")) {
      std::vector<std::vector<std::string>> inner =
          readers::shellCommands(script.drop_front(2).drop_back());
      if (inner.size() == 1 && inner[0].size() >= 2 && inner[0][0] == "printf" &&
          inner[0][1] == "%s\\n")
        return llvm::join(llvm::makeArrayRef(inner[0]).drop_front(2), "\n");
    }
    return script.str();
  }
  return std::nullopt;
}

void addCommand(llvm::ArrayRef<std::string> words, CostWork &work, const CostContext &context,
                int depth) {
  size_t start = programIndex(words);
  if (start < words.size() && depth < kMaxScriptDepth) {
    std::string shell = baseName(words[start]);
    if (oneOfShells(shell))
      if (std::optional<std::string> script = shellScript(words.drop_front(start + 1))) {
        addScript(*script, work, context, depth + 1);
        return;
      }
    if (addBuildTool(words.drop_front(start), work, context, depth))
      return;
  }
  CommandCost cost = commandCost(words.vec());
  work.add(cost.seconds, cost.label, cost.unknown);
}

} // namespace

std::optional<std::pair<std::string, std::string>>
CostContext::readImageFile(llvm::StringRef path) const {
  if (!readFile)
    return std::nullopt;
  for (const std::string &candidate : paths.candidates(path))
    if (std::optional<std::string> contents = readFile(candidate))
      return std::make_pair(candidate, std::move(*contents));
  return std::nullopt;
}

void CostWork::add(double cost, const std::string &label, bool unrecognised) {
  seconds += cost;
  unknown |= unrecognised;
  if (!label.empty() && !llvm::is_contained(labels, label))
    labels.push_back(label);
}

void CostWork::addNested(const std::string &label, const CostWork &inner) {
  std::string named = label;
  if (!inner.labels.empty())
    named += ": " + llvm::join(inner.labels, ", ");
  add(inner.seconds, named, inner.unknown);
  for (const std::string &note : inner.notes)
    if (!llvm::is_contained(notes, note))
      notes.push_back(note);
}

void addScript(llvm::StringRef script, CostWork &work, const CostContext &context, int depth) {
  for (const std::vector<std::string> &command : readers::shellCommands(script))
    addCommand(command, work, context, depth);
}

namespace {

InstructionEstimate estimateRun(const readers::DockerfileInstruction &inst,
                                const CostContext &stage) {
  CostContext context{stage.readFile, stage.paths.withMounts(inst)};
  CostWork work;
  for (const std::vector<std::string> &command : readers::runCommands(inst))
    addCommand(command, work, context, 0);
  InstructionEstimate estimate;
  estimate.seconds = work.seconds + (work.unknown ? kUnknownWork : 0);
  estimate.seconds = std::max(estimate.seconds, kRunMinimum);
  std::string what = work.labels.empty() ? inst.text : llvm::join(work.labels, ", ");
  estimate.summary = readers::oneLine("RUN " + what);
  estimate.notes = std::move(work.notes);
  return estimate;
}

bool isUrl(llvm::StringRef source) {
  return source.startswith("http://") || source.startswith("https://") ||
         source.startswith("git@") || source.startswith("git://");
}

InstructionEstimate estimateCopy(const readers::DockerfileInstruction &inst) {
  const readers::DockerfileCopy &copy = *inst.copy;
  InstructionEstimate estimate;
  std::string what = inst.keyword;
  if (!copy.from.isContext())
    what += " --from=" + copy.from.name;
  std::vector<std::string> sources = copy.sources;
  for (unsigned i = 0; i < copy.heredocSources; ++i)
    sources.push_back("<<heredoc");
  what += " " + llvm::join(sources, " ") + " -> " + copy.dest;
  estimate.summary = readers::oneLine(what);
  estimate.seconds = copy.from.isContext() ? kContextCopy : kStageCopy;
  for (const std::string &source : copy.sources)
    if (isUrl(source))
      estimate.seconds = std::max(
          estimate.seconds, mentionsModel(source) ? planner::costs::kModelDownload : kDownload);
  return estimate;
}

} // namespace

InstructionEstimate estimateInstruction(const readers::DockerfileInstruction &inst,
                                        const CostContext &context) {
  if (inst.keyword == "RUN")
    return estimateRun(inst, context);
  if (inst.copy)
    return estimateCopy(inst);
  return {0, readers::oneLine(inst.keyword + " " + inst.text), {}};
}

} // namespace imageplan::analysis
