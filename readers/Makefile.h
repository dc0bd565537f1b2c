// Reads a Makefile well enough to know what `make TARGET` runs: variables,
// rules with their prerequisites and recipes, and the expansion of `$(VAR)`,
// `${VAR}`, `$@`, `$<`, `$^` and `$$` as GNU make expands them. `imageplan
// score` prices a `RUN make install` by the commands it runs, and `imageplan
// init` carries over what they install. Conditionals are not evaluated (the
// lines of every branch count), `define` blocks and `include` are skipped.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace imageplan::readers {

struct MakeRule {
  std::vector<std::string> targets;
  std::vector<std::string> prerequisites; // as written, variables expanded
  /// Recipe lines as written (continuations kept), each with its 1-based line.
  std::vector<std::pair<std::string, unsigned>> recipe;
  unsigned line = 0; // of the rule
};

/// One shell line a target runs, expanded, without make's `@`, `-` and `+`.
struct MakeCommand {
  std::string text;
  unsigned line = 0; // 1-based line of the recipe line in the Makefile
};

struct Makefile {
  /// Assignments in file order; the last one of a name wins (`+=` appends,
  /// `?=` only sets an unset name).
  std::vector<std::pair<std::string, std::string>> variables;
  std::vector<MakeRule> rules; // in file order

  /// The rule that builds `target`, or null (the first one when there are several).
  const MakeRule *ruleFor(llvm::StringRef target) const;
  /// What a plain `make` builds: the first target not starting with '.' that
  /// is not a pattern; "" when there is none.
  std::string defaultTarget() const;
  /// `text` with make's variable references expanded.
  std::string expand(llvm::StringRef text) const;
  /// What `make target` runs, in order: the prerequisites' commands first
  /// (each rule once), then its own recipe; a recipe line that is only
  /// `make T`/`$(MAKE) T` of this Makefile is replaced by what T runs.
  /// Empty when no rule builds `target`.
  std::vector<MakeCommand> commandsFor(llvm::StringRef target) const;
};

/// Reads Makefile text. It never fails: lines it does not understand are
/// skipped, as make would mostly read them as something it does not run.
Makefile parseMakefile(llvm::StringRef text);

/// The targets of a `make` command line (its words after `make`): the words
/// that are not options or assignments. `-C dir` and `-f file` are reported
/// through `directory` and `file` ("" when not given).
std::vector<std::string> makeGoals(const std::vector<std::string> &args, std::string &directory,
                                   std::string &file);

} // namespace imageplan::readers
