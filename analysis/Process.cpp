// External programs with captured output (Process.h).
#include "analysis/Process.h"

#include "readers/InputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"

#include <vector>

namespace imageplan::analysis {
namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Bounded like every file imageplan reads: a repository's history, a blob
/// in it or a registry's answer can be of any size.
llvm::Expected<std::string> readAll(llvm::StringRef path, llvm::StringRef program) {
  auto buffer = readers::readInputFile(path, {256u << 20, "a program's output"});
  if (!buffer)
    return failure(program + ": " + llvm::toString(buffer.takeError()));
  return (*buffer)->getBuffer().str();
}

} // namespace

bool onPath(llvm::StringRef program) {
  return static_cast<bool>(llvm::sys::findProgramByName(program));
}

std::string firstLine(llvm::StringRef text) { return text.trim().split('\n').first.trim().str(); }

llvm::Expected<ProgramResult> runProgram(llvm::StringRef program,
                                         llvm::ArrayRef<std::string> args,
                                         unsigned timeoutSeconds) {
  llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(program);
  if (!path)
    return failure(program + " is not on PATH");
  llvm::SmallString<128> outPath, errPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("imageplan-run", "out", outPath))
    return failure(ec.message());
  llvm::FileRemover removeOut(outPath);
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("imageplan-run", "err", errPath))
    return failure(ec.message());
  llvm::FileRemover removeErr(errPath);
  std::vector<llvm::StringRef> argv = {*path};
  for (const std::string &arg : args)
    argv.push_back(arg);
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  std::string message;
  bool failed = false;
  int status = llvm::sys::ExecuteAndWait(*path, argv, /*Env=*/llvm::None, redirects,
                                         timeoutSeconds, /*MemoryLimit=*/0, &message, &failed);
  if (failed || status == -1)
    return failure(program + " could not run: " + message);
  if (status == -2)
    return failure(program + " was stopped (" + message + "; time limit " +
                   llvm::Twine(timeoutSeconds) + " s)");
  llvm::Expected<std::string> out = readAll(outPath, program);
  if (!out)
    return out.takeError();
  llvm::Expected<std::string> err = readAll(errPath, program);
  if (!err)
    return err.takeError();
  return ProgramResult{status, std::move(*out), std::move(*err)};
}

} // namespace imageplan::analysis
