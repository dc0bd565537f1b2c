// How the planner breaks the ties expected rebuild work leaves open (see
// docs/planner.md, "Ties"): without measured rates, several requirement files
// get the same default rate and cost, and declaration order alone would keep
// the most edited one (often written first) in front of the others.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace imageplan::planner {

/// True when the file or folder name at the end of `path` names a variant
/// for development rather than the main file: a word `dev`, `devel`,
/// `develop`, `test`, `tests`, `testing`, `extra`, `extras`, `lint`, `docs`
/// or `ci` split off by `-`, `_` or `.` (`requirements-dev.txt`,
/// `test_requirements.txt`, `requirements.extra.in`), or the whole name in a
/// folder of such files (`requirements/dev.txt`). The extension is ignored.
bool isSecondaryName(llvm::StringRef path);

/// 1 when a step reads files and every one is secondary (isSecondaryName),
/// else 0: a step reading `requirements.txt` ranks before one reading only
/// `requirements-dev.txt`.
unsigned nameRank(llvm::ArrayRef<std::string> inputs);

/// One step as the tie-break sees it.
struct TieKey {
  double cost = 0;
  unsigned nameRank = 0;
};

/// The OrderItem::tieRank of each step: a permutation of 0..n-1 ordering the
/// steps by cost (cheaper first), then nameRank, then index.
std::vector<unsigned> tieRanks(llvm::ArrayRef<TieKey> keys);

} // namespace imageplan::planner
