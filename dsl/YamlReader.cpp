// The YamlReader: node types, scalars, lists and mappings read into Located
// values, with a diagnostic at the offending node for everything else.
#include "dsl/YamlReader.h"

#include "dsl/Secrets.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <climits>
#include <cmath>

namespace imageplan::dsl {

namespace {

/// The number a scalar spells, if it spells one. Quoting does not matter: the
/// schema knows the type, and `port: "8080"` means what it says.
std::optional<long long> parseInteger(llvm::StringRef text) {
  long long value = 0;
  text.consume_front("+");
  if (text.empty() || text.getAsInteger(10, value))
    return std::nullopt;
  return value;
}

std::optional<double> parseNumber(llvm::StringRef text) {
  // getAsDouble alone would also take "inf", "nan" and hex floats.
  if (text.empty() || text.find_first_not_of("0123456789.eE+-") != llvm::StringRef::npos ||
      !(llvm::isDigit(text[0]) || text[0] == '-' || text[0] == '+' || text[0] == '.'))
    return std::nullopt;
  double value = 0;
  if (text.getAsDouble(value, /*AllowInexact=*/true) || !std::isfinite(value))
    return std::nullopt;
  return value;
}

struct NamedRate {
  const char *word;
  double probability;
};
constexpr NamedRate kNamedRates[] = {
    {"rarely", 0.01}, {"sometimes", 0.1}, {"often", 0.5}, {"always", 1.0}};

} // namespace

std::string describeNode(const YAML::Node &node) {
  switch (node.Type()) {
  case YAML::NodeType::Scalar:
    return quoteValue(node.Scalar());
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Map:
    return "a mapping";
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    break;
  }
  return "an empty value";
}

YamlReader::YamlReader(readers::DiagnosticEngine &diags, unsigned bufferId,
                       const SpecLimits &limits)
    : engine(diags), bufferId(bufferId),
      buffer(diags.sourceMgr().getMemoryBuffer(bufferId)->getBuffer()),
      bomSize(buffer.startswith("\xEF\xBB\xBF") ? 3 : 0), specLimits(limits) {}

bool YamlReader::visit(llvm::SMLoc loc) {
  if (++visits <= specLimits.maxValues)
    return true;
  if (visits == specLimits.maxValues + 1)
    engine.error(loc, "aliases expand the spec to more than " +
                          llvm::Twine(specLimits.maxValues) + " values");
  return false;
}

llvm::SMLoc YamlReader::locOf(const YAML::Mark &mark, llvm::SMLoc fallback) const {
  if (mark.is_null() || mark.pos < 0)
    return fallback;
  return engine.locAt(bufferId, bomSize + static_cast<size_t>(mark.pos));
}

llvm::SMLoc YamlReader::locOf(const YAML::Node &node, llvm::SMLoc fallback) const {
  // yaml-cpp marks an empty value where the next token starts, often the next
  // line; the enclosing key or list is the better place to point at.
  if (!node.IsDefined() || node.IsNull())
    return fallback;
  return locOf(node.Mark(), fallback);
}

void YamlReader::typeError(llvm::SMLoc loc, llvm::StringRef expected, const llvm::Twine &where,
                           const YAML::Node &got) {
  engine.error(loc, "expected " + expected + " " + where + ", got " + describeNode(got));
}

bool YamlReader::checkText(llvm::StringRef value, llvm::SMLoc loc, llvm::StringRef key,
                           llvm::StringRef field, const ValueRule *rule, bool multiline) {
  if (value.size() > specLimits.maxStringBytes) {
    engine.error(loc, "a string longer than " + llvm::Twine(specLimits.maxStringBytes / 1024) +
                          " KiB; that is the most one value may hold");
    return false;
  }
  if (std::string bad = findForbiddenCharacter(value, multiline); !bad.empty()) {
    engine.error(loc, bad + " in '" + key + "'");
    return false;
  }
  if (!checkCredential(value, loc, key, field))
    return false;
  if (!rule)
    return true;
  if (std::string reason = rule->check(value); !reason.empty()) {
    engine.error(loc,
                 llvm::Twine("invalid ") + rule->what + " " + quoteValue(value) + "; " + reason);
    return false;
  }
  return true;
}

bool YamlReader::checkCredential(llvm::StringRef value, llvm::SMLoc loc, llvm::StringRef key,
                                 llvm::StringRef field) {
  std::optional<std::string> found = findCredential(value);
  bool entry = key != field; // `HF_TOKEN: ...` in `env`
  if (!found && ((entry && namesSecret(key)) || field == "token_secret") && looksRandom(value))
    found = "a secret (a random-looking value under a name like a secret's)";
  if (!found)
    return true;
  std::string what = entry ? "the value of '" + key.str() + "' in '" + field.str() + "'"
                           : "'" + key.str() + "'";
  engine.error(loc, what + " looks like " + *found + "; " + credentialAdvice(field));
  return false;
}

std::optional<LString> YamlReader::scalarString(const YAML::Node &node, llvm::SMLoc loc,
                                                const llvm::Twine &where, llvm::StringRef key,
                                                llvm::StringRef field, const ValueRule *rule) {
  if (!node.IsScalar()) {
    typeError(loc, "a string", where, node);
    return std::nullopt;
  }
  if (!checkText(node.Scalar(), loc, key, field, rule, /*multiline=*/false))
    return std::nullopt;
  return LString{node.Scalar(), loc};
}

std::optional<LString> YamlReader::string(const Field &field, const ValueRule *rule) {
  return scalarString(field.value, field.valueLoc, "for '" + field.key + "'", field.key,
                      field.key, rule);
}

std::optional<LString> YamlReader::script(const Field &field) {
  if (!field.value.IsScalar()) {
    typeError(field.valueLoc, "a string", "for '" + field.key + "'", field.value);
    return std::nullopt;
  }
  const std::string &text = field.value.Scalar();
  if (!checkText(text, field.valueLoc, field.key, field.key, nullptr, /*multiline=*/true))
    return std::nullopt;
  if (llvm::StringRef(text).trim().empty()) {
    engine.error(field.valueLoc, "'" + field.key + "' may not be empty");
    return std::nullopt;
  }
  return LString{text, field.valueLoc};
}

std::vector<LString> YamlReader::stringList(const Field &field, const ValueRule *rule) {
  std::vector<LString> result;
  if (!field.value.IsSequence()) {
    typeError(field.valueLoc, "a list of strings", "for '" + field.key + "'", field.value);
    return result;
  }
  for (const YAML::Node &item : field.value) {
    llvm::SMLoc loc = locOf(item, field.valueLoc);
    if (!visit(loc))
      break;
    if (auto text = scalarString(item, loc, "in '" + field.key + "'", field.key, field.key, rule))
      result.push_back(std::move(*text));
  }
  return result;
}

LPairs YamlReader::stringMap(const Field &field, const ValueRule &keyRule) {
  LPairs result;
  if (!field.value.IsMap()) {
    typeError(field.valueLoc, "a mapping of strings", "for '" + field.key + "'", field.value);
    return result;
  }
  KeysSeen seen;
  for (auto it = field.value.begin(); it != field.value.end(); ++it) {
    llvm::SMLoc keyLoc = locOf(it->first, field.valueLoc);
    if (!visit(keyLoc))
      break;
    std::optional<std::string> key = keyText(it->first, keyLoc);
    if (!key || checkDuplicate(seen, *key, keyLoc))
      continue;
    seen.add(*key, keyLoc);
    bool keyOk = checkText(*key, keyLoc, field.key, field.key, &keyRule, /*multiline=*/false);
    llvm::SMLoc valueLoc = locOf(it->second, keyLoc);
    auto value = scalarString(it->second, valueLoc, "for '" + *key + "' in '" + field.key + "'",
                              *key, field.key, nullptr);
    if (keyOk && value)
      result.emplace_back(LString{*key, keyLoc}, std::move(*value));
  }
  return result;
}

std::optional<LInt> YamlReader::scalarInteger(const YAML::Node &node, llvm::SMLoc loc,
                                              const llvm::Twine &where, long long min,
                                              long long max, llvm::StringRef what) {
  std::optional<long long> value;
  if (node.IsScalar())
    value = parseInteger(node.Scalar());
  if (!value) {
    typeError(loc, "an integer", where, node);
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    std::string range = max == LLONG_MAX ? "at least " + std::to_string(min)
                                         : std::to_string(min) + " to " + std::to_string(max);
    engine.error(loc, "invalid " + what + " " + node.Scalar() + "; expected " + range);
    return std::nullopt;
  }
  return LInt{*value, loc};
}

std::optional<LInt> YamlReader::integer(const Field &field, long long min, long long max,
                                        llvm::StringRef what) {
  return scalarInteger(field.value, field.valueLoc, "for '" + field.key + "'", min, max, what);
}

std::vector<LInt> YamlReader::integerList(const Field &field, long long min, long long max,
                                          llvm::StringRef what) {
  std::vector<LInt> result;
  if (!field.value.IsSequence()) {
    typeError(field.valueLoc, "a list of integers", "for '" + field.key + "'", field.value);
    return result;
  }
  for (const YAML::Node &item : field.value) {
    llvm::SMLoc loc = locOf(item, field.valueLoc);
    if (!visit(loc))
      break;
    if (auto value = scalarInteger(item, loc, "in '" + field.key + "'", min, max, what))
      result.push_back(*value);
  }
  return result;
}

std::optional<LDouble> YamlReader::number(const Field &field, double min) {
  std::optional<double> value;
  if (field.value.IsScalar())
    value = parseNumber(field.value.Scalar());
  if (!value) {
    typeError(field.valueLoc, "a number", "for '" + field.key + "'", field.value);
    return std::nullopt;
  }
  if (*value < min) {
    engine.error(field.valueLoc, "invalid " + field.key + " " + field.value.Scalar() +
                                     "; expected a number of at least " +
                                     llvm::Twine(static_cast<long long>(min)));
    return std::nullopt;
  }
  return LDouble{*value, field.valueLoc};
}

std::optional<LBool> YamlReader::boolean(const Field &field) {
  if (field.value.IsScalar()) {
    llvm::StringRef text = field.value.Scalar();
    if (text == "true" || text == "True" || text == "TRUE")
      return LBool{true, field.valueLoc};
    if (text == "false" || text == "False" || text == "FALSE")
      return LBool{false, field.valueLoc};
  }
  typeError(field.valueLoc, "true or false", "for '" + field.key + "'", field.value);
  return std::nullopt;
}

std::optional<ChangeSpec> YamlReader::changes(const Field &field) {
  if (!field.value.IsScalar()) {
    typeError(field.valueLoc, "a rate or a probability", "for '" + field.key + "'", field.value);
    return std::nullopt;
  }
  llvm::StringRef text = field.value.Scalar();
  for (const NamedRate &rate : kNamedRates)
    if (text == rate.word)
      return ChangeSpec{field.valueLoc, rate.probability, rate.word};
  if (std::optional<double> p = parseNumber(text)) {
    if (*p >= 0 && *p <= 1)
      return ChangeSpec{field.valueLoc, *p, ""};
    engine.error(field.valueLoc, "invalid '" + field.key + "' value " + text +
                                     "; expected a probability from 0 to 1");
    return std::nullopt;
  }
  if (!checkText(text, field.valueLoc, field.key, field.key, nullptr, /*multiline=*/false))
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 4> words;
  for (const NamedRate &rate : kNamedRates)
    words.push_back(rate.word);
  std::string suggestion = readers::closestMatch(text, words);
  std::string hint = suggestion.empty() ? "expected 'rarely', 'sometimes', 'often', 'always' or a "
                                          "probability from 0 to 1"
                                        : "did you mean '" + suggestion + "'?";
  engine.error(field.valueLoc,
               "invalid '" + field.key + "' value " + quoteValue(text) + "; " + hint);
  return std::nullopt;
}

void YamlReader::forEachMapping(const Field &field,
                                const std::function<void(const YAML::Node &, llvm::SMLoc)> &read) {
  if (!field.value.IsSequence()) {
    typeError(field.valueLoc, "a list of mappings", "for '" + field.key + "'", field.value);
    return;
  }
  for (const YAML::Node &item : field.value) {
    llvm::SMLoc loc = locOf(item, field.valueLoc);
    if (!visit(loc))
      break;
    if (item.IsMap())
      read(item, loc);
    else
      typeError(loc, "a mapping", "in '" + field.key + "'", item);
  }
}

std::optional<std::string> YamlReader::keyText(const YAML::Node &key, llvm::SMLoc loc) {
  if (!key.IsScalar()) {
    engine.error(loc, "expected a string key, got " + describeNode(key));
    return std::nullopt;
  }
  return key.Scalar();
}

bool YamlReader::checkDuplicate(KeysSeen &seen, const std::string &key, llvm::SMLoc loc) {
  llvm::SMLoc first = seen.find(key);
  if (!first.isValid())
    return false;
  engine.error(loc, "duplicate key " + quoteValue(key));
  engine.note(first, "previous definition is here");
  return true;
}

KeysSeen YamlReader::readMapping(const YAML::Node &map, llvm::SMLoc mapLoc,
                                 llvm::ArrayRef<KeyReader> readers) {
  KeysSeen seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    llvm::SMLoc keyLoc = locOf(it->first, mapLoc);
    if (!visit(keyLoc))
      break;
    std::optional<std::string> key = keyText(it->first, keyLoc);
    if (!key)
      continue;
    const KeyReader *reader =
        llvm::find_if(readers, [&](const KeyReader &r) { return *key == r.key; });
    if (reader == readers.end()) {
      if (*key == "<<") {
        engine.error(keyLoc, "merge keys ('<<') are not supported");
        continue;
      }
      llvm::SmallVector<llvm::StringRef, 16> known;
      for (const KeyReader &r : readers)
        known.push_back(r.key);
      std::string suggestion = readers::closestMatch(*key, known);
      engine.error(keyLoc, "unknown key " + quoteValue(*key) +
                               (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?"));
      continue;
    }
    if (checkDuplicate(seen, *key, keyLoc))
      continue;
    seen.add(*key, keyLoc);
    reader->read(Field{*key, keyLoc, it->second, locOf(it->second, keyLoc)});
  }
  // A mapping cut short by the value limit is not missing its keys.
  if (visits > specLimits.maxValues)
    return seen;
  for (const KeyReader &r : readers)
    if (r.required && !seen.has(r.key))
      engine.error(mapLoc, llvm::Twine("missing required key '") + r.key + "'");
  return seen;
}

std::optional<KeysSeen> YamlReader::readSection(const Field &field,
                                                llvm::ArrayRef<KeyReader> readers) {
  if (!field.value.IsMap()) {
    typeError(field.valueLoc, "a mapping", "for '" + field.key + "'", field.value);
    return std::nullopt;
  }
  return readMapping(field.value, field.keyLoc, readers);
}

} // namespace imageplan::dsl
