// The fuzzers' shared checks and the oracle process (FuzzSupport.h).
#include "FuzzSupport.h"

#include "readers/TextEscape.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/ADT/Hashing.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <spawn.h>
#include <unistd.h>
#include <unordered_set>

extern char **environ;

namespace imageplan::fuzz {

void propertyFailed(const std::string &message, llvm::StringRef evidence) {
  std::fprintf(stderr, "==imageplan-fuzz== property failed: %s\n", message.c_str());
  std::fprintf(stderr, "==imageplan-fuzz== evidence (escaped):\n%s\n",
               readers::escapeText(evidence.take_front(4000)).c_str());
  std::abort();
}

void requireTerminalSafe(llvm::StringRef text, const char *what) {
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F)) {
      ++i;
      continue;
    }
    unsigned length = llvm::getNumBytesForUTF8(c);
    llvm::StringRef character = text.substr(i, length);
    if (c < 0x80 || character.size() != length || !readers::isLegalUtf8(character) ||
        readers::isC1ControlAt(character, 0))
      propertyFailed(std::string(what) + " holds a raw control byte or invalid UTF-8 at offset " +
                         std::to_string(i),
                     text);
    i += length;
  }
}

namespace {

void writeAll(int fd, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue; // libFuzzer's -timeout alarm fires every second
    if (n <= 0)
      propertyFailed("the oracle process stopped reading", "");
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void readAll(int fd, void *data, size_t size) {
  char *p = static_cast<char *>(data);
  while (size) {
    ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      propertyFailed("the oracle process stopped answering", "");
    p += n;
    size -= static_cast<size_t>(n);
  }
}

} // namespace

Oracle &Oracle::instance() {
  static Oracle oracle;
  return oracle;
}

Oracle::Oracle() {
  const char *setting = std::getenv("IMAGEPLAN_FUZZ_ORACLE");
  if (setting && llvm::StringRef(setting) == "0")
    return;
  const char *node = IMAGEPLAN_FUZZ_NODE;
  const char *main = IMAGEPLAN_FUZZ_DOCKERFILE_UTILS_MAIN;
  if (!*node || !*main) {
    std::fprintf(stderr, "imageplan fuzz: Node.js or dockerfile-utils was not found when cmake "
                         "ran; run scripts/setup.sh --test and re-run cmake, or set "
                         "IMAGEPLAN_FUZZ_ORACLE=0\n");
    std::exit(1);
  }
  int toOracle[2], fromOracle[2];
  if (::pipe(toOracle) != 0 || ::pipe(fromOracle) != 0)
    propertyFailed("cannot make pipes for the oracle", "");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, toOracle[0], 0);
  posix_spawn_file_actions_adddup2(&actions, fromOracle[1], 1);
  posix_spawn_file_actions_addclose(&actions, toOracle[1]);
  posix_spawn_file_actions_addclose(&actions, fromOracle[0]);
  char *argv[] = {const_cast<char *>(node), const_cast<char *>(IMAGEPLAN_FUZZ_ORACLE_JS),
                  const_cast<char *>(main), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, node, &actions, nullptr, argv, environ) != 0)
    propertyFailed(std::string("cannot start the oracle: ") + node, "");
  posix_spawn_file_actions_destroy(&actions);
  ::close(toOracle[0]);
  ::close(fromOracle[1]);
  fd[0] = toOracle[1];
  fd[1] = fromOracle[0];
  if (!ask('D', "FROM scratch\n").empty())
    propertyFailed("the oracle rejects a one-line Dockerfile", "FROM scratch\n");
}

bool Oracle::seenBefore(char kind, llvm::StringRef text) {
  // Hashes only: a long run sees millions of texts.
  static std::unordered_set<uint64_t> seen;
  uint64_t hash = llvm::hash_combine(kind, llvm::hash_value(text));
  return !seen.insert(hash).second;
}

std::string Oracle::ask(char kind, llvm::StringRef text) {
  uint32_t length = static_cast<uint32_t>(text.size());
  unsigned char header[5] = {static_cast<unsigned char>(kind),
                             static_cast<unsigned char>(length & 0xFF),
                             static_cast<unsigned char>((length >> 8) & 0xFF),
                             static_cast<unsigned char>((length >> 16) & 0xFF),
                             static_cast<unsigned char>((length >> 24) & 0xFF)};
  writeAll(fd[0], header, sizeof header);
  writeAll(fd[0], text.data(), text.size());
  unsigned char answer[5];
  readAll(fd[1], answer, sizeof answer);
  uint32_t messageLength = answer[1] | (answer[2] << 8) | (answer[3] << 16) |
                           (static_cast<uint32_t>(answer[4]) << 24);
  std::string message(messageLength, '\0');
  readAll(fd[1], message.data(), messageLength);
  return answer[0] == '0' ? "" : (message.empty() ? "rejected" : message);
}

void Oracle::requireValidDockerfile(llvm::StringRef dockerfile) {
  if (!enabled() || seenBefore('D', dockerfile))
    return;
  if (std::string problem = ask('D', dockerfile); !problem.empty())
    propertyFailed("dockerfile-utils rejects the generated Dockerfile: " + problem, dockerfile);
}

void Oracle::requireShellSyntax(llvm::StringRef script, llvm::StringRef dockerfile) {
  if (!enabled() || seenBefore('S', script))
    return;
  if (std::string problem = ask('S', script); !problem.empty())
    propertyFailed("bash -n rejects a RUN of the generated Dockerfile: " + problem + "\nscript: " +
                       readers::escapeText(script),
                   dockerfile);
}

namespace {

void writeFile(llvm::StringRef dir, llvm::StringRef name, llvm::StringRef text) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  os << text;
}

std::string makeContext() {
  llvm::SmallString<256> dir;
  if (llvm::sys::fs::createUniqueDirectory("imageplan-fuzz-context", dir))
    propertyFailed("cannot make the fuzz build context", "");
  writeFile(dir, "requirements.txt", "flask==3.0.0\nnumpy>=1.26\n");
  writeFile(dir, "requirements-dev.txt", "-r requirements.txt\npytest\n");
  writeFile(dir, "constraints.txt", "numpy<2\n");
  writeFile(dir, "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"flask\"]\n"
            "[project.optional-dependencies]\ncuda = [\"torch\"]\ndev = [\"pytest\"]\n"
            "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = "
            "\"setuptools.build_meta\"\n");
  writeFile(dir, "uv.lock", "version = 1\n");
  writeFile(dir, "poetry.lock", "# poetry\n");
  writeFile(dir, "app/__main__.py", "print('hi')\n");
  writeFile(dir, "src/app.py", "print('hi')\n");
  writeFile(dir, "native/setup.py", "from setuptools import setup\nsetup()\n");
  writeFile(dir, "frontend/package.json", "{}\n");
  writeFile(dir, ".env", "TOKEN=not-a-real-one\n");
  writeFile(dir, "certs/server.key", "not a real key\n");
  std::string result = dir.str().str();
  static std::string removeAtExit = result;
  std::atexit([] { llvm::sys::fs::remove_directories(removeAtExit); });
  return result;
}

} // namespace

const std::string &fuzzContextDir() {
  static const std::string dir = makeContext();
  return dir;
}

} // namespace imageplan::fuzz
