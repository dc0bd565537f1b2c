// Project files for the readers: a private engine per file, and the note that
// stands for its diagnostics in the starter spec.
#include "tools/init/ProjectFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

namespace imageplan::init {

bool ProjectFile::read(llvm::StringRef dir, llvm::StringRef fileName) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, fileName);
  llvm::Expected<unsigned> buffer = engine.addFile(path, readers::limits::kProjectFile, fileName);
  if (!buffer) {
    llvm::consumeError(buffer.takeError());
    return false;
  }
  name = fileName.str();
  bufferId = *buffer;
  return true;
}

std::string ProjectFile::rejectionNote(llvm::Error error, llvm::StringRef consequence) {
  unsigned count = engine.errorCount();
  // A reader's error only counts what it printed; the first line of the first
  // diagnostic is what the note shows: the spec's comment holds one line per
  // note, and the source line and caret below it would not read there.
  std::string counted = llvm::toString(std::move(error));
  std::string first =
      os.str().empty() ? counted : llvm::StringRef(os.str()).split('\n').first.str();
  if (count > 1)
    first += " (and " + std::to_string(count - 1) + (count == 2 ? " more error)" : " more errors)");
  return name + " could not be read; " + consequence.str() + ": " + first;
}

} // namespace imageplan::init
