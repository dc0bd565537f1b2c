// Tests for the value rules: what each kind of value accepts and rejects, and
// how values are shown in messages.
#include "dsl/ValueRules.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

void expectValid(const ValueRule &rule, std::initializer_list<llvm::StringRef> values) {
  for (llvm::StringRef v : values)
    EXPECT_EQ(rule.check(v), "") << rule.what << " should accept '" << v.str() << "'";
}

void expectInvalid(const ValueRule &rule, std::initializer_list<llvm::StringRef> values) {
  for (llvm::StringRef v : values)
    EXPECT_NE(rule.check(v), "") << rule.what << " should reject '" << v.str() << "'";
}

TEST(ValueRulesTest, Names) {
  expectValid(rules::imageName, {"app", "my-app", "a.b_c-1", "0x"});
  expectInvalid(rules::imageName, {"", "My", "-app", ".app", "a b", "a/b"});
  expectValid(rules::stepName, {"build", "build_ext-2"});
  expectInvalid(rules::stepName, {"", "Build", "a.b", "_x"});
  expectValid(rules::userName, {"app", "_svc", "root", "a-b_1"});
  expectInvalid(rules::userName, {"", "1app", "App", "a.b"});
  expectValid(rules::envName, {"HF_HOME", "_x", "a1"});
  expectInvalid(rules::envName, {"", "1X", "A-B", "A B"});
  expectValid(rules::labelKey, {"org.opencontainers.image.source", "a-b"});
  expectInvalid(rules::labelKey, {"", "Org", ".a", "a_b"});
  expectValid(rules::secretId, {"hf_token", "a.b-c"});
  expectInvalid(rules::secretId, {"", "a b", "a/b"});
}

TEST(ValueRulesTest, Base) {
  expectValid(rules::cudaVersion, {"11.8", "12.1.1"});
  expectInvalid(rules::cudaVersion, {"", "11", "11.", "11.8.0.1", "v11.8", "11.x"});
  expectValid(rules::cudnnVersion, {"8", "9"});
  expectInvalid(rules::cudnnVersion, {"", "8.9", "cudnn8"});
  expectValid(rules::osName, {"ubuntu20.04", "ubuntu22.04", "ubuntu24.04"});
  EXPECT_EQ(rules::osName.check("ubuntu22.4"), "did you mean 'ubuntu22.04'?");
  EXPECT_EQ(rules::osName.check("debian"),
            "expected 'ubuntu20.04', 'ubuntu22.04', 'ubuntu24.04', 'ubi8' or 'ubi9'");
  std::string digest = "@sha256:" + std::string(64, 'a');
  expectValid(rules::baseImage,
              {"python:3.11-slim", "ghcr.io/org/img" + digest, "ubuntu", "localhost:5000/a/b:1_x",
               "registry.access.redhat.com/ubi9/ubi-minimal:9.4", "a__b/c--d.e" + digest});
  // What `docker build` refuses (the fuzzer found ':@' passed through).
  expectInvalid(rules::baseImage,
                {"", "-x", "a b", "img;rm", "python:@.11-slim", "Python:3", "a/:1", "a:.1", "a:",
                 "a..b", "a_._b", "img@sha256:ab", "img@:" + std::string(64, 'a'), "host:x/a",
                 "a:" + std::string(129, '1'), "a/b/"});
  expectValid(rules::registry, {"nvidia", "nvcr.io/nvidia", "localhost:5000/mirror"});
  expectInvalid(rules::registry, {"nvidia:1", "nvcr.io/nvidia" + digest, "NVCR.io", "a/"});
  expectValid(rules::digest, {"sha256:" + std::string(64, 'a')});
  expectInvalid(rules::digest, {"", "sha256:" + std::string(63, 'a'),
                                "sha256:" + std::string(64, 'A'), "md5:" + std::string(64, 'a')});
}

TEST(ValueRulesTest, Packages) {
  expectValid(rules::pythonVersion, {"3.10", "3.8"});
  expectInvalid(rules::pythonVersion, {"", "3", "3.10.1", "2.7", "3.x"});
  expectValid(rules::pipPackage, {"torch==2.0.1", "numpy", "pkg[extra]>=1,<2"});
  EXPECT_EQ(rules::pipPackage.check("--index-url=http://x"),
            "a package may not start with '-', which pip would read as an option");
  EXPECT_EQ(rules::pipPackage.check("a b"), "a package may not contain whitespace");
  expectValid(rules::systemPackage, {"libgl1", "g++", "curl=7.88.1-10", "libc6=2.36-9+deb12u1",
                                     "py3-pip", "gcc-c++", "python3.11-devel", "perl-JSON",
                                     "curl=8.5.0-r0"});
  expectInvalid(rules::systemPackage, {"", ".x", "-o=x", "a b", "=1", "curl=", "a:amd64"});
  EXPECT_EQ(rules::systemPackage.check("-y"),
            "a package may not start with '-', which the package manager would read as an option");
  expectValid(rules::packageManager, {"apt", "apk", "dnf", "microdnf"});
  expectInvalid(rules::packageManager, {"yum", "apt-get", "", "APK"});
  expectValid(rules::indexUrl, {"https://download.pytorch.org/whl/cu118", "http://x"});
  expectInvalid(rules::indexUrl, {"", "ftp://x", "https://", "https://a b", "https://a'b"});
}

TEST(ValueRulesTest, FileModesAndExcludes) {
  expectValid(rules::fileMode, {"0755", "0644", "755", "0600", "0777", "0"});
  expectInvalid(rules::fileMode, {"", "0758", "rwx", "1755", "07777", "0o755", "-755"});
  EXPECT_EQ(rules::fileMode.check("4755"),
            "a mode may not be above 0777 (no setuid, setgid or sticky bits)");
  expectValid(rules::excludePattern, {"tests/", "**/*.log", "docs", "*.md", "build/[ab]*", ".venv"});
  expectInvalid(rules::excludePattern, {"", "/etc", "../x", "a/../b", "!keep", "a b", "**", "."});
  EXPECT_EQ(rules::excludePattern.check("/abs"),
            "a pattern is relative to the build context; remove the leading '/'");
}

TEST(ValueRulesTest, CudaFlavors) {
  expectValid(rules::cudaFlavor, {"base", "runtime", "devel", "cudnn-runtime", "cudnn-devel"});
  expectInvalid(rules::cudaFlavor, {"cudnn-base", "cudnn8-runtime", ""});
  expectValid(rules::cudaBuilderFlavor, {"devel", "cudnn-devel"});
  expectInvalid(rules::cudaBuilderFlavor, {"runtime", "base"});
  expectValid(rules::osName, {"ubuntu20.04", "ubuntu22.04", "ubuntu24.04", "ubi8", "ubi9"});
  expectInvalid(rules::osName, {"ubi7", "rhel9", "ubuntu18.04"});
}

TEST(ValueRulesTest, Paths) {
  expectValid(rules::contextPath, {"requirements.txt", "src/app", "./src", "a@b+c-d"});
  EXPECT_EQ(rules::contextPath.check("/etc/passwd"),
            "a path in the build context must be relative");
  const std::string dotdot = "a path may not contain '..', which could leave the build context; "
                             "to read files outside the spec's folder, give the folder that "
                             "holds them with --context and write paths from there";
  EXPECT_EQ(rules::contextPath.check("../x"), dotdot);
  EXPECT_EQ(rules::contextPath.check("a/../../x"), dotdot);
  EXPECT_EQ(rules::contextPath.check("-rf"), "a path may not start with '-'");
  EXPECT_EQ(rules::contextPath.check("a b"),
            "' ' is not allowed in a path; use letters, digits and '._/@+-'");
  EXPECT_EQ(rules::contextPath.check("caf\xC3\xA9"),
            "'\xC3\xA9' is not allowed in a path; use letters, digits and '._/@+-'");
  EXPECT_EQ(rules::contextPath.check("."), "a path must name a file or directory");
  expectValid(rules::contextPath, {"..a", "a..b"});
  expectValid(rules::copyPath, {".", "src"});
  EXPECT_EQ(rules::copyPath.check("./"), "use '.' for the whole build context");
  expectValid(rules::imagePath, {"/models/llama", "/opt/a@b", "/opt/"});
  expectInvalid(rules::imagePath, {"", "models", "/a/../b", "/a b", "/a$b"});
  EXPECT_EQ(rules::imagePath.check("/"), "a path in the image may not be '/' itself");
  EXPECT_EQ(rules::imagePath.check("//."), "a path in the image may not be '/' itself");
  expectValid(rules::workdir, {"/", "/app"});
  expectInvalid(rules::workdir, {"app", "/a/.."});
  EXPECT_EQ(rules::anyPath.check("../x"), "a path may not contain '..'");
  expectValid(rules::anyPath, {"logs", "/data"});
  expectInvalid(rules::anyPath, {"", "../x", "/a/..", "-x"});
}

TEST(ValueRulesTest, ModelsAndHealthchecks) {
  expectValid(rules::modelId, {"meta-llama/Llama-2-7b", "org/name.v1_2"});
  expectInvalid(rules::modelId, {"", "name", "a/b/c", "/b", "a/", "../x", "a b/c"});
  expectValid(rules::revision, {"main", "v1.0", "refs/pr/1", "0123abcd"});
  expectInvalid(rules::revision, {"", "-x", "a b"});
  expectValid(rules::healthUrl, {"/health", "http://localhost:8000/health", "https://x/y"});
  expectInvalid(rules::healthUrl, {"", "health", "/a b", "/a\"b", "ftp://x"});
  expectValid(rules::duration, {"30s", "1m30s", "500ms", "1h", "1ms", "0s1ms"});
  expectValid(rules::duration, {"2562047h47m16s854ms"});
  expectInvalid(rules::duration, {"", "30", "s", "30 s", "1.5s", "30sec", "-1s", "1us", "500ns"});
  // Docker 20.10 refuses a HEALTHCHECK duration under 1ms, 0 included.
  for (const char *zero : {"0s", "0ms", "0m0s", "000h"})
    EXPECT_EQ(rules::duration.check(zero),
              "docker refuses a duration under 1ms; leave the key out for docker's default")
        << zero;
  // Beyond Go's time.Duration (int64 nanoseconds), with no overflow on the way.
  for (const char *huge : {"2562047h47m16s855ms", "2562048h", "9223372036855ms",
                           "99999999999999999999999s", "9223372036854775807h1s"})
    EXPECT_EQ(rules::duration.check(huge), "docker's longest duration is 2562047h47m16s854ms")
        << huge;
  // A malformed part after a long one is malformed, not long.
  EXPECT_EQ(rules::duration.check("99999999999999h1x"),
            "expected a duration like '30s', '1m30s' or '500ms'");
  expectValid(rules::stage, {"runtime", "builder"});
  EXPECT_EQ(rules::stage.check("buidler"), "did you mean 'builder'?");
  EXPECT_EQ(rules::stage.check("final"), "expected 'runtime' or 'builder'");
}

TEST(ValueRulesTest, DurationMillis) {
  EXPECT_EQ(30000, durationMillis("30s"));
  EXPECT_EQ(90000, durationMillis("1m30s"));
  EXPECT_EQ(500, durationMillis("500ms"));
  EXPECT_EQ(3600000, durationMillis("1h"));
  EXPECT_EQ(std::nullopt, durationMillis(""));
  EXPECT_EQ(std::nullopt, durationMillis("1.5s"));
  EXPECT_EQ(std::nullopt, durationMillis("30"));
  EXPECT_EQ(0, durationMillis("0s"));
  EXPECT_EQ(9223372036854, durationMillis("2562047h47m16s854ms"));
  EXPECT_EQ(std::nullopt, durationMillis("2562048h"));
}

TEST(ValueRulesTest, QuotedEscapesAndShortens) {
  EXPECT_EQ(quoteValue("abc"), "'abc'");
  EXPECT_EQ(quoteValue("a\tb\nc\rd\x1b"), "'a\\tb\\nc\\rd\\x1b'");
  EXPECT_EQ(quoteValue("caf\xC3\xA9"), "'caf\xC3\xA9'");
  EXPECT_EQ(quoteValue("bad\xFF"), "'bad\\xff'");
  EXPECT_EQ(quoteValue("c1\xC2\x85"), "'c1\\u0085'");
  EXPECT_EQ(quoteValue(std::string(100, 'x')), "'" + std::string(60, 'x') + "...'");
  // A multi-byte character at the cut is kept whole.
  EXPECT_EQ(quoteValue(std::string(59, 'x') + "\xC3\xA9z"),
            "'" + std::string(59, 'x') + "\xC3\xA9...'");
  EXPECT_EQ(escaped("a\x01"), "a\\x01");
}

TEST(ValueRulesTest, ForbiddenCharacters) {
  EXPECT_EQ(findForbiddenCharacter("plain text", false), "");
  EXPECT_EQ(findForbiddenCharacter("a\tb", false), "control character '\\t'");
  EXPECT_EQ(findForbiddenCharacter("a\nb", false), "control character '\\n'");
  EXPECT_EQ(findForbiddenCharacter("a\nb\tc", true), "");
  EXPECT_EQ(findForbiddenCharacter("a\rb", true), "control character '\\r'");
  EXPECT_EQ(findForbiddenCharacter("a\x7f", true), "control character '\\x7f'");
  EXPECT_EQ(findForbiddenCharacter("a\xC2\x9B", false), "control character '\\u009b'");
  EXPECT_EQ(findForbiddenCharacter("a\xFF", false), "invalid UTF-8");
  EXPECT_EQ(findForbiddenCharacter("caf\xC3\xA9", false), "");
}

TEST(ValueRulesTest, PythonProjects) {
  expectValid(rules::pipPackage,
              {"torch==2.0.1", "git+https://github.com/org/repo.git@v1.0#egg=repo",
               "whisper @ https://github.com/openai/whisper/archive/v1.tar.gz",
               "detectron2 @ git+https://github.com/facebookresearch/detectron2.git@v0.6",
               "pkg[extra] @ https://example.com/pkg.whl"});
  expectInvalid(rules::pipPackage,
                {"a @ ", " @ https://x.org/a.whl", "a @ ftp://x.org/a.whl",
                 "a @ https://x.org/a b.whl", "a @ https://x.org/'a.whl", "-e @ https://x.org",
                 "a b", "--no-deps"});
  expectValid(rules::pythonManager, {"pip", "uv", "poetry"});
  expectInvalid(rules::pythonManager, {"", "pipenv", "UV", "conda"});
  expectValid(rules::venvStage, {"builder", "runtime"});
  expectInvalid(rules::venvStage, {"", "model", "Builder"});
  expectValid(rules::extraName, {"cuda", "cu121", "all_gpu", "a.b-c"});
  expectInvalid(rules::extraName, {"", "-all", "cuda-", "a b", "a,b", "[cuda]"});
  expectValid(rules::toolVersion, {"0.5.11", "1.8", "1.8.5"});
  expectInvalid(rules::toolVersion, {"", "1", "latest", "v0.5.11", "0.5.x", "1.8.5.1", "1.8.5rc1"});
  expectValid(rules::pipOption, {"--no-deps", "--no-build-isolation", "--pre",
                                 "--only-binary=:all:", "--no-binary=:all:", "--force-reinstall"});
  expectInvalid(rules::pipOption,
                {"", "--index-url=https://evil.example.com", "--target=/usr", "-r", "--no-deps ",
                 "--no-deps;id", "-c constraints.txt", "--extra-index-url"});
}

} // namespace
} // namespace imageplan::dsl
