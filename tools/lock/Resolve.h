// Resolving what a tag or a revision points at now, for `imageplan lock`:
// image digests through skopeo, `docker buildx imagetools` or the registry's
// HTTP API (with curl), and model commits through the hub's HTTP API. Each
// resolver is an external program, used when it is on PATH; none is needed
// for pins given by the user.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::lock {

/// An image reference split as a registry sees it.
struct ImageRef {
  std::string registry;   // registry-1.docker.io, ghcr.io, 127.0.0.1:5000
  std::string repository; // library/python, nvidia/cuda
  std::string reference;  // a tag (latest when none is given) or a digest
  /// Plain HTTP: a registry on the loopback interface, as Docker treats
  /// 127.0.0.0/8 and localhost as insecure registries by default.
  bool plainHttp = false;
};

/// Docker's normalization of `image` (docker.io and library/ implied), or
/// nothing for text that is no reference.
std::optional<ImageRef> parseImageRef(llvm::StringRef image);

enum class Resolver { Auto, Skopeo, Imagetools, Registry, None };
/// The resolver called `name` (auto, skopeo, imagetools, registry, none).
std::optional<Resolver> parseResolver(llvm::StringRef name);
const char *toString(Resolver resolver);

struct ResolveOptions {
  Resolver resolver = Resolver::Auto;
  std::string hubEndpoint = "https://huggingface.co";
  std::string hubToken; // sent as a Bearer token to the hub (never on a command line)
  unsigned timeoutSeconds = 120;
};

/// "sha256:<hex>" of `bytes`: the digest a registry gives the manifest.
std::string sha256Digest(llvm::StringRef bytes);

/// The digest `image` resolves to now, and in `via` the resolver that said
/// so. Auto tries skopeo, then imagetools, then the registry API.
llvm::Expected<std::string> resolveImageDigest(llvm::StringRef image, const ResolveOptions &options,
                                               std::string *via = nullptr);

/// The commit model `id` is at `revision` on the hub now.
llvm::Expected<std::string> resolveModelCommit(llvm::StringRef id, llvm::StringRef revision,
                                               const ResolveOptions &options);

/// Parses a WWW-Authenticate Bearer challenge into the token URL to ask
/// (realm with service and scope), or "" when it is not one. For tests.
std::string bearerTokenUrl(llvm::StringRef challenge);

} // namespace imageplan::lock
