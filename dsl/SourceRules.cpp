// The value rules of ValueRules.h for where things come from and how they
// are installed: pip's options and installer, the Python environment, apt
// repository suites, components and keys, and assets' URLs, checksums and
// commits. The shared character tests are ValueRuleHelpers.h.
#include "dsl/ValueRuleHelpers.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {

namespace detail {

std::string checkHttpUrl(llvm::StringRef v) {
  if (!isHttpUrl(v))
    return "expected an http:// or https:// URL";
  if (hasWhitespace(v) || hasQuote(v))
    return "a URL may not contain whitespace or quotes";
  return "";
}

} // namespace detail

namespace {

using namespace detail;

/// Options a single package may carry. Anything else (an index URL, a
/// target directory, a file to read) could redirect the whole install; an
/// index of its own is the package's `index_url`.
constexpr llvm::StringLiteral kPipFlags[] = {
    "--no-deps", "--no-build-isolation", "--pre",       "--force-reinstall", "--ignore-installed",
    "--upgrade", "--prefer-binary",      "--no-compile"};
/// The options that take a format control: `:all:`, `:none:` or package names.
constexpr llvm::StringLiteral kPipFormatOptions[] = {"--only-binary", "--no-binary"};

std::string checkFormatControl(llvm::StringRef option, llvm::StringRef value) {
  if (value == ":all:" || value == ":none:")
    return "";
  llvm::SmallVector<llvm::StringRef, 8> names;
  value.split(names, ',');
  auto isName = [](llvm::StringRef name) {
    return !name.empty() && llvm::isAlnum(name.front()) && consistsOf(name, "._-");
  };
  if (llvm::all_of(names, isName))
    return "";
  return ("expected ':all:', ':none:' or package names separated by ',' after '" + option + "='")
      .str();
}

std::string checkPipOption(llvm::StringRef v) {
  auto [option, value] = v.split('=');
  bool hasValue = option.size() != v.size();
  if (llvm::is_contained(kPipFormatOptions, option)) {
    if (!hasValue)
      return ("write it as '" + option + "=:all:' or '" + option + "=<package>,...'").str();
    return checkFormatControl(option, value);
  }
  llvm::SmallVector<llvm::StringRef, 12> words(std::begin(kPipFlags), std::end(kPipFlags));
  words.push_back("--only-binary=...");
  words.push_back("--no-binary=...");
  if (hasValue && llvm::is_contained(kPipFlags, option))
    return ("'" + option + "' takes no value").str();
  if (option == "--index-url" || option == "--extra-index-url" || option == "-i")
    return "give the package an 'index_url' of its own instead";
  return checkOneOf(v, words);
}

std::string checkPipInstaller(llvm::StringRef v) { return checkOneOf(v, {"pip", "uv"}); }

std::string checkPythonEnvironment(llvm::StringRef v) { return checkOneOf(v, {"venv", "base"}); }

bool isHex(llvm::StringRef s, bool upperToo) {
  return llvm::all_of(s, [&](char c) {
    return llvm::isDigit(c) || (c >= 'a' && c <= 'f') || (upperToo && c >= 'A' && c <= 'F');
  });
}

std::string checkSha256(llvm::StringRef v) {
  if (v.size() != 64 || !isHex(v, /*upperToo=*/false))
    return "expected 64 lowercase hex digits, as sha256sum prints them";
  return "";
}

std::string checkKeyFingerprint(llvm::StringRef v) {
  if (v.size() != 40 || !isHex(v, /*upperToo=*/true))
    return "expected the key's 40 hex digits without spaces, as 'gpg --with-colons' prints them";
  return "";
}

std::string checkAptSuite(llvm::StringRef v) {
  if (v.empty() || v.startswith("-") || v.startswith("/") || !consistsOf(v, "._/-+~"))
    return "expected a suite like 'jammy', 'bookworm-updates' or './' (letters, digits and "
           "'._/-+~')";
  return "";
}

std::string checkGitUrl(llvm::StringRef v) {
  if (!isHttpUrl(v) && !v.startswith("git://"))
    return "expected an https://, http:// or git:// URL (a build has no SSH key)";
  if (hasWhitespace(v) || hasQuote(v) || v.contains("::"))
    return "a URL may not contain whitespace, quotes or '::'";
  return "";
}

std::string checkCommitId(llvm::StringRef v) {
  if (v.size() != 40 || !isHex(v, /*upperToo=*/false))
    return "expected a full commit id (40 lowercase hex digits): a branch or a tag can move, "
           "and the asset's layer would not notice";
  return "";
}

std::string checkUnpackFormat(llvm::StringRef v) { return checkOneOf(v, {"zip", "tar"}); }

std::string checkAptComponent(llvm::StringRef v) {
  if (v.empty() || !llvm::isAlnum(v.front()) || !consistsOf(v, "._/-+"))
    return "expected a component like 'main' or 'contrib'";
  return "";
}

std::string checkCondaTool(llvm::StringRef v) {
  return checkOneOf(v, {"conda", "mamba", "micromamba"});
}

std::string checkIndexStrategy(llvm::StringRef v) {
  return checkOneOf(v, {"first-index", "unsafe-first-match", "unsafe-best-match"});
}

} // namespace

namespace rules {
const ValueRule pipOption{"pip option", checkPipOption};
const ValueRule pipInstaller{"installer", checkPipInstaller};
const ValueRule pythonEnvironment{"environment", checkPythonEnvironment};
const ValueRule sha256{"sha256", checkSha256};
const ValueRule keyFingerprint{"fingerprint", checkKeyFingerprint};
const ValueRule aptSuite{"suite", checkAptSuite};
const ValueRule aptComponent{"component", checkAptComponent};
const ValueRule assetUrl{"URL", checkHttpUrl};
const ValueRule gitUrl{"git URL", checkGitUrl};
const ValueRule commitId{"commit", checkCommitId};
const ValueRule unpackFormat{"archive format", checkUnpackFormat};
const ValueRule condaTool{"conda tool", checkCondaTool};
const ValueRule indexStrategy{"index strategy", checkIndexStrategy};
} // namespace rules

} // namespace imageplan::dsl
