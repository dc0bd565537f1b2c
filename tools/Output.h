// How the driver puts generated text on disk: atomically (a reader never sees a
// half-written file), optionally only when the bytes changed (so build systems
// see an unchanged mtime), and with a Makefile-style depfile naming every input.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace imageplan::driver {

enum class WriteOutcome { Written, Unchanged };

/// Writes `contents` to `path` through a temporary file in the same directory
/// renamed over `path`. With `onlyIfChanged`, a file whose bytes already equal
/// `contents` is left untouched. On error nothing is left behind and the error
/// reads "cannot write '<path>': <reason>".
llvm::Expected<WriteOutcome> writeFileAtomically(llvm::StringRef path,
                                                 llvm::StringRef contents,
                                                 bool onlyIfChanged);

struct FileWrite {
  std::string path;
  std::string contents;
};

/// Writes several files all-or-nothing as far as the file system allows: each
/// goes to a temporary beside its target, and only once every one is written
/// are they renamed into place. A file that cannot be written leaves all the
/// targets untouched. Outcomes are in the order of `files`.
llvm::Expected<std::vector<WriteOutcome>>
writeFilesAtomically(llvm::ArrayRef<FileWrite> files, bool onlyIfChanged);

/// Escapes one path for a Makefile-style depfile: spaces and '#' get a
/// backslash, '$' is doubled.
std::string escapeDepfilePath(llvm::StringRef path);

/// "target: dep1 dep2\n", every path escaped, in the order given.
std::string renderDepfile(llvm::StringRef target, llvm::ArrayRef<std::string> deps);

/// The reason an error carries, without the file name some error kinds add
/// (the caller names the file in its own words).
std::string reasonOf(llvm::Error err);

} // namespace imageplan::driver
