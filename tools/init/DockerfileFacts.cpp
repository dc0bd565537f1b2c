// What init takes from the Dockerfile it reads, as readers/' parser reads it
// (the parser `imageplan score` uses): directives, continuations, heredocs and
// ARGs in FROM are BuildKit's. The final image is the last stage and the
// stages it derives from, read in order; the stages it copies from are its
// builders, read for what they install. Every instruction is carried into the
// facts or becomes a line of DockerfileFacts::notCarried.
#include "tools/init/RunFacts.h"
#include "tools/init/ScanSteps.h"

#include "dsl/ValueRules.h"
#include "readers/ShellWords.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <set>

namespace imageplan::init {
namespace {

namespace fs = llvm::sys::fs;

/// Environment the spec sets itself, or that only matters while building.
constexpr llvm::StringLiteral kManagedEnv[] = {
    "PATH", "VIRTUAL_ENV", "DEBIAN_FRONTEND", "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK",
    "UV_COMPILE_BYTECODE", "UV_LINK_MODE", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON_DOWNLOADS",
    "POETRY_VIRTUALENVS_CREATE", "POETRY_NO_INTERACTION", "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED", "LANG", "LC_ALL"};

/// `[/bin/sh, -c, TEXT]` for a shell form, or its plain words when it has no
/// shell syntax at all.
std::vector<std::string> commandOf(const readers::DockerfileInstruction &inst) {
  if (inst.jsonForm)
    return inst.args;
  llvm::StringRef text = inst.text;
  bool plain = text.find_first_of("$;&|<>()`'\"\\*?~#{}[]=") == llvm::StringRef::npos;
  std::vector<std::vector<std::string>> commands = readers::shellCommands(text);
  if (plain && commands.size() == 1)
    return commands.front();
  return {"/bin/sh", "-c", text.str()};
}

/// An HTTP probe of 127.0.0.1 or localhost in a health check's command: its
/// path and port.
bool readHttpProbe(llvm::StringRef text, HealthcheckFacts &check) {
  size_t at = text.find("http://");
  if (at == llvm::StringRef::npos)
    return false;
  llvm::StringRef url = text.substr(at).take_until([](char c) {
    return c == ' ' || c == '\'' || c == '"' || c == ')' || c == '|' || c == ';';
  });
  llvm::StringRef rest = url.drop_front(7);
  llvm::StringRef host = rest.take_until([](char c) { return c == '/' || c == ':'; });
  if (!oneOf(host, {"localhost", "127.0.0.1", "0.0.0.0", "[::1]"}))
    return false;
  rest = rest.drop_front(host.size());
  unsigned port = 0;
  if (rest.consume_front(":")) {
    llvm::StringRef digits = rest.take_while(llvm::isDigit);
    if (digits.getAsInteger(10, port) || port == 0 || port > 65535)
      return false;
    rest = rest.drop_front(digits.size());
  }
  check.http = rest.empty() ? "/" : rest.str();
  check.port = static_cast<int>(port);
  return dsl::rules::healthUrl.check(check.http).empty();
}

std::optional<HealthcheckFacts> readHealthcheck(const readers::DockerfileInstruction &inst,
                                                bool &none) {
  llvm::StringRef text = llvm::StringRef(inst.text).trim();
  if (text.equals_insensitive("NONE")) {
    none = true;
    return std::nullopt;
  }
  if (!text.consume_front("CMD") && !text.consume_front("cmd"))
    return std::nullopt;
  text = text.trim();
  HealthcheckFacts check;
  for (const readers::DockerfileFlag &flag : inst.flags) {
    if (flag.name == "interval")
      check.interval = flag.value;
    else if (flag.name == "timeout")
      check.timeout = flag.value;
    else if (flag.name == "start-period")
      check.startPeriod = flag.value;
    else if (flag.name == "retries")
      (void)llvm::StringRef(flag.value).getAsInteger(10, check.retries);
  }
  if (readHttpProbe(text, check))
    return check;
  if (text.startswith("[")) {
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
    if (json && json->getAsArray())
      for (const llvm::json::Value &item : *json->getAsArray())
        if (auto word = item.getAsString())
          check.cmd.push_back(word->str());
    if (!json)
      llvm::consumeError(json.takeError());
  }
  if (check.cmd.empty())
    check.cmd = {"/bin/sh", "-c", text.str()};
  return check;
}

class FactsReader {
public:
  FactsReader(const readers::Dockerfile &file, llvm::StringRef path, llvm::StringRef dir)
      : file(file), path(path.str()), dir(dir.str()) {}

  DockerfileFacts read() {
    facts.path = path;
    std::vector<int> chain;
    for (int s = shippedStage(file); s >= 0; s = file.stages[s].baseStage)
      chain.insert(chain.begin(), s);
    facts.base = file.stages[chain.front()].base;
    std::set<int> builders;
    for (int s : chain)
      collectSources(s, builders);
    for (int s : chain)
      builders.erase(s);
    for (size_t s = 0; s < file.stages.size(); ++s)
      if (isNodeStage(file.stages[s]))
        facts.buildsNode = true;
    for (int s : builders)
      readStage(s, /*builder=*/true);
    for (int s : chain)
      readStage(s, /*builder=*/false);
    facts.paths = finalPaths;
    for (size_t s = 0; s < file.stages.size(); ++s)
      if (!builders.count(static_cast<int>(s)) && !llvm::is_contained(chain, static_cast<int>(s)))
        facts.notCarried.push_back(where(file.stages[s].line) + ": the stage " +
                                   file.stages[s].label(s) +
                                   " is not part of the final image: not read");
    return std::move(facts);
  }

private:
  std::string where(unsigned line) const { return path + ":" + std::to_string(line); }


  bool isNodeStage(const readers::DockerfileStage &stage) const {
    return llvm::StringRef(stage.base).startswith("node:") ||
           llvm::StringRef(stage.base).startswith("node@") || stage.base == "node";
  }

  /// The stages `stage` copies or mounts from, and theirs, with the stages
  /// each derives from.
  void collectSources(int stage, std::set<int> &out) const {
    for (int s = stage; s >= 0; s = file.stages[s].baseStage) {
      for (const readers::DockerfileInstruction &inst : file.stages[s].instructions) {
        std::vector<int> sources;
        if (inst.copy && inst.copy->from.stage >= 0)
          sources.push_back(inst.copy->from.stage);
        for (const readers::DockerfileMount &mount : inst.mounts)
          if (mount.from.stage >= 0)
            sources.push_back(mount.from.stage);
        for (int source : sources)
          for (int base = source; base >= 0; base = file.stages[base].baseStage)
            if (out.insert(base).second)
              collectSources(base, out);
      }
    }
  }

  void readStage(int index, bool builder) {
    const readers::DockerfileStage &stage = file.stages[index];
    readers::ContextPaths &paths = builder ? builderPaths : finalPaths;
    if (builder)
      paths = readers::ContextPaths();
    bool node = isNodeStage(stage);
    for (const readers::DockerfileInstruction &inst : stage.instructions) {
      if (inst.keyword == "RUN")
        readRun(inst, {where(inst.line), builder, node, paths.withMounts(inst), dir}, facts);
      else if (!builder)
        finalInstruction(inst, paths); // a builder's other instructions only serve its RUNs
      size_t before = paths.copies.size();
      paths.apply(inst);
      for (size_t i = before; i < paths.copies.size(); ++i)
        paths.copies[i].contextPath = inContext(paths.copies[i].contextPath);
    }
  }

  void finalInstruction(const readers::DockerfileInstruction &inst,
                        const readers::ContextPaths &paths) {
    const std::string &k = inst.keyword;
    if (k == "WORKDIR" && !inst.args.empty())
      facts.workdir = paths.absolute(inst.args.front());
    else if (k == "USER" && !inst.args.empty())
      facts.user = llvm::StringRef(inst.args.front()).split(':').first.str();
    else if (k == "ENV")
      env(inst);
    else if (k == "LABEL")
      labels(inst);
    else if (k == "EXPOSE")
      ports(inst);
    else if (k == "HEALTHCHECK")
      facts.healthcheck = readHealthcheck(inst, facts.noHealthcheck);
    else if (k == "CMD")
      facts.cmd = commandOf(inst);
    else if (k == "ENTRYPOINT") {
      facts.entrypoint = commandOf(inst);
      facts.cmd.clear(); // Docker resets an inherited CMD when ENTRYPOINT is set
    } else if (inst.copy)
      copy(inst, paths);
    else if (k != "ARG")
      facts.notCarried.push_back(where(inst.line) + ": " + k + " " + readers::oneLine(inst.text) +
                                 ": not carried");
  }

  void env(const readers::DockerfileInstruction &inst) {
    for (const auto &assignment : inst.assignments) {
      const std::string &name = assignment.first;
      if (llvm::is_contained(kManagedEnv, llvm::StringRef(name)))
        continue;
      llvm::erase_if(facts.env, [&](const auto &pair) { return pair.first == name; });
      facts.env.push_back({name, assignment.second});
    }
  }

  void labels(const readers::DockerfileInstruction &inst) {
    for (const std::string &word : inst.args) {
      auto [key, value] = llvm::StringRef(word).split('=');
      if (key == "org.opencontainers.image.title" || key == "org.opencontainers.image.base.name")
        continue; // imageplan sets them from the spec's name and base
      if (dsl::rules::labelKey.check(key).empty() && word.find('=') != std::string::npos)
        facts.labels.push_back({key.str(), value.str()});
      else
        facts.notCarried.push_back(where(inst.line) + ": LABEL " + readers::oneLine(word) +
                                   ": not carried");
    }
  }

  void ports(const readers::DockerfileInstruction &inst) {
    for (llvm::StringRef word : inst.args) {
      unsigned port = 0;
      if (!word.split('/').first.getAsInteger(10, port) && port > 0 && port < 65536)
        facts.ports.push_back(static_cast<int>(port));
      else
        facts.notCarried.push_back(where(inst.line) + ": EXPOSE " + word.str() +
                                   ": not carried");
    }
  }

  void copy(const readers::DockerfileInstruction &inst, const readers::ContextPaths &paths);

  /// A COPY source as a path of the project: the project folder is the build
  /// context, but a Dockerfile in a subfolder may be built with that folder
  /// as its context (`docker build docker/`): a source found only there is
  /// read from there.
  std::string inContext(const std::string &source) {
    std::string folder = llvm::sys::path::parent_path(path, llvm::sys::path::Style::posix).str();
    if (folder.empty() || fs::exists(dir + "/" + source))
      return source;
    std::string inFolder = source == "." ? folder : folder + "/" + source;
    if (!fs::exists(dir + "/" + inFolder))
      return source;
    std::string note = path + " copies files of " + folder + "/ as if it were the build context: "
                       "the spec's paths start with " + folder + "/";
    if (!llvm::is_contained(facts.notes, note))
      facts.notes.push_back(note);
    return inFolder;
  }

  /// `COPY [--chmod=MODE] <<EOF /path`: a file of the spec's `files:`.
  void inlineFile(const readers::DockerfileInstruction &inst, const readers::ContextPaths &paths,
                  const std::string &text) {
    const readers::DockerfileCopy &copy = *inst.copy;
    InlineFileFacts file;
    if (copy.heredocSources == 1 && copy.sources.empty() && inst.heredocs.size() == 1) {
      const readers::DockerfileHeredoc &heredoc = inst.heredocs.front();
      file.path = paths.absolute(llvm::StringRef(copy.dest).endswith("/")
                                     ? copy.dest + heredoc.name
                                     : copy.dest);
      file.content = heredoc.body;
      for (const readers::DockerfileFlag &flag : inst.flags)
        if (flag.name == "chmod")
          file.mode = flag.value;
    }
    bool valid = !file.path.empty() && dsl::rules::imagePath.check(file.path).empty() &&
                 (file.mode.empty() || dsl::rules::fileMode.check(file.mode).empty()) &&
                 !llvm::StringRef(file.content).trim().empty() &&
                 llvm::none_of(file.content, [](char c) {
                   return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t';
                 });
    if (valid)
      facts.files.push_back(std::move(file));
    else
      facts.notCarried.push_back(where(inst.line) + ": " + text + ": not carried");
  }

  const readers::Dockerfile &file;
  std::string path, dir;
  DockerfileFacts facts;
  readers::ContextPaths finalPaths, builderPaths;
};

void FactsReader::copy(const readers::DockerfileInstruction &inst,
                       const readers::ContextPaths &paths) {
  const readers::DockerfileCopy &copy = *inst.copy;
  std::string text = inst.keyword + " " + readers::oneLine(inst.text);
  if (copy.heredocSources > 0) {
    inlineFile(inst, paths, text);
    return;
  }
  if (copy.from.stage >= 0)
    return; // a builder's output: what the builder installs is carried
  if (!copy.from.isContext()) {
    bool intoDirectory = copy.sources.size() > 1 || llvm::StringRef(copy.dest).endswith("/");
    for (const std::string &source : copy.sources) {
      std::string to = paths.absolute(copy.dest);
      if (intoDirectory)
        to = paths.absolute(to + "/" + llvm::sys::path::filename(source, llvm::sys::path::Style::posix).str());
      facts.artifacts.push_back({copy.from.name, source, to});
    }
    return;
  }
  readers::ContextPaths after = paths;
  after.apply(inst);
  // The spec copies each path to the same path under its workdir.
  std::string workdir = paths.workdir == "/" ? "" : paths.workdir;
  for (size_t i = paths.copies.size(); i < after.copies.size(); ++i) {
    const readers::ContextCopy &c = after.copies[i];
    std::string same = c.contextPath == "." ? paths.workdir : workdir + "/" + c.contextPath;
    std::string landed = c.intoDirectory ? c.imagePath + "/" +
                                               llvm::sys::path::filename(c.contextPath, llvm::sys::path::Style::posix).str()
                                         : c.imagePath;
    if (landed != same)
      facts.movedCopies.push_back({c.contextPath, where(inst.line) + ": " + text});
  }
  for (const std::string &source : copy.sources) {
    llvm::StringRef s(source);
    if (s.contains("://") || s.startswith("git@")) {
      facts.notCarried.push_back(where(inst.line) + ": " + text +
                                 ": not carried (a download; an artifact or a step can fetch it)");
      continue;
    }
    std::string context = inContext(readers::cleanContextPath(s));
    if (!llvm::is_contained(facts.copied, context))
      facts.copied.push_back(context);
  }
}

} // namespace

int shippedStage(const readers::Dockerfile &file) {
  for (int s = static_cast<int>(file.stages.size()) - 1; s >= 0; --s)
    if (!oneOf(file.stages[s].name,
               {"test", "tests", "testing", "dev", "development", "lint", "ci", "debug"}))
      return s;
  return static_cast<int>(file.stages.size()) - 1;
}

DockerfileFacts readDockerfile(const readers::Dockerfile &file, llvm::StringRef path,
                               llvm::StringRef dir) {
  return FactsReader(file, path, dir).read();
}

} // namespace imageplan::init
