// Quoting for the Dockerfile's own syntax: ENV/LABEL values, flags, --mount
// options, JSON arrays and comments. Shell text inside RUN is quoted by
// ShellQuote.h instead; the two languages have different rules.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace imageplan::backends {

/// A value that BuildKit reads as one word with quotes and $-expansion
/// (ENV and LABEL keys and values, WORKDIR, USER): bare when it is made of
/// [A-Za-z0-9_./:,+@-] and non-empty, else double-quoted with \ " $ escaped,
/// so nothing is expanded.
///
/// A Dockerfile cannot hold a newline (or other control character) in such a
/// value: a line break ends the instruction. The DSL rejects them; should one
/// get here anyway it is written as a visible escape (\n, \r, \xHH), which
/// keeps the file well-formed at the price of a changed value. Tab is kept.
std::string dockerfileWord(llvm::StringRef value);

/// True when dockerfileWord(value) is `value` itself, and the value cannot be
/// mistaken for a flag: such a word may stand unquoted in any instruction.
bool isPlainDockerfileWord(llvm::StringRef value);

/// `text` with every character that BuildKit's word expansion treats
/// specially (\ " ' $) escaped by a backslash: for values BuildKit expands
/// that we do not put in quotes ourselves (JSON-form COPY paths, --chown,
/// --mount option values).
std::string escapeWordExpansion(llvm::StringRef text);

/// `--name=value`, with the value double-quoted when the flag splitter would
/// otherwise cut it at whitespace or eat a quote or backslash.
std::string dockerfileFlag(llvm::StringRef name, llvm::StringRef value);

/// One RUN --mount: ordered key=value options, e.g. {type, cache},
/// {target, /root/.cache/pip}.
struct Mount {
  std::vector<std::pair<std::string, std::string>> options;
  bool operator==(const Mount &other) const { return options == other.options; }
};

/// The `--mount=...` flag. Option values go through BuildKit's word expansion,
/// then CSV, then the flag splitter; each layer is escaped only when the value
/// needs it, so ordinary paths stay readable.
std::string mountFlag(const Mount &mount);

/// `s` as a JSON string: " and \ escaped, control characters as \u00XX.
std::string jsonString(llvm::StringRef s);
/// `["a", "b"]`: the exec form of CMD, ENTRYPOINT and HEALTHCHECK CMD.
std::string jsonArray(llvm::ArrayRef<std::string> items);

/// `text` fit for a `# ...` comment line: control characters become spaces
/// (a newline would end the comment) and trailing blanks are dropped.
std::string commentText(llvm::StringRef text);

} // namespace imageplan::backends
