// What the libFuzzer targets share: the property checks that hold for every
// input (diagnostics that show no raw control byte, generated text an
// independent parser accepts), the oracle process that runs the independent
// checkers, and a small build context on disk for the spec fuzzer.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::fuzz {

/// Stops the run (libFuzzer records the input as a crash) with `message`.
[[noreturn]] void propertyFailed(const std::string &message, llvm::StringRef evidence);

/// Every byte of `text` is a line break, a tab, printable ASCII or part of a UTF-8
/// character that is not a control character: what a terminal may be shown.
void requireTerminalSafe(llvm::StringRef text, const char *what);

/// The independent checkers, in a process of their own (oracle.js under
/// Node.js): `dockerfile-utils` validates a Dockerfile, `bash -n` parses a
/// shell script. Each distinct text is sent once; a failure stops the run.
/// IMAGEPLAN_FUZZ_ORACLE=0 in the environment turns it off (for a quick run
/// where Node.js is missing); otherwise a missing oracle stops the run.
class Oracle {
public:
  static Oracle &instance();
  bool enabled() const { return fd[0] >= 0; }
  /// Fails the run when dockerfile-utils reports an error in `dockerfile`.
  void requireValidDockerfile(llvm::StringRef dockerfile);
  /// Fails the run when `bash -n` rejects `script` (a RUN instruction's shell text).
  void requireShellSyntax(llvm::StringRef script, llvm::StringRef dockerfile);

private:
  Oracle();
  /// Sends one request; "" when it passed, else the checker's message.
  std::string ask(char kind, llvm::StringRef text);
  bool seenBefore(char kind, llvm::StringRef text);

  int fd[2] = {-1, -1}; // write requests, read answers
};

/// A build context made once per process: requirements.txt, constraints.txt,
/// pyproject.toml with extras, uv.lock, poetry.lock, an app folder and a few
/// files that look like secrets. Removed at exit.
const std::string &fuzzContextDir();

} // namespace imageplan::fuzz
