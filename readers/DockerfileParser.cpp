// The Dockerfile parser: physical lines -> parser directives and logical lines
// (continuations joined, comments dropped, heredoc bodies attached) -> typed
// instructions grouped into stages. Each problem is reported at its location
// and parsing goes on, so one run shows every error.
#include "readers/DockerfileParser.h"

#include "readers/DockerfileWords.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <functional>

namespace imageplan::readers {

std::string DockerfileStage::label(size_t index) const {
  return name.empty() ? std::to_string(index) : name;
}

namespace {

constexpr llvm::StringLiteral kInstructions[] = {
    "ADD",   "ARG",        "CMD",     "COPY",    "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",      "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",   "SHELL",      "STOPSIGNAL", "USER", "VOLUME",     "WORKDIR"};

/// The flags each instruction accepts; others have none.
struct FlagSet {
  llvm::StringLiteral keyword;
  std::vector<llvm::StringRef> names;
};
const FlagSet kFlags[] = {
    {"FROM", {"platform"}},
    {"COPY", {"from", "chown", "chmod", "link", "parents", "exclude"}},
    {"ADD", {"chown", "chmod", "link", "checksum", "keep-git-dir", "exclude", "unpack"}},
    {"RUN", {"mount", "network", "security", "device"}},
    {"HEALTHCHECK", {"interval", "timeout", "start-period", "start-interval", "retries"}},
};

const FlagSet *flagsOf(llvm::StringRef keyword) {
  for (const FlagSet &set : kFlags)
    if (set.keyword == keyword)
      return &set;
  return nullptr;
}

/// Instructions whose shell form is a command line, not words.
bool isCommandForm(llvm::StringRef keyword) {
  return keyword == "RUN" || keyword == "CMD" || keyword == "ENTRYPOINT" ||
         keyword == "HEALTHCHECK" || keyword == "ONBUILD";
}

/// Instructions that may take a JSON array.
bool takesJson(llvm::StringRef keyword) {
  return keyword == "RUN" || keyword == "CMD" || keyword == "ENTRYPOINT" || keyword == "SHELL" ||
         keyword == "COPY" || keyword == "ADD" || keyword == "VOLUME";
}

/// Instructions whose words BuildKit expands with ARG and ENV values.
bool expandsVariables(llvm::StringRef keyword) {
  return keyword != "RUN" && keyword != "CMD" && keyword != "ENTRYPOINT" &&
         keyword != "HEALTHCHECK" && keyword != "ONBUILD" && keyword != "SHELL" &&
         keyword != "MAINTAINER";
}

/// One instruction's text with its continuation lines joined, and where each
/// piece of it came from, so any offset maps back to a source location.
struct LogicalLine {
  std::string text;
  std::vector<std::pair<size_t, const char *>> pieces; // offset in text -> source
  unsigned line = 0;

  void append(llvm::StringRef piece) {
    pieces.push_back({text.size(), piece.data()});
    text += piece;
  }
  llvm::SMLoc locAt(size_t offset) const {
    auto it = llvm::upper_bound(pieces, offset, [](size_t value, const auto &piece) {
      return value < piece.first;
    });
    if (it == pieces.begin())
      return llvm::SMLoc::getFromPointer(pieces.empty() ? nullptr : pieces.front().second);
    --it;
    return llvm::SMLoc::getFromPointer(it->second + (offset - it->first));
  }
};

/// Variables in scope: ARG and ENV values in declaration order; the last
/// assignment of a name wins.
struct Scope {
  std::vector<std::pair<std::string, std::optional<std::string>>> vars;
  std::vector<std::pair<std::string, std::string>> env; // ENV only: what a derived stage inherits

  std::optional<std::string> lookup(llvm::StringRef name) const {
    for (auto it = vars.rbegin(); it != vars.rend(); ++it)
      if (it->first == name)
        return it->second;
    return std::nullopt;
  }
};

class Reader {
public:
  Reader(DiagnosticEngine &diags, unsigned bufferId) : diags(diags) {
    llvm::StringRef text = diags.sourceMgr().getMemoryBuffer(bufferId)->getBuffer();
    text.consume_front("\xEF\xBB\xBF");
    endOfText = text.end();
    while (!text.empty()) {
      auto [line, rest] = text.split('\n');
      lines.push_back(line.rtrim('\r'));
      text = rest;
    }
  }

  llvm::Expected<Dockerfile> read() {
    readDirectives();
    LogicalLine line;
    while (nextLogicalLine(line))
      instruction(line);
    if (file.stages.empty() && errors == 0)
      error(llvm::SMLoc::getFromPointer(endOfText), "no FROM instruction; a Dockerfile needs at "
                                                    "least one stage");
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

  /// `# key=value` lines at the very top; the first other line ends them.
  void readDirectives() {
    for (; next < lines.size(); ++next) {
      llvm::StringRef line = lines[next];
      if (!line.consume_front("#"))
        return;
      auto [key, value] = line.split('=');
      key = key.trim();
      if (value.data() == nullptr || key.empty() || !llvm::all_of(key, llvm::isAlnum))
        return;
      std::string name = key.lower();
      if (name != "syntax" && name != "escape" && name != "check")
        return; // an unknown directive is a comment, and comments end directives
      value = value.trim();
      llvm::SMLoc loc = llvm::SMLoc::getFromPointer(lines[next].data());
      if (llvm::any_of(file.directives, [&](const auto &d) { return d.first == name; })) {
        error(loc, "only one '" + name + "' parser directive may be given");
        continue;
      }
      if (name == "escape") {
        if (value != "\\" && value != "`") {
          error(loc, "invalid escape character '" + value + "'; use '\\' or '`'");
          continue;
        }
        file.escape = value.front();
      }
      file.directives.push_back({name, value.str()});
    }
  }

  static bool isBlankOrComment(llvm::StringRef line) {
    llvm::StringRef trimmed = line.ltrim(" \t");
    return trimmed.empty() || trimmed.startswith("#");
  }

  bool nextLogicalLine(LogicalLine &line) {
    while (next < lines.size() && isBlankOrComment(lines[next]))
      ++next;
    if (next >= lines.size())
      return false;
    line = LogicalLine();
    line.line = next + 1;
    bool first = true;
    while (next < lines.size()) {
      llvm::StringRef piece = lines[next++];
      if (first)
        piece = piece.ltrim(" \t");
      first = false;
      llvm::StringRef body = piece.rtrim(" \t");
      if (!body.endswith(llvm::StringRef(&file.escape, 1))) {
        line.append(piece);
        return true;
      }
      line.append(body.drop_back());
      // Comment and blank lines inside a continued instruction are dropped.
      while (next < lines.size() && isBlankOrComment(lines[next]))
        ++next;
    }
    return true;
  }

  /// `<<EOF`, `<<-EOF`, `<<"EOF"` markers outside quotes in a shell-form
  /// RUN, COPY or ADD; each body runs to a line holding only its name.
  void readHeredocs(const LogicalLine &line, size_t from, DockerfileInstruction &inst) {
    llvm::StringRef text = line.text;
    char quote = 0;
    for (size_t i = from; i + 2 < text.size(); ++i) {
      char c = text[i];
      if (quote) {
        if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        continue;
      }
      if (!text.substr(i).startswith("<<") || text.substr(i).startswith("<<<") ||
          (i > 0 && text[i - 1] == '<'))
        continue;
      size_t j = i + 2;
      bool chomp = j < text.size() && text[j] == '-';
      j += chomp;
      char q = j < text.size() && (text[j] == '"' || text[j] == '\'') ? text[j] : 0;
      j += q != 0;
      size_t nameStart = j;
      while (j < text.size() && (llvm::isAlnum(text[j]) || text[j] == '_' || text[j] == '.' ||
                                 text[j] == '-'))
        ++j;
      if (j == nameStart || (q && (j >= text.size() || text[j] != q)))
        continue;
      DockerfileHeredoc heredoc;
      heredoc.name = text.slice(nameStart, j).str();
      bool closed = false;
      while (next < lines.size()) {
        llvm::StringRef body = lines[next++];
        if (chomp)
          body = body.ltrim('\t');
        if (body == heredoc.name) {
          closed = true;
          break;
        }
        heredoc.body += body;
        heredoc.body += '\n';
      }
      if (!closed) {
        error(line.locAt(i), "heredoc '" + heredoc.name + "' is never closed; end it with a line "
                             "holding only '" + heredoc.name + "'");
        return;
      }
      inst.heredocs.push_back(std::move(heredoc));
      i = j;
    }
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
    if (!llvm::is_contained(kInstructions, inst.keyword)) {
      std::vector<llvm::StringRef> names(std::begin(kInstructions), std::end(kInstructions));
      std::string suggestion = closestMatch(keyword, names);
      error(inst.loc, "unknown instruction '" + keyword + "'" +
                          (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
      return;
    }
    size_t argsStart = std::min(text.find_first_not_of(" \t", keywordEnd), text.size());
    llvm::StringRef args = text.substr(argsStart).rtrim(" \t");
    bool json = takesJson(inst.keyword) && args.startswith("[");
    if ((inst.keyword == "RUN" || inst.keyword == "COPY" || inst.keyword == "ADD") && !json)
      readHeredocs(line, argsStart, inst);

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
    const FlagSet *allowed = flagsOf(inst.keyword);
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
      if (!llvm::is_contained(allowed->names, flag.name)) {
        error(flag.loc, "unknown flag '--" + flag.name + "' for " + inst.keyword +
                            "; it takes --" + llvm::join(allowed->names, ", --"));
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
      for (const DockerfileStage &earlier : file.stages)
        if (earlier.name == stage.name) {
          error(inst.loc, "stage name '" + stage.name + "' is already used");
          diags.note(earlier.loc, "first used here");
        }
    }
    std::string baseName = llvm::StringRef(stage.base).lower();
    Scope derived;
    for (size_t i = 0; i < file.stages.size(); ++i)
      if (!file.stages[i].name.empty() && file.stages[i].name == baseName) {
        stage.baseStage = static_cast<int>(i);
        // A stage derived from another starts with its environment.
        for (const auto &[key, value] : scopes[i].env) {
          derived.vars.push_back({key, value});
          derived.env.push_back({key, value});
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
      scope().vars.push_back({name.str(), resolved});
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
      scope().vars.push_back({name, value});
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
    std::string lower = ref.lower();
    for (size_t i = 0; i < file.stages.size(); ++i)
      if (!file.stages[i].name.empty() && file.stages[i].name == lower)
        return static_cast<int>(i);
    return -1;
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
    // Depth-first search for a cycle; each stage is reported at most once.
    std::vector<int> state(file.stages.size(), 0); // 0 new, 1 on the path, 2 done
    std::function<void(size_t)> visit = [&](size_t s) {
      state[s] = 1;
      for (auto [target, loc] : uses[s]) {
        if (state[target] == 1)
          error(loc, "stages '" + file.stages[s].label(s) + "' and '" +
                         file.stages[target].label(target) + "' read from each other in a cycle");
        else if (state[target] == 0)
          visit(target);
      }
      state[s] = 2;
    };
    for (size_t s = 0; s < file.stages.size(); ++s)
      if (state[s] == 0)
        visit(s);
  }

  DiagnosticEngine &diags;
  std::vector<llvm::StringRef> lines;
  const char *endOfText = nullptr;
  size_t next = 0;
  Dockerfile file;
  Scope globalScope;
  std::vector<Scope> scopes; // one per stage
  unsigned errors = 0;
};

} // namespace

llvm::Expected<Dockerfile> parseDockerfile(DiagnosticEngine &diags, unsigned bufferId) {
  return Reader(diags, bufferId).read();
}

} // namespace imageplan::readers
