// What `imageplan diff` prints: the stages and layers a spec change adds,
// removes, moves or changes, and its cache impact in one sentence ("this
// change invalidates layers 5-9 of stage runtime on the next build (est.
// 4m10s), and changes the expected rebuild cost per commit from 38s to 12s").
// Text for the terminal, Markdown for a review comment.
#pragma once

#include "analysis/PlanDiff.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace imageplan::analysis {

std::string diffText(const PlanDiff &diff, llvm::StringRef oldName, llvm::StringRef newName);
std::string diffMarkdown(const PlanDiff &diff, llvm::StringRef oldName, llvm::StringRef newName);

/// Seconds as a reviewer reads them: "2.5s", "38s", "4m10s", "1h05m".
std::string duration(double seconds);

} // namespace imageplan::analysis
