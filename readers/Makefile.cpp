// The Makefile reader (Makefile.h): logical lines, assignments, rules and
// recipes, then GNU make's expansion of variable references when a target's
// commands are asked for.
#include "readers/Makefile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <optional>
#include <set>

namespace imageplan::readers {
namespace {

constexpr int kMaxExpansionDepth = 16; // a variable that refers to itself stops here

/// GNU make's own variables that recipes use without setting them.
constexpr std::pair<llvm::StringLiteral, llvm::StringLiteral> kBuiltins[] = {
    {"MAKE", "make"}, {"CC", "cc"}, {"CXX", "g++"}, {"CPP", "cc -E"}, {"AR", "ar"},
    {"RM", "rm -f"}, {"LD", "ld"}, {"FC", "f77"}, {"SHELL", "/bin/sh"}};

bool isBlank(char c) { return c == ' ' || c == '\t'; }

/// The words of `text`, split at blanks.
std::vector<std::string> splitBlanks(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 8> parts;
  text.split(parts, ' ', -1, /*KeepEmpty=*/false);
  std::vector<std::string> words;
  for (llvm::StringRef part : parts)
    for (llvm::StringRef word : llvm::split(part, '\t'))
      if (!word.empty())
        words.push_back(word.str());
  return words;
}

/// `text` before an unescaped '#'.
llvm::StringRef withoutComment(llvm::StringRef text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '#')
      return text.take_front(i);
  }
  return text;
}

/// Where the assignment operator of `line` starts and how long it is, when
/// `line` is an assignment (`=`, `:=`, `::=`, `?=`, `+=`, `!=` before any
/// rule colon); {npos, 0} otherwise.
std::pair<size_t, size_t> assignmentOperator(llvm::StringRef line) {
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '$' && i + 1 < line.size() && (line[i + 1] == '(' || line[i + 1] == '{')) {
      char close = line[i + 1] == '(' ? ')' : '}';
      size_t end = line.find(close, i + 2);
      if (end == llvm::StringRef::npos)
        break;
      i = end;
    } else if (c == '=') {
      return {i, 1};
    } else if (c == ':') {
      if (line.substr(i).startswith("::="))
        return {i, 3};
      if (line.substr(i).startswith(":="))
        return {i, 2};
      return {llvm::StringRef::npos, 0}; // a rule
    } else if ((c == '?' || c == '+' || c == '!') && i + 1 < line.size() && line[i + 1] == '=') {
      return {i, 2};
    }
  }
  return {llvm::StringRef::npos, 0};
}

class MakefileReader {
public:
  explicit MakefileReader(llvm::StringRef text) { text.split(lines, '\n'); }

  Makefile read() {
    for (size_t i = 0; i < lines.size(); ++i) {
      llvm::StringRef raw = lines[i].rtrim('\r');
      unsigned number = static_cast<unsigned>(i + 1);
      if (!raw.empty() && raw.front() == '\t' && current) {
        recipeLine(i, number);
        continue;
      }
      std::string logical = joinContinued(i);
      llvm::StringRef line = llvm::StringRef(withoutComment(logical)).trim();
      if (line.empty())
        continue;
      if (directive(line, i))
        continue;
      statement(line, number);
    }
    return std::move(file);
  }

private:
  /// A recipe line and its continuation lines, kept as the shell sees them.
  void recipeLine(size_t &i, unsigned number) {
    std::string text = lines[i].rtrim('\r').drop_front().str();
    while (llvm::StringRef(text).endswith("\\") && i + 1 < lines.size()) {
      llvm::StringRef next = lines[++i].rtrim('\r');
      next.consume_front("\t");
      text += "\n" + next.str();
    }
    file.rules[*current].recipe.push_back({text, number});
  }

  /// A line and its continuations joined with one blank, as make joins them
  /// outside recipes.
  std::string joinContinued(size_t &i) {
    std::string text = lines[i].rtrim('\r').str();
    while (llvm::StringRef(text).endswith("\\") && i + 1 < lines.size()) {
      text.pop_back();
      text = llvm::StringRef(text).rtrim(" \t").str() + " " +
             lines[++i].rtrim('\r').ltrim(" \t").str();
    }
    return text;
  }

  /// Conditionals, includes and `define` blocks: skipped. True when `line`
  /// was one of them.
  bool directive(llvm::StringRef line, size_t &i) {
    llvm::StringRef word = line.take_until(isBlank);
    if (word == "define") {
      while (i + 1 < lines.size() && !lines[++i].trim().startswith("endef")) {
      }
      current.reset();
      return true;
    }
    static constexpr llvm::StringLiteral kSkipped[] = {
        "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include",
        "sinclude", "vpath", "unexport"};
    return llvm::is_contained(kSkipped, word);
  }

  void statement(llvm::StringRef line, unsigned number) {
    line.consume_front("override ");
    if (line.startswith("export ") && assignmentOperator(line).first != llvm::StringRef::npos)
      line = line.drop_front(7).ltrim();
    auto [at, length] = assignmentOperator(line);
    if (at != llvm::StringRef::npos) {
      assign(line.take_front(at).trim(), line.substr(at, length), line.substr(at + length).trim());
      current.reset();
      return;
    }
    size_t colon = line.find(':');
    if (colon == llvm::StringRef::npos) {
      current.reset(); // a function call or something make would reject
      return;
    }
    rule(line, colon, number);
  }

  void assign(llvm::StringRef name, llvm::StringRef op, llvm::StringRef value) {
    if (name.empty() || name.contains(' '))
      return;
    auto existing = llvm::find_if(file.variables, [&](const auto &v) { return v.first == name; });
    bool defined = existing != file.variables.end();
    if (op == "?=" && defined)
      return;
    std::string text = value.str();
    if (op == "+=" && defined)
      text = existing->second + (text.empty() ? "" : " " + text);
    else if (op == ":=" || op == "::=")
      text = file.expand(value); // simply expanded: now
    if (op == "!=")
      text.clear(); // the output of a shell command, not known here
    if (defined)
      existing->second = text;
    else
      file.variables.push_back({name.str(), text});
  }

  void rule(llvm::StringRef line, size_t colon, unsigned number) {
    MakeRule rule;
    rule.line = number;
    rule.targets = splitBlanks(file.expand(line.take_front(colon)));
    llvm::StringRef rest = line.drop_front(colon + 1);
    rest.consume_front(":"); // a double-colon rule
    auto [prerequisites, inlineRecipe] = rest.split(';');
    // `target: VAR = value` sets a variable for that target only.
    if (assignmentOperator(prerequisites).first != llvm::StringRef::npos) {
      current.reset();
      return;
    }
    // Order-only prerequisites (after '|') are built first as well.
    std::string expanded = file.expand(prerequisites);
    for (std::string &word : splitBlanks(expanded))
      if (word != "|")
        rule.prerequisites.push_back(std::move(word));
    if (!inlineRecipe.trim().empty())
      rule.recipe.push_back({inlineRecipe.trim().str(), number});
    file.rules.push_back(std::move(rule));
    current = file.rules.size() - 1;
  }

  llvm::SmallVector<llvm::StringRef, 64> lines;
  Makefile file;
  std::optional<size_t> current; // the rule recipe lines belong to
};

/// Expands `text` with `vars` and the automatic variables of `rule` (may be null).
class Expander {
public:
  Expander(const Makefile &file, const MakeRule *rule) : file(file), rule(rule) {}

  std::string expand(llvm::StringRef text, int depth = 0) const {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '$' || i + 1 >= text.size()) {
        out += text[i];
        continue;
      }
      char next = text[i + 1];
      if (next == '$') {
        out += '$';
        ++i;
      } else if (next == '(' || next == '{') {
        size_t end = closing(text, i + 1);
        if (end == llvm::StringRef::npos) {
          out += text.substr(i);
          break;
        }
        out += reference(text.slice(i + 2, end), text.slice(i, end + 1), depth);
        i = end;
      } else {
        out += reference(text.substr(i + 1, 1), text.substr(i, 2), depth);
        ++i;
      }
    }
    return out;
  }

private:
  static size_t closing(llvm::StringRef text, size_t open) {
    char opener = text[open], closer = opener == '(' ? ')' : '}';
    int depth = 0;
    for (size_t j = open; j < text.size(); ++j) {
      if (text[j] == opener)
        ++depth;
      else if (text[j] == closer && --depth == 0)
        return j;
    }
    return llvm::StringRef::npos;
  }

  /// The value of the reference `name` (written as `whole`).
  std::string reference(llvm::StringRef name, llvm::StringRef whole, int depth) const {
    if (name.contains(' ') || name.contains(','))
      return whole.str(); // a function call ($(shell ...)): left as written
    if (rule && (name == "@" || name == "<" || name == "^")) {
      if (name == "@")
        return rule->targets.empty() ? "" : rule->targets.front();
      if (name == "<")
        return rule->prerequisites.empty() ? "" : rule->prerequisites.front();
      return llvm::join(rule->prerequisites, " ");
    }
    if (depth >= kMaxExpansionDepth)
      return "";
    for (auto it = file.variables.rbegin(); it != file.variables.rend(); ++it)
      if (it->first == name)
        return expand(it->second, depth + 1);
    for (const auto &[builtin, value] : kBuiltins)
      if (name == builtin)
        return value.str();
    return ""; // an unset variable is empty
  }

  const Makefile &file;
  const MakeRule *rule;
};

/// The target of a recipe line that only runs make again on this Makefile
/// (`make T`, `$(MAKE) T`), or "".
std::vector<std::string> recursiveGoals(llvm::StringRef command) {
  std::vector<std::string> words = splitBlanks(command);
  if (words.empty() || words.front() != "make")
    return {};
  std::string directory, makefile;
  std::vector<std::string> goals =
      makeGoals(std::vector<std::string>(words.begin() + 1, words.end()), directory, makefile);
  if (!directory.empty() || !makefile.empty())
    return {};
  for (const std::string &goal : goals)
    if (llvm::StringRef(goal).find_first_of(";&|<>`$\"'") != llvm::StringRef::npos)
      return {};
  return goals;
}

void collect(const Makefile &file, llvm::StringRef target, std::set<const MakeRule *> &done,
             std::vector<MakeCommand> &out, int depth) {
  const MakeRule *rule = file.ruleFor(target);
  if (!rule || done.count(rule) || depth > kMaxExpansionDepth)
    return;
  done.insert(rule);
  for (const std::string &prerequisite : rule->prerequisites)
    collect(file, prerequisite, done, out, depth + 1);
  Expander expander(file, rule);
  for (const auto &[text, line] : rule->recipe) {
    std::string command = expander.expand(text);
    llvm::StringRef trimmed = llvm::StringRef(command).ltrim();
    while (!trimmed.empty() && llvm::StringRef("@-+").contains(trimmed.front()))
      trimmed = trimmed.drop_front().ltrim();
    std::vector<std::string> goals = recursiveGoals(trimmed);
    if (goals.empty()) {
      if (!trimmed.empty())
        out.push_back({trimmed.str(), line});
      continue;
    }
    for (const std::string &goal : goals)
      collect(file, goal, done, out, depth + 1);
  }
}

} // namespace

const MakeRule *Makefile::ruleFor(llvm::StringRef target) const {
  for (const MakeRule &rule : rules)
    if (llvm::is_contained(rule.targets, target))
      return &rule;
  return nullptr;
}

std::string Makefile::defaultTarget() const {
  for (const MakeRule &rule : rules)
    for (const std::string &target : rule.targets)
      if (!llvm::StringRef(target).startswith(".") && !llvm::StringRef(target).contains('%'))
        return target;
  return "";
}

std::string Makefile::expand(llvm::StringRef text) const { return Expander(*this, nullptr).expand(text); }

std::vector<MakeCommand> Makefile::commandsFor(llvm::StringRef target) const {
  std::set<const MakeRule *> done;
  std::vector<MakeCommand> out;
  collect(*this, target, done, out, 0);
  return out;
}

Makefile parseMakefile(llvm::StringRef text) { return MakefileReader(text).read(); }

std::vector<std::string> makeGoals(const std::vector<std::string> &args, std::string &directory,
                                   std::string &file) {
  std::vector<std::string> goals;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    std::string *value = arg == "-C" || arg == "--directory" ? &directory
                         : arg == "-f" || arg == "--file" || arg == "--makefile" ? &file
                                                                                 : nullptr;
    if (value) {
      if (i + 1 < args.size())
        *value = args[++i];
      continue;
    }
    if (arg.startswith("-C") && arg.size() > 2)
      directory = arg.drop_front(2).str();
    else if (arg.startswith("--directory="))
      directory = arg.drop_front(12).str();
    else if (arg.startswith("-f") && arg.size() > 2)
      file = arg.drop_front(2).str();
    else if (arg.startswith("--file=") || arg.startswith("--makefile="))
      file = arg.split('=').second.str();
    else if ((arg == "-j" || arg == "-l") && i + 1 < args.size() &&
             llvm::all_of(args[i + 1], llvm::isDigit))
      ++i; // an optional number
    else if (arg == "-o" || arg == "-W" || arg == "-I")
      ++i; // an option with a separate value
    else if (!arg.startswith("-") && !arg.contains('='))
      goals.push_back(arg.str());
  }
  return goals;
}

} // namespace imageplan::readers
