// What init takes from an existing Dockerfile, as readers/' parser reads it
// (the parser `imageplan score` uses): directives, continuations, heredocs and
// ARGs in FROM are BuildKit's, and RUN text is split into shell commands.
#include "tools/init/ScanSteps.h"

#include "readers/ShellWords.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

namespace imageplan::init {
namespace {

/// A word a spec accepts as a system package that is not the Python the
/// spec installs itself (python3, python3.11-pip, py3-pip, python-3.12).
bool isNonPythonPackage(llvm::StringRef word) {
  if (word.empty() || !llvm::isAlnum(word[0]) || !llvm::all_of(word, [](char c) {
        return llvm::isAlnum(c) || llvm::StringRef("+._=-").contains(c);
      }))
    return false;
  llvm::StringRef name = word.split('=').first;
  return !name.startswith("python3") && !name.startswith("python-3") &&
         !(name.startswith("py3") && name.endswith("-pip"));
}

/// The packages of one `apk add`, `dnf install`, `microdnf install` or `yum
/// install` command (after sudo, env or VAR=value words, and with options
/// before or among the packages).
void readInstall(llvm::ArrayRef<std::string> command, std::vector<std::string> &packages) {
  while (!command.empty() && (command.front() == "sudo" || command.front() == "env" ||
                              llvm::StringRef(command.front()).contains('=')))
    command = command.drop_front();
  if (command.empty())
    return;
  llvm::StringRef program = llvm::sys::path::filename(command.front());
  llvm::StringRef verb = program == "apk"                             ? "add"
                         : oneOf(program, {"dnf", "microdnf", "yum"}) ? "install"
                                                                      : "";
  command = command.drop_front();
  while (!command.empty() && llvm::StringRef(command.front()).startswith("-"))
    command = command.drop_front();
  if (verb.empty() || command.empty() || command.front() != verb)
    return;
  for (const std::string &word : command.drop_front())
    if (!llvm::StringRef(word).startswith("-") && isNonPythonPackage(word) &&
        !llvm::is_contained(packages, word))
      packages.push_back(word);
}

/// The simple commands a RUN runs: its exec form, or its shell text and the
/// bodies of its heredocs (a `RUN <<EOF` script), as `imageplan score` reads them.
std::vector<std::vector<std::string>> runCommands(const readers::DockerfileInstruction &run) {
  if (run.jsonForm)
    return {run.args};
  std::string script = run.text;
  for (const readers::DockerfileHeredoc &heredoc : run.heredocs)
    script += "\n" + heredoc.body;
  return readers::shellCommands(script);
}

void readPorts(const readers::DockerfileInstruction &expose, std::vector<int> &ports) {
  for (llvm::StringRef word : expose.args) {
    unsigned port = 0;
    if (!word.split('/').first.getAsInteger(10, port) && port > 0 && port < 65536)
      ports.push_back(static_cast<int>(port));
  }
}

} // namespace

void readDockerfile(const readers::Dockerfile &file, ProjectFacts &facts) {
  const readers::DockerfileStage &final = file.stages.back();
  const readers::DockerfileStage *root = &final;
  while (root->baseStage >= 0) // a stage only derives from an earlier one
    root = &file.stages[root->baseStage];
  facts.dockerfileBase = root->base;
  for (const readers::DockerfileInstruction &inst : final.instructions) {
    if (inst.keyword == "RUN")
      for (const std::vector<std::string> &command : runCommands(inst))
        readInstall(command, facts.dockerfilePackages);
    else if (inst.keyword == "EXPOSE")
      readPorts(inst, facts.ports);
    else if (inst.keyword == "CMD")
      facts.cmd = inst.jsonForm ? inst.args : std::vector<std::string>();
    else if (inst.keyword == "ENTRYPOINT")
      facts.entrypoint = inst.jsonForm ? inst.args : std::vector<std::string>();
  }
}

} // namespace imageplan::init
