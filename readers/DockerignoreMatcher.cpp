// Glob compilation and matching for .dockerignore files and COPY sources. A
// pattern is compiled into tokens once; matching is a table over (token,
// position), so no pattern can make it take exponential time.
#include "readers/DockerignoreMatcher.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace imageplan::readers {
namespace {

llvm::Error badPattern(llvm::StringRef pattern, const llvm::Twine &why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "bad pattern '" + pattern + "': " + why);
}

} // namespace

std::string cleanPath(llvm::StringRef path) {
  bool rooted = path.startswith("/");
  llvm::SmallVector<llvm::StringRef, 8> parts, kept;
  path.split(parts, '/');
  for (llvm::StringRef part : parts) {
    if (part.empty() || part == ".")
      continue;
    if (part == "..") {
      if (!kept.empty() && kept.back() != "..")
        kept.pop_back();
      else if (!rooted)
        kept.push_back(part);
      continue;
    }
    kept.push_back(part);
  }
  std::string joined = llvm::join(kept, "/");
  if (rooted)
    return "/" + joined;
  return joined.empty() ? "." : joined;
}

llvm::Expected<PathPattern> PathPattern::compile(llvm::StringRef pattern) {
  PathPattern result;
  result.source = pattern.str();
  size_t i = 0, n = pattern.size();
  while (i < n) {
    char c = pattern[i];
    Token token;
    if (c == '*') {
      if (i + 1 < n && pattern[i + 1] == '*') {
        i += 2;
        if (i < n && pattern[i] == '/')
          ++i;
        token.kind = i == n ? Kind::AnyAll : Kind::AnyDirs;
      } else {
        token.kind = Kind::Star;
        ++i;
      }
    } else if (c == '?') {
      token.kind = Kind::AnyChar;
      ++i;
    } else if (c == '\\') {
      if (i + 1 == n)
        return badPattern(pattern, "'\\' at the end escapes nothing");
      token.literal = pattern[i + 1];
      i += 2;
    } else if (c == '[') {
      token.kind = Kind::Class;
      ++i;
      if (i < n && pattern[i] == '^') {
        token.negated = true;
        ++i;
      }
      // One member: a character, or `\` and the character it escapes.
      auto member = [&](char &out) -> bool {
        if (i >= n || pattern[i] == ']' || pattern[i] == '-')
          return false;
        if (pattern[i] == '\\') {
          if (++i >= n)
            return false;
        }
        out = pattern[i++];
        return true;
      };
      while (true) {
        if (i < n && pattern[i] == ']' && !token.ranges.empty()) {
          ++i;
          break;
        }
        char lo = 0, hi = 0;
        if (!member(lo))
          return badPattern(pattern, i >= n ? "unterminated character class"
                                            : "empty or malformed character class");
        hi = lo;
        if (i < n && pattern[i] == '-') {
          ++i;
          if (!member(hi))
            return badPattern(pattern, "malformed range in character class");
          if (hi < lo)
            return badPattern(pattern, "character range runs backwards");
        }
        token.ranges.push_back({lo, hi});
      }
    } else {
      token.literal = c;
      ++i;
    }
    result.tokens.push_back(std::move(token));
  }
  return result;
}

bool PathPattern::classMatches(const Token &token, char c) const {
  if (c == '/')
    return false;
  bool inside = false;
  for (auto [lo, hi] : token.ranges)
    if (lo <= c && c <= hi)
      inside = true;
  return inside != token.negated;
}

bool PathPattern::matches(llvm::StringRef path) const {
  size_t t = tokens.size(), n = path.size();
  // ok[i * (n + 1) + j]: tokens[i..] match path[j..]. dirs[j] is the same
  // for the AnyDirs token being filled: some '/' at or after j ends a run of
  // directories after which the rest matches.
  std::vector<char> ok((t + 1) * (n + 1), 0), dirs(n + 2, 0);
  auto at = [&](size_t i, size_t j) -> char & { return ok[i * (n + 1) + j]; };
  at(t, n) = 1;
  for (size_t i = t; i-- > 0;) {
    const Token &token = tokens[i];
    if (token.kind == Kind::AnyDirs) {
      dirs[n] = 0;
      for (size_t j = n; j-- > 0;)
        dirs[j] = (path[j] == '/' && at(i + 1, j + 1)) || dirs[j + 1];
    }
    for (size_t j = n + 1; j-- > 0;) {
      bool more = j < n;
      switch (token.kind) {
      case Kind::Literal:
        at(i, j) = more && path[j] == token.literal && at(i + 1, j + 1);
        break;
      case Kind::AnyChar:
        at(i, j) = more && path[j] != '/' && at(i + 1, j + 1);
        break;
      case Kind::Class:
        at(i, j) = more && classMatches(token, path[j]) && at(i + 1, j + 1);
        break;
      case Kind::Star:
        at(i, j) = at(i + 1, j) || (more && path[j] != '/' && at(i, j + 1));
        break;
      case Kind::AnyDirs:
        at(i, j) = at(i + 1, j) || dirs[j];
        break;
      case Kind::AnyAll:
        at(i, j) = at(i + 1, j) || (more && at(i, j + 1));
        break;
      }
    }
  }
  return at(0, 0);
}

bool PathPattern::matchesOrParent(llvm::StringRef path) const {
  if (matches(path))
    return true;
  for (size_t slash = path.find('/'); slash != llvm::StringRef::npos;
       slash = path.find('/', slash + 1))
    if (matches(path.take_front(slash)))
      return true;
  return false;
}

llvm::Expected<DockerignoreMatcher> DockerignoreMatcher::parse(DiagnosticEngine &diags,
                                                               unsigned bufferId) {
  llvm::StringRef text = diags.sourceMgr().getMemoryBuffer(bufferId)->getBuffer();
  text.consume_front("\xEF\xBB\xBF"); // a byte order mark is not part of the first pattern
  DockerignoreMatcher matcher;
  unsigned errors = 0;
  while (!text.empty()) {
    auto [raw, rest] = text.split('\n');
    text = rest;
    // Only a '#' in the first column starts a comment.
    if (raw.startswith("#"))
      continue;
    llvm::StringRef line = raw.trim();
    if (line.empty())
      continue;
    llvm::SMLoc loc = llvm::SMLoc::getFromPointer(line.data());
    Rule rule;
    if (line.startswith("!")) {
      rule.exception = true;
      line = line.drop_front().trim();
      if (line.empty()) {
        diags.error(loc, "'!' needs a pattern after it");
        ++errors;
        continue;
      }
    }
    std::string pattern = cleanPath(line);
    if (pattern.size() > 1 && pattern.front() == '/')
      pattern.erase(0, 1);
    llvm::Expected<PathPattern> compiled = PathPattern::compile(pattern);
    if (!compiled) {
      diags.error(loc, llvm::toString(compiled.takeError()));
      ++errors;
      continue;
    }
    rule.pattern = std::move(*compiled);
    matcher.rules.push_back(std::move(rule));
  }
  if (errors)
    return diagnosticsReported(errors);
  return matcher;
}

bool DockerignoreMatcher::excludes(llvm::StringRef path) const {
  bool excluded = false;
  for (const Rule &rule : rules)
    if (rule.pattern.matchesOrParent(path))
      excluded = !rule.exception;
  return excluded;
}

} // namespace imageplan::readers
