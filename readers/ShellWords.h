// Shell text as words: what `imageplan score` prices in a RUN and what
// `imageplan init` reads from an existing Dockerfile's RUN.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::readers {

/// The simple commands of a shell script, as words with quotes removed:
/// split at newlines, `;`, `&&`, `||`, `|`, `&` and parentheses; comments,
/// redirections and their targets dropped.
std::vector<std::vector<std::string>> shellCommands(llvm::StringRef script);

} // namespace imageplan::readers
