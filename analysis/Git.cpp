// Runs git with its output captured in temporary files, removed afterwards.
#include "analysis/Git.h"

#include "readers/InputFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

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
  llvm::ErrorOr<std::string> git = llvm::sys::findProgramByName("git");
  if (!git)
    return failure("git is not on PATH");
  llvm::SmallString<128> outPath, errPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("imageplan-git", "out", outPath))
    return failure(ec.message());
  llvm::FileRemover removeOut(outPath);
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("imageplan-git", "err", errPath))
    return failure(ec.message());
  llvm::FileRemover removeErr(errPath);
  std::vector<llvm::StringRef> argv = {*git};
  llvm::append_range(argv, args);
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*git, argv, /*Env=*/llvm::None, redirects,
                                         /*SecondsToWait=*/0, /*MemoryLimit=*/0, &message);
  // Bounded like every file imageplan reads: a repository's history or a blob
  // in it can be of any size.
  auto out = readers::readInputFile(outPath, {256u << 20, "git's output"});
  auto err = readers::readInputFile(errPath, {1u << 20, "git's messages"});
  if (status != 0) {
    std::string detail = err ? (*err)->getBuffer().trim().str() : message;
    if (!err)
      llvm::consumeError(err.takeError());
    if (!out)
      llvm::consumeError(out.takeError());
    return failure("git " + subcommand(args) + " failed: " +
                   llvm::StringRef(detail).split('\n').first);
  }
  if (!err)
    llvm::consumeError(err.takeError());
  if (!out)
    return failure("git " + subcommand(args) + ": " + llvm::toString(out.takeError()));
  return (*out)->getBuffer().str();
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
