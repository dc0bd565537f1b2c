// readInputFile (InputFile.h): open(2) with O_NONBLOCK, fstat(2) to refuse
// anything but a regular file, then read(2) in chunks up to the limit. The
// size fstat reports is only a hint: a file may grow while it is read, and
// files under /proc say 0, so the limit is enforced on the bytes read.
#include "readers/InputFile.h"

#include "readers/TextEscape.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace imageplan::readers {

char InputTooLarge::ID = 0;

namespace {

/// A file descriptor closed when it goes out of scope.
class Descriptor {
public:
  explicit Descriptor(int fd) : fd(fd) {}
  Descriptor(const Descriptor &) = delete;
  Descriptor &operator=(const Descriptor &) = delete;
  ~Descriptor() {
    if (fd >= 0)
      ::close(fd);
  }

private:
  int fd;
};

const char *fileKind(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

llvm::Error cannotRead(llvm::StringRef path, const llvm::Twine &reason) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot read " + quoteText(path) + ": " + reason);
}

llvm::Error tooLarge(llvm::StringRef path, InputLimit limit) {
  return llvm::make_error<InputTooLarge>("cannot read " + quoteText(path) +
                                         ": it is larger than the " +
                                         describeSize(limit.maxBytes) + " limit for " + limit.what);
}

/// Reads until end of file, failing once more than `limit` bytes arrived.
llvm::Expected<std::string> readBounded(int fd, llvm::StringRef path, InputLimit limit,
                                        uint64_t sizeHint) {
  std::string text;
  text.reserve(std::min<uint64_t>(sizeHint, limit.maxBytes) + 1);
  char chunk[64 * 1024];
  while (true) {
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return cannotRead(path, std::error_code(errno, std::generic_category()).message());
    if (got == 0)
      return text;
    if (text.size() + static_cast<uint64_t>(got) > limit.maxBytes)
      return tooLarge(path, limit);
    text.append(chunk, static_cast<size_t>(got));
  }
}

/// Fails when `path` exists and its real path is not `dir` or under it.
llvm::Error requireInside(llvm::StringRef path, llvm::StringRef dir) {
  llvm::SmallString<256> realFile, realDir;
  if (llvm::sys::fs::real_path(path, realFile) || llvm::sys::fs::real_path(dir, realDir))
    return llvm::Error::success(); // open() reports a missing file
  llvm::StringRef file = realFile, root = realDir;
  if (file.startswith(root) && (root.endswith("/") || file.size() == root.size() ||
                                file[root.size()] == '/'))
    return llvm::Error::success();
  return cannotRead(path, "it is a symbolic link to a file outside the build context");
}

} // namespace

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef path, InputLimit limit, llvm::StringRef bufferName,
              llvm::StringRef insideDir) {
  if (!insideDir.empty())
    if (llvm::Error err = requireInside(path, insideDir))
      return err;
  llvm::SmallString<256> nulTerminated(path);
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
  // writer. O_NOCTTY: a terminal device never becomes our controlling one.
  int fd = ::open(nulTerminated.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return cannotRead(path, std::error_code(errno, std::generic_category()).message());
  Descriptor closeOnReturn(fd);
  struct stat status {};
  if (::fstat(fd, &status) != 0)
    return cannotRead(path, std::error_code(errno, std::generic_category()).message());
  if (!S_ISREG(status.st_mode))
    return cannotRead(path, llvm::Twine("not a regular file (") + fileKind(status.st_mode) + ")");
  if (static_cast<uint64_t>(status.st_size) > limit.maxBytes)
    return tooLarge(path, limit);
  // A regular file never blocks; clear the flag so reads behave as usual.
  if (int flags = ::fcntl(fd, F_GETFL); flags >= 0)
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  llvm::Expected<std::string> text = readBounded(fd, path, limit, status.st_size);
  if (!text)
    return text.takeError();
  return llvm::MemoryBuffer::getMemBufferCopy(*text, bufferName.empty() ? path : bufferName);
}

std::string describeSize(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0)
    return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

} // namespace imageplan::readers

namespace imageplan::readers {

std::optional<uint64_t> parseSize(llvm::StringRef text) {
  size_t digits = text.find_first_not_of("0123456789");
  uint64_t number = 0;
  if (digits == 0 || text.take_front(digits).getAsInteger(10, number))
    return std::nullopt;
  llvm::StringRef unit = text.drop_front(std::min(digits, text.size()));
  unsigned shift = 0;
  if (unit == "K" || unit == "KiB")
    shift = 10;
  else if (unit == "M" || unit == "MiB")
    shift = 20;
  else if (unit == "G" || unit == "GiB")
    shift = 30;
  else if (!unit.empty())
    return std::nullopt;
  constexpr uint64_t kMax = uint64_t(4) << 30;
  if (number == 0 || number > (kMax >> shift))
    return std::nullopt;
  return number << shift;
}

} // namespace imageplan::readers
