// What the image copies and runs. With a Dockerfile, the context paths its
// final image copies (the whole context for `COPY . .`, with the
// .dockerignore's patterns as app.exclude); otherwise the app's Python files
// and packages. Then every file the command needs: each word of the command
// (and of an entry script it runs) that names a context file, a `-m` module or
// uvicorn's `module:app` is copied too. Last, the health route the app serves.
#include "tools/init/RunFacts.h"
#include "tools/init/ScanSteps.h"

#include "dsl/ValueRules.h"
#include "readers/ShellWords.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace imageplan::init {
namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

bool exists(llvm::StringRef dir, llvm::StringRef file) { return fs::exists(dir + "/" + file); }

/// Files the python section installs from, which the app need not copy: a
/// requirement file, a lock, a folder of requirement files.
bool isManifest(const ProjectFacts &facts, llvm::StringRef dir, llvm::StringRef file) {
  if (llvm::is_contained(facts.requirements, file) || llvm::is_contained(facts.constraints, file))
    return true;
  if (oneOf(file, {"uv.lock", "poetry.lock"}))
    return true;
  if (file == "pyproject.toml")
    return !facts.buildSystem;
  if (file == "." || !fs::is_directory(dir + "/" + file))
    return false;
  std::error_code ec;
  bool any = false;
  for (fs::directory_iterator it(dir + "/" + file, ec), end; it != end && !ec; it.increment(ec)) {
    std::string inner = (file + "/" + path::filename(it->path())).str();
    if (!llvm::is_contained(facts.requirements, inner))
      return false;
    any = true;
  }
  return any;
}

bool isPythonPackage(llvm::StringRef dir, llvm::StringRef name) {
  return fs::exists(dir + "/" + name + "/__init__.py");
}

/// The app's Python files and packages, and the module that runs it.
void findAppFiles(llvm::StringRef dir, const std::vector<std::string> &files,
                  const std::vector<std::string> &dirs, ProjectFacts &facts) {
  for (const std::string &file : files)
    if (llvm::StringRef(file).endswith(".py") && file != "setup.py" &&
        !llvm::StringRef(file).startswith("test_") && file != "conftest.py")
      facts.copy.push_back(file);
  for (const std::string &name : dirs) {
    if (isSkippedDir(name) || llvm::StringRef(name).startswith("."))
      continue;
    if (isPythonPackage(dir, name) || oneOf(name, {"app", "src", "static", "templates", "config"}))
      facts.copy.push_back(name + "/");
  }
  // A package is built from its copy in the image: pyproject.toml goes along.
  if (facts.pyproject && facts.buildSystem)
    facts.copy.push_back("pyproject.toml");
  llvm::sort(facts.copy);
}

void findMainModule(llvm::StringRef dir, const std::vector<std::string> &files,
                    const std::vector<std::string> &dirs, ProjectFacts &facts) {
  for (const char *candidate : {"main.py", "app.py", "server.py"})
    if (llvm::is_contained(files, candidate)) {
      facts.mainModule = candidate;
      return;
    }
  for (const std::string &name : dirs)
    if (!isSkippedDir(name) && exists(dir, name + "/__main__.py")) {
      facts.mainModule = name;
      return;
    }
}

// `variable` of a FastAPI app assigned at the top of `code`, or "".
std::string fastapiVariable(llvm::StringRef code) {
  for (llvm::StringRef line : llvm::split(code, '\n')) {
    auto [lhs, rhs] = line.split('=');
    lhs = lhs.trim();
    if (rhs.trim().startswith("FastAPI(") && !lhs.empty() &&
        llvm::all_of(lhs, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
      return lhs.str();
  }
  return "";
}

/// A FastAPI app uvicorn runs: in the main module, or in a package
/// (app/main.py: uvicorn runs app.main:app).
void findFastapiApp(llvm::StringRef dir, ProjectFacts &facts) {
  if (llvm::StringRef(facts.mainModule).endswith(".py"))
    if (auto code = readText(dir + "/" + facts.mainModule))
      facts.fastapi = llvm::StringRef(*code).contains("FastAPI(");
  if (facts.fastapi)
    return;
  for (const std::string &copied : facts.copy) {
    llvm::StringRef package(copied);
    if (!package.consume_back("/") || !isPlainName(package))
      continue;
    for (const char *file : {"main.py", "app.py", "server.py", "api.py"}) {
      std::optional<std::string> code = readText(dir + "/" + package + "/" + file);
      std::string variable = code ? fastapiVariable(*code) : "";
      if (variable.empty())
        continue;
      facts.fastapi = true;
      facts.asgiApp = (package + "." + llvm::StringRef(file).drop_back(3) + ":" + variable).str();
      return;
    }
  }
}

/// The Dockerfile's copies as app.copy entries: what the python section
/// installs from is left out, `.` brings the .dockerignore along.
void copiesFromDockerfile(llvm::StringRef dir, ProjectFacts &facts) {
  const DockerfileFacts &d = *facts.dockerfile;
  for (const std::string &copied : d.copied) {
    if (isManifest(facts, dir, copied))
      continue;
    std::string entry = copied != "." && fs::is_directory(dir + "/" + copied) ? copied + "/" : copied;
    if (!dsl::rules::copyPath.check(entry).empty()) {
      facts.notes.push_back("the Dockerfile copies '" + copied + "', which app.copy cannot hold");
      continue;
    }
    facts.copy.push_back(entry);
  }
  if (llvm::is_contained(facts.copy, ".")) {
    facts.copy = {"."};
    std::string ignore = readText(dir + "/.dockerignore").value_or("");
    for (llvm::StringRef line : llvm::split(ignore, '\n')) {
      line = line.trim();
      if (line.empty() || line.startswith("#"))
        continue;
      if (dsl::rules::excludePattern.check(line).empty())
        facts.exclude.push_back(line.str());
      else
        facts.notes.push_back(".dockerignore's '" + line.str() +
                              "' is not in app.exclude (it takes plain patterns only)");
    }
  }
  for (const auto &[context, line] : d.movedCopies)
    if (!isManifest(facts, dir, context) && (llvm::is_contained(facts.copy, context) ||
                                        llvm::is_contained(facts.copy, context + "/")))
      facts.notes.push_back(line + " puts " + context + " elsewhere than under the workdir; the "
                            "spec copies it to the same path under app.workdir: check the paths "
                            "the command uses");
}

/// Whether app.copy already copies context path `file`.
bool isCopied(const ProjectFacts &facts, llvm::StringRef file) {
  return llvm::any_of(facts.copy, [&](llvm::StringRef entry) {
    if (entry == "." || entry == file || entry.rtrim('/') == file)
      return true;
    return entry.endswith("/") && file.startswith(entry);
  });
}

/// The context path a word of the command names, relative to the workdir:
/// a file or folder, a `-m` module, uvicorn's `module:app`; "" for none.
std::string neededPath(llvm::StringRef dir, llvm::StringRef word, llvm::StringRef previous,
                       llvm::StringRef workdir) {
  if (word.startswith("--") && word.contains('='))
    word = word.split('=').second;
  if (word.empty() || word.startswith("-") || word.contains("://"))
    return "";
  bool module = previous == "-m" || (word.contains(':') && !word.startswith("/"));
  if (module) {
    llvm::StringRef top = word.split(':').first.split('.').first;
    if (isPlainName(top) && fs::is_directory(dir + "/" + top))
      return top.str() + "/";
    if (isPlainName(top) && fs::is_regular_file(dir + "/" + top + ".py"))
      return top.str() + ".py";
    return "";
  }
  if (word.startswith("/")) {
    std::string prefix = workdir == "/" ? "/" : workdir.str() + "/";
    if (!word.consume_front(prefix))
      return "";
  }
  std::string clean = readers::cleanContextPath(word);
  if (clean == "." || clean.find("..") != std::string::npos || !exists(dir, clean))
    return "";
  return fs::is_directory(dir + "/" + clean) ? clean + "/" : clean;
}

/// Adds to app.copy what the words of `command` need; an entry script's
/// own words are read too.
void copyNeeded(llvm::StringRef dir, const std::vector<std::string> &command,
                llvm::StringRef workdir, ProjectFacts &facts, int depth = 0) {
  std::vector<std::string> words = command;
  if (words.size() == 3 && words[1] == "-c" && llvm::StringRef(words[0]).endswith("sh"))
    for (const std::vector<std::string> &inner : readers::shellCommands(words[2]))
      words.insert(words.end(), inner.begin(), inner.end());
  for (size_t i = 0; i < words.size(); ++i) {
    std::string needed = neededPath(dir, words[i], i ? words[i - 1] : "", workdir);
    if (needed.empty() || !dsl::rules::copyPath.check(needed).empty())
      continue;
    if (!isCopied(facts, needed)) {
      facts.copy.push_back(needed);
      facts.notes.push_back("app.copy holds " + needed + " because the command needs it");
    }
    if (depth < 2 && llvm::StringRef(needed).endswith(".sh"))
      if (std::optional<std::string> script = readText(dir + "/" + needed))
        for (const std::vector<std::string> &inner : readers::shellCommands(*script))
          copyNeeded(dir, inner, workdir, facts, depth + 1);
  }
}

/// A health route the app's code serves ("/health", "/healthz"), found as a
/// string literal in the Python files it copies.
void findHealthRoute(llvm::StringRef dir, const std::string &entry, ProjectFacts &facts,
                     int depth = 0) {
  std::string file = entry == "." ? "" : llvm::StringRef(entry).rtrim('/').str();
  std::string full = file.empty() ? dir.str() : (dir + "/" + file).str();
  if (fs::is_directory(full) && depth < 3) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(full, ec), end; it != end && !ec; it.increment(ec))
      names.push_back(path::filename(it->path()).str());
    llvm::sort(names);
    for (const std::string &name : names)
      if (!isSkippedDir(name) && name.front() != '.')
        findHealthRoute(dir, file.empty() ? name : file + "/" + name, facts, depth + 1);
    return;
  }
  if (!llvm::StringRef(file).endswith(".py") || !facts.healthRoute.empty())
    return;
  std::optional<std::string> code = readText(full);
  for (const char *route : {"/health", "/healthz", "/api/health", "/v1/health"})
    for (const char *quote : {"\"", "'"})
      if (code && facts.healthRoute.empty() &&
          llvm::StringRef(*code).contains(std::string(quote) + route + quote))
        facts.healthRoute = route;
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

/// An interpreter named by its path in another environment
/// (/opt/conda/bin/python, /usr/local/bin/python3.11) is the venv's own.
void useVenvPython(std::vector<std::string> &command, ProjectFacts &facts) {
  if (command.empty())
    return;
  llvm::StringRef word = command.front();
  llvm::StringRef program = path::filename(word, path::Style::posix);
  if (word.startswith("/") && program.startswith("python")) {
    facts.notes.push_back("the command runs " + word.str() + "; the spec runs " + program.str() +
                          " from the venv at /opt/venv, which holds the packages");
    command.front() = program.str();
  }
}

/// The shell a script's first line names (/bin/sh, /bin/bash, bash), or "".
std::string shebangShell(llvm::StringRef text) {
  llvm::StringRef line = text.split('\n').first;
  if (!line.consume_front("#!"))
    return "";
  llvm::SmallVector<llvm::StringRef, 3> words;
  line.trim().split(words, ' ', -1, /*KeepEmpty=*/false);
  if (words.empty())
    return "";
  llvm::StringRef shell = words.size() > 1 && words[0].endswith("/env") ? words[1] : words[0];
  llvm::StringRef name = path::filename(shell, path::Style::posix);
  return oneOf(name, {"sh", "bash", "dash"}) ? shell.str() : "";
}

/// A word of the command that names a file the Dockerfile copied elsewhere
/// than the spec does (`COPY src/ .` then `python main.py`, an entry script
/// copied to /usr/local/bin) is rewritten to where the spec puts it.
void relocateCommand(std::vector<std::string> &command, bool startsWithProgram,
                     llvm::StringRef dir, const std::string &workdir, ProjectFacts &facts) {
  const readers::ContextPaths &paths = facts.dockerfile->paths;
  for (size_t i = 0; i < command.size(); ++i) {
    llvm::StringRef word = command[i];
    bool program = startsWithProgram && i == 0;
    if (word.empty() || word.startswith("-") || word.contains("://") || word.contains('=') ||
        (i > 0 && command[i - 1] == "-m"))
      continue;
    std::vector<std::string> images;
    if (program && !word.contains('/'))
      for (const char *bin : {"/usr/local/bin/", "/usr/bin/", "/bin/"})
        images.push_back(bin + word.str());
    images.push_back(paths.absolute(word));
    for (const std::string &image : images) {
      std::vector<std::string> candidates = paths.candidates(image);
      auto found = llvm::find_if(candidates, [&](const std::string &c) {
        return fs::is_regular_file(dir + "/" + c);
      });
      if (found == candidates.end())
        continue;
      std::string moved = (workdir == "/" ? "" : workdir) + "/" + *found;
      if (moved == image)
        break;
      bool relative = !word.startswith("/") && !(program && !word.contains('/'));
      std::string replacement = relative ? (program ? "./" : "") + *found : moved;
      facts.notes.push_back("the command's " + word.str() + " is " + replacement +
                            " in the spec, which copies " + *found + " under app.workdir");
      command[i] = replacement;
      std::string shell = program ? shebangShell(readText(dir + "/" + *found).value_or("")) : "";
      if (!shell.empty()) {
        // COPY keeps the mode the file has in the context: a shell runs it
        // whether or not it is executable there.
        command.insert(command.begin(), shell);
        facts.notes.push_back("the entry script " + *found + " runs through " + shell +
                              ", as its first line says, whatever its mode in the build context");
      }
      break;
    }
  }
}

} // namespace

void chooseAppFiles(llvm::StringRef dir, const std::vector<std::string> &files,
                    const std::vector<std::string> &dirs, ProjectFacts &facts) {
  bool fromDockerfile = facts.dockerfile && !facts.dockerfile->copied.empty();
  if (fromDockerfile)
    copiesFromDockerfile(dir, facts);
  else
    findAppFiles(dir, files, dirs, facts);
  findMainModule(dir, files, dirs, facts);
  if (facts.uvicorn)
    findFastapiApp(dir, facts);
  if (facts.dockerfile) {
    facts.cmd = facts.dockerfile->cmd;
    facts.entrypoint = facts.dockerfile->entrypoint;
    facts.ports = facts.dockerfile->ports;
  }
  if (facts.ports.empty() && facts.fastapi)
    facts.ports.push_back(8000);
  if (facts.cmd.empty() && facts.entrypoint.empty())
    facts.cmd = defaultCommand(facts, facts.ports.empty() ? 8000 : facts.ports.front());
  useVenvPython(facts.entrypoint, facts);
  useVenvPython(facts.cmd, facts);
  std::string workdir = facts.dockerfile && !facts.dockerfile->workdir.empty()
                            ? facts.dockerfile->workdir
                            : "/app";
  if (facts.dockerfile) {
    relocateCommand(facts.entrypoint, true, dir, workdir, facts);
    relocateCommand(facts.cmd, facts.entrypoint.empty(), dir, workdir, facts);
  }
  copyNeeded(dir, facts.entrypoint, workdir, facts);
  copyNeeded(dir, facts.cmd, workdir, facts);
  if (facts.dockerfile && facts.dockerfile->healthcheck)
    copyNeeded(dir, facts.dockerfile->healthcheck->cmd, workdir, facts);
  if (!llvm::is_contained(facts.copy, "."))
    llvm::sort(facts.copy);
  for (const std::string &entry : facts.copy)
    findHealthRoute(dir, entry, facts);
}

} // namespace imageplan::init
