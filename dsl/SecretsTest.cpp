// Tests for the secrets policy (Secrets.h): the credential shapes and their
// near misses, secret-like names and random-looking values, and the errors
// the parser gives for each field a credential could hide in.
#include "dsl/Secrets.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

std::string shape(llvm::StringRef value) { return findCredential(value).value_or(""); }

TEST(SecretsTest, KnownTokenShapes) {
  EXPECT_EQ(shape("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"), "a Hugging Face token");
  EXPECT_EQ(shape("Bearer ghp_0123456789abcdefghijABCDEFGHIJ0123"), "a GitHub token");
  EXPECT_EQ(shape("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
            "a GitHub token");
  EXPECT_EQ(shape("glpat-abcdefghij0123456789"), "a GitLab token");
  EXPECT_EQ(shape("AKIAIOSFODNN7EXAMPLE"), "an AWS access key id");
  EXPECT_EQ(shape("xoxb-123456789012-abcdef"), "a Slack token");
  EXPECT_EQ(shape("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"), "an API key");
  EXPECT_EQ(shape("AIzaSyA-abcdefghijklmnopqrstuvwxyz01234"), "a Google API key");
  EXPECT_EQ(shape("npm_abcdefghijklmnopqrstuvwxyz0123456789"), "an npm token");
  EXPECT_EQ(shape("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk"),
            "a JSON Web Token");
  EXPECT_EQ(shape("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n"), "a private key");
  EXPECT_EQ(shape("-----BEGIN RSA PRIVATE KEY-----"), "a private key");
}

TEST(SecretsTest, NearMissesAreNotCredentials) {
  for (const char *value :
       {"hf_transfer", "HF_HOME", "sk-learn", "scikit-learn", "ghp_short", "AKIAshort",
        "AKIAIOSFODNN7EXAMPLEX", "xhf_abcdefghijklmnopqrstuvwxyz0123456789",
        "-----BEGIN CERTIFICATE-----", "-----BEGIN PUBLIC KEY-----",
        "https://user@example.com/simple", "git+https://git@github.com/org/repo",
        "https://user:$TOKEN@example.com", "https://user:${PASSWORD}@example.com",
        "python:3.11@sha256:abc", "mailto:a@b.c", "https://example.com/a:b@c"})
    EXPECT_EQ(shape(value), "") << value;
}

TEST(SecretsTest, UrlPasswords) {
  EXPECT_EQ(shape("https://user:pass@pypi.example.com/simple"), "a password in a URL");
  EXPECT_EQ(shape("postgres://app:hunter2@db:5432/app"), "a password in a URL");
  EXPECT_EQ(shape("curl https://x:y@example.com/f -o f"), "a password in a URL");
}

TEST(SecretsTest, SecretNamesAndRandomValues) {
  for (const char *key : {"HF_TOKEN", "DB_PASSWORD", "aws_secret_access_key", "apiKey",
                          "GITHUB-TOKEN", "com.example.auth", "PRIVATE_KEY"})
    EXPECT_TRUE(namesSecret(key)) << key;
  for (const char *key : {"TOKENIZERS_PARALLELISM", "HF_HOME", "KEYBOARD", "monkey",
                          "org.opencontainers.image.revision", "PASSWORDLESS"})
    EXPECT_FALSE(namesSecret(key)) << key;
  EXPECT_TRUE(looksRandom("s3cr3tPassw0rd!!"));
  EXPECT_TRUE(looksRandom("3f9a1c0e7b2d4a6f8e1c3b5d7f9a0c2e"));
  EXPECT_TRUE(looksRandom("9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b"));
  for (const char *value : {"hunter2", "production-database", "/run/secrets/db_password",
                            "$DB_PASSWORD", "https://example.com/x", "changeme123",
                            "ALLCAPSVALUEONLY", "two words here123"})
    EXPECT_FALSE(looksRandom(value)) << value;
}

std::string errorsOf(llvm::StringRef body) {
  testing::CapturedDiagnostics c;
  std::string text = "imageplan: 1\nname: x\nbase: {image: python}\n" + body.str();
  EXPECT_FALSE(c.parse(text));
  return c.output();
}

TEST(SecretsTest, ParserRefusesCredentialsWithAdvice) {
  EXPECT_EQ(errorsOf("app: {env: {HF_TOKEN: hf_abcdefghijklmnopqrstuvwxyzABCDEFGH}}\n"),
            "imageplan.yaml:4:23: error: the value of 'HF_TOKEN' in 'env' looks like a "
            "Hugging Face token; an ENV value is stored in the image: pass it when the "
            "container starts (docker run -e), or to a build step as a build secret (RUN "
            "--mount=type=secret)\n"
            "app: {env: {HF_TOKEN: hf_abcdefghijklmnopqrstuvwxyzABCDEFGH}}\n"
            "                      ^\n");
  EXPECT_EQ(errorsOf("app: {env: {DB_PASSWORD: s3cr3tPassw0rd!!}}\n"),
            "imageplan.yaml:4:26: error: the value of 'DB_PASSWORD' in 'env' looks like a "
            "secret (a random-looking value under a name like a secret's); an ENV value is "
            "stored in the image: pass it when the container starts (docker run -e), or to "
            "a build step as a build secret (RUN --mount=type=secret)\n"
            "app: {env: {DB_PASSWORD: s3cr3tPassw0rd!!}}\n"
            "                         ^\n");
  EXPECT_EQ(errorsOf("app: {}\nmodels:\n  - {id: a/b, path: /m, bake: true, token_secret: "
                     "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH}\n"),
            "imageplan.yaml:6:51: error: 'token_secret' looks like a Hugging Face token; "
            "'token_secret' names a build secret, such as 'hf_token', not the token itself; "
            "pass the token with docker build --secret id=hf_token,env=HF_TOKEN\n"
            "  - {id: a/b, path: /m, bake: true, token_secret: "
            "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH}\n"
            "                                                  ^\n");
}

} // namespace
} // namespace imageplan::dsl
