// The one way imageplan opens a file it reads (a spec, a Dockerfile, a
// .dockerignore, pyproject.toml, a requirements file, package.json): only a
// regular file, opened
// without blocking, so that a FIFO or a device is refused at once instead of
// hanging or streaming forever, and read up to a size cap, so that memory stays
// bounded whatever the input. docs/security.md lists the caps.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace imageplan::readers {

/// The most imageplan reads of one file of a kind.
struct InputLimit {
  uint64_t maxBytes;
  /// What the file is, for the message: "a spec", "a Dockerfile".
  const char *what;
};

namespace limits {
inline constexpr InputLimit kSpec{4u << 20, "a spec"};
inline constexpr InputLimit kProjectFile{4u << 20, "a project file"};
/// imageplan.lock, which `gen` and `lock` read.
inline constexpr InputLimit kLockFile{4u << 20, "a lock file"};
/// `lock --hub-token-file`: one token.
inline constexpr InputLimit kTokenFile{64u << 10, "a token file"};
/// `score --max-file-size` overrides it for the Dockerfile and .dockerignore.
inline constexpr InputLimit kDockerfile{32u << 20, "a Dockerfile"};
inline constexpr InputLimit kDockerignore{32u << 20, "a .dockerignore file"};
/// What `gen --check` and `--write-if-changed` read of an existing output.
inline constexpr InputLimit kExistingOutput{64u << 20, "an existing output"};
} // namespace limits

/// The error of a file over its limit, so a caller that only compares
/// contents can treat it as "different".
class InputTooLarge : public llvm::ErrorInfo<InputTooLarge> {
public:
  static char ID;
  explicit InputTooLarge(std::string message) : message(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string message;
};

/// Reads `path` whole, within `limit`. The buffer is named `bufferName`, or
/// `path` as given (what messages show: the user's spelling, never an
/// absolute path). Errors read "cannot read '<path>': <reason>", where the
/// reason is the system's, "not a regular file (a FIFO)" and the like, or
/// "it is larger than the 4 MiB limit for a spec" (an InputTooLarge).
/// With `insideDir`, a file of the build context: refused when it resolves
/// (through symbolic links) to a file outside that folder, which a hostile
/// context could point at /proc/self/environ or a private key to have its
/// text quoted in a diagnostic.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, InputLimit limit, llvm::StringRef bufferName = {},
              llvm::StringRef insideDir = {});

/// "4 MiB", "512 KiB" or "1000 bytes": a size as the limits are written.
std::string describeSize(uint64_t bytes);

/// A size as an option takes it: bytes, or a number with K, M or G (KiB,
/// MiB, GiB; "KiB" and the like also read). Nothing for anything else, for 0
/// and for more than 4 GiB.
std::optional<uint64_t> parseSize(llvm::StringRef text);

} // namespace imageplan::readers
