// Escaping of user text for messages (TextEscape.h).
#include "readers/TextEscape.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

namespace imageplan::readers {

bool isLegalUtf8(llvm::StringRef text) {
  const auto *begin = reinterpret_cast<const llvm::UTF8 *>(text.data());
  return llvm::isLegalUTF8String(&begin, begin + text.size());
}

bool isC1ControlAt(llvm::StringRef text, size_t i) {
  return i + 1 < text.size() && static_cast<unsigned char>(text[i]) == 0xC2 &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9F;
}

unsigned bidiControlAt(llvm::StringRef text, size_t i) {
  auto byte = [&](size_t k) -> unsigned {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  if (byte(0) == 0xD8 && byte(1) == 0x9C)
    return 0x061C;
  if (byte(0) != 0xE2)
    return 0;
  unsigned codePoint = 0x2000 | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
  if ((byte(1) & 0xC0) != 0x80 || (byte(2) & 0xC0) != 0x80)
    return 0;
  bool bidi = codePoint == 0x200E || codePoint == 0x200F ||
              (codePoint >= 0x202A && codePoint <= 0x202E) ||
              (codePoint >= 0x2066 && codePoint <= 0x2069);
  return bidi ? codePoint : 0;
}

namespace {

void appendHex(std::string &out, const char *prefix, unsigned char c) {
  out += prefix;
  out += llvm::hexdigit(c >> 4, /*LowerCase=*/true);
  out += llvm::hexdigit(c & 0xF, /*LowerCase=*/true);
}

} // namespace

bool appendEscaped(std::string &out, llvm::StringRef text, size_t limit) {
  bool utf8 = isLegalUtf8(text);
  size_t i = 0;
  for (; i < text.size() && i < limit; ++i) {
    unsigned char c = text[i];
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c == 0x7F || (c >= 0x80 && !utf8))
      appendHex(out, "\\x", c);
    else if (utf8 && isC1ControlAt(text, i))
      appendHex(out, "\\u00", static_cast<unsigned char>(text[++i]));
    else if (unsigned bidi = utf8 ? bidiControlAt(text, i) : 0) {
      appendHex(out, "\\u", static_cast<unsigned char>(bidi >> 8));
      appendHex(out, "", static_cast<unsigned char>(bidi & 0xFF));
      i += bidi == 0x061C ? 1 : 2; // the rest of its UTF-8 sequence
    } else {
      out += static_cast<char>(c);
    }
  }
  // Finish a UTF-8 sequence the limit cut into.
  if (utf8)
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
      out += text[i++];
  return i >= text.size();
}

std::string escapeText(llvm::StringRef text) {
  std::string out;
  appendEscaped(out, text, text.size());
  return out;
}

std::string quoteText(llvm::StringRef text) {
  constexpr size_t kMaxShown = 60;
  std::string out = "'";
  if (!appendEscaped(out, text, kMaxShown))
    out += "...";
  return out + "'";
}

} // namespace imageplan::readers
