// Which build-context paths a .dockerignore keeps out, matched the way Docker
// matches them: Go's filepath.Match plus `**`, a pattern also covering
// everything under a directory it matches, `!` exceptions, last match wins.
#pragma once

#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace imageplan::readers {

/// Go's filepath.Clean on a '/'-separated path: no empty or `.` elements,
/// `..` resolved lexically, no trailing '/'; "" becomes ".".
std::string cleanPath(llvm::StringRef path);

/// One glob on '/'-separated paths: `*` and `?` stop at '/', `[a-z]` and
/// `[^a-z]` are classes (never matching '/'), `\` escapes the next character,
/// `**` matches any number of whole directories (none included), and a
/// trailing `**` matches anything.
class PathPattern {
public:
  /// The compiled pattern, or an error saying why it is malformed (an
  /// unterminated or empty class, a reversed range, a trailing `\`).
  static llvm::Expected<PathPattern> compile(llvm::StringRef pattern);

  /// True when the whole of `path` matches.
  bool matches(llvm::StringRef path) const;
  /// True when `path` or one of its parent directories matches: excluding a
  /// directory excludes what it holds.
  bool matchesOrParent(llvm::StringRef path) const;

  const std::string &text() const { return source; }

private:
  enum class Kind { Literal, AnyChar, Class, Star, AnyDirs, AnyAll };
  struct Token {
    Kind kind = Kind::Literal;
    char literal = 0;
    bool negated = false;
    std::vector<std::pair<char, char>> ranges; // inclusive
  };
  bool classMatches(const Token &token, char c) const;

  std::string source;
  std::vector<Token> tokens;
};

/// The rules of one .dockerignore file, in file order.
class DockerignoreMatcher {
public:
  /// Reads the .dockerignore held in buffer `bufferId` of the engine. Every
  /// line Docker would refuse (a bare `!`, a malformed glob) is an error at its
  /// location; then the returned error only carries the count.
  static llvm::Expected<DockerignoreMatcher> parse(DiagnosticEngine &diags, unsigned bufferId);

  /// True when the context-relative path `path` is left out of the context.
  bool excludes(llvm::StringRef path) const;
  bool empty() const { return rules.empty(); }

private:
  struct Rule {
    PathPattern pattern;
    bool exception = false;
  };
  std::vector<Rule> rules;
};

} // namespace imageplan::readers
