// How text from an input reaches a terminal: control characters and bytes
// that are not UTF-8 are shown escaped (`\x1b`, `\u0085`), so no message,
// source line or file name can move the cursor, change colours or break a
// line. Every phase shows user text through these functions.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::readers {

/// True when `text` is well-formed UTF-8.
bool isLegalUtf8(llvm::StringRef text);

/// True when a C1 control character (U+0080..U+009F, UTF-8 C2 80..C2 9F)
/// starts at `text[i]`.
bool isC1ControlAt(llvm::StringRef text, size_t i);

/// The code point of a bidirectional formatting character starting at
/// `text[i]` (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), or 0.
/// They reorder how text is displayed, so code can read differently from
/// what it does ("Trojan Source"); they are escaped and refused like controls.
unsigned bidiControlAt(llvm::StringRef text, size_t i);

/// Appends `text` to `out` with line breaks, tabs and carriage returns as
/// `\n`, `\t`, `\r`, other control characters (C0, DEL, C1, bidirectional
/// formatting characters as `\u202e`) and, when `text`
/// is not UTF-8, every byte above 0x7F as `\xNN` or `\u00NN`. Stops after
/// `limit` bytes of `text` (never inside a UTF-8 sequence); returns whether
/// all of `text` fit.
bool appendEscaped(std::string &out, llvm::StringRef text, size_t limit);

/// appendEscaped() of the whole of `text`.
std::string escapeText(llvm::StringRef text);

/// `text` for a message: single-quoted and escaped, shortened to 60 bytes
/// with "..." so that a message stays one readable line.
std::string quoteText(llvm::StringRef text);

} // namespace imageplan::readers
