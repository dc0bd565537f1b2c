// Reads git history by running git: the repository's own view of what changed,
// without a libgit2 dependency. Output is parsed from a temporary file.
#include "planner/History.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <algorithm>

namespace imageplan::planner {
namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Runs git with `args` and returns its stdout.
llvm::Expected<std::string> runGit(llvm::ArrayRef<llvm::StringRef> args) {
  llvm::ErrorOr<std::string> git = llvm::sys::findProgramByName("git");
  if (!git)
    return failure("cannot read history: git is not on PATH");
  llvm::SmallString<128> outPath, errPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("imageplan-git", "out", outPath))
    return failure("cannot read history: " + ec.message());
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("imageplan-git", "err", errPath)) {
    llvm::sys::fs::remove(outPath);
    return failure("cannot read history: " + ec.message());
  }
  std::vector<llvm::StringRef> argv = {*git};
  llvm::append_range(argv, args);
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*git, argv, /*Env=*/llvm::None, redirects,
                                         /*SecondsToWait=*/0, /*MemoryLimit=*/0, &message);
  auto out = llvm::MemoryBuffer::getFile(outPath);
  auto err = llvm::MemoryBuffer::getFile(errPath);
  llvm::sys::fs::remove(outPath);
  llvm::sys::fs::remove(errPath);
  if (status != 0) {
    std::string detail = err ? (*err)->getBuffer().trim().str() : message;
    return failure("cannot read history: git " + args.front() + " failed: " +
                   llvm::StringRef(detail).split('\n').first);
  }
  if (!out)
    return failure("cannot read history: " + out.getError().message());
  return (*out)->getBuffer().str();
}

} // namespace

bool coveredBy(llvm::StringRef file, llvm::StringRef input) {
  input.consume_front("./");
  input = input.rtrim('/');
  if (input.empty() || input == ".")
    return true;
  return file == input || (file.startswith(input) && file.drop_front(input.size()).startswith("/"));
}

History parseGitLog(llvm::StringRef log, llvm::StringRef contextPrefix) {
  History history;
  llvm::SmallVector<llvm::StringRef, 0> records;
  log.split(records, '\x01', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef record : records) {
    llvm::SmallVector<llvm::StringRef, 16> lines;
    record.split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    if (lines.empty())
      continue;
    Commit commit;
    commit.id = lines.front().trim().str();
    for (llvm::StringRef line : llvm::drop_begin(lines)) {
      line = line.trim();
      if (line.empty())
        continue;
      if (!line.startswith(contextPrefix)) {
        commit.touchesOutsideContext = true;
        continue;
      }
      commit.files.push_back(line.drop_front(contextPrefix.size()).str());
    }
    llvm::sort(commit.files);
    commit.files.erase(std::unique(commit.files.begin(), commit.files.end()), commit.files.end());
    history.commits.push_back(std::move(commit));
  }
  return history;
}

llvm::Expected<History> readHistory(llvm::StringRef contextDir, unsigned maxCommits) {
  llvm::SmallString<256> context;
  if (std::error_code ec = llvm::sys::fs::real_path(contextDir, context))
    return failure("cannot read history: '" + contextDir + "': " + ec.message());
  llvm::Expected<std::string> top =
      runGit({"-C", context, "rev-parse", "--show-toplevel"});
  if (!top)
    return top.takeError();
  llvm::SmallString<256> root;
  if (std::error_code ec = llvm::sys::fs::real_path(llvm::StringRef(*top).trim(), root))
    return failure("cannot read history: " + ec.message());
  // The context's path inside the repository, as git prints paths.
  std::string prefix;
  if (context != root) {
    llvm::StringRef rel = llvm::StringRef(context).drop_front(root.size()).ltrim('/');
    prefix = rel.str() + "/";
  }
  std::string count = std::to_string(maxCommits);
  llvm::Expected<std::string> log =
      runGit({"-C", root, "-c", "core.quotePath=false", "log", "--first-parent",
              "--diff-merges=first-parent", "--name-only", "--no-renames",
              "--format=%x01%H", "-n", count});
  if (!log)
    return log.takeError();
  return parseGitLog(*log, prefix);
}

} // namespace imageplan::planner
