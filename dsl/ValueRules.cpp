// The value rules of ValueRules.h. Each check is a plain scan over the
// characters: the patterns are simple, and a scan can say which part is wrong.
#include "dsl/ValueRules.h"

#include "dsl/ValueRuleHelpers.h"

#include "readers/Diagnostics.h"
#include "readers/DockerignoreMatcher.h"
#include "readers/TextEscape.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

#include <algorithm>

namespace imageplan::dsl {

namespace detail {

bool isLowerAlnum(char c) { return llvm::isDigit(c) || (c >= 'a' && c <= 'z'); }

/// True when every character is alphanumeric (lowercase only if `lowerOnly`)
/// or one of `punctuation`.
bool consistsOf(llvm::StringRef s, llvm::StringRef punctuation, bool lowerOnly) {
  return llvm::all_of(s, [&](char c) {
    return (lowerOnly ? isLowerAlnum(c) : llvm::isAlnum(c)) || punctuation.contains(c);
  });
}

bool isDigits(llvm::StringRef s) { return !s.empty() && llvm::all_of(s, llvm::isDigit); }

bool hasWhitespace(llvm::StringRef s) {
  return s.find_first_of(" \t\n\r\f\v") != llvm::StringRef::npos;
}

bool hasQuote(llvm::StringRef s) { return s.find_first_of("'\"`") != llvm::StringRef::npos; }

bool isHttpUrl(llvm::StringRef s) {
  return (s.startswith("http://") && s.size() > 7) || (s.startswith("https://") && s.size() > 8);
}

} // namespace detail

namespace {

using namespace detail;

std::string identifierCheck(llvm::StringRef v, llvm::StringRef punctuation, const char *reason) {
  if (v.empty() || !isLowerAlnum(v[0]) || !consistsOf(v, punctuation, /*lowerOnly=*/true))
    return reason;
  return "";
}

std::string checkImageName(llvm::StringRef v) {
  return identifierCheck(
      v, "._-", "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit");
}

std::string checkCudaVersion(llvm::StringRef v) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  v.split(parts, '.');
  if ((parts.size() != 2 && parts.size() != 3) || !llvm::all_of(parts, isDigits))
    return "expected a version like '11.8' or '12.1.1'";
  return "";
}

std::string checkCudnnVersion(llvm::StringRef v) {
  return isDigits(v) ? "" : "expected a major version like '8'";
}

std::string checkOsName(llvm::StringRef v) {
  return checkOneOf(v, {"ubuntu20.04", "ubuntu22.04", "ubuntu24.04", "ubi8", "ubi9"});
}

/// One component of a repository path: lowercase letters and digits, joined
/// by one '.', one or two '_', or any number of '-' (Docker's reference grammar).
bool isPathComponent(llvm::StringRef c) {
  bool empty = c.empty();
  while (!c.empty()) {
    llvm::StringRef word = c.take_while(isLowerAlnum);
    llvm::StringRef sep = (c = c.drop_front(word.size())).take_until(isLowerAlnum);
    c = c.drop_front(sep.size());
    bool goodSeparator = sep == "." || sep == "_" || sep == "__" ||
                         sep.find_first_not_of('-') == llvm::StringRef::npos;
    if (word.empty() || !goodSeparator || (!sep.empty() && c.empty()))
      return false;
  }
  return !empty;
}

/// A registry host: letters, digits, '-' and '.', then an optional port.
bool isRegistryHost(llvm::StringRef host) {
  auto [name, port] = host.split(':');
  llvm::SmallVector<llvm::StringRef, 4> labels;
  name.split(labels, '.');
  return (!host.contains(':') || isDigits(port)) && llvm::all_of(labels, [](llvm::StringRef l) {
    return !l.empty() && llvm::isAlnum(l.front()) && llvm::isAlnum(l.back()) && consistsOf(l, "-");
  });
}

/// `[host[:port]/]path[/path...]`: the first part is a host when it has a '.'
/// or ':' or is "localhost", as Docker decides.
bool isRepositoryName(llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  name.split(parts, '/');
  llvm::ArrayRef<llvm::StringRef> path = parts;
  if (parts.size() > 1 &&
      (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost")) {
    if (!isRegistryHost(parts[0]))
      return false;
    path = path.drop_front();
  }
  return name.size() <= 255 && llvm::all_of(path, isPathComponent);
}

/// `name[:tag][@algorithm:hex]`, as `docker build` accepts it.
std::string checkImageReference(llvm::StringRef v, bool nameOnly) {
  const char *expected =
      nameOnly ? "expected a registry like 'nvcr.io/nvidia' (a lowercase name, no tag)"
               : "expected an image reference like 'python:3.11-slim' (a lowercase name[:tag])";
  auto [rest, digest] = v.split('@');
  size_t slash = rest.rfind('/'), colon = rest.rfind(':');
  llvm::StringRef name = rest, tag;
  if (colon != llvm::StringRef::npos && (slash == llvm::StringRef::npos || colon > slash)) {
    name = rest.take_front(colon);
    tag = rest.drop_front(colon + 1);
    if (tag.empty() || tag.size() > 128 || tag.front() == '.' || tag.front() == '-' ||
        !consistsOf(tag, "._-"))
      return expected;
  }
  if (!isRepositoryName(name) || (nameOnly && (v.contains('@') || !tag.empty())))
    return expected;
  if (v.contains('@')) {
    auto [algorithm, hex] = digest.split(':');
    if (algorithm.empty() || !llvm::isAlpha(algorithm.front()) || !consistsOf(algorithm, "+._-") ||
        hex.size() < 32 || !llvm::all_of(hex, llvm::isHexDigit))
      return expected;
  }
  return "";
}

std::string checkBaseImage(llvm::StringRef v) { return checkImageReference(v, false); }
std::string checkRegistry(llvm::StringRef v) { return checkImageReference(v, true); }
std::string checkDigest(llvm::StringRef v) {
  llvm::StringRef hex = v;
  if (!hex.consume_front("sha256:") || hex.size() != 64 ||
      !llvm::all_of(hex, [](char c) { return llvm::isDigit(c) || (c >= 'a' && c <= 'f'); }))
    return "expected 'sha256:' followed by 64 lowercase hex digits";
  return "";
}

std::string checkPythonVersion(llvm::StringRef v) {
  llvm::StringRef minor = v;
  if (!minor.consume_front("3.") || !isDigits(minor))
    return "expected '3.N', like '3.11'";
  return "";
}

/// What pip and system packages share: no option injection, one word.
std::string checkPackageWord(llvm::StringRef v, const char *tool) {
  if (v.empty())
    return "a package may not be empty";
  if (v.startswith("-"))
    return (llvm::Twine("a package may not start with '-', which ") + tool +
            " would read as an option")
        .str();
  if (hasWhitespace(v))
    return "a package may not contain whitespace";
  return "";
}

/// A requirement pip reads as one argument: `torch==2.0.1`, `git+https://...`,
/// or a direct reference `name @ https://...` (PEP 508), the one form with
/// spaces, each side checked on its own.
std::string checkPipPackage(llvm::StringRef v) {
  auto [name, url] = v.split(" @ ");
  if (name.size() == v.size())
    return checkPackageWord(v, "pip");
  if (name.empty() || !llvm::isAlnum(name[0]) || !consistsOf(name, "._-[],"))
    return "expected 'name @ url' with a package name like 'detectron2' before ' @ '";
  if (!isHttpUrl(url) && !url.startswith("git+https://") && !url.startswith("file:"))
    return "expected an https://, git+https:// or file: URL after ' @ '";
  if (hasWhitespace(url) || hasQuote(url))
    return "a URL may not contain whitespace or quotes";
  return "";
}

std::string checkPythonManager(llvm::StringRef v) { return checkOneOf(v, {"pip", "uv", "poetry"}); }

std::string checkVenvStage(llvm::StringRef v) { return checkOneOf(v, {"builder", "runtime"}); }

/// Extra names as PEP 685 normalizes them: letters, digits, '-', '_', '.'.
std::string checkExtraName(llvm::StringRef v) {
  if (v.empty() || !llvm::isAlnum(v.front()) || !llvm::isAlnum(v.back()) ||
      !consistsOf(v, "._-"))
    return "expected an extra's name like 'cuda' (letters, digits and '._-', starting and "
           "ending with a letter or digit)";
  return "";
}

/// A release of a tool, pinned exactly: 0.5.11, 1.8.5.
std::string checkToolVersion(llvm::StringRef v) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  v.split(parts, '.');
  if (parts.size() < 2 || parts.size() > 3 || !llvm::all_of(parts, isDigits))
    return "expected an exact release like '0.5.11' or '1.8.5'";
  return "";
}

// apt, apk and dnf names share one shape: a name such as libgl1, py3-pip or
// gcc-c++, optionally pinned with '=' (apt and apk; dnf takes name-version).
std::string checkSystemPackage(llvm::StringRef v) {
  if (std::string problem = checkPackageWord(v, "the package manager"); !problem.empty())
    return problem;
  auto [name, version] = v.split('=');
  bool pinned = name.size() != v.size();
  if (name.empty() || !llvm::isAlnum(name[0]) || !consistsOf(name, "+._-") ||
      (pinned && (version.empty() || !consistsOf(version, ".+~:_-"))))
    return "expected a package name like 'libgl1', 'py3-pip' or 'curl=7.88.1-10'";
  return "";
}

std::string checkPackageManager(llvm::StringRef v) {
  return checkOneOf(v, {"apt", "apk", "dnf", "microdnf"});
}

std::string checkFileMode(llvm::StringRef v) {
  if (v.empty() || v.size() > 4 || !llvm::all_of(v, [](char c) { return c >= '0' && c <= '7'; }))
    return "expected an octal mode like '0755' or '0644'";
  if (v.size() == 4 && v[0] != '0')
    return "a mode may not be above 0777 (no setuid, setgid or sticky bits)";
  return "";
}

// .dockerignore patterns: Go filepath.Match globs plus '**', relative to the
// context. Negation and escapes are left out: an exclude only ever removes.
std::string checkExcludePattern(llvm::StringRef v) {
  if (v.empty())
    return "a pattern may not be empty";
  size_t bad = v.find_if(
      [](char c) { return !llvm::isAlnum(c) && !llvm::StringRef("._/@+-*?[]").contains(c); });
  if (bad != llvm::StringRef::npos) {
    unsigned width = std::max(1u, llvm::getNumBytesForUTF8(static_cast<llvm::UTF8>(v[bad])));
    return quoteValue(v.substr(bad, width)) +
           " is not allowed in a pattern; use letters, digits, '._/@+-' and the wildcards '*?[]'";
  }
  if (v.startswith("/"))
    return "a pattern is relative to the build context; remove the leading '/'";
  llvm::SmallVector<llvm::StringRef, 8> parts;
  v.split(parts, '/', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  if (llvm::is_contained(parts, ".."))
    return "a pattern may not contain '..', which could leave the build context";
  if (llvm::all_of(parts, [](llvm::StringRef p) { return p == "." || p == "**" || p == "*"; }))
    return "a pattern may not exclude the whole build context";
  if (llvm::Expected<readers::PathPattern> compiled =
          readers::PathPattern::compile(readers::cleanPath(v));
      !compiled)
    return llvm::toString(compiled.takeError());
  return "";
}

/// Context paths are relative to the build context (Copy also takes "." for
/// all of it); image paths are absolute, and only a workdir may be "/" itself,
/// since a model or a step output there would be the whole file system.
enum class PathKind { Context, Copy, Image, Workdir, Any };

std::string checkPath(llvm::StringRef v, PathKind kind) {
  if (v.empty())
    return "a path may not be empty";
  if (kind == PathKind::Copy && v == ".")
    return "";
  size_t bad =
      v.find_if([](char c) { return !llvm::isAlnum(c) && !llvm::StringRef("._/@+-").contains(c); });
  if (bad != llvm::StringRef::npos) {
    // Show a whole UTF-8 character, not its first byte.
    unsigned width = std::max(1u, llvm::getNumBytesForUTF8(static_cast<llvm::UTF8>(v[bad])));
    return quoteValue(v.substr(bad, width)) +
           " is not allowed in a path; use letters, digits and '._/@+-'";
  }
  if (v.startswith("-"))
    return "a path may not start with '-'";
  bool inContext = kind == PathKind::Context || kind == PathKind::Copy;
  bool absolute = v.startswith("/");
  if (absolute && inContext)
    return "a path in the build context must be relative";
  if (!absolute && (kind == PathKind::Image || kind == PathKind::Workdir))
    return "a path in the image must be absolute, like '/opt/data'";
  llvm::SmallVector<llvm::StringRef, 8> parts;
  v.split(parts, '/', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  if (llvm::is_contained(parts, ".."))
    return inContext ? "a path may not contain '..', which could leave the build context; "
                       "to read files outside the spec's folder, give the folder that holds "
                       "them with --context and write paths from there"
                     : "a path may not contain '..'";
  bool namesNothing = llvm::all_of(parts, [](llvm::StringRef p) { return p == "."; });
  if (namesNothing && kind == PathKind::Image)
    return "a path in the image may not be '/' itself";
  if (namesNothing && !absolute)
    return kind == PathKind::Copy ? "use '.' for the whole build context"
                                  : "a path must name a file or directory";
  return "";
}

std::string checkContextPath(llvm::StringRef v) { return checkPath(v, PathKind::Context); }
std::string checkCopyPath(llvm::StringRef v) { return checkPath(v, PathKind::Copy); }
std::string checkImagePath(llvm::StringRef v) { return checkPath(v, PathKind::Image); }
std::string checkWorkdir(llvm::StringRef v) { return checkPath(v, PathKind::Workdir); }
std::string checkAnyPath(llvm::StringRef v) { return checkPath(v, PathKind::Any); }

std::string checkEnvName(llvm::StringRef v) {
  if (v.empty() || llvm::isDigit(v[0]) || !consistsOf(v, "_"))
    return "use letters, digits and '_', not starting with a digit";
  return "";
}

std::string checkLabelKey(llvm::StringRef v) {
  return identifierCheck(
      v, ".-", "use lowercase letters, digits, '.' and '-', starting with a letter or digit");
}

std::string checkUserName(llvm::StringRef v) {
  if (v.empty() || !((v[0] >= 'a' && v[0] <= 'z') || v[0] == '_') ||
      !consistsOf(v, "_-", /*lowerOnly=*/true))
    return "use lowercase letters, digits, '_' and '-', starting with a letter or '_'";
  return "";
}

std::string checkModelId(llvm::StringRef v) {
  auto [org, name] = v.split('/');
  auto isPart = [](llvm::StringRef p) {
    return !p.empty() && p != "." && p != ".." && consistsOf(p, "._-");
  };
  if (org.size() == v.size() || !isPart(org) || !isPart(name))
    return "expected a Hugging Face repo id like 'org/name' (letters, digits and '._-')";
  return "";
}

std::string checkRevision(llvm::StringRef v) {
  if (v.empty() || v.startswith("-") || !consistsOf(v, "._/-"))
    return "expected a branch, tag or commit (letters, digits and '._/-', not starting with '-')";
  return "";
}

std::string checkSecretId(llvm::StringRef v) {
  if (v.empty() || !consistsOf(v, "_.-"))
    return "expected a secret id (letters, digits and '_.-')";
  return "";
}

std::string checkHealthUrl(llvm::StringRef v) {
  if (!v.startswith("/") && !isHttpUrl(v))
    return "expected a path like '/health' or an http:// or https:// URL";
  if (hasWhitespace(v) || hasQuote(v))
    return "a URL may not contain whitespace or quotes";
  return "";
}

std::string checkStepName(llvm::StringRef v) {
  return identifierCheck(
      v, "_-", "use lowercase letters, digits, '_' and '-', starting with a letter or digit");
}

std::string checkStage(llvm::StringRef v) { return checkOneOf(v, {"runtime", "builder"}); }

std::string checkCudaFlavor(llvm::StringRef v) {
  return checkOneOf(v, {"base", "runtime", "devel", "cudnn-runtime", "cudnn-devel"});
}

std::string checkCudaBuilderFlavor(llvm::StringRef v) {
  return checkOneOf(v, {"devel", "cudnn-devel"});
}

std::string checkShell(llvm::StringRef v) { return checkOneOf(v, {"bash", "sh"}); }

std::string checkStepNeed(llvm::StringRef v) { return checkOneOf(v, {"system", "python"}); }

std::string checkDialect(llvm::StringRef v) {
  return checkOneOf(v, {"buildkit", "docker20", "buildah", "legacy"});
}

} // namespace

namespace rules {
const ValueRule imageName{"name", checkImageName};
const ValueRule cudaVersion{"CUDA version", checkCudaVersion};
const ValueRule cudnnVersion{"cuDNN version", checkCudnnVersion};
const ValueRule osName{"os", checkOsName};
const ValueRule baseImage{"base image", checkBaseImage};
const ValueRule registry{"registry", checkRegistry};
const ValueRule digest{"digest", checkDigest};
const ValueRule pythonVersion{"Python version", checkPythonVersion};
const ValueRule pipPackage{"Python package", checkPipPackage};
const ValueRule systemPackage{"system package", checkSystemPackage};
const ValueRule packageManager{"package manager", checkPackageManager};
const ValueRule indexUrl{"index URL", checkHttpUrl};
const ValueRule contextPath{"context path", checkContextPath};
const ValueRule copyPath{"context path", checkCopyPath};
const ValueRule imagePath{"image path", checkImagePath};
const ValueRule workdir{"workdir", checkWorkdir};
const ValueRule anyPath{"directory", checkAnyPath};
const ValueRule copyDestination{"destination", checkAnyPath};
const ValueRule envName{"environment variable name", checkEnvName};
const ValueRule labelKey{"label key", checkLabelKey};
const ValueRule userName{"user name", checkUserName};
const ValueRule modelId{"model id", checkModelId};
const ValueRule revision{"revision", checkRevision};
const ValueRule secretId{"secret id", checkSecretId};
const ValueRule healthUrl{"healthcheck URL", checkHealthUrl};
const ValueRule duration{"duration", checkDuration};
const ValueRule stepName{"step name", checkStepName};
const ValueRule stage{"stage", checkStage};
const ValueRule dialect{"dialect", checkDialect};
const ValueRule cudaFlavor{"CUDA flavor", checkCudaFlavor};
const ValueRule cudaBuilderFlavor{"CUDA builder flavor", checkCudaBuilderFlavor};
const ValueRule fileMode{"mode", checkFileMode};
const ValueRule excludePattern{"exclude pattern", checkExcludePattern};
const ValueRule pythonManager{"Python package manager", checkPythonManager};
const ValueRule venvStage{"venv stage", checkVenvStage};
const ValueRule extraName{"extra", checkExtraName};
const ValueRule toolVersion{"version", checkToolVersion};
const ValueRule variantValue{"variant value", checkStepName};
const ValueRule groupName{"group name", checkUserName};
const ValueRule shell{"shell", checkShell};
const ValueRule stepNeed{"group", checkStepNeed};
} // namespace rules

std::string checkOneOf(llvm::StringRef value, llvm::ArrayRef<llvm::StringRef> words) {
  if (llvm::is_contained(words, value))
    return "";
  std::string suggestion = readers::closestMatch(value, words);
  if (!suggestion.empty())
    return "did you mean '" + suggestion + "'?";
  std::string list;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i != 0)
      list += i + 1 == words.size() ? " or " : ", ";
    list += "'" + words[i].str() + "'";
  }
  return "expected " + list;
}

std::string quoteValue(llvm::StringRef value) { return readers::quoteText(value); }

std::string escaped(llvm::StringRef text) { return readers::escapeText(text); }

std::string findForbiddenCharacter(llvm::StringRef value, bool multiline) {
  if (!readers::isLegalUtf8(value))
    return "invalid UTF-8";
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = value[i];
    if (multiline && (c == '\n' || c == '\t'))
      continue;
    if (c < 0x20 || c == 0x7F)
      return "control character " + quoteValue(value.substr(i, 1));
    if (readers::isC1ControlAt(value, i))
      return "control character " + quoteValue(value.substr(i, 2));
    if (readers::bidiControlAt(value, i))
      return "bidirectional formatting character " +
             quoteValue(value.substr(i, llvm::getNumBytesForUTF8(static_cast<llvm::UTF8>(c))));
  }
  return "";
}

} // namespace imageplan::dsl
