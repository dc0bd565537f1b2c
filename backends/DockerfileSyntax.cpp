// Dockerfile-level quoting (see DockerfileSyntax.h). The rules follow
// BuildKit's frontend: parser/split_command.go splits flags,
// instructions/commands_runmount.go reads --mount as CSV, shell/lex.go expands
// words.
#include "backends/DockerfileSyntax.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::backends {

namespace {

bool isControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool isPlainValueChar(char c) {
  return llvm::isAlnum(c) || llvm::StringRef("_./:,+@-").contains(c);
}

void appendHexEscape(std::string &out, char c) {
  out += "\\x";
  out += llvm::hexdigit(static_cast<unsigned char>(c) >> 4, /*LowerCase=*/true);
  out += llvm::hexdigit(static_cast<unsigned char>(c) & 0xf, /*LowerCase=*/true);
}

// Text that must be quoted once more when it travels inside a CSV field:
// the comma separates fields and a quote starts a quoted field.
bool needsCsvQuotes(llvm::StringRef field) {
  return field.find_first_of(",\"\n\r") != llvm::StringRef::npos;
}

std::string csvQuote(llvm::StringRef field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"')
      out += "\"\"";
    else
      out += c;
  }
  out += '"';
  return out;
}

} // namespace

std::string dockerfileWord(llvm::StringRef value) {
  if (!value.empty() && llvm::all_of(value, isPlainValueChar))
    return value.str();
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
    case '\\':
    case '"':
    case '$':
      out += '\\';
      out += c;
      break;
    case '\t':
      out += c;
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (isControl(c))
        appendHexEscape(out, c);
      else
        out += c;
    }
  }
  out += '"';
  return out;
}

bool isPlainDockerfileWord(llvm::StringRef value) {
  return !value.empty() && !value.startswith("-") && llvm::all_of(value, isPlainValueChar);
}

std::string escapeWordExpansion(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (llvm::StringRef("\\\"'$").contains(c))
      out += '\\';
    out += c;
  }
  return out;
}

std::string dockerfileFlag(llvm::StringRef name, llvm::StringRef value) {
  std::string out = ("--" + name + "=").str();
  bool needsQuotes = llvm::any_of(value, [](char c) {
    return llvm::isSpace(c) || isControl(c) || c == '"' || c == '\'' || c == '\\';
  });
  if (!needsQuotes)
    return out + value.str();
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\')
      out += '\\';
    // A line break cannot be written in a flag; see dockerfileWord.
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (isControl(c) && c != '\t')
      appendHexEscape(out, c);
    else
      out += c;
  }
  out += '"';
  return out;
}

std::string mountFlag(const Mount &mount) {
  std::string csv;
  for (const auto &[key, value] : mount.options) {
    if (!csv.empty())
      csv += ',';
    std::string field = key + "=" + escapeWordExpansion(value);
    csv += needsCsvQuotes(field) ? csvQuote(field) : field;
  }
  return dockerfileFlag("mount", csv);
}

std::string jsonString(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\u00";
      out += llvm::hexdigit(static_cast<unsigned char>(c) >> 4, /*LowerCase=*/true);
      out += llvm::hexdigit(static_cast<unsigned char>(c) & 0xf, /*LowerCase=*/true);
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string jsonArray(llvm::ArrayRef<std::string> items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i)
      out += ", ";
    out += jsonString(items[i]);
  }
  out += ']';
  return out;
}

std::string commentText(llvm::StringRef text) {
  std::string out;
  for (char c : text)
    out += isControl(c) ? ' ' : c;
  return llvm::StringRef(out).rtrim().str();
}

} // namespace imageplan::backends
