// The one place where shell text is made from data: every package name, path,
// URL or other value that ends up in a RUN command is quoted here.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::backends {

enum class QuoteMode {
  AsNeeded, // plain words stay bare: arguments such as package names
  Always,   // lines of a script passed as text, so `done` reads as text too
};

/// `word` as one bash word with exactly its value. Words made only of
/// [A-Za-z0-9_@%+=:,./-] are written bare (unless `mode` is Always); the empty
/// word is ''; anything else is single-quoted ('\'' for a quote). A word
/// holding a control character other than tab is written as $'...' instead,
/// so that the quoted word stays on one Dockerfile line (every RUN of ours
/// runs under bash; see SHELL in Dockerfile.cpp).
std::string shellQuote(llvm::StringRef word, QuoteMode mode = QuoteMode::AsNeeded);

/// The words quoted and joined by single spaces: one simple command.
std::string shellJoin(llvm::ArrayRef<llvm::StringRef> words);

/// `name=value` as an assignment word (a command's environment prefix): the
/// name is written bare, the value quoted. `name` must be a shell identifier;
/// quoting it would turn the assignment into a command name.
std::string shellAssign(llvm::StringRef name, llvm::StringRef value);

/// `"$name"`: the value of the variable `name` (a build argument) as one
/// word. `name` must be a shell identifier.
std::string shellVariable(llvm::StringRef name);

} // namespace imageplan::backends
