// All user-facing diagnostics go through one DiagnosticEngine, which owns the
// llvm::SourceMgr holding every file imageplan read. Messages print as
// `file:line:col: error: message` with the source line and a caret, and follow
// LLVM style: lowercase start, no trailing period.
#pragma once

#include "readers/InputFile.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace imageplan::readers {

class DiagnosticEngine {
public:
  explicit DiagnosticEngine(llvm::raw_ostream &os);

  /// Reads a file into the SourceMgr through readInputFile (InputFile.h):
  /// a regular file of at most `limit`. Returns the buffer id, or an error
  /// ("cannot read '<path>': <reason>") that the caller reports without a
  /// location. The buffer is named `bufferName`, else `path` as given; a
  /// file of the build context passes the context as `insideDir`.
  llvm::Expected<unsigned> addFile(llvm::StringRef path, InputLimit limit,
                                   llvm::StringRef bufferName = {},
                                   llvm::StringRef insideDir = {});
  /// Adds an in-memory buffer named `name` (tests, stdin).
  unsigned addBuffer(llvm::StringRef contents, llvm::StringRef name);

  llvm::SourceMgr &sourceMgr() { return sm; }
  /// The location of byte `offset` in buffer `bufferId`.
  llvm::SMLoc locAt(unsigned bufferId, size_t offset) const;
  /// "file:line:col" of a location, for messages that embed a location.
  std::string describe(llvm::SMLoc loc) const;

  void error(llvm::SMLoc loc, const llvm::Twine &msg);
  void warning(llvm::SMLoc loc, const llvm::Twine &msg);
  void note(llvm::SMLoc loc, const llvm::Twine &msg);
  /// An error with no source location (a file that cannot be opened).
  void error(const llvm::Twine &msg);

  unsigned errorCount() const { return errors; }
  unsigned warningCount() const { return warnings; }
  bool hasErrors() const { return errors != 0; }
  /// Prints "N error(s) generated." when there were errors, otherwise
  /// "N warning(s) generated." when there were warnings, otherwise nothing.
  void printSummary();

private:
  void print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind, const llvm::Twine &msg);
  /// The source line, escaped, and the caret under byte `column` of it.
  void printSourceLine(llvm::StringRef line, size_t column);

  llvm::SourceMgr sm;
  llvm::raw_ostream &os;
  unsigned errors = 0;
  unsigned warnings = 0;
};

/// The error a library returns after it has reported its diagnostics through
/// the engine: the driver only needs to know that it failed.
llvm::Error diagnosticsReported(unsigned count);

/// The payload of diagnosticsReported(). Its messages are already printed, so a
/// caller handles it (llvm::handleErrors, llvm::consumeError) instead of logging it.
class DiagnosticsReported : public llvm::ErrorInfo<DiagnosticsReported> {
public:
  static char ID;
  explicit DiagnosticsReported(unsigned count) : count(count) {}
  unsigned errorCount() const { return count; }
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

private:
  unsigned count;
};

/// The closest candidate to `word` within a small edit distance, or "".
std::string closestMatch(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates);

} // namespace imageplan::readers
