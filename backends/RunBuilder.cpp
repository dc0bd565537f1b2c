// The RUN builder and the helpers the operation emitters share (see
// RunBuilder.h).
#include "backends/RunBuilder.h"

#include "backends/ShellQuote.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

namespace imageplan::backends {
namespace {

// Passes text with its line breaks to a command as one argument: printf
// prints each (quoted) line followed by a newline, and the command
// substitution hands the result over as one word. Each line then sits on a
// Dockerfile continuation line of its own, starting with a quote, so the
// Dockerfile parser can neither join nor drop lines of the text.
constexpr llvm::StringLiteral PrintfLinesOpen = "\"$(printf '%s\\n'";
constexpr llvm::StringLiteral PrintfLinesClose = ")\"";


Mount bindMount(llvm::StringRef source, llvm::StringRef target, llvm::StringRef fromStage = "",
                bool readWrite = false) {
  Mount m{{{"type", "bind"}}};
  if (!fromStage.empty())
    m.options.push_back({"from", fromStage.str()});
  m.options.push_back({"source", source.str()});
  m.options.push_back({"target", target.str()});
  if (readWrite)
    m.options.push_back({"rw", "true"});
  return m;
}

} // namespace

std::string scratchPath(llvm::StringRef contextPath) {
  return (ScratchDir + "/" + contextPath).str();
}

std::string projectScratchDir(llvm::StringRef projectDir) {
  return projectDir == "." || projectDir.empty() ? ScratchDir.str() : scratchPath(projectDir);
}

void appendIndexArgs(llvm::ArrayRef<std::string> indexUrls, std::vector<std::string> &args) {
  for (size_t i = 0; i < indexUrls.size(); ++i)
    args.push_back(shellJoin({i == 0 ? "--index-url" : "--extra-index-url", indexUrls[i]}));
}

void appendQuotedEach(llvm::ArrayRef<std::string> words, std::vector<std::string> &args) {
  for (const std::string &word : words)
    args.push_back(shellQuote(word));
}

void addMount(RunInstruction &run, Mount mount) {
  if (!llvm::is_contained(run.mounts, mount))
    run.mounts.push_back(std::move(mount));
}

void addCopy(RunInstruction &run, FileCopy copy) {
  if (!llvm::is_contained(run.copies, copy))
    run.copies.push_back(std::move(copy));
}

void RunBuilder::addCache(const PackageCache &cache) {
  if (!dialect.cacheMounts)
    return;
  std::string id = cache.name.str();
  for (llvm::StringRef part : {cache.perDistro ? llvm::StringRef(stage.distro) : llvm::StringRef(),
                               cache.locked ? llvm::StringRef(stage.family) : llvm::StringRef()})
    if (!part.empty())
      id += "-" + part.str();
  Mount m{{{"type", "cache"}, {"id", id}, {"target", cache.target.str()}}};
  if (cache.locked)
    m.options.push_back({"sharing", "locked"});
  backends::addMount(run, std::move(m));
}

void RunBuilder::bindContext(llvm::StringRef source, llvm::StringRef target, bool readWrite) {
  if (dialect.bindMounts)
    backends::addMount(run, bindMount(source, target, "", readWrite));
  else
    backends::addCopy(run, FileCopy{"", source.str(), target.str()});
}

void RunBuilder::bindStage(llvm::StringRef stage, llvm::StringRef source, llvm::StringRef target) {
  if (dialect.bindMounts)
    backends::addMount(run, bindMount(source, target, stage));
  else
    backends::addCopy(run, FileCopy{stage.str(), source.str(), target.str()});
}

std::string RunBuilder::uvCommand(std::vector<llvm::StringRef> subcommand,
                                  llvm::StringRef uv) const {
  subcommand.insert(subcommand.begin(), uv);
  if (!dialect.cacheMounts)
    subcommand.push_back("--no-cache");
  return shellJoin(subcommand);
}

std::string RunBuilder::pipCommand(llvm::StringRef subcommand, llvm::StringRef pip) const {
  if (dialect.cacheMounts)
    return shellJoin({pip, subcommand});
  return shellJoin({pip, subcommand, "--no-cache-dir"});
}

std::vector<llvm::StringRef> RunBuilder::scriptShell() const {
  if (stage.posixShell)
    return {"sh", "-eu", "-c"};
  return {"bash", "-euo", "pipefail", "-c"};
}

std::vector<llvm::StringRef> RunBuilder::withScript(llvm::StringRef script) const {
  std::vector<llvm::StringRef> words = scriptShell();
  words.push_back(script);
  return words;
}

void RunBuilder::printfLines(std::string command, llvm::ArrayRef<llvm::StringRef> lines,
                             llvm::ArrayRef<std::string> envPrefix,
                             llvm::ArrayRef<std::string> trailing) {
  ShellCommand cmd;
  std::string opener = command + " " + PrintfLinesOpen.str();
  if (envPrefix.empty()) {
    cmd.head = opener;
  } else {
    cmd.head = envPrefix.front();
    cmd.args.insert(cmd.args.end(), envPrefix.begin() + 1, envPrefix.end());
    cmd.args.push_back(opener);
  }
  for (llvm::StringRef line : lines)
    cmd.args.push_back(shellQuote(line, QuoteMode::Always));
  cmd.args.push_back(PrintfLinesClose.str());
  cmd.args.insert(cmd.args.end(), trailing.begin(), trailing.end());
  run.commands.push_back(std::move(cmd));
}

void RunBuilder::writeFile(const std::string &path, const std::string &content,
                           const std::string &mode) {
  appendWriteFile(plan::WriteFile{path, content, mode}, run);
}

} // namespace imageplan::backends
