// The model download program (see ModelDownloadProgram.h): the embedded
// source, without what only its maintainers read.
#include "backends/ModelDownloadProgram.h"

#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace imageplan::backends {
namespace {

#include "backends/ModelDownloadProgram.inc"

std::vector<llvm::StringRef> programLines() {
  llvm::SmallVector<llvm::StringRef, 256> lines;
  llvm::StringRef(kModelDownloadSource).split(lines, '\n');
  std::vector<llvm::StringRef> kept;
  for (llvm::StringRef line : lines) {
    llvm::StringRef code = line.rtrim();
    if (code.ltrim().empty() || code.ltrim().startswith("#"))
      continue;
    kept.push_back(code);
  }
  return kept;
}

} // namespace

llvm::ArrayRef<llvm::StringRef> modelDownloadProgram() {
  static const std::vector<llvm::StringRef> lines = programLines();
  return lines;
}

} // namespace imageplan::backends
