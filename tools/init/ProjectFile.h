// A file of the scanned project read with one of readers/' readers, in a
// DiagnosticEngine of its own: a file the reader rejects does not make `init`
// fail, it becomes a note for the user to review at the top of the starter spec.
#pragma once

#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::init {

class ProjectFile {
public:
  /// Reads `dir`/`name` into a buffer named `name`, so that messages never
  /// show where the project lies. False when there is no such file.
  bool read(llvm::StringRef dir, llvm::StringRef name);
  readers::DiagnosticEngine &diags() { return engine; }
  unsigned buffer() const { return bufferId; }
  /// The note for the file the reader rejected with `error`: that it could not
  /// be read, `consequence`, and its first diagnostic.
  std::string rejectionNote(llvm::Error error, llvm::StringRef consequence);

private:
  std::string name;
  std::string printed;
  llvm::raw_string_ostream os{printed};
  readers::DiagnosticEngine engine{os};
  unsigned bufferId = 0;
};

template <typename T>
using FileReader = llvm::Expected<T> (*)(readers::DiagnosticEngine &, unsigned);

/// What `reader` makes of `dir`/`name`: nothing when there is no such file, and
/// nothing but a note in `notes` when the reader rejects it.
template <typename T>
std::optional<T> readProjectFile(llvm::StringRef dir, llvm::StringRef name, FileReader<T> reader,
                                 llvm::StringRef consequence, std::vector<std::string> &notes) {
  ProjectFile file;
  if (!file.read(dir, name))
    return std::nullopt;
  llvm::Expected<T> value = reader(file.diags(), file.buffer());
  if (!value) {
    notes.push_back(file.rejectionNote(value.takeError(), consequence));
    return std::nullopt;
  }
  return std::move(*value);
}

} // namespace imageplan::init
