// What a starter spec must keep of the Dockerfile `imageplan init` read,
// checked on the Dockerfile `gen` writes from it rather than on the spec's
// bytes (init.sh runs it after the golden comparison):
//   1. the spec's comments name the Dockerfile that was read;
//   2. the generated final image starts from the same base image;
//   3. it installs every system package the original's final image installs,
//      and some stage installs every package the original's other stages
//      install, unless the spec's comments name the package;
//   4. every file its ENTRYPOINT and CMD name (a project file or folder, a
//      `-m` module, uvicorn's `module:app`, the words of an entry script they
//      run) is copied into it;
//   5. it keeps the original's WORKDIR, USER, EXPOSE, HEALTHCHECK and ENV names;
//   6. each RUN of the original with a command that is not a package install,
//      a Python install or housekeeping is named in the comments by
//      `FILE:LINE` (a Makefile's recipe line for `make`), as is each VOLUME,
//      STOPSIGNAL, SHELL and ONBUILD.
// usage: imageplan_init_properties PROJECT GENERATED [ORIGINAL]
//   PROJECT holds imageplan.yaml; ORIGINAL is context-relative.
#include "readers/ContextPaths.h"
#include "readers/Diagnostics.h"
#include "readers/DockerfileParser.h"
#include "readers/Makefile.h"
#include "readers/ShellWords.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace imageplan::readers;

namespace {

using Words = std::vector<std::string>;

// Programs whose work the spec does itself, or that change nothing kept.
const std::set<std::string> kCarried = {
    "apt-get", "apt", "apk", "dnf", "yum", "microdnf", "pip", "pip3", "uv", "poetry",
    "useradd", "groupadd", "adduser", "addgroup", "usermod", "rm", "mkdir", "chown", "cd",
    "echo", "export", "set", "true", ":", "test", "[", "ldconfig", "virtualenv", "printf",
    "fi", "then", "if", "else", "exit", "exec", "sync", "ln"};
const std::set<std::string> kManagedEnv = {
    "PATH", "VIRTUAL_ENV", "DEBIAN_FRONTEND", "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK",
    "UV_COMPILE_BYTECODE", "UV_LINK_MODE", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON_DOWNLOADS",
    "POETRY_VIRTUALENVS_CREATE", "POETRY_NO_INTERACTION", "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED", "LANG", "LC_ALL"};

int failures = 0;
void fail(const std::string &message) {
  llvm::errs() << "FAIL: " << message << "\n";
  ++failures;
}

std::optional<std::string> readText(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return std::nullopt;
  return (*buffer)->getBuffer().str();
}

std::string baseName(llvm::StringRef path) {
  size_t slash = path.rfind('/');
  return path.substr(slash == llvm::StringRef::npos ? 0 : slash + 1).str();
}

struct Parsed {
  std::string text;
  std::string printed;
  llvm::raw_string_ostream os{printed};
  DiagnosticEngine diags{os};
  std::optional<Dockerfile> file;
};

bool parse(const std::string &path, Parsed &out) {
  std::optional<std::string> text = readText(path);
  if (!text) {
    fail("cannot read " + path);
    return false;
  }
  unsigned id = out.diags.addBuffer(*text, path);
  llvm::Expected<Dockerfile> file = parseDockerfile(out.diags, id);
  if (!file) {
    llvm::consumeError(file.takeError());
    fail("cannot parse " + path + ": " + out.os.str());
    return false;
  }
  out.file = std::move(*file);
  return true;
}

/// The final stage and those it derives from, from the root.
std::vector<const DockerfileStage *> finalChain(const Dockerfile &file) {
  std::vector<const DockerfileStage *> chain;
  for (int s = static_cast<int>(file.stages.size()) - 1; s >= 0; s = file.stages[s].baseStage)
    chain.insert(chain.begin(), &file.stages[s]);
  return chain;
}

/// The stages the final image copies or mounts from, with theirs.
void sourcesOf(const Dockerfile &file, int stage, std::set<int> &out) {
  for (int s = stage; s >= 0; s = file.stages[s].baseStage)
    for (const DockerfileInstruction &inst : file.stages[s].instructions) {
      std::vector<int> from;
      if (inst.copy && inst.copy->from.stage >= 0)
        from.push_back(inst.copy->from.stage);
      for (const DockerfileMount &mount : inst.mounts)
        if (mount.from.stage >= 0)
          from.push_back(mount.from.stage);
      for (int f : from)
        if (out.insert(f).second)
          sourcesOf(file, f, out);
    }
}

Words withoutPrefix(Words words) {
  while (!words.empty() && (words.front() == "sudo" || words.front() == "env" ||
                            (words.front().find('=') != std::string::npos &&
                             words.front().front() != '-')))
    words.erase(words.begin());
  return words;
}

/// The commands a RUN runs, each with where it is written: the RUN itself,
/// or a Makefile recipe line for `make`.
struct Command {
  Words words;
  std::string where;
};

void expandRun(llvm::StringRef script, const std::string &where, const ContextPaths &paths,
               const std::string &project, std::vector<Command> &out) {
  for (Words words : shellCommands(script)) {
    words = withoutPrefix(words);
    if (words.empty())
      continue;
    if (baseName(words.front()) != "make") {
      out.push_back({words, where});
      continue;
    }
    std::string directory, makefile;
    Words goals = makeGoals(Words(words.begin() + 1, words.end()), directory, makefile);
    std::string context;
    for (const std::string &candidate :
         paths.candidates((directory.empty() ? "" : directory + "/") + "Makefile"))
      if (context.empty() && llvm::sys::fs::is_regular_file(project + "/" + candidate))
        context = candidate;
    std::optional<std::string> text = context.empty() ? std::nullopt
                                                      : readText(project + "/" + context);
    if (!text) {
      out.push_back({words, where});
      continue;
    }
    Makefile parsed = parseMakefile(*text);
    if (goals.empty())
      goals.push_back(parsed.defaultTarget());
    for (const std::string &goal : goals)
      for (const MakeCommand &command : parsed.commandsFor(goal))
        expandRun(command.text, context + ":" + std::to_string(command.line), paths, project,
                  out);
  }
}

std::vector<Command> runCommands(const DockerfileInstruction &run, const std::string &where,
                                 const ContextPaths &paths, const std::string &project) {
  std::vector<Command> out;
  if (run.jsonForm) {
    out.push_back({withoutPrefix(run.args), where});
    return out;
  }
  std::string script = run.text;
  for (const DockerfileHeredoc &heredoc : run.heredocs)
    script += "\n" + heredoc.body;
  expandRun(script, where, paths, project, out);
  return out;
}

/// The packages a command installs with a system package manager.
Words packagesOf(const Words &words) {
  if (words.empty())
    return {};
  std::string program = baseName(words.front());
  bool apt = program == "apt-get" || program == "apt";
  bool other = program == "apk" || program == "dnf" || program == "yum" || program == "microdnf";
  if (!apt && !other)
    return {};
  Words packages;
  std::string sub;
  for (size_t i = 1; i < words.size(); ++i) {
    llvm::StringRef word = words[i];
    if (word == "-o" || word == "-t" || word == "--setopt") {
      ++i;
      continue;
    }
    if (word.startswith("-"))
      continue;
    if (sub.empty())
      sub = word.str();
    else if (sub == "install" || sub == "add")
      packages.push_back(word.str());
  }
  return packages;
}

struct Image {
  std::set<std::string> finalPackages, anyPackages, env, ports;
  std::string base, workdir, user;
  bool healthcheck = false;
  Words entrypoint, cmd;
  ContextPaths paths; // of the final stage, at its end
};

Image readImage(const Dockerfile &file, const std::string &path, const std::string &project,
                std::vector<Command> *runs, std::vector<std::string> *others) {
  Image image;
  std::vector<const DockerfileStage *> chain = finalChain(file);
  image.base = chain.front()->base;
  std::set<int> sources;
  sourcesOf(file, static_cast<int>(file.stages.size()) - 1, sources);
  for (size_t s = 0; s < file.stages.size(); ++s) {
    bool final = llvm::is_contained(chain, &file.stages[s]);
    if (!final && !sources.count(static_cast<int>(s)))
      continue;
    ContextPaths paths;
    for (const DockerfileInstruction &inst : file.stages[s].instructions) {
      std::string where = path + ":" + std::to_string(inst.line);
      const std::string &k = inst.keyword;
      if (k == "RUN")
        for (const Command &command : runCommands(inst, where, paths.withMounts(inst), project)) {
          for (const std::string &package : packagesOf(command.words)) {
            (final ? image.finalPackages : image.anyPackages).insert(package);
            image.anyPackages.insert(package);
          }
          if (runs)
            runs->push_back(command);
        }
      if (others && (k == "VOLUME" || k == "STOPSIGNAL" || k == "SHELL" || k == "ONBUILD"))
        others->push_back(where);
      paths.apply(inst);
      if (!final)
        continue;
      if (k == "USER" && !inst.args.empty())
        image.user = llvm::StringRef(inst.args.front()).split(':').first.str();
      else if (k == "EXPOSE")
        for (const std::string &port : inst.args)
          image.ports.insert(llvm::StringRef(port).split('/').first.str());
      else if (k == "ENV")
        for (const auto &[name, value] : inst.assignments)
          image.env.insert(name);
      else if (k == "HEALTHCHECK")
        image.healthcheck = !llvm::StringRef(inst.text).trim().equals_insensitive("NONE");
      else if (k == "ENTRYPOINT" && inst.jsonForm) {
        image.entrypoint = inst.args;
        image.cmd.clear();
      } else if (k == "CMD" && inst.jsonForm)
        image.cmd = inst.args;
    }
    if (final)
      image.paths = paths;
  }
  image.workdir = image.paths.workdir;
  return image;
}

/// The spec's comment lines, joined: all of them, or only those after the
/// "Not carried" and "To review:" headings, which say what was left out
/// (the "Detected:" lines only report what was found).
std::string commentsOf(const std::string &spec, bool leftOutOnly) {
  std::string comments;
  bool leftOut = false;
  for (llvm::StringRef line : llvm::split(spec, '\n')) {
    if (!line.ltrim().startswith("#"))
      continue;
    if (line.startswith("# Not carried") || line.startswith("# To review:"))
      leftOut = true;
    else if (line.startswith("# Detected:"))
      leftOut = false;
    if (leftOut || !leftOutOnly)
      comments += line.str() + "\n";
  }
  return comments;
}

bool covered(const Image &image, const std::string &project, const std::string &imagePath) {
  return llvm::any_of(image.paths.candidates(imagePath), [&](const std::string &candidate) {
    return llvm::sys::fs::exists(project + "/" + candidate);
  });
}

/// Check 4 for the words of one command.
void checkNeeded(const Image &image, const std::string &project, const Words &words, int depth) {
  for (size_t i = 0; i < words.size(); ++i) {
    llvm::StringRef word = words[i];
    if (word.startswith("--") && word.contains('='))
      word = word.split('=').second;
    if (word.empty() || word.startswith("-") || word.contains("://"))
      continue;
    bool module = (i > 0 && words[i - 1] == "-m") || (word.contains(':') && !word.startswith("/"));
    if (module) {
      std::string top = word.split(':').first.split('.').first.str();
      for (const std::string &candidate : {top, top + ".py"})
        if (llvm::sys::fs::exists(project + "/" + candidate) &&
            !covered(image, project, image.paths.absolute(candidate)))
          fail("the command's module " + word.str() + " (" + candidate + ") is not copied");
      continue;
    }
    std::string imagePath = image.paths.absolute(word);
    std::string prefix = image.workdir == "/" ? "/" : image.workdir + "/";
    if (!llvm::StringRef(imagePath).startswith(prefix))
      continue;
    std::string context = imagePath.substr(prefix.size());
    if (context.empty() || !llvm::sys::fs::exists(project + "/" + context))
      continue;
    if (!covered(image, project, imagePath))
      fail("the command names " + word.str() + " (" + context + "), which is not copied");
    if (depth < 2 && llvm::StringRef(context).endswith(".sh"))
      for (const Words &inner : shellCommands(readText(project + "/" + context).value_or("")))
        checkNeeded(image, project, inner, depth + 1);
  }
}

void checkCommand(const Image &image, const std::string &project) {
  for (const Words *command : {&image.entrypoint, &image.cmd}) {
    Words words = *command;
    if (words.size() == 3 && words[1] == "-c")
      for (const Words &inner : shellCommands(words[2]))
        words.insert(words.end(), inner.begin(), inner.end());
    checkNeeded(image, project, words, 0);
  }
}

bool isPythonPackage(llvm::StringRef name) {
  name = name.split('=').first;
  return name.startswith("python") || name.startswith("py3-pip");
}

void checkKept(const Image &original, const Image &generated, const std::string &comments) {
  if (generated.base != original.base)
    fail("the generated final image starts from " + generated.base + ", the Dockerfile's from " +
         original.base);
  for (const std::string &package : original.finalPackages)
    if (!isPythonPackage(package) && !generated.finalPackages.count(package) &&
        comments.find(package) == std::string::npos)
      fail("the Dockerfile's final image installs " + package + "; the generated one does not");
  for (const std::string &package : original.anyPackages)
    if (!original.finalPackages.count(package) && !isPythonPackage(package) &&
        !generated.anyPackages.count(package) &&
        comments.find(package) == std::string::npos)
      fail("the Dockerfile installs " + package + " in a stage it copies from; no generated "
                                                 "stage does");
  if (original.workdir != "/" && generated.workdir != original.workdir)
    fail("WORKDIR is " + generated.workdir + ", the Dockerfile's " + original.workdir);
  std::string user = original.user.empty() || original.user == "0" ? "root" : original.user;
  std::string generatedUser = generated.user.empty() ? "root" : generated.user;
  bool uid = llvm::all_of(user, llvm::isDigit); // a uid the spec cannot name: a comment says so
  if (!uid && generatedUser != user)
    fail("the image runs as " + generatedUser + ", the Dockerfile's as " + user);
  for (const std::string &port : original.ports)
    if (!generated.ports.count(port))
      fail("port " + port + " is not exposed");
  if (original.healthcheck && !generated.healthcheck)
    fail("the Dockerfile's HEALTHCHECK is lost");
  for (const std::string &name : original.env)
    if (!kManagedEnv.count(name) && !generated.env.count(name))
      fail("ENV " + name + " is lost");
}

void checkComments(const std::vector<Command> &runs, const std::vector<std::string> &others,
                   const std::string &comments, bool nodeStage) {
  std::set<std::string> needed;
  for (const Command &command : runs) {
    std::string program = baseName(command.words.front());
    // A Node build the spec's own stage does (init's stages: for a frontend).
    if (nodeStage && (program == "npm" || program == "yarn" || program == "pnpm"))
      continue;
    bool pythonTool = llvm::StringRef(program).startswith("python") && command.words.size() > 2 &&
                      command.words[1] == "-m" &&
                      (command.words[2] == "pip" || command.words[2] == "venv");
    if (!kCarried.count(program) && !pythonTool)
      needed.insert(command.where);
  }
  needed.insert(others.begin(), others.end());
  for (const std::string &where : needed)
    if (comments.find(where + ":") == std::string::npos)
      fail("the spec's comments do not say what init could not carry from " + where);
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    llvm::errs() << "usage: imageplan_init_properties PROJECT GENERATED [ORIGINAL]\n";
    return 2;
  }
  std::string project = argv[1];
  std::optional<std::string> spec = readText(project + "/imageplan.yaml");
  Parsed generatedFile;
  if (!spec || !parse(argv[2], generatedFile))
    return 1;
  std::string comments = commentsOf(*spec, /*leftOutOnly=*/true);
  Image generated = readImage(*generatedFile.file, "generated", project, nullptr, nullptr);
  checkCommand(generated, project);
  if (argc == 4) {
    std::string original = argv[3];
    if (commentsOf(*spec, false).find("#   - " + original + ", whose final stage") ==
        std::string::npos)
      fail("the spec's comments do not say that init read " + original);
    Parsed originalFile;
    if (!parse(project + "/" + original, originalFile))
      return 1;
    std::vector<Command> runs;
    std::vector<std::string> others;
    Image image = readImage(*originalFile.file, original, project, &runs, &others);
    checkKept(image, generated, comments);
    bool nodeStage = llvm::any_of(generatedFile.file->stages, [](const DockerfileStage &stage) {
      return llvm::StringRef(stage.base).startswith("node:");
    });
    checkComments(runs, others, comments, nodeStage);
  }
  if (failures == 0)
    llvm::outs() << "ok: the starter spec keeps what " << (argc == 4 ? argv[3] : "the project")
                 << " does\n";
  return failures ? 1 : 0;
}
