// Commands that hand their work to files of the build context: `make [-C DIR]
// [TARGET...]` (the Makefile's recipes, readers/Makefile.h), a shell script
// (`./install.sh`, `bash scripts/setup.sh`), a task runner (just, task,
// invoke, nox, tox). What they run is priced by the same table as a RUN's own
// commands when the stage holds the file (CostContext); otherwise they cost
// kOpaqueInstall, and a note says why.
#include "analysis/CostWork.h"

#include "readers/Makefile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <optional>

namespace imageplan::analysis {
namespace {

// What make reads when no -f is given, in make's order.
constexpr llvm::StringLiteral kMakefileNames[] = {"GNUmakefile", "makefile", "Makefile"};
// Task runners whose files (justfile, Taskfile.yml, tasks.py, noxfile.py,
// tox.ini) are not read.
constexpr llvm::StringLiteral kTaskRunners[] = {"just", "task", "invoke", "inv",
                                                "nox",  "tox",  "doit"};

std::string baseName(llvm::StringRef path) {
  size_t slash = path.rfind('/');
  return path.substr(slash == llvm::StringRef::npos ? 0 : slash + 1).str();
}

bool isShell(llvm::StringRef program) {
  return program == "bash" || program == "sh" || program == "dash" || program == "zsh" ||
         program == "ash";
}

std::string joinPath(llvm::StringRef dir, llvm::StringRef name) {
  if (name.startswith("/") || dir.empty() || dir == ".")
    return name.str();
  return (dir.rtrim('/') + "/" + name).str();
}

std::string opaqueNote(llvm::StringRef label, llvm::StringRef why) {
  return (label + ": " + why + "; priced like a dependency install (" +
          llvm::formatv("{0}", llvm::format("%.0f", kOpaqueInstall)).str() + " s)")
      .str();
}

/// The Makefile `make` reads in `dir` (or `file` there), as a context path and its text.
std::optional<std::pair<std::string, std::string>>
findMakefile(const CostContext &context, llvm::StringRef dir, llvm::StringRef file) {
  if (!file.empty())
    return context.readImageFile(joinPath(dir, file));
  for (llvm::StringLiteral name : kMakefileNames)
    if (auto found = context.readImageFile(joinPath(dir, name)))
      return found;
  return std::nullopt;
}

void addMake(llvm::ArrayRef<std::string> args, CostWork &work, const CostContext &context,
             int depth) {
  std::string directory, file;
  std::vector<std::string> goals = readers::makeGoals(args.vec(), directory, file);
  std::string label = "make" + (goals.empty() ? "" : " " + llvm::join(goals, " "));
  std::string dir = context.paths.absolute(directory.empty() ? "." : directory);
  std::optional<std::pair<std::string, std::string>> found = findMakefile(context, dir, file);
  if (!found) {
    work.add(kOpaqueInstall, label);
    work.notes.push_back(opaqueNote(label, "no Makefile from the build context in " + dir));
    return;
  }
  readers::Makefile makefile = readers::parseMakefile(found->second);
  if (goals.empty())
    goals.push_back(makefile.defaultTarget());
  CostContext inDir = context;
  inDir.paths.workdir = dir;
  CostWork inner;
  for (const std::string &goal : goals) {
    if (!makefile.ruleFor(goal)) {
      inner.add(kOpaqueInstall, "");
      inner.notes.push_back(
          opaqueNote(label, "no rule for '" + goal + "' in the context's " + found->first));
      continue;
    }
    std::string script;
    for (const readers::MakeCommand &command : makefile.commandsFor(goal))
      script += command.text + "\n";
    addScript(script, inner, inDir, depth + 1);
  }
  work.addNested(label, inner);
}

/// The script a shell runs from a file (`bash -e scripts/setup.sh`), or "".
std::string scriptOperand(llvm::ArrayRef<std::string> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (arg == "-o" || arg == "+o") {
      ++i; // -o pipefail
      continue;
    }
    if (arg.startswith("-") || arg.startswith("+"))
      continue;
    return arg.str();
  }
  return "";
}

bool looksLikeShellScript(llvm::StringRef path, llvm::StringRef text) {
  if (path.endswith(".sh") || path.endswith(".bash"))
    return true;
  llvm::StringRef shebang = text.split('\n').first;
  return shebang.startswith("#!") && (shebang.contains("sh ") || shebang.endswith("sh"));
}

/// A script of the build context run as a program or by a shell.
bool addScriptFile(llvm::ArrayRef<std::string> words, CostWork &work, const CostContext &context,
                   int depth) {
  llvm::StringRef program = words.front();
  bool byShell = isShell(baseName(program));
  std::string path = byShell ? scriptOperand(words.drop_front()) : program.str();
  if (path.empty() || (!byShell && !llvm::StringRef(path).contains('/') &&
                       !llvm::StringRef(path).endswith(".sh")))
    return false;
  std::string label = baseName(path);
  auto found = context.readImageFile(path);
  if (found && (byShell || looksLikeShellScript(path, found->second))) {
    CostWork inner;
    addScript(found->second, inner, context, depth + 1);
    work.addNested(label, inner);
    return true;
  }
  if (!byShell && !llvm::StringRef(path).endswith(".sh"))
    return false; // a program of the image, priced as unknown work
  work.add(kOpaqueInstall, label);
  work.notes.push_back(opaqueNote(label, found ? "not a shell script"
                                               : "not a file from the build context"));
  return true;
}

} // namespace

bool addBuildTool(llvm::ArrayRef<std::string> words, CostWork &work, const CostContext &context,
                  int depth) {
  if (words.empty())
    return false;
  std::string program = baseName(words.front());
  if (program == "make" || program == "gmake") {
    addMake(words.drop_front(), work, context, depth);
    return true;
  }
  if (llvm::is_contained(kTaskRunners, llvm::StringRef(program))) {
    std::string label = llvm::join(words.take_front(std::min<size_t>(words.size(), 2)), " ");
    work.add(kOpaqueInstall, label);
    work.notes.push_back(opaqueNote(label, "what " + program + " runs is not read"));
    return true;
  }
  return addScriptFile(words, work, context, depth);
}

} // namespace imageplan::analysis
