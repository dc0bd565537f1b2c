// The Dockerfile parser: logical lines (DockerfileLines.h) -> typed
// instructions grouped into stages, with ARG/ENV expansion and --from
// references resolved. Each problem is reported at its location
// and parsing goes on, so one run shows every error.
#include "readers/DockerfileParser.h"

#include "readers/DockerfileKeywords.h"
#include "readers/DockerfileLines.h"
#include "readers/DockerfileWords.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

namespace imageplan::readers {

std::string DockerfileStage::label(size_t index) const {
  return name.empty() ? std::to_string(index) : name;
}

namespace {

/// Variables in scope: ARG and ENV values in declaration order; the last
/// assignment of a name wins.
struct Scope {
  llvm::StringMap<std::optional<std::string>> vars; // the last assignment of each name
  std::vector<std::pair<std::string, std::string>> env; // ENV only: what a derived stage inherits

  void assign(llvm::StringRef name, std::optional<std::string> value) {
    vars[name] = std::move(value);
  }
  std::optional<std::string> lookup(llvm::StringRef name) const {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : it->second;
  }
};

class Reader {
public:
  Reader(DiagnosticEngine &diags, unsigned bufferId)
      : diags(diags), lines(diags.sourceMgr().getMemoryBuffer(bufferId)->getBuffer()) {}

  llvm::Expected<Dockerfile> read() {
    auto report = [this](llvm::SMLoc loc, const llvm::Twine &message) { error(loc, message); };
    lines.readDirectives(file, report);
    LogicalLine line;
    while (lines.nextLogicalLine(line, file.escape))
      instruction(line);
    if (file.stages.empty() && errors == 0)
      error(lines.end(), "no FROM instruction; a Dockerfile needs at least one stage");
    resolveSourceRefs();
    if (errors)
      return diagnosticsReported(errors);
    return std::move(file);
  }

private:
  void error(llvm::SMLoc loc, const llvm::Twine &message) {
    diags.error(loc, message);
    ++errors;
  }

  Scope &scope() { return scopes.empty() ? globalScope : scopes.back(); }

  /// Splits `text` (at `offset` in `line`), expanding variables from
  /// `variables` unless it is null.
  std::optional<std::vector<DockerfileWord>> words(const LogicalLine &line, size_t offset,
                                                   llvm::StringRef text, const Scope *variables,
                                                   size_t maxWords = SIZE_MAX) {
    WordError wordError;
    bool expand = variables != nullptr;
    const Scope &current = expand ? *variables : globalScope;
    auto lookup = [&](llvm::StringRef name) { return current.lookup(name); };
    auto result = expand ? splitWords(text, file.escape, lookup, wordError, maxWords)
                         : splitWords(text, file.escape, nullptr, wordError, maxWords);
    if (!result)
      error(line.locAt(offset + wordError.offset), wordError.message);
    return result;
  }

  void instruction(const LogicalLine &line) {
    llvm::StringRef text = line.text;
    size_t keywordEnd = std::min(text.find_first_of(" \t"), text.size());
    llvm::StringRef keyword = text.take_front(keywordEnd);
    DockerfileInstruction inst;
    inst.keyword = keyword.upper();
    inst.loc = line.locAt(0);
    inst.line = line.line;
    if (!isInstruction(inst.keyword)) {
      std::vector<llvm::StringRef> names = instructionNames();
      std::string suggestion = closestMatch(keyword, names);
      error(inst.loc, "unknown instruction '" + keyword + "'" +
                          (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
      return;
    }
    size_t argsStart = std::min(text.find_first_not_of(" \t", keywordEnd), text.size());
    llvm::StringRef args = text.substr(argsStart).rtrim(" \t");
    bool json = takesJson(inst.keyword) && args.startswith("[");
    if ((inst.keyword == "RUN" || inst.keyword == "COPY" || inst.keyword == "ADD") && !json)
      lines.readHeredocs(line, argsStart, file.escape, inst.heredocs,
                         [this](llvm::SMLoc loc, const llvm::Twine &message) { error(loc, message); });

    if (file.stages.empty() && inst.keyword != "FROM" && inst.keyword != "ARG") {
      error(inst.loc, inst.keyword + " comes before the first FROM; only ARG may");
      return;
    }
    size_t pos = 0;
    if (!readFlags(line, args, argsStart, inst, pos) ||
        !readArguments(line, args, argsStart, pos, inst))
      return;

    if (inst.keyword == "FROM")
      return from(std::move(inst));
    if (inst.keyword == "ARG")
      arg(inst);
    else if (inst.keyword == "ENV")
      env(inst);
    else if (inst.keyword == "COPY" || inst.keyword == "ADD")
      copy(inst);
    else if (inst.keyword == "RUN")
      run(inst);
    if (file.stages.empty())
      file.globalArgs.push_back(std::move(inst));
    else
      file.stages.back().instructions.push_back(std::move(inst));
  }

  /// The scope an instruction's words expand from; FROM sees only the ARGs
  /// declared before the first FROM. Null: no expansion.
  const Scope *variablesFor(llvm::StringRef keyword) {
    if (keyword == "FROM")
      return &globalScope;
    return expandsVariables(keyword) ? &scope() : nullptr;
  }

  /// The leading `--name[=value]` words of `args` (at `argsStart` in
  /// `line`); `pos` ends after them. False after an error that ends the
  /// instruction.
  bool readFlags(const LogicalLine &line, llvm::StringRef args, size_t argsStart,
                 DockerfileInstruction &inst, size_t &pos) {
    const std::vector<llvm::StringRef> *allowed = flagsOf(inst.keyword);
    if (!allowed)
      return true;
    // Flag values are expanded even where the arguments are not (RUN --mount).
    const Scope *variables = inst.keyword == "FROM" ? &globalScope : &scope();
    while (true) {
      size_t start = args.find_first_not_of(" \t", pos);
      if (start == llvm::StringRef::npos || !args.substr(start).startswith("--"))
        return true;
      auto flagWords = words(line, argsStart + start, args.substr(start), variables,
                             /*maxWords=*/1);
      if (!flagWords)
        return false;
      const DockerfileWord &word = flagWords->front();
      pos = start + word.end;
      if (word.value == "--")
        return true;
      DockerfileFlag flag;
      auto [name, value] = llvm::StringRef(word.value).drop_front(2).split('=');
      flag.name = name.str();
      flag.hasValue = value.data() != nullptr;
      flag.value = value.str();
      flag.loc = line.locAt(argsStart + start);
      if (!llvm::is_contained(*allowed, flag.name)) {
        error(flag.loc, "unknown flag '--" + flag.name + "' for " + inst.keyword +
                            "; it takes --" + llvm::join(*allowed, ", --"));
        continue;
      }
      inst.flags.push_back(std::move(flag));
    }
  }

  /// What follows the flags: the text, and the JSON items or the words.
  /// False after an error that ends the instruction.
  bool readArguments(const LogicalLine &line, llvm::StringRef args, size_t argsStart,
                     size_t pos, DockerfileInstruction &inst) {
    size_t restStart = std::min(args.find_first_not_of(" \t", pos), args.size());
    llvm::StringRef rest = args.substr(restStart);
    inst.text = rest.str();
    if (takesJson(inst.keyword) && rest.startswith("[")) {
      if (llvm::Expected<llvm::json::Value> value = llvm::json::parse(rest)) {
        const llvm::json::Array *array = value->getAsArray();
        if (array && llvm::all_of(*array, [](const llvm::json::Value &item) {
              return item.getAsString().hasValue();
            })) {
          inst.jsonForm = true;
          for (const llvm::json::Value &item : *array)
            inst.args.push_back(item.getAsString()->str());
        }
      } else {
        llvm::consumeError(value.takeError()); // not JSON: BuildKit reads it as shell form
      }
    }
    if (inst.keyword == "SHELL" && !inst.jsonForm) {
      error(inst.loc, "SHELL takes a JSON array, e.g. [\"/bin/sh\", \"-c\"]");
      return false;
    }
    if (!inst.jsonForm && !isCommandForm(inst.keyword)) {
      auto split = words(line, argsStart + restStart, rest, variablesFor(inst.keyword));
      if (!split)
        return false;
      for (DockerfileWord &word : *split)
        inst.args.push_back(std::move(word.value));
    }
    if (rest.empty() && inst.heredocs.empty()) {
      error(inst.loc, inst.keyword + " needs at least one argument");
      return false;
    }
    return true;
  }

  void from(DockerfileInstruction inst) {
    const std::vector<std::string> &args = inst.args;
    bool named = args.size() == 3 && llvm::StringRef(args[1]).equals_insensitive("as");
    if (args.size() != 1 && !named) {
      error(inst.loc, "FROM takes an image and an optional 'AS name'");
      return;
    }
    DockerfileStage stage;
    stage.base = args[0];
    stage.loc = inst.loc;
    stage.line = inst.line;
    if (named) {
      stage.name = llvm::StringRef(args[2]).lower();
      bool valid = llvm::isAlpha(stage.name[0]) && llvm::all_of(stage.name, [](char c) {
                     return llvm::isAlnum(c) || c == '-' || c == '_' || c == '.';
                   });
      if (!valid)
        error(inst.loc, "invalid stage name '" + args[2] +
                            "'; it must start with a letter and hold only letters, digits, "
                            "'-', '_' and '.'");
      auto [earlier, inserted] = stageByName.try_emplace(stage.name, file.stages.size());
      if (!inserted) {
        error(inst.loc, "stage name '" + stage.name + "' is already used");
        diags.note(file.stages[earlier->second].loc, "first used here");
      }
    }
    Scope derived;
    if (auto base = stageByName.find(llvm::StringRef(stage.base).lower());
        base != stageByName.end() && base->second < file.stages.size()) {
      size_t i = base->second;
      stage.baseStage = static_cast<int>(i);
      // A stage derived from another starts with its environment. A chain of
      // stages copies it down the chain; past a budget that only a crafted
      // file reaches, the file is refused rather than read in quadratic time.
      inherited += scopes[i].env.size();
      if (inherited > kMaxInheritedVariables) {
        if (inherited - scopes[i].env.size() <= kMaxInheritedVariables)
          error(inst.loc, "stages derived from other stages inherit more than " +
                              llvm::Twine(kMaxInheritedVariables) +
                              " environment variables in all");
      } else {
        for (const auto &[key, value] : scopes[i].env) {
          derived.assign(key, value);
          derived.env.push_back({key, value});
        }
      }
    }
    file.stages.push_back(std::move(stage));
    scopes.push_back(std::move(derived));
  }

  void arg(DockerfileInstruction &inst) {
    for (const std::string &word : inst.args) {
      auto [name, value] = llvm::StringRef(word).split('=');
      if (name.empty()) {
        error(inst.loc, "ARG needs a name, got '" + word + "'");
        continue;
      }
      std::optional<std::string> resolved;
      if (value.data() != nullptr)
        resolved = value.str();
      else if (!file.stages.empty())
        resolved = globalScope.lookup(name); // a global ARG declared again in a stage
      inst.assignments.push_back({name.str(), resolved.value_or("")});
      scope().assign(name, resolved);
    }
  }

  void env(DockerfileInstruction &inst) {
    if (inst.args.empty())
      return;
    if (!llvm::StringRef(inst.args[0]).contains('=')) {
      // The old `ENV KEY value with spaces` form: one variable, the rest is its value.
      std::vector<llvm::StringRef> tail(inst.args.begin() + 1, inst.args.end());
      if (tail.empty()) {
        error(inst.loc, "ENV " + inst.args[0] + " needs a value");
        return;
      }
      inst.assignments.push_back({inst.args[0], llvm::join(tail, " ")});
    } else {
      for (const std::string &word : inst.args) {
        auto [name, value] = llvm::StringRef(word).split('=');
        if (name.empty() || value.data() == nullptr) {
          error(inst.loc, "ENV expects NAME=value, got '" + word + "'");
          continue;
        }
        inst.assignments.push_back({name.str(), value.str()});
      }
    }
    for (const auto &[name, value] : inst.assignments) {
      scope().assign(name, value);
      scope().env.push_back({name, value});
    }
  }

  const DockerfileFlag *flag(const DockerfileInstruction &inst, llvm::StringRef name) {
    const DockerfileFlag *found = nullptr;
    for (const DockerfileFlag &f : inst.flags)
      if (f.name == name)
        found = &f; // the last one wins, as in BuildKit
    return found;
  }

  bool boolFlag(const DockerfileInstruction &inst, llvm::StringRef name) {
    const DockerfileFlag *f = flag(inst, name);
    if (!f)
      return false;
    if (!f->hasValue || f->value == "true")
      return true;
    if (f->value != "false")
      error(f->loc, "--" + name + " takes true or false, not '" + f->value + "'");
    return false;
  }

  void copy(DockerfileInstruction &inst) {
    DockerfileCopy copy;
    copy.link = boolFlag(inst, "link");
    if (const DockerfileFlag *f = flag(inst, "chown"))
      copy.chown = f->value;
    if (const DockerfileFlag *f = flag(inst, "from")) {
      if (f->value.empty())
        error(f->loc, "--from needs a stage name, a stage index or an image");
      copy.from.name = f->value;
      copy.from.loc = f->loc;
    }
    for (const DockerfileFlag &f : inst.flags)
      if (f.name == "exclude")
        copy.excludes.push_back(f.value);
    std::vector<std::string> paths = inst.args;
    if (paths.size() < 2) {
      error(inst.loc, inst.keyword + " needs at least one source and a destination");
      return;
    }
    copy.dest = paths.back();
    paths.pop_back();
    for (std::string &path : paths) {
      if (llvm::StringRef(path).startswith("<<") && !inst.heredocs.empty())
        ++copy.heredocSources;
      else
        copy.sources.push_back(std::move(path));
    }
    inst.copy = std::move(copy);
  }

  void run(DockerfileInstruction &inst) {
    for (const DockerfileFlag &f : inst.flags) {
      if (f.name != "mount")
        continue;
      DockerfileMount mount;
      mount.loc = f.loc;
      for (const std::string &field : splitCsv(f.value)) {
        auto [key, value] = llvm::StringRef(field).split('=');
        std::string name = key.trim().lower();
        mount.options.push_back({name, value.str()});
        if (name == "type")
          mount.type = value.str();
        else if (name == "source" || name == "src")
          mount.source = value.str();
        else if (name == "target" || name == "dst" || name == "destination")
          mount.target = value.str();
        else if (name == "from")
          mount.from = {value.str(), -1, f.loc};
      }
      static constexpr llvm::StringLiteral kTypes[] = {"bind", "cache", "secret", "ssh", "tmpfs"};
      if (!llvm::is_contained(kTypes, mount.type)) {
        error(f.loc, "unknown mount type '" + mount.type +
                         "'; expected bind, cache, secret, ssh or tmpfs");
        continue;
      }
      if ((mount.type == "bind" || mount.type == "cache" || mount.type == "tmpfs") &&
          mount.target.empty()) {
        error(f.loc, "a " + mount.type + " mount needs a target");
        continue;
      }
      inst.mounts.push_back(std::move(mount));
    }
  }

  /// The stage a --from names: an index, or a stage name anywhere in the
  /// file (BuildKit resolves them after reading every stage); else an image.
  int stageNamed(llvm::StringRef ref) const {
    unsigned index = 0;
    if (!ref.getAsInteger(10, index))
      return index < file.stages.size() ? static_cast<int>(index) : -1;
    auto it = stageByName.find(ref.lower());
    return it == stageByName.end() ? -1 : static_cast<int>(it->second);
  }

  /// Resolves every COPY --from and mount from= once all stages are known,
  /// and rejects references that make stages depend on each other in a cycle.
  void resolveSourceRefs() {
    std::vector<std::vector<std::pair<int, llvm::SMLoc>>> uses(file.stages.size());
    for (size_t s = 0; s < file.stages.size(); ++s) {
      if (file.stages[s].baseStage >= 0)
        uses[s].push_back({file.stages[s].baseStage, file.stages[s].loc});
      for (DockerfileInstruction &inst : file.stages[s].instructions) {
        std::vector<SourceRef *> refs;
        if (inst.copy && !inst.copy->from.isContext())
          refs.push_back(&inst.copy->from);
        for (DockerfileMount &mount : inst.mounts)
          if (!mount.from.isContext())
            refs.push_back(&mount.from);
        for (SourceRef *ref : refs) {
          llvm::SMLoc loc = ref->loc;
          ref->stage = stageNamed(ref->name);
          if (ref->stage == static_cast<int>(s)) {
            error(loc, "stage '" + file.stages[s].label(s) + "' cannot read from itself");
            ref->stage = -1;
          } else if (ref->stage >= 0) {
            uses[s].push_back({ref->stage, loc});
          }
        }
      }
    }
    reportCycles(uses);
  }

  /// Depth-first search for stages that read from each other, with an
  /// explicit stack (the input decides the depth); each edge back onto the
  /// path is reported once.
  void reportCycles(const std::vector<std::vector<std::pair<int, llvm::SMLoc>>> &uses) {
    std::vector<int> state(file.stages.size(), 0); // 0 new, 1 on the path, 2 done
    std::vector<std::pair<size_t, size_t>> stack;  // stage, next use to follow
    for (size_t root = 0; root < file.stages.size(); ++root) {
      if (state[root] != 0)
        continue;
      state[root] = 1;
      stack.push_back({root, 0});
      while (!stack.empty()) {
        auto &[s, use] = stack.back();
        if (use == uses[s].size()) {
          state[s] = 2;
          stack.pop_back();
          continue;
        }
        auto [target, loc] = uses[s][use++];
        if (state[target] == 1)
          error(loc, "stages '" + file.stages[s].label(s) + "' and '" +
                         file.stages[target].label(target) + "' read from each other in a cycle");
        else if (state[target] == 0) {
          state[target] = 1;
          stack.push_back({size_t(target), 0});
        }
      }
    }
  }

  DiagnosticEngine &diags;
  DockerfileLines lines;
  Dockerfile file;
  Scope globalScope;
  std::vector<Scope> scopes; // one per stage
  llvm::StringMap<size_t> stageByName; // the first stage of each `AS` name
  size_t inherited = 0;                // environment variables copied into derived stages
  static constexpr size_t kMaxInheritedVariables = 10000000;
  unsigned errors = 0;
};

} // namespace

llvm::Expected<Dockerfile> parseDockerfile(DiagnosticEngine &diags, unsigned bufferId) {
  return Reader(diags, bufferId).read();
}

} // namespace imageplan::readers
