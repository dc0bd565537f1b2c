// What a reference means to a registry, the token challenge, and digests.
#include "tools/lock/Resolve.h"

#include <gtest/gtest.h>

namespace imageplan::lock {
namespace {

void expectRef(llvm::StringRef image, llvm::StringRef registry, llvm::StringRef repository,
               llvm::StringRef reference, bool plainHttp = false) {
  std::optional<ImageRef> ref = parseImageRef(image);
  ASSERT_TRUE(ref) << image.str();
  EXPECT_EQ(ref->registry, registry) << image.str();
  EXPECT_EQ(ref->repository, repository) << image.str();
  EXPECT_EQ(ref->reference, reference) << image.str();
  EXPECT_EQ(ref->plainHttp, plainHttp) << image.str();
}

TEST(ResolveTest, DockerNormalization) {
  expectRef("python:3.12-slim", "docker.io", "library/python", "3.12-slim");
  expectRef("python", "docker.io", "library/python", "latest");
  expectRef("nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu22.04", "docker.io", "nvidia/cuda",
            "11.8.0-cudnn8-runtime-ubuntu22.04");
  expectRef("ghcr.io/astral-sh/uv:0.5.11", "ghcr.io", "astral-sh/uv", "0.5.11");
  expectRef("registry.access.redhat.com/ubi9/ubi-minimal:9.4", "registry.access.redhat.com",
            "ubi9/ubi-minimal", "9.4");
  expectRef("127.0.0.1:5000/debian:bookworm-slim", "127.0.0.1:5000", "debian", "bookworm-slim",
            true);
  expectRef("localhost:5000/team/app", "localhost:5000", "team/app", "latest", true);
  expectRef("python:3.12@sha256:abc", "docker.io", "library/python", "sha256:abc");
  EXPECT_FALSE(parseImageRef(""));
  EXPECT_FALSE(parseImageRef("a b"));
}

TEST(ResolveTest, BearerChallenge) {
  EXPECT_EQ(bearerTokenUrl("Bearer realm=\"https://auth.docker.io/token\",service=\"registry."
                           "docker.io\",scope=\"repository:library/python:pull\""),
            "https://auth.docker.io/token?service=registry.docker.io&"
            "scope=repository:library/python:pull");
  EXPECT_EQ(bearerTokenUrl("Basic realm=\"x\""), "");
  EXPECT_EQ(bearerTokenUrl("Bearer service=\"x\""), "");
}

TEST(ResolveTest, Sha256Digest) {
  EXPECT_EQ(sha256Digest(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ResolveTest, ResolverNames) {
  EXPECT_EQ(parseResolver("skopeo"), Resolver::Skopeo);
  EXPECT_EQ(parseResolver("registry"), Resolver::Registry);
  EXPECT_FALSE(parseResolver("crane"));
  EXPECT_STREQ(toString(Resolver::Imagetools), "imagetools");
}

} // namespace
} // namespace imageplan::lock
