// Reads the commit history of the repository holding the build context with
// `git log`, through runGit.
#include "analysis/GitHistory.h"

#include "analysis/Git.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>

namespace imageplan::analysis {
namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

planner::History parseGitLog(llvm::StringRef log, llvm::StringRef contextPrefix) {
  planner::History history;
  llvm::SmallVector<llvm::StringRef, 0> records;
  log.split(records, '\x01', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef record : records) {
    llvm::SmallVector<llvm::StringRef, 16> lines;
    record.split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    if (lines.empty())
      continue;
    planner::Commit commit;
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

llvm::Expected<planner::History> readHistory(llvm::StringRef contextDir, unsigned maxCommits) {
  llvm::SmallString<256> context;
  if (std::error_code ec = llvm::sys::fs::real_path(contextDir, context))
    return failure("cannot read history: '" + contextDir + "': " + ec.message());
  llvm::Expected<std::string> top =
      runGit({"-C", context, "rev-parse", "--show-toplevel"});
  if (!top) {
    std::string reason = llvm::toString(top.takeError());
    if (llvm::StringRef(reason).contains("not a git repository"))
      return failure("cannot read history: the build context '" + contextDir +
                     "' is not in a git repository");
    return failure("cannot read history of '" + contextDir + "': " + reason);
  }
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
    return failure("cannot read history: " + llvm::toString(log.takeError()));
  return parseGitLog(*log, prefix);
}

} // namespace imageplan::analysis
