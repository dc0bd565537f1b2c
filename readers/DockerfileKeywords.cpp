// The instruction table (see DockerfileKeywords.h).
#include "readers/DockerfileKeywords.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::readers {
namespace {

constexpr llvm::StringLiteral kInstructions[] = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR"};

/// The flags each instruction accepts; others have none.
struct FlagSet {
  llvm::StringLiteral keyword;
  std::vector<llvm::StringRef> names;
};
const FlagSet kFlags[] = {
    {"FROM", {"platform"}},
    {"COPY", {"from", "chown", "chmod", "link", "parents", "exclude"}},
    {"ADD", {"chown", "chmod", "link", "checksum", "keep-git-dir", "exclude", "unpack"}},
    {"RUN", {"mount", "network", "security", "device"}},
    {"HEALTHCHECK", {"interval", "timeout", "start-period", "start-interval", "retries"}},
};

} // namespace

bool isInstruction(llvm::StringRef keyword) { return llvm::is_contained(kInstructions, keyword); }

std::vector<llvm::StringRef> instructionNames() {
  return std::vector<llvm::StringRef>(std::begin(kInstructions), std::end(kInstructions));
}

const std::vector<llvm::StringRef> *flagsOf(llvm::StringRef keyword) {
  for (const FlagSet &set : kFlags)
    if (set.keyword == keyword)
      return &set.names;
  return nullptr;
}

bool isCommandForm(llvm::StringRef keyword) {
  return keyword == "RUN" || keyword == "CMD" || keyword == "ENTRYPOINT" ||
         keyword == "HEALTHCHECK" || keyword == "ONBUILD";
}

bool takesJson(llvm::StringRef keyword) {
  return keyword == "RUN" || keyword == "CMD" || keyword == "ENTRYPOINT" || keyword == "SHELL" ||
         keyword == "COPY" || keyword == "ADD" || keyword == "VOLUME";
}

bool expandsVariables(llvm::StringRef keyword) {
  return keyword != "RUN" && keyword != "CMD" && keyword != "ENTRYPOINT" &&
         keyword != "HEALTHCHECK" && keyword != "ONBUILD" && keyword != "SHELL" &&
         keyword != "MAINTAINER";
}

} // namespace imageplan::readers
