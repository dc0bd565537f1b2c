// Credential shapes (Secrets.h). Each token kind is a prefix its issuer puts
// in front of every token, followed by a run of the characters the issuer
// uses, long enough that words such as `hf_transfer` or `sk-learn` never
// match. The list follows the providers' own documentation of their formats.
#include "dsl/Secrets.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <array>
#include <cmath>

namespace imageplan::dsl {
namespace {

enum class Alphabet { Alnum, AlnumDash, AlnumUnderscore, UpperDigits, Hex };

struct TokenShape {
  const char *prefix;
  Alphabet alphabet;
  size_t minLength; // of the run after the prefix
  size_t maxLength; // 0: any
  const char *what;
};

constexpr TokenShape kTokenShapes[] = {
    {"hf_", Alphabet::Alnum, 30, 0, "a Hugging Face token"},
    {"api_org_", Alphabet::Alnum, 30, 0, "a Hugging Face token"},
    {"ghp_", Alphabet::Alnum, 30, 0, "a GitHub token"},
    {"gho_", Alphabet::Alnum, 30, 0, "a GitHub token"},
    {"ghu_", Alphabet::Alnum, 30, 0, "a GitHub token"},
    {"ghs_", Alphabet::Alnum, 30, 0, "a GitHub token"},
    {"ghr_", Alphabet::Alnum, 30, 0, "a GitHub token"},
    {"github_pat_", Alphabet::AlnumUnderscore, 40, 0, "a GitHub token"},
    {"glpat-", Alphabet::AlnumDash, 20, 0, "a GitLab token"},
    {"AKIA", Alphabet::UpperDigits, 16, 16, "an AWS access key id"},
    {"ASIA", Alphabet::UpperDigits, 16, 16, "an AWS access key id"},
    {"xoxb-", Alphabet::AlnumDash, 10, 0, "a Slack token"},
    {"xoxp-", Alphabet::AlnumDash, 10, 0, "a Slack token"},
    {"xoxa-", Alphabet::AlnumDash, 10, 0, "a Slack token"},
    {"xoxs-", Alphabet::AlnumDash, 10, 0, "a Slack token"},
    {"sk-", Alphabet::AlnumDash, 32, 0, "an API key"},
    {"sk_live_", Alphabet::Alnum, 20, 0, "a Stripe key"},
    {"rk_live_", Alphabet::Alnum, 20, 0, "a Stripe key"},
    {"AIza", Alphabet::AlnumDash, 35, 35, "a Google API key"},
    {"npm_", Alphabet::Alnum, 36, 0, "an npm token"},
    {"pypi-", Alphabet::AlnumDash, 50, 0, "a PyPI token"},
    {"dop_v1_", Alphabet::Hex, 64, 0, "a DigitalOcean token"},
};

bool inAlphabet(char c, Alphabet alphabet) {
  switch (alphabet) {
  case Alphabet::Alnum:
    return llvm::isAlnum(c);
  case Alphabet::AlnumDash:
    return llvm::isAlnum(c) || c == '-' || c == '_';
  case Alphabet::AlnumUnderscore:
    return llvm::isAlnum(c) || c == '_';
  case Alphabet::UpperDigits:
    return llvm::isDigit(c) || (c >= 'A' && c <= 'Z');
  case Alphabet::Hex:
    return llvm::isHexDigit(c);
  }
  return false;
}

bool isWordChar(char c) { return llvm::isAlnum(c) || c == '_'; }
bool isLowerLetter(char c) { return c >= 'a' && c <= 'z'; }
bool isUpperLetter(char c) { return c >= 'A' && c <= 'Z'; }

/// Whether a token of `shape` starts at `value[at]`.
bool tokenAt(llvm::StringRef value, size_t at, const TokenShape &shape) {
  llvm::StringRef prefix = shape.prefix;
  if (!value.substr(at).startswith(prefix) || (at > 0 && isWordChar(value[at - 1])))
    return false;
  size_t end = at + prefix.size();
  while (end < value.size() && inAlphabet(value[end], shape.alphabet))
    ++end;
  size_t run = end - at - prefix.size();
  if (run < shape.minLength || (shape.maxLength && run > shape.maxLength))
    return false;
  // A fixed-length token ends there: AKIA... followed by more letters is a word.
  return !shape.maxLength || end == value.size() || !llvm::isAlnum(value[end]);
}

/// `eyJ...` three times, dot-separated: a JSON Web Token (header.payload.signature).
bool jwtAt(llvm::StringRef value, size_t at) {
  if (!value.substr(at).startswith("eyJ") || (at > 0 && isWordChar(value[at - 1])))
    return false;
  size_t p = at;
  for (int part = 0; part < 3; ++part) {
    size_t start = p;
    while (p < value.size() && inAlphabet(value[p], Alphabet::AlnumDash))
      ++p;
    if (p - start < 8)
      return false;
    if (part < 2 && (p >= value.size() || value[p++] != '.'))
      return false;
  }
  return true;
}

bool hasPrivateKey(llvm::StringRef value) {
  for (size_t at = value.find("-----BEGIN "); at != llvm::StringRef::npos;
       at = value.find("-----BEGIN ", at + 1)) {
    llvm::StringRef header = value.substr(at, 64);
    size_t end = header.find("-----", 11);
    if (end != llvm::StringRef::npos && header.take_front(end).endswith("PRIVATE KEY"))
      return true;
  }
  return value.contains("PuTTY-User-Key-File-");
}

/// `scheme://user:password@host`, with a password that is not `$NAME`.
bool hasUrlPassword(llvm::StringRef value) {
  for (size_t at = value.find("://"); at != llvm::StringRef::npos;
       at = value.find("://", at + 3)) {
    llvm::StringRef rest = value.substr(at + 3);
    llvm::StringRef authority = rest.take_until([](char c) {
      return c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' ||
             c == '"' || c == '\'' || c == '`';
    });
    size_t userEnd = authority.rfind('@');
    if (userEnd == llvm::StringRef::npos)
      continue;
    llvm::StringRef userInfo = authority.take_front(userEnd);
    size_t colon = userInfo.find(':');
    if (colon == llvm::StringRef::npos)
      continue; // a user name alone, such as git@
    llvm::StringRef password = userInfo.drop_front(colon + 1);
    if (!password.empty() && !password.startswith("$"))
      return true;
  }
  return false;
}

double entropyPerCharacter(llvm::StringRef value) {
  std::array<unsigned, 256> counts{};
  for (char c : value)
    ++counts[static_cast<unsigned char>(c)];
  double entropy = 0;
  for (unsigned count : counts) {
    if (count == 0)
      continue;
    double p = static_cast<double>(count) / value.size();
    entropy -= p * std::log2(p);
  }
  return entropy;
}

} // namespace

std::optional<std::string> findCredential(llvm::StringRef value) {
  if (hasPrivateKey(value))
    return std::string("a private key");
  for (size_t at = 0; at < value.size(); ++at) {
    // Every shape starts with one of these letters; most positions need no look.
    if (!llvm::StringRef("hagAxsrnpde").contains(value[at]))
      continue;
    for (const TokenShape &shape : kTokenShapes)
      if (tokenAt(value, at, shape))
        return std::string(shape.what);
    if (jwtAt(value, at))
      return std::string("a JSON Web Token");
  }
  if (hasUrlPassword(value))
    return std::string("a password in a URL");
  return std::nullopt;
}

bool namesSecret(llvm::StringRef key) {
  static constexpr llvm::StringLiteral kWords[] = {
      "token",  "tokens",     "password",    "passwd", "pwd",     "secret",
      "secrets", "key",       "apikey",      "auth",   "credential", "credentials",
      "private", "passphrase", "accesskey"};
  llvm::SmallVector<std::string, 8> words;
  std::string word;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    bool boundary = !llvm::isAlnum(c);
    bool camel = i > 0 && isLowerLetter(key[i - 1]) && isUpperLetter(c);
    if ((boundary || camel) && !word.empty()) {
      words.push_back(word);
      word.clear();
    }
    if (!boundary)
      word += llvm::toLower(c);
  }
  if (!word.empty())
    words.push_back(word);
  return llvm::any_of(words, [](const std::string &w) {
    return llvm::is_contained(kWords, llvm::StringRef(w));
  });
}

bool looksRandom(llvm::StringRef value) {
  if (value.size() < 12 || value.startswith("/") || value.startswith("./") ||
      value.startswith("$") || value.contains("://") ||
      llvm::any_of(value, [](char c) { return llvm::isSpace(c); }))
    return false;
  bool lower = llvm::any_of(value, isLowerLetter);
  bool upper = llvm::any_of(value, isUpperLetter);
  bool digit = llvm::any_of(value, llvm::isDigit);
  if (int(lower) + int(upper) + int(digit) < 2)
    return false;
  return entropyPerCharacter(value) >= 3.0;
}

llvm::ArrayRef<llvm::StringLiteral> secretFilePatterns() {
  static constexpr llvm::StringLiteral kPatterns[] = {
      "**/.git",        "**/.env*",         "**/*.pem",      "**/*.key",
      "**/*.p12",       "**/*.pfx",         "**/id_rsa*",    "**/id_dsa*",
      "**/id_ecdsa*",   "**/id_ed25519*",   "**/.netrc",     "**/.npmrc",
      "**/.pypirc",     "**/.git-credentials", "**/.aws",    "**/.ssh",
      "**/.docker/config.json"};
  return kPatterns;
}

std::string credentialAdvice(llvm::StringRef field) {
  if (field == "env")
    return "an ENV value is stored in the image: pass it when the container starts "
           "(docker run -e), or to a build step as a build secret (RUN --mount=type=secret)";
  if (field == "labels")
    return "labels are published with the image; leave credentials out of them";
  if (field == "index_urls")
    return "the URL is written into a RUN line and the image history; give pip its "
           "credentials through a build secret instead (a netrc or keyring file mounted "
           "with RUN --mount=type=secret)";
  if (field == "token_secret")
    return "'token_secret' names a build secret, such as 'hf_token', not the token itself; "
           "pass the token with docker build --secret id=hf_token,env=HF_TOKEN";
  if (field == "run")
    return "a step's script is stored in the image history; read the credential from a "
           "build secret (RUN --mount=type=secret, docker build --secret) instead";
  if (field == "content")
    return "a file's content is stored in the image; mount the credential when the "
           "container starts, or as a build secret, instead";
  return "it would be stored in the image or its history; pass it as a build secret "
         "(RUN --mount=type=secret) or when the container starts instead";
}

} // namespace imageplan::dsl
