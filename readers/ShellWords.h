// Shell text as words: what `imageplan score` prices in a RUN and what
// `imageplan init` reads from an existing Dockerfile's RUN, and that text on
// one line for the messages both print about it.
#pragma once

#include "readers/DockerfileParser.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::readers {

/// The simple commands of a shell script, as words with quotes removed:
/// split at newlines, `;`, `&&`, `||`, `|`, `&` and parentheses; comments,
/// redirections and their targets dropped.
std::vector<std::vector<std::string>> shellCommands(llvm::StringRef script);

/// The simple commands a RUN runs: its exec form, or its shell text and the
/// bodies of its heredocs (a `RUN <<EOF` script).
std::vector<std::vector<std::string>> runCommands(const DockerfileInstruction &run);

/// `text` on one line for a report or a comment: each run of blanks and line
/// breaks as one blank, cut to `width` characters with "...".
std::string oneLine(llvm::StringRef text, size_t width = 60);

} // namespace imageplan::readers
