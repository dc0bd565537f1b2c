// Image digests and model commits from the registry and the hub (Resolve.h).
#include "tools/lock/Resolve.h"

#include "analysis/Process.h"
#include "dsl/Lock.h"
#include "readers/InputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

namespace imageplan::lock {
namespace {

using analysis::firstLine;
using analysis::onPath;
using analysis::ProgramResult;
using analysis::runProgram;

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

// Every manifest kind a FROM line may name: a multi-platform index or list
// first, so the digest is the one `docker pull` resolves the tag to.
constexpr llvm::StringLiteral ManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.manifest.v1+json";

/// A temporary file, removed with this object.
class TempFile {
public:
  explicit TempFile(llvm::StringRef suffix) {
    if (llvm::sys::fs::createTemporaryFile("imageplan-lock", suffix, path))
      path.clear();
  }
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
  bool ok() const { return !path.empty(); }
  std::string name() const { return path.str().str(); }
  std::string read() const {
    // What a program wrote here: bounded like every file imageplan reads.
    auto buffer = readers::readInputFile(path, {256u << 20, "a program's output"});
    if (!buffer) {
      llvm::consumeError(buffer.takeError());
      return "";
    }
    return (*buffer)->getBuffer().str();
  }
  bool write(llvm::StringRef text) const {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << text;
    return !ec;
  }

private:
  llvm::SmallString<128> path;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::string headers; // the last response's, lowercased names kept as sent
};

/// One GET with curl. `authorization`, when set, is sent from a file (-H
/// @file), so no token ever appears on a command line.
llvm::Expected<HttpReply> httpGet(const std::string &url, llvm::ArrayRef<std::string> headers,
                                  llvm::StringRef authorization, unsigned timeout) {
  TempFile body("body"), head("head"), auth("auth");
  if (!body.ok() || !head.ok() || !auth.ok())
    return failure("cannot create a temporary file");
  std::vector<std::string> args = {"--silent", "--show-error", "--location",
                                   "--max-time", std::to_string(timeout),
                                   "--output", body.name(), "--dump-header", head.name(),
                                   "--write-out", "%{http_code}"};
  for (const std::string &header : headers)
    args.insert(args.end(), {"--header", header});
  if (!authorization.empty()) {
    if (!auth.write("Authorization: " + authorization.str() + "\n"))
      return failure("cannot write a temporary file");
    args.insert(args.end(), {"--header", "@" + auth.name()});
  }
  args.push_back(url);
  llvm::Expected<ProgramResult> run = runProgram("curl", args, timeout + 5);
  if (!run)
    return run.takeError();
  if (run->status != 0)
    return failure("curl " + url + ": " + firstLine(run->err));
  HttpReply reply;
  llvm::StringRef(run->out).trim().getAsInteger(10, reply.status);
  reply.body = body.read();
  std::string all = head.read();
  // With redirects followed, the last block of headers is the answer's.
  size_t last = llvm::StringRef(all).rtrim().rfind("\r\n\r\n");
  reply.headers = last == llvm::StringRef::npos ? all : all.substr(last + 4);
  return reply;
}

/// The value of header `name` (case-insensitive), or "".
std::string headerValue(llvm::StringRef headers, llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 16> lines;
  headers.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    auto [key, value] = line.split(':');
    if (key.trim().equals_insensitive(name))
      return value.trim().str();
  }
  return "";
}

llvm::Expected<std::string> digestOfRaw(llvm::StringRef tool, llvm::Expected<ProgramResult> run) {
  if (!run)
    return run.takeError();
  if (run->status != 0)
    return failure(tool + ": " + firstLine(run->err));
  if (llvm::StringRef(run->out).trim().empty())
    return failure(tool + " printed no manifest");
  return sha256Digest(run->out);
}

llvm::Expected<std::string> viaSkopeo(llvm::StringRef image, const ResolveOptions &options) {
  std::optional<ImageRef> ref = parseImageRef(image);
  std::vector<std::string> args = {"inspect", "--raw"};
  if (ref && ref->plainHttp)
    args.push_back("--tls-verify=false");
  args.push_back("docker://" + image.str());
  return digestOfRaw("skopeo", runProgram("skopeo", args, options.timeoutSeconds));
}

bool imagetoolsAvailable() {
  if (!onPath("docker"))
    return false;
  llvm::Expected<ProgramResult> version = runProgram("docker", {"buildx", "version"}, 30);
  if (!version) {
    llvm::consumeError(version.takeError());
    return false;
  }
  return version->status == 0;
}

llvm::Expected<std::string> viaImagetools(llvm::StringRef image, const ResolveOptions &options) {
  return digestOfRaw("docker buildx imagetools",
                     runProgram("docker", {"buildx", "imagetools", "inspect", "--raw", image.str()},
                                options.timeoutSeconds));
}

/// The registry's HTTP API: GET the manifest (after an anonymous Bearer
/// token where the registry asks for one) and hash what it sent.
llvm::Expected<std::string> viaRegistry(llvm::StringRef image, const ResolveOptions &options) {
  std::optional<ImageRef> ref = parseImageRef(image);
  if (!ref)
    return failure("'" + image + "' is not an image reference");
  std::string host = ref->registry == "docker.io" ? "registry-1.docker.io" : ref->registry;
  std::string url = (ref->plainHttp ? "http://" : "https://") + host + "/v2/" + ref->repository +
                    "/manifests/" + ref->reference;
  std::vector<std::string> accept = {ManifestAccept.str()};
  llvm::Expected<HttpReply> reply = httpGet(url, accept, "", options.timeoutSeconds);
  if (!reply)
    return reply.takeError();
  if (reply->status == 401) {
    std::string tokenUrl = bearerTokenUrl(headerValue(reply->headers, "www-authenticate"));
    if (tokenUrl.empty())
      return failure(url + " answered 401 and asks for credentials imageplan does not have");
    llvm::Expected<HttpReply> token = httpGet(tokenUrl, {}, "", options.timeoutSeconds);
    if (!token)
      return token.takeError();
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(token->body);
    const llvm::json::Object *object = json ? json->getAsObject() : nullptr;
    if (!json)
      llvm::consumeError(json.takeError());
    llvm::Optional<llvm::StringRef> value =
        object ? object->getString("token") : llvm::Optional<llvm::StringRef>();
    if (!value && object)
      value = object->getString("access_token");
    if (token->status != 200 || !value)
      return failure("the token service of " + host + " answered " +
                     llvm::Twine(token->status));
    reply = httpGet(url, accept, "Bearer " + value->str(), options.timeoutSeconds);
    if (!reply)
      return reply.takeError();
  }
  if (reply->status != 200)
    return failure(url + " answered " + llvm::Twine(reply->status));
  std::string digest = sha256Digest(reply->body);
  std::string claimed = headerValue(reply->headers, "docker-content-digest");
  if (!claimed.empty() && claimed != digest)
    return failure(url + " says its manifest is " + claimed + " but sent one that is " + digest);
  return digest;
}

} // namespace

std::optional<ImageRef> parseImageRef(llvm::StringRef image) {
  auto [name, digest] = image.split('@');
  if (name.empty() || name.contains(' '))
    return std::nullopt;
  ImageRef ref;
  size_t colon = name.rfind(':'), slash = name.rfind('/');
  llvm::StringRef tag;
  if (colon != llvm::StringRef::npos && (slash == llvm::StringRef::npos || colon > slash)) {
    tag = name.substr(colon + 1);
    name = name.take_front(colon);
  }
  ref.reference = !digest.empty() ? digest.str() : tag.empty() ? "latest" : tag.str();
  auto [first, rest] = name.split('/');
  if (!rest.empty() && (first.contains('.') || first.contains(':') || first == "localhost")) {
    ref.registry = first.str();
    ref.repository = rest.str();
  } else {
    ref.registry = "docker.io";
    ref.repository = rest.empty() ? ("library/" + name).str() : name.str();
  }
  llvm::StringRef host = llvm::StringRef(ref.registry).split(':').first;
  ref.plainHttp = host == "localhost" || host.startswith("127.");
  if (ref.repository.empty() || ref.reference.empty())
    return std::nullopt;
  return ref;
}

std::optional<Resolver> parseResolver(llvm::StringRef name) {
  for (Resolver r : {Resolver::Auto, Resolver::Skopeo, Resolver::Imagetools, Resolver::Registry,
                     Resolver::None})
    if (name == toString(r))
      return r;
  return std::nullopt;
}

const char *toString(Resolver resolver) {
  switch (resolver) {
  case Resolver::Auto: return "auto";
  case Resolver::Skopeo: return "skopeo";
  case Resolver::Imagetools: return "imagetools";
  case Resolver::Registry: return "registry";
  case Resolver::None: return "none";
  }
  return "auto";
}

std::string sha256Digest(llvm::StringRef bytes) {
  llvm::SHA256 hash;
  hash.update(bytes);
  return "sha256:" + llvm::toHex(hash.final(), /*LowerCase=*/true);
}

std::string bearerTokenUrl(llvm::StringRef challenge) {
  if (!challenge.consume_front_insensitive("Bearer "))
    return "";
  std::string realm, query;
  while (!challenge.empty()) {
    auto [pair, rest] = challenge.split(',');
    challenge = rest.ltrim();
    auto [key, value] = pair.trim().split('=');
    value = value.trim().trim('"');
    if (key == "realm")
      realm = value.str();
    else if (key == "service" || key == "scope")
      query += (query.empty() ? "?" : "&") + key.str() + "=" + value.str();
  }
  return realm.empty() ? "" : realm + query;
}

llvm::Expected<std::string> resolveImageDigest(llvm::StringRef image, const ResolveOptions &options,
                                               std::string *via) {
  Resolver chosen = options.resolver;
  if (chosen == Resolver::None)
    return failure("no resolver (--resolver none)");
  if (chosen == Resolver::Auto)
    chosen = onPath("skopeo")        ? Resolver::Skopeo
             : imagetoolsAvailable() ? Resolver::Imagetools
             : onPath("curl")        ? Resolver::Registry
                                     : Resolver::None;
  if (via)
    *via = toString(chosen);
  switch (chosen) {
  case Resolver::Skopeo: return viaSkopeo(image, options);
  case Resolver::Imagetools: return viaImagetools(image, options);
  case Resolver::Registry: return viaRegistry(image, options);
  case Resolver::Auto:
  case Resolver::None: break;
  }
  return failure("none of skopeo, docker buildx or curl is on PATH");
}

llvm::Expected<std::string> resolveModelCommit(llvm::StringRef id, llvm::StringRef revision,
                                               const ResolveOptions &options) {
  std::string url = llvm::StringRef(options.hubEndpoint).rtrim('/').str() + "/api/models/" +
                    id.str() + "/revision/" + revision.str();
  std::string authorization = options.hubToken.empty() ? "" : "Bearer " + options.hubToken;
  llvm::Expected<HttpReply> reply = httpGet(url, {}, authorization, options.timeoutSeconds);
  if (!reply)
    return reply.takeError();
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(reply->body);
  const llvm::json::Object *object = json ? json->getAsObject() : nullptr;
  if (!json)
    llvm::consumeError(json.takeError());
  if (reply->status != 200) {
    llvm::Optional<llvm::StringRef> message =
        object ? object->getString("error") : llvm::Optional<llvm::StringRef>();
    return failure(url + " answered " + llvm::Twine(reply->status) +
                   (message ? ": " + message->str() : std::string()));
  }
  llvm::Optional<llvm::StringRef> sha =
      object ? object->getString("sha") : llvm::Optional<llvm::StringRef>();
  if (!sha || !dsl::isCommitId(*sha))
    return failure(url + " sent no commit");
  return sha->str();
}

} // namespace imageplan::lock
