// Atomic, write-if-changed file output and depfile rendering for the driver.
#include "tools/Output.h"

#include "readers/InputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace imageplan::driver {

namespace {

llvm::Error cannotWrite(llvm::StringRef path, const llvm::Twine &reason) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "cannot write '" + path + "': " + reason);
}


/// Whether `path` is a regular file holding exactly `contents`. Only that
/// many bytes are read: a larger file, a FIFO or a device differs anyway.
bool hasSameBytes(llvm::StringRef path, llvm::StringRef contents) {
  auto existing = readers::readInputFile(path, {contents.size(), "an existing output"});
  if (!existing) {
    llvm::consumeError(existing.takeError());
    return false;
  }
  return (*existing)->getBuffer() == contents;
}

} // namespace

std::string reasonOf(llvm::Error err) {
  std::string reason;
  llvm::handleAllErrors(std::move(err), [&](const llvm::ErrorInfoBase &info) {
    std::error_code ec = info.convertToErrorCode();
    reason = ec != llvm::inconvertibleErrorCode() ? ec.message() : info.message();
  });
  return reason;
}

llvm::Expected<std::vector<WriteOutcome>>
writeFilesAtomically(llvm::ArrayRef<FileWrite> files, bool onlyIfChanged) {
  std::vector<WriteOutcome> outcomes(files.size(), WriteOutcome::Unchanged);
  // One temporary per file that needs writing, beside its target so the final
  // rename stays on one file system; TempFile also removes it if we are killed.
  std::vector<std::pair<size_t, llvm::sys::fs::TempFile>> pending;
  auto discardPending = [&] {
    for (auto &entry : pending)
      llvm::consumeError(entry.second.discard());
  };

  for (size_t i = 0; i < files.size(); ++i) {
    const FileWrite &file = files[i];
    if (onlyIfChanged && hasSameBytes(file.path, file.contents))
      continue;
    auto temp = llvm::sys::fs::TempFile::create(file.path + ".tmp-%%%%%%%%");
    if (!temp) {
      discardPending();
      return cannotWrite(file.path, reasonOf(temp.takeError()));
    }
    pending.emplace_back(i, std::move(*temp));
    llvm::raw_fd_ostream os(pending.back().second.FD, /*shouldClose=*/false);
    os << file.contents;
    os.flush();
    if (std::error_code ec = os.error()) {
      os.clear_error();
      discardPending();
      return cannotWrite(file.path, ec.message());
    }
  }

  // Every file is written; now put them in place. keep() removes the
  // temporary itself when its rename fails.
  llvm::Error firstError = llvm::Error::success();
  for (auto &[index, temp] : pending) {
    if (firstError) {
      llvm::consumeError(temp.discard());
      continue;
    }
    if (llvm::Error err = temp.keep(files[index].path))
      firstError = cannotWrite(files[index].path, reasonOf(std::move(err)));
    else
      outcomes[index] = WriteOutcome::Written;
  }
  if (firstError)
    return firstError;
  return outcomes;
}

llvm::Expected<WriteOutcome> writeFileAtomically(llvm::StringRef path,
                                                 llvm::StringRef contents,
                                                 bool onlyIfChanged) {
  auto outcomes = writeFilesAtomically({FileWrite{path.str(), contents.str()}}, onlyIfChanged);
  if (!outcomes)
    return outcomes.takeError();
  return outcomes->front();
}

std::string escapeDepfilePath(llvm::StringRef path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == ' ' || c == '#')
      out += '\\';
    else if (c == '$')
      out += '$';
    out += c;
  }
  return out;
}

std::string renderDepfile(llvm::StringRef target, llvm::ArrayRef<std::string> deps) {
  std::string out = escapeDepfilePath(target) + ":";
  for (const std::string &dep : deps)
    out += " " + escapeDepfilePath(dep);
  out += "\n";
  return out;
}

} // namespace imageplan::driver
