// What BuildKit's Dockerfile frontend knows of each instruction: its name, the
// flags it takes, and how its arguments are read (a command line, JSON,
// words with ARG/ENV expansion).
#pragma once

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace imageplan::readers {

/// True for an instruction name (upper case) BuildKit knows.
bool isInstruction(llvm::StringRef keyword);
std::vector<llvm::StringRef> instructionNames();
/// The flags (without dashes) `keyword` takes, or nullptr for one that takes none.
const std::vector<llvm::StringRef> *flagsOf(llvm::StringRef keyword);
/// Instructions whose shell form is a command line, not words.
bool isCommandForm(llvm::StringRef keyword);
/// Instructions that may take a JSON array.
bool takesJson(llvm::StringRef keyword);
/// Instructions whose words BuildKit expands with ARG and ENV values.
bool expandsVariables(llvm::StringRef keyword);

} // namespace imageplan::readers
