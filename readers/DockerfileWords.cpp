// Word splitting and variable expansion for Dockerfile arguments, and the CSV
// split of --mount values (see DockerfileWords.h for the rules).
#include "readers/DockerfileWords.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::readers {
namespace {

bool isNameStart(char c) { return llvm::isAlpha(c) || c == '_'; }
bool isNameChar(char c) { return llvm::isAlnum(c) || c == '_'; }

class Expander {
public:
  Expander(VariableLookup lookup, WordError &error) : lookup(lookup), error(error) {}

  /// Expands the variable reference starting at s[i] == '$' into `out`, and
  /// moves `i` past it. `base` is s's offset in the split text, for errors.
  bool expand(llvm::StringRef s, size_t &i, size_t base, std::string &out) {
    size_t start = i++;
    if (i < s.size() && isNameStart(s[i])) {
      size_t end = i;
      while (end < s.size() && isNameChar(s[end]))
        ++end;
      out += lookup(s.slice(i, end)).value_or("");
      i = end;
      return true;
    }
    if (i >= s.size() || s[i] != '{') {
      out += '$';
      return true;
    }
    // ${...}: find the matching brace; words inside may nest ${...}.
    size_t depth = 1, end = i + 1;
    for (; end < s.size() && depth; ++end) {
      if (s[end] == '{')
        ++depth;
      else if (s[end] == '}')
        --depth;
    }
    if (depth) {
      error = {base + start, "missing '}' after '${'"};
      return false;
    }
    llvm::StringRef inner = s.slice(i + 1, end - 1);
    i = end;
    size_t nameEnd = 0;
    while (nameEnd < inner.size() && isNameChar(inner[nameEnd]))
      ++nameEnd;
    if (nameEnd == 0 || !isNameStart(inner[0])) {
      error = {base + start, "bad substitution '${" + inner.str() + "}'"};
      return false;
    }
    std::optional<std::string> value = lookup(inner.take_front(nameEnd));
    llvm::StringRef modifier = inner.drop_front(nameEnd);
    bool set = value.has_value(), nonEmpty = set && !value->empty();
    auto word = [&](size_t skip, std::string &into) {
      return expandAll(modifier.drop_front(skip), base + start, into);
    };
    bool colon = modifier.startswith(":");
    // With a colon, an empty value counts as unset.
    bool present = colon ? nonEmpty : set;
    size_t skip = colon ? 2 : 1;
    if (modifier.drop_front(colon).startswith("-")) { // default
      if (!present)
        return word(skip, out);
      out += *value;
      return true;
    }
    if (modifier.drop_front(colon).startswith("+")) // alternative
      return present ? word(skip, out) : true;
    // Other modifiers (#, %, /) are rare in paths; the plain value stands in.
    out += value.value_or("");
    return true;
  }

  bool expandAll(llvm::StringRef s, size_t base, std::string &out) {
    for (size_t i = 0; i < s.size();) {
      if (s[i] == '$') {
        if (!expand(s, i, base, out))
          return false;
        continue;
      }
      out += s[i++];
    }
    return true;
  }

private:
  VariableLookup lookup;
  WordError &error;
};

} // namespace

std::optional<std::vector<DockerfileWord>> splitWords(llvm::StringRef text, char escape,
                                                      VariableLookup lookup, WordError &error,
                                                      size_t maxWords) {
  std::vector<DockerfileWord> words;
  Expander expander(lookup, error);
  size_t i = 0, n = text.size();
  while (true) {
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
      ++i;
    if (i >= n || words.size() >= maxWords)
      return words;
    DockerfileWord word;
    word.begin = i;
    while (i < n && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r') {
      char c = text[i];
      if (c == '\'') {
        size_t close = text.find('\'', i + 1);
        if (close == llvm::StringRef::npos) {
          error = {i, "unterminated single quote"};
          return std::nullopt;
        }
        word.value += text.slice(i + 1, close);
        i = close + 1;
      } else if (c == '"') {
        size_t open = i++;
        while (i < n && text[i] != '"') {
          if (text[i] == escape && i + 1 < n &&
              (text[i + 1] == '"' || text[i + 1] == '$' || text[i + 1] == escape)) {
            word.value += text[i + 1];
            i += 2;
          } else if (text[i] == '$' && lookup) {
            if (!expander.expand(text, i, 0, word.value))
              return std::nullopt;
          } else {
            word.value += text[i++];
          }
        }
        if (i >= n) {
          error = {open, "unterminated double quote"};
          return std::nullopt;
        }
        ++i;
      } else if (c == escape) {
        if (i + 1 < n)
          word.value += text[i + 1];
        i += 2;
      } else if (c == '$' && lookup) {
        if (!expander.expand(text, i, 0, word.value))
          return std::nullopt;
      } else {
        word.value += c;
        ++i;
      }
    }
    word.end = std::min(i, n);
    words.push_back(std::move(word));
  }
}

std::vector<std::string> splitCsv(llvm::StringRef text) {
  std::vector<std::string> fields;
  size_t i = 0, n = text.size();
  while (true) {
    std::string field;
    if (i < n && text[i] == '"') {
      ++i;
      while (i < n) {
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
    }
    while (i < n && text[i] != ',')
      field += text[i++];
    fields.push_back(std::move(field));
    if (i >= n)
      return fields;
    ++i; // the comma
  }
}

} // namespace imageplan::readers
