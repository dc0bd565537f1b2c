// The history helpers the planner applies: which context paths a change to a
// file touches. Reading the history from git is analysis/GitHistory.cpp.
#include "planner/History.h"

namespace imageplan::planner {

bool coveredBy(llvm::StringRef file, llvm::StringRef input) {
  input.consume_front("./");
  input = input.rtrim('/');
  if (input.empty() || input == ".")
    return true;
  return file == input || (file.startswith(input) && file.drop_front(input.size()).startswith("/"));
}

} // namespace imageplan::planner
