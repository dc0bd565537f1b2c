// Shell quoting for RUN text (see ShellQuote.h for the rules).
#include "backends/ShellQuote.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

#include <cassert>

namespace imageplan::backends {

namespace {

bool isBareChar(char c) { return llvm::isAlnum(c) || llvm::StringRef("_@%+=:,./-").contains(c); }

// A tab inside single quotes is harmless in a Dockerfile line; newline and
// carriage return would end the line, the others make the file unreadable.
bool needsAnsiC(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

std::string ansiCQuote(llvm::StringRef word) {
  std::string out = "$'";
  for (char c : word) {
    switch (c) {
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\'':
      out += "\\'";
      break;
    default:
      if (needsAnsiC(c)) {
        // Always two hex digits: bash reads at most two, so a following
        // digit of the word cannot be taken into the escape.
        out += "\\x";
        out += llvm::hexdigit(static_cast<unsigned char>(c) >> 4, /*LowerCase=*/true);
        out += llvm::hexdigit(static_cast<unsigned char>(c) & 0xf, /*LowerCase=*/true);
      } else {
        out += c;
      }
    }
  }
  out += "'";
  return out;
}

} // namespace

std::string shellQuote(llvm::StringRef word, QuoteMode mode) {
  if (word.empty())
    return "''";
  if (mode == QuoteMode::AsNeeded && llvm::all_of(word, isBareChar))
    return word.str();
  if (llvm::any_of(word, needsAnsiC))
    return ansiCQuote(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += "'";
  return out;
}

std::string shellJoin(llvm::ArrayRef<llvm::StringRef> words) {
  std::string out;
  for (llvm::StringRef word : words) {
    if (!out.empty())
      out += ' ';
    out += shellQuote(word);
  }
  return out;
}

namespace {
bool isIdentifier(llvm::StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}
} // namespace

std::string shellVariable(llvm::StringRef name) {
  assert(isIdentifier(name) && "not a shell identifier");
  return ("\"$" + name + "\"").str();
}

std::string shellAssign(llvm::StringRef name, llvm::StringRef value) {
  assert(!name.empty() && !llvm::isDigit(name.front()) && llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '_';
  }) && "not a shell identifier");
  return (name + "=" + shellQuote(value)).str();
}

} // namespace imageplan::backends
