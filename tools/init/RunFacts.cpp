// RUN commands as init reads them (RunFacts.h). Each simple command is either
// carried into the spec (a package install, a requirements install, the venv
// and user the spec makes itself, housekeeping), read further (`make TARGET`
// through the context's Makefile, a context shell script), or listed as not
// carried, with the file and line it comes from.
#include "tools/init/RunFacts.h"

#include "tools/init/ScanSteps.h"

#include "dsl/ValueRules.h"
#include "readers/Makefile.h"
#include "readers/ShellWords.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace imageplan::init {
namespace {

namespace fs = llvm::sys::fs;

constexpr int kMaxDepth = 4; // scripts and Makefiles read inside one another

/// Commands that only move state the spec sets up itself, or change nothing
/// the image keeps.
constexpr llvm::StringLiteral kHousekeeping[] = {
    "rm",     "chown",   "cd",      "echo",     "export",   "set",     "true",  "false",
    ":",      "test",    "[",       "printf",   "ldconfig", "useradd", "groupadd",
    "adduser", "addgroup", "usermod", "id",     "umask",    "exit",    "fi",    "done",
    "esac",   "}",       "unset",   "which",    "ls",       "sync",    "ln"};
/// Python tools the spec installs itself (a venv with pip, uv, poetry).
constexpr llvm::StringLiteral kPythonTooling[] = {"pip", "setuptools", "wheel", "uv",
                                                  "poetry", "virtualenv"};
/// Words that stand before a command without being it.
constexpr llvm::StringLiteral kPrefixes[] = {"sudo",  "env", "time", "nice", "nohup", "exec", "command",
                                             "if",    "then", "else", "elif",  "do",   "while",
                                             "until", "!",    "{"};
/// Image folders whose mkdir the spec has no use for.
constexpr llvm::StringLiteral kSystemDirs[] = {"/var/", "/usr/", "/etc/", "/tmp", "/root",
                                               "/opt/venv", "/opt/conda", "/run/", "/home/"};

bool isAssignment(llvm::StringRef word) {
  size_t eq = word.find('=');
  return eq != 0 && eq != llvm::StringRef::npos && (llvm::isAlpha(word[0]) || word[0] == '_') &&
         llvm::all_of(word.take_front(eq), [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

std::string baseName(llvm::StringRef path) {
  size_t slash = path.rfind('/');
  return path.substr(slash == llvm::StringRef::npos ? 0 : slash + 1).str();
}

/// "3.11" for python3.11, python3.11-venv, python3.11-dev; "" otherwise.
std::string pythonVersionOf(llvm::StringRef word) {
  if (!word.consume_front("python3."))
    return "";
  llvm::StringRef minor = word.take_while(llvm::isDigit);
  return minor.empty() ? "" : "3." + minor.str();
}

/// A distribution package that is Python itself, which the spec installs.
bool isPythonPackage(llvm::StringRef name) {
  return name.startswith("python3") || name.startswith("python-3") ||
         name == "python-is-python3" || name == "python" || name == "python-dev" ||
         name.startswith("python-pip") || name.startswith("py3-pip") || name == "py3-virtualenv";
}

void addOnce(std::vector<std::string> &list, llvm::StringRef value) {
  if (!llvm::is_contained(list, value))
    list.push_back(value.str());
}

/// One command init could not carry, and where it comes from.
struct Uncarried {
  std::string where, text;
};

class RunReader {
public:
  RunReader(const RunPlace &place, DockerfileFacts &facts) : place(place), facts(facts) {}

  void commands(const std::vector<std::vector<std::string>> &list, const std::string &where,
                int depth) {
    for (const std::vector<std::string> &words : list)
      command(words, where, depth);
  }

  std::vector<Uncarried> uncarried;
  std::vector<std::string> programs; // not carried in the RUN itself

private:
  void command(llvm::ArrayRef<std::string> words, const std::string &where, int depth) {
    size_t start = 0;
    while (start < words.size() &&
           (isAssignment(words[start]) || llvm::is_contained(kPrefixes, words[start])))
      ++start;
    words = words.drop_front(start);
    if (words.empty())
      return;
    std::string program = baseName(words.front());
    llvm::ArrayRef<std::string> args = words.drop_front();
    if (carried(words.front(), program, args, where, depth))
      return;
    std::string text = llvm::join(words, " ");
    // `apt-get upgrade`, `git clone`: the subcommand says what was left out.
    std::string label = program;
    if (!args.empty() && !args.front().empty() && llvm::isAlpha(args.front().front()) &&
        llvm::all_of(args.front(), [](char c) { return llvm::isAlnum(c) || c == '-'; }))
      label += " " + args.front();
    if (where == place.where)
      addOnce(programs, label);
    else
      uncarried.push_back({where, readers::oneLine(text)});
  }

  bool carried(const std::string &word, const std::string &program,
               llvm::ArrayRef<std::string> args, const std::string &where, int depth) {
    llvm::StringRef p(program);
    if (std::string version = pythonVersionOf(p); !version.empty())
      addOnce(facts.pythonVersions, version);
    if (oneOf(p, {"apt-get", "apt", "aptitude", "apk", "dnf", "yum", "microdnf"}))
      return systemPackages(args);
    if (p == "pip" || p.startswith("pip3"))
      return pip(args);
    if (p.startswith("python") && args.size() >= 2 && args[0] == "-m")
      return args[1] == "pip" ? pip(args.drop_front(2)) : oneOf(args[1], {"venv", "virtualenv"});
    if (p == "uv")
      return uv(args);
    if (p == "poetry")
      return poetry(args);
    if (oneOf(p, {"npm", "yarn", "pnpm", "npx"})) {
      facts.buildsNode = true;
      return place.nodeStage;
    }
    if (oneOf(p, {"conda", "mamba", "micromamba"}) && !args.empty() && args[0] == "clean")
      return true;
    if (p == "make" || p == "gmake")
      return make(args, where, depth);
    if (p == "mkdir")
      return mkdir(args);
    if (p == "virtualenv" || llvm::is_contained(kHousekeeping, p))
      return true;
    return script(word, program, args, depth);
  }

  bool systemPackages(llvm::ArrayRef<std::string> args) {
    std::string sub;
    std::vector<std::string> &into = place.builder ? facts.buildPackages : facts.packages;
    bool ok = true;
    for (size_t i = 0; i < args.size(); ++i) {
      llvm::StringRef arg = args[i];
      if (oneOf(arg, {"-o", "-t", "--target-release", "-c", "--setopt"})) {
        ++i;
        continue;
      }
      if (arg.startswith("-") || arg.empty())
        continue;
      if (sub.empty()) {
        sub = arg.str();
        continue;
      }
      if (sub != "install" && sub != "add")
        break;
      if (std::string version = pythonVersionOf(arg.split('=').first); !version.empty())
        addOnce(facts.pythonVersions, version);
      if (isPythonPackage(arg.split('=').first))
        continue;
      if (dsl::rules::systemPackage.check(arg).empty())
        addOnce(into, arg);
      else
        ok = false; // a glob or a variable: not a package name the spec can hold
    }
    return ok && (oneOf(sub, {"install", "add", "update", "clean", "makecache", "autoremove"}) ||
                  sub == "autoclean" || sub == "cache");
  }

  bool pip(llvm::ArrayRef<std::string> args);
  bool pipPackage(llvm::StringRef package);
  bool uv(llvm::ArrayRef<std::string> args);
  bool poetry(llvm::ArrayRef<std::string> args);
  bool make(llvm::ArrayRef<std::string> args, const std::string &where, int depth);
  bool mkdir(llvm::ArrayRef<std::string> args);
  bool script(const std::string &word, const std::string &program,
              llvm::ArrayRef<std::string> args, int depth);

  const RunPlace &place;
  DockerfileFacts &facts;
};

bool RunReader::pip(llvm::ArrayRef<std::string> args) {
  std::string sub;
  bool ok = true;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    auto [name, afterEquals] = arg.split('=');
    llvm::StringRef inlineValue = afterEquals; // a lambda may not capture a binding (Clang 14)
    bool hasInline = arg.contains('=') && name.startswith("--");
    auto value = [&]() -> std::string {
      if (hasInline)
        return inlineValue.str();
      return i + 1 < args.size() ? args[++i] : "";
    };
    if (name == "-r" || name == "--requirement") {
      std::string file = contextFileAt(place.paths, place.dir, value());
      ok &= !file.empty();
      if (!file.empty())
        addOnce(facts.requirementFiles, file);
    } else if (name == "-i" || name == "--index-url") {
      std::string url = value();
      llvm::erase_value(facts.indexUrls, url);
      facts.indexUrls.insert(facts.indexUrls.begin(), url);
      facts.primaryIndex = true;
    } else if (name == "--extra-index-url") {
      addOnce(facts.indexUrls, value());
    } else if (name == "-e" || name == "--editable") {
      ok &= pipPackage(value());
    } else if (oneOf(name, {"-c", "--constraint", "-f", "--find-links", "-t", "--target",
                            "--prefix", "--root", "--cache-dir", "--src", "-w", "--wheel-dir",
                            "--platform", "--python-version", "--trusted-host"})) {
      if (!hasInline)
        ++i; // its value: a constraint or a wheel folder stays with the requirements
      ok &= !oneOf(name, {"-c", "--constraint"});
    } else if (arg.startswith("-")) {
      continue;
    } else if (sub.empty()) {
      sub = arg.str();
    } else if (oneOf(sub, {"install", "wheel"})) {
      ok &= pipPackage(arg);
    }
  }
  return ok && oneOf(sub, {"install", "wheel", "cache", "config", "list", "freeze", "check"});
}

bool RunReader::pipPackage(llvm::StringRef package) {
  llvm::StringRef path = package.split('[').first;
  if (path == "." || path.startswith("./") || path.startswith("/") || path.startswith("file:")) {
    if (path.endswith(".whl") || path.contains('*'))
      return true; // the builder's wheels: its requirements are carried
    facts.installsProject = true;
    llvm::StringRef extras = package.drop_front(path.size());
    if (extras.consume_front("[") && extras.consume_back("]"))
      for (llvm::StringRef extra : llvm::split(extras, ','))
        addOnce(facts.extras, extra.trim());
    return true;
  }
  std::string name = package.take_until([](char c) {
    return llvm::StringRef("=<>!~[;@ ").contains(c);
  }).lower();
  if (llvm::is_contained(kPythonTooling, llvm::StringRef(name)))
    return true;
  if (!dsl::rules::pipPackage.check(package).empty())
    return false;
  addOnce(facts.pipPackages, package);
  return true;
}

bool RunReader::uv(llvm::ArrayRef<std::string> args) {
  if (args.empty())
    return false;
  if (args[0] == "pip")
    return args.size() > 1 && args[1] == "sync"
               ? llvm::all_of(args.drop_front(2),
                              [&](const std::string &file) {
                                std::string found = contextFileAt(place.paths, place.dir, file);
                                if (!found.empty())
                                  addOnce(facts.requirementFiles, found);
                                return llvm::StringRef(file).startswith("-") || !found.empty();
                              })
               : pip(args.drop_front());
  if (args[0] == "venv" || args[0] == "python")
    return true;
  if (args[0] != "sync")
    return false;
  facts.installsProject = true;
  for (size_t i = 1; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (arg == "--extra" && i + 1 < args.size())
      addOnce(facts.extras, args[++i]);
    else if (arg.startswith("--extra="))
      addOnce(facts.extras, arg.drop_front(8));
    else if (arg == "--all-extras")
      addOnce(facts.extras, "*");
  }
  return true;
}

bool RunReader::poetry(llvm::ArrayRef<std::string> args) {
  if (args.empty())
    return false;
  if (oneOf(args[0], {"config", "self", "export", "lock", "check"}))
    return true;
  if (args[0] != "install")
    return false;
  facts.installsProject = true;
  for (size_t i = 1; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    llvm::StringRef named;
    if ((arg == "-E" || arg == "--extras") && i + 1 < args.size())
      named = args[++i];
    else if (arg.startswith("--extras="))
      named = arg.drop_front(9);
    else if (arg == "--all-extras")
      named = "*";
    for (llvm::StringRef extra : llvm::split(named, ' '))
      if (!extra.empty())
        addOnce(facts.extras, extra);
  }
  return true;
}

bool RunReader::make(llvm::ArrayRef<std::string> args, const std::string &where, int depth) {
  std::string directory, file;
  std::vector<std::string> goals = readers::makeGoals(args.vec(), directory, file);
  std::string prefix = directory.empty() ? "" : directory + "/";
  std::string makefile;
  for (const char *name : {"GNUmakefile", "makefile", "Makefile"})
    if (makefile.empty())
      makefile = contextFileAt(place.paths, place.dir, prefix + (file.empty() ? name : file));
  std::optional<std::string> text =
      makefile.empty() ? std::nullopt : readText(place.dir + "/" + makefile);
  if (!text || depth >= kMaxDepth)
    return false;
  readers::Makefile parsed = readers::parseMakefile(*text);
  if (goals.empty())
    goals.push_back(parsed.defaultTarget());
  std::string from = " (make " + llvm::join(goals, " ") + ", " + where + ")";
  for (const std::string &goal : goals) {
    if (!parsed.ruleFor(goal)) {
      uncarried.push_back({makefile, "no rule for '" + goal + "'" + from});
      continue;
    }
    for (const readers::MakeCommand &command : parsed.commandsFor(goal)) {
      size_t before = uncarried.size();
      commands(readers::shellCommands(command.text),
               makefile + ":" + std::to_string(command.line), depth + 1);
      for (size_t i = before; i < uncarried.size(); ++i)
        uncarried[i].text += from;
    }
  }
  return true;
}

bool RunReader::mkdir(llvm::ArrayRef<std::string> args) {
  for (llvm::StringRef arg : args) {
    if (arg.startswith("-"))
      continue;
    std::string absolute = place.paths.absolute(arg);
    if (llvm::any_of(kSystemDirs, [&](llvm::StringRef dir) {
          return llvm::StringRef(absolute).startswith(dir);
        }))
      continue;
    llvm::StringRef inWorkdir(absolute);
    std::string workdir = place.paths.workdir == "/" ? "/" : place.paths.workdir + "/";
    std::string dir = inWorkdir.consume_front(workdir) ? inWorkdir.str() : absolute;
    if (dir.empty() || !dsl::rules::anyPath.check(dir).empty())
      return false;
    addOnce(facts.dirs, dir);
  }
  return true;
}

bool RunReader::script(const std::string &word, const std::string &program,
                       llvm::ArrayRef<std::string> args, int depth) {
  bool byShell = oneOf(program, {"bash", "sh", "dash", "ash"});
  std::string path = byShell ? "" : word;
  if (byShell)
    for (size_t i = 0; i < args.size() && path.empty(); ++i) {
      if (args[i] == "-c")
        return false; // bash -c SCRIPT: its words are not read here
      if (args[i] == "-o")
        ++i;
      else if (!llvm::StringRef(args[i]).startswith("-"))
        path = args[i];
    }
  if (path.empty() || depth >= kMaxDepth)
    return false;
  std::string file = contextFileAt(place.paths, place.dir, path);
  std::optional<std::string> text = file.empty() ? std::nullopt : readText(place.dir + "/" + file);
  if (!text || (!byShell && !llvm::StringRef(file).endswith(".sh")))
    return false;
  commands(readers::shellCommands(*text), file, depth + 1);
  return true;
}

} // namespace

std::string contextFileAt(const readers::ContextPaths &paths, llvm::StringRef dir,
                          llvm::StringRef imagePath) {
  std::vector<std::string> candidates = paths.candidates(imagePath);
  // Without a copy that explains it, a relative path may still name a
  // context file at the same place (a bind mount of the context's root).
  if (!imagePath.startswith("/"))
    candidates.push_back(readers::cleanContextPath(imagePath));
  for (const std::string &candidate : candidates)
    if (fs::is_regular_file(dir + "/" + candidate))
      return candidate;
  return "";
}

void readRun(const readers::DockerfileInstruction &run, const RunPlace &place,
             DockerfileFacts &facts) {
  RunReader reader(place, facts);
  reader.commands(readers::runCommands(run), place.where, 0);
  std::string text = run.jsonForm ? llvm::join(run.args, " ") : run.text;
  if (!reader.programs.empty())
    facts.notCarried.push_back(place.where + ": RUN " + readers::oneLine(text) + ": not carried (" +
                               llvm::join(reader.programs, ", ") +
                               "); a step under steps: can run it");
  for (const Uncarried &line : reader.uncarried)
    facts.notCarried.push_back(line.where + ": " + line.text + ": not carried");
}

} // namespace imageplan::init
