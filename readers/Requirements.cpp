// The requirements file reader: physical lines -> logical lines the way pip
// joins and uncomments them (req_file.py: join_lines, ignore_comments) -> an
// option line (it starts with '-') or a requirement with its own options after
// it (break_args_options). Each problem is reported at its line and reading
// goes on, so one run shows every error.
#include "readers/Requirements.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>

namespace imageplan::readers {
namespace {

/// The options pip accepts in a requirements file.
struct OptionSpec {
  llvm::StringLiteral name; // long name
  char shortName;           // 0 for none
  bool takesValue;
  bool perRequirement; // written after a requirement, not on a line of its own
};
constexpr OptionSpec kOptions[] = {
    {"requirement", 'r', true, false},
    {"constraint", 'c', true, false},
    {"editable", 'e', true, false},
    {"index-url", 'i', true, false},
    {"extra-index-url", 0, true, false},
    {"find-links", 'f', true, false},
    {"no-index", 0, false, false},
    {"pre", 0, false, false},
    {"prefer-binary", 0, false, false},
    {"require-hashes", 0, false, false},
    {"only-binary", 0, true, false},
    {"no-binary", 0, true, false},
    {"trusted-host", 0, true, false},
    {"use-feature", 0, true, false},
    {"hash", 0, true, true},
    {"config-settings", 0, true, true},
    {"global-option", 0, true, true},
};

const OptionSpec *optionNamed(llvm::StringRef name, char shortName) {
  for (const OptionSpec &spec : kOptions)
    if (shortName ? spec.shortName == shortName : spec.name == name)
      return &spec;
  return nullptr;
}

/// A line as pip reads it: continuation lines joined, its comment removed.
struct LogicalLine {
  unsigned line = 0;
  llvm::SMLoc loc; // of its first character that is not blank
  std::string text;
};

bool isBlank(char c) { return c == ' ' || c == '\t'; }

/// pip's COMMENT_RE `(^|\s+)#.*$`: the offset where the comment starts.
size_t commentStart(llvm::StringRef line) {
  for (size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || isBlank(line[i - 1]))) {
      while (i > 0 && isBlank(line[i - 1]))
        --i;
      return i;
    }
  return line.size();
}

std::vector<LogicalLine> logicalLines(llvm::StringRef text) {
  std::vector<LogicalLine> lines;
  LogicalLine current;
  bool continued = false;
  for (unsigned number = 1; !text.empty(); ++number) {
    auto [physical, rest] = text.split('\n');
    text = rest;
    physical = physical.rtrim('\r');
    bool joining = continued;
    if (!joining) {
      current = LogicalLine();
      current.line = number;
      current.loc = llvm::SMLoc::getFromPointer(physical.ltrim(" \t").data());
    }
    // A comment line never continues, even when it ends with a backslash; it
    // ends a continued line after a blank, so that it is removed with it.
    bool comment = physical.ltrim(" \t").startswith("#");
    continued = physical.endswith("\\") && !comment;
    if (joining && comment)
      current.text += ' ';
    current.text += continued ? physical.trim('\\').str() : physical.str();
    if (continued && !text.empty())
      continue;
    current.text = llvm::StringRef(current.text).take_front(commentStart(current.text)).trim();
    if (!current.text.empty())
      lines.push_back(std::move(current));
    continued = false;
  }
  return lines;
}

std::vector<llvm::StringRef> blankSplit(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 8> words;
  llvm::SplitString(text, words, " \t");
  return {words.begin(), words.end()};
}

/// The length of the PEP 508 project name `text` starts with: letters and
/// digits, with '-', '_' and '.' inside; 0 for none.
size_t nameLength(llvm::StringRef text) {
  if (text.empty() || !llvm::isAlnum(text.front()))
    return 0;
  size_t n = 0;
  while (n < text.size() && (llvm::isAlnum(text[n]) || llvm::StringRef("-_.").contains(text[n])))
    ++n;
  while (n > 0 && !llvm::isAlnum(text[n - 1]))
    --n;
  return n;
}

bool isName(llvm::StringRef text) { return !text.empty() && nameLength(text) == text.size(); }

/// `scheme://...` (https, git+https, file) or `file:...`.
bool looksLikeUrl(llvm::StringRef text) {
  size_t colon = text.find("://");
  llvm::StringRef scheme = text.take_front(colon);
  return text.startswith("file:") ||
         (colon != llvm::StringRef::npos && !scheme.empty() && llvm::isAlpha(scheme.front()) &&
          llvm::all_of(
              scheme, [](char c) { return llvm::isAlnum(c) || c == '+' || c == '.' || c == '-'; }));
}

bool looksLikePath(llvm::StringRef text) {
  static constexpr llvm::StringLiteral kArchives[] = {".whl",     ".zip",    ".tar.gz", ".tgz",
                                                      ".tar.bz2", ".tar.xz", ".tar"};
  return text.startswith(".") || text.startswith("~") || text.contains('/') ||
         text.contains('\\') ||
         llvm::any_of(kArchives, [&](llvm::StringRef ext) { return text.endswith(ext); });
}

/// `text` without blanks, as clauses `op version` joined by commas.
bool isSpecifier(llvm::StringRef text) {
  static constexpr llvm::StringLiteral kOperators[] = {
      "===", "~=", "==", "!=", "<=", ">=", "<", ">"};
  llvm::SmallVector<llvm::StringRef, 4> clauses;
  text.split(clauses, ',');
  return llvm::all_of(clauses, [](llvm::StringRef clause) {
    for (llvm::StringRef op : kOperators)
      if (clause.consume_front(op))
        return !clause.empty() && llvm::all_of(clause, [](char c) {
          return llvm::isAlnum(c) || llvm::StringRef(".*+!-_").contains(c);
        });
    return false;
  });
}

/// A URL or path and the marker after it: a ';' with a blank beside it
/// separates them, as a URL may itself hold ';'.
std::pair<llvm::StringRef, llvm::StringRef> splitUrlMarker(llvm::StringRef text) {
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == ';' &&
        ((i > 0 && isBlank(text[i - 1])) || (i + 1 < text.size() && isBlank(text[i + 1]))))
      return {text.take_front(i).trim(), text.drop_front(i + 1).trim()};
  return {text.trim(), ""};
}

/// `name @ url` or `name[extras] @ url`.
bool isNameAtUrl(llvm::StringRef text) {
  size_t length = nameLength(text);
  llvm::StringRef rest = text.drop_front(length).ltrim();
  if (rest.startswith("["))
    rest = rest.split(']').second.ltrim();
  return length > 0 && rest.startswith("@");
}

/// The `#egg=name[extras]` fragment of a URL, or "".
llvm::StringRef eggOf(llvm::StringRef url) {
  llvm::StringRef fragment = url.split('#').second;
  llvm::SmallVector<llvm::StringRef, 2> fields;
  fragment.split(fields, '&');
  for (llvm::StringRef field : fields)
    if (field.consume_front("egg="))
      return field;
  return "";
}

class Reader {
public:
  Reader(DiagnosticEngine &diags, unsigned bufferId) : diags(diags), bufferId(bufferId) {}

  llvm::Expected<RequirementsFile> read() {
    llvm::StringRef text = diags.sourceMgr().getMemoryBuffer(bufferId)->getBuffer();
    text.consume_front("\xEF\xBB\xBF");
    for (const LogicalLine &line : logicalLines(text)) {
      std::vector<llvm::StringRef> words = blankSplit(line.text);
      if (line.text.front() == '-')
        optionLine(line, words);
      else
        requirementLine(line, words);
    }
    if (errors)
      return diagnosticsReported(errors);
    return std::move(file);
  }

private:
  void error(const LogicalLine &line, const llvm::Twine &message) {
    diags.error(line.loc, message);
    ++errors;
  }

  /// The option at `words[i]` and its value; `i` moves past them. Null after
  /// an error.
  const OptionSpec *nextOption(const LogicalLine &line, llvm::ArrayRef<llvm::StringRef> words,
                               size_t &i, std::string &value) {
    llvm::StringRef word = words[i++];
    std::optional<llvm::StringRef> attached;
    const OptionSpec *spec = nullptr;
    if (word.startswith("--")) {
      auto [name, rest] = word.drop_front(2).split('=');
      spec = optionNamed(name, 0);
      if (rest.data())
        attached = rest;
    } else if (word.size() >= 2) {
      spec = optionNamed("", word[1]);
      if (word.size() > 2)
        attached = word.drop_front(2);
    }
    if (!spec) {
      error(line, "unknown option '" + word + "' in a requirements file");
      return nullptr;
    }
    if (!spec->takesValue && attached) {
      error(line, "option '--" + spec->name + "' takes no value");
      return nullptr;
    }
    if (spec->takesValue && !attached && i >= words.size()) {
      error(line, "option '" + word + "' needs a value");
      return nullptr;
    }
    value = !spec->takesValue ? "" : attached ? attached->str() : words[i++].str();
    return spec;
  }

  void optionLine(const LogicalLine &line, llvm::ArrayRef<llvm::StringRef> words) {
    for (size_t i = 0; i < words.size();) {
      std::string value;
      const OptionSpec *spec = nextOption(line, words, i, value);
      if (!spec)
        return;
      if (spec->perRequirement) {
        error(line, "option '--" + spec->name + "' belongs after a requirement, on its line");
      } else if (spec->name == "editable") {
        Requirement requirement = start(line);
        requirement.editable = true;
        if (readRequirement(line, value, requirement))
          file.requirements.push_back(std::move(requirement));
      } else {
        file.options.push_back({line.line, line.loc, spec->name.str(), value});
      }
    }
  }

  Requirement start(const LogicalLine &line) {
    Requirement requirement;
    requirement.line = line.line;
    requirement.loc = line.loc;
    return requirement;
  }

  /// pip's break_args_options: the words up to the first option are the
  /// requirement, the rest its options.
  void requirementLine(const LogicalLine &line, llvm::ArrayRef<llvm::StringRef> words) {
    size_t first =
        llvm::find_if(words, [](llvm::StringRef w) { return w.startswith("-"); }) - words.begin();
    Requirement requirement = start(line);
    if (!readRequirement(line, llvm::join(words.take_front(first), " "), requirement))
      return;
    for (size_t i = first; i < words.size();) {
      std::string value;
      const OptionSpec *spec = nextOption(line, words, i, value);
      if (!spec)
        return;
      if (!spec->perRequirement) {
        error(line, "option '--" + spec->name + "' must be on a line of its own");
        return;
      }
      if (spec->name == "hash")
        requirement.hashes.push_back(value);
      else
        requirement.options.push_back({spec->name.str(), value});
    }
    file.requirements.push_back(std::move(requirement));
  }

  /// `name[extras]` at the start of `text`; `text` moves past it.
  bool readNameAndExtras(const LogicalLine &line, llvm::StringRef &text, Requirement &out) {
    size_t length = nameLength(text);
    out.name = normalizedPackageName(text.take_front(length));
    text = text.drop_front(length).ltrim();
    if (!text.consume_front("["))
      return true;
    auto [inside, rest] = text.split(']');
    if (!rest.data()) {
      error(line, "the extras of '" + out.name + "' need a closing ']'");
      return false;
    }
    llvm::SmallVector<llvm::StringRef, 4> extras;
    inside.split(extras, ',', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef extra : extras) {
      if (!isName(extra.trim())) {
        error(line, "invalid extra '" + extra.trim() + "' of '" + out.name + "'");
        return false;
      }
      out.extras.push_back(normalizedPackageName(extra.trim()));
    }
    text = rest.ltrim();
    return true;
  }

  bool readUrl(const LogicalLine &line, llvm::StringRef text, Requirement &out) {
    auto [url, marker] = splitUrlMarker(text);
    out.url = url.str();
    out.marker = marker.str();
    if (out.url.empty()) {
      error(line, "'" + out.name + " @' needs a URL after it");
      return false;
    }
    llvm::StringRef egg = eggOf(url);
    return out.name.empty() && !egg.empty() ? readNameAndExtras(line, egg, out) : true;
  }

  bool readRequirement(const LogicalLine &line, llvm::StringRef text, Requirement &out) {
    text = text.trim();
    if (looksLikeUrl(text) || (!isNameAtUrl(text) && looksLikePath(splitUrlMarker(text).first)))
      return readUrl(line, text, out);
    if (nameLength(text) == 0) {
      error(line, "invalid requirement '" + text + "'; expected a project name, a URL or a path");
      return false;
    }
    if (!readNameAndExtras(line, text, out))
      return false;
    if (text.consume_front("@"))
      return readUrl(line, text, out);
    auto [specifier, marker] = text.split(';');
    if (marker.data() && marker.trim().empty()) {
      error(line, "';' after '" + out.name + "' needs an environment marker");
      return false;
    }
    out.marker = marker.trim().str();
    specifier = specifier.trim();
    if (specifier.startswith("(") && specifier.endswith(")"))
      specifier = specifier.drop_front().drop_back();
    llvm::SmallVector<llvm::StringRef, 4> pieces;
    llvm::SplitString(specifier, pieces, " \t");
    out.specifier = llvm::join(pieces, "");
    if (!out.specifier.empty() && !isSpecifier(out.specifier)) {
      error(line, "invalid version specifier '" + specifier + "' for '" + out.name + "'");
      return false;
    }
    return true;
  }

  DiagnosticEngine &diags;
  unsigned bufferId;
  unsigned errors = 0;
  RequirementsFile file;
};

} // namespace

std::string normalizedPackageName(llvm::StringRef name) {
  std::string out;
  for (char c : name) {
    bool separator = c == '-' || c == '_' || c == '.';
    if (!separator)
      out += llvm::toLower(c);
    else if (out.empty() || out.back() != '-')
      out += '-';
  }
  return out;
}

std::vector<std::string> RequirementsFile::optionValues(llvm::StringRef name) const {
  std::vector<std::string> values;
  for (const RequirementsOption &option : options)
    if (option.name == name)
      values.push_back(option.value);
  return values;
}

bool RequirementsFile::hasPackage(llvm::StringRef name) const {
  std::string wanted = normalizedPackageName(name);
  return llvm::any_of(requirements, [&](const Requirement &r) { return r.name == wanted; });
}

llvm::Expected<RequirementsFile> parseRequirements(DiagnosticEngine &diags, unsigned bufferId) {
  return Reader(diags, bufferId).read();
}

std::optional<Requirement> parseRequirementText(llvm::StringRef text) {
  if (text.contains('\n') || text.trim().startswith("-"))
    return std::nullopt;
  // The reader reports through an engine; a text of its own needs none.
  DiagnosticEngine quiet(llvm::nulls());
  unsigned buffer = quiet.addBuffer(text, "<requirement>");
  llvm::Expected<RequirementsFile> file = Reader(quiet, buffer).read();
  if (!file) {
    llvm::consumeError(file.takeError());
    return std::nullopt;
  }
  if (file->requirements.size() != 1 || !file->options.empty())
    return std::nullopt;
  return std::move(file->requirements.front());
}

} // namespace imageplan::readers
