// Reads an existing Dockerfile into typed stages and instructions, each with
// its source location, so that `imageplan score` can replay a repository's
// history over any Dockerfile. It follows BuildKit's syntax: parser
// directives, line continuations, comments, heredocs, JSON and shell forms,
// flags, and ARG/ENV expansion where BuildKit expands (FROM, COPY/ADD paths
// and flags, RUN --mount options). Errors go through the DiagnosticEngine.
#pragma once

#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::readers {

/// `--name=value`, or a bare `--name`, as written before an instruction's
/// arguments. The value has its quotes removed and variables expanded.
struct DockerfileFlag {
  std::string name; // without the dashes
  std::string value;
  bool hasValue = false;
  llvm::SMLoc loc;
};

/// The stage, image or build context a COPY --from or a mount reads from.
struct SourceRef {
  std::string name;   // as written (after expansion); empty: the build context
  int stage = -1;     // index of the stage it names, or -1 (the context, or an image)
  llvm::SMLoc loc;    // of the flag or mount that names it
  bool isContext() const { return name.empty(); }
};

/// One RUN --mount. Options are kept in order; the common ones are parsed.
struct DockerfileMount {
  std::string type = "bind"; // bind, cache, secret, ssh, tmpfs
  std::string source;        // bind: path in the context or in `from`; "" is its root
  std::string target;
  SourceRef from;
  std::vector<std::pair<std::string, std::string>> options;
  llvm::SMLoc loc;
};

/// A heredoc after RUN, COPY or ADD (`<<EOF` ... `EOF`).
struct DockerfileHeredoc {
  std::string name;
  std::string body;
};

/// COPY and ADD.
struct DockerfileCopy {
  std::vector<std::string> sources; // context paths or globs (or URLs for ADD); no heredocs
  std::string dest;
  SourceRef from;
  bool link = false;
  std::string chown;
  std::vector<std::string> excludes; // --exclude patterns
  unsigned heredocSources = 0;       // sources that are heredocs (inline files)
};

struct DockerfileInstruction {
  std::string keyword; // upper case: RUN, COPY, ...
  llvm::SMLoc loc;     // of the keyword
  unsigned line = 0;   // 1-based line of the keyword
  std::vector<DockerfileFlag> flags;
  /// The arguments after the flags, continuation lines joined as BuildKit
  /// joins them; for JSON forms, the JSON text.
  std::string text;
  bool jsonForm = false;
  /// JSON items, or for shell-form instructions other than RUN, CMD,
  /// ENTRYPOINT and HEALTHCHECK, the words with quotes removed.
  std::vector<std::string> args;
  std::vector<DockerfileHeredoc> heredocs;
  std::optional<DockerfileCopy> copy;   // COPY, ADD
  std::vector<DockerfileMount> mounts;  // RUN
  std::vector<std::pair<std::string, std::string>> assignments; // ENV, ARG (value "" if none)
};

struct DockerfileStage {
  std::string name;       // `AS` name in lower case, or ""
  std::string base;       // image reference, or the name of an earlier stage
  int baseStage = -1;     // index of the stage `base` names, or -1 for an image
  llvm::SMLoc loc;        // of FROM
  unsigned line = 0;
  std::vector<DockerfileInstruction> instructions; // after FROM
  /// How messages and reports name it: its `AS` name, else its index.
  std::string label(size_t index) const;
};

struct Dockerfile {
  std::vector<std::pair<std::string, std::string>> directives; // key in lower case, value
  char escape = '\\';
  std::vector<DockerfileInstruction> globalArgs; // ARGs before the first FROM
  std::vector<DockerfileStage> stages;
};

/// Parses the Dockerfile held in buffer `bufferId` of the engine. Every error
/// (an unknown instruction, a malformed FROM, COPY or --mount, an unterminated
/// heredoc or quote, a stage named twice) is reported at its location; the
/// returned error then only carries the count.
llvm::Expected<Dockerfile> parseDockerfile(DiagnosticEngine &diags, unsigned bufferId);

} // namespace imageplan::readers
