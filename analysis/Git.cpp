// Runs git through runProgram (Process.h): output captured, removed afterwards.
#include "analysis/Git.h"

#include "analysis/Process.h"

#include "llvm/Support/Path.h"

#include <vector>

namespace imageplan::analysis {
namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The git subcommand in `args`: the first word after the global options
/// (`-C DIR`, `-c NAME=VALUE` take a value).
llvm::StringRef subcommand(llvm::ArrayRef<llvm::StringRef> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-C" || args[i] == "-c") {
      ++i;
      continue;
    }
    if (!args[i].startswith("-"))
      return args[i];
  }
  return "";
}

} // namespace

llvm::Expected<std::string> runGit(llvm::ArrayRef<llvm::StringRef> args) {
  std::vector<std::string> argv(args.begin(), args.end());
  llvm::Expected<ProgramResult> run = runProgram("git", argv, /*timeoutSeconds=*/0);
  if (!run)
    return run.takeError();
  if (run->status != 0)
    return failure("git " + subcommand(args) + " failed: " + firstLine(run->err));
  return std::move(run->out);
}

llvm::Expected<std::pair<std::string, std::string>> fileAtRevision(llvm::StringRef path,
                                                                   llvm::StringRef revision) {
  llvm::StringRef folder = llvm::sys::path::parent_path(path);
  std::string dir = folder.empty() ? "." : folder.str();
  llvm::Expected<std::string> prefix = runGit({"-C", dir, "rev-parse", "--show-prefix"});
  if (!prefix)
    return failure("cannot read '" + path + "' at revision '" + revision +
                   "': " + llvm::toString(prefix.takeError()));
  std::string inRepository =
      llvm::StringRef(*prefix).trim().str() + llvm::sys::path::filename(path).str();
  std::string object = (revision + ":" + inRepository).str();
  llvm::Expected<std::string> text = runGit({"-C", dir, "show", object});
  if (!text)
    return failure("cannot read '" + inRepository + "' at revision '" + revision +
                   "': " + llvm::toString(text.takeError()));
  return std::make_pair(std::move(*text), object);
}

} // namespace imageplan::analysis
