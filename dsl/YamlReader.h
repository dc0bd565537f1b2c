// Turns yaml-cpp nodes into the AST's Located values for the spec parser. Each
// problem becomes a diagnostic at the node it concerns and the reader returns
// nothing for that value, so the parser carries on and one run reports all.
#pragma once

#include "dsl/Limits.h"
#include "dsl/Spec.h"
#include "dsl/ValueRules.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/StringMap.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::dsl {

/// One `key: value` entry of a mapping.
struct Field {
  std::string key;
  llvm::SMLoc keyLoc;
  YAML::Node value;
  llvm::SMLoc valueLoc; // the key's location when the value is empty
};

/// A key a mapping may hold, and what to do with its value.
struct KeyReader {
  const char *key;
  std::function<void(const Field &)> read;
  bool required = false;
};

/// The keys a mapping held, in document order, the first of any duplicates.
/// A key whose value was rejected still counts as written, so rules relating
/// keys (exactly one of 'cuda' and 'image') do not pile onto an earlier error.
class KeysSeen {
public:
  void add(llvm::StringRef key, llvm::SMLoc loc) { where.try_emplace(key, loc); }
  /// Where `key` was written, or an invalid SMLoc.
  llvm::SMLoc find(llvm::StringRef key) const {
    auto it = where.find(key);
    return it == where.end() ? llvm::SMLoc() : it->second;
  }
  bool has(llvm::StringRef key) const { return find(key).isValid(); }

private:
  llvm::StringMap<llvm::SMLoc> where; // a mapping may hold thousands of keys
};

class YamlReader {
public:
  YamlReader(readers::DiagnosticEngine &diags, unsigned bufferId,
             const SpecLimits &limits = kDefaultSpecLimits);

  readers::DiagnosticEngine &diags() { return engine; }
  const SpecLimits &limits() const { return specLimits; }
  /// Counts one more value read at `loc`. False, after reporting it once,
  /// when aliases have made the spec expand beyond SpecLimits::maxValues
  /// (YamlPrescan counted each value as written once): the caller stops.
  bool visit(llvm::SMLoc loc);
  /// The buffer's text, and the location of its first byte.
  llvm::StringRef text() const { return buffer; }
  llvm::SMLoc start() const { return llvm::SMLoc::getFromPointer(buffer.data()); }

  /// The location of a yaml-cpp mark, or `fallback` when the mark is null.
  llvm::SMLoc locOf(const YAML::Mark &mark, llvm::SMLoc fallback = {}) const;
  llvm::SMLoc locOf(const YAML::Node &node, llvm::SMLoc fallback = {}) const;

  /// Walks a mapping in document order: reports keys that are not strings,
  /// unknown keys (suggesting a known one), duplicates, and, at `mapLoc`,
  /// required keys that are missing. Every other key goes to its reader.
  KeysSeen readMapping(const YAML::Node &map, llvm::SMLoc mapLoc,
                       llvm::ArrayRef<KeyReader> readers);
  /// readMapping() for a field whose value must be a mapping; reports any
  /// other value and returns std::nullopt.
  std::optional<KeysSeen> readSection(const Field &field, llvm::ArrayRef<KeyReader> readers);

  /// A string, checked against `rule` when given. Every string is checked for
  /// control characters; script() admits newlines and tabs, and no blank text.
  std::optional<LString> string(const Field &field, const ValueRule *rule = nullptr);
  std::optional<LString> script(const Field &field);
  std::vector<LString> stringList(const Field &field, const ValueRule *rule = nullptr);
  /// A mapping of strings in document order; keys are checked against `keyRule`.
  LPairs stringMap(const Field &field, const ValueRule &keyRule);

  /// Integers within [min, max]; `what` names one in a range error.
  std::optional<LInt> integer(const Field &field, long long min, long long max,
                              llvm::StringRef what);
  std::vector<LInt> integerList(const Field &field, long long min, long long max,
                                llvm::StringRef what);
  /// A number of at least `min`.
  std::optional<LDouble> number(const Field &field, double min);
  std::optional<LBool> boolean(const Field &field);
  /// `changes:`: a named rate or a probability in [0, 1].
  std::optional<ChangeSpec> changes(const Field &field);
  /// Hands each item of a list of mappings, with its location, to `read`, in
  /// order; reports items that are not mappings where they stand.
  void forEachMapping(const Field &field,
                      const std::function<void(const YAML::Node &, llvm::SMLoc)> &read);

private:
  /// "expected <expected> <where>, got <what the node is>".
  void typeError(llvm::SMLoc loc, llvm::StringRef expected, const llvm::Twine &where,
                 const YAML::Node &got);
  /// Reports control characters in `value`, a string over the size limit, a
  /// credential (Secrets.h) and, when given, a broken `rule`. `key` names the
  /// value in messages; `field` is the spec key holding it, the same but
  /// for an entry of a mapping such as `env` (then `key` is the entry's).
  bool checkText(llvm::StringRef value, llvm::SMLoc loc, llvm::StringRef key,
                 llvm::StringRef field, const ValueRule *rule, bool multiline);
  bool checkCredential(llvm::StringRef value, llvm::SMLoc loc, llvm::StringRef key,
                       llvm::StringRef field);
  std::optional<LString> scalarString(const YAML::Node &node, llvm::SMLoc loc,
                                      const llvm::Twine &where, llvm::StringRef key,
                                      llvm::StringRef field, const ValueRule *rule);
  std::optional<LInt> scalarInteger(const YAML::Node &node, llvm::SMLoc loc,
                                    const llvm::Twine &where, long long min, long long max,
                                    llvm::StringRef what);
  std::optional<std::string> keyText(const YAML::Node &key, llvm::SMLoc loc);
  bool checkDuplicate(KeysSeen &seen, const std::string &key, llvm::SMLoc loc);

  readers::DiagnosticEngine &engine;
  unsigned bufferId;
  llvm::StringRef buffer;
  size_t bomSize; // yaml-cpp counts positions after a byte order mark
  const SpecLimits &specLimits;
  size_t visits = 0;
};

/// How a node reads in a message: "a list", "a mapping", "an empty value", or
/// the scalar's text quoted.
std::string describeNode(const YAML::Node &node);

} // namespace imageplan::dsl
