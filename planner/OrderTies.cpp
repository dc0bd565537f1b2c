// Tie-break ranks for ordering (OrderTies.h).
#include "planner/OrderTies.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <numeric>

namespace imageplan::planner {
namespace {

constexpr llvm::StringLiteral SecondaryWords[] = {"dev",   "devel",  "develop", "test",
                                                  "tests", "testing", "extra",  "extras",
                                                  "lint",  "docs",   "ci"};

bool isSecondaryWord(llvm::StringRef word) {
  return llvm::is_contained(SecondaryWords, word.lower());
}

} // namespace

bool isSecondaryName(llvm::StringRef path) {
  path = path.rtrim('/');
  auto [folder, name] = path.rsplit('/');
  if (name.empty()) // no '/': rsplit puts everything in the first half
    std::swap(folder, name);
  bool inFolder = path.contains('/');
  // The extension (.txt, .in) says nothing about the role.
  if (size_t dot = name.rfind('.'); dot != llvm::StringRef::npos && dot > 0)
    name = name.take_front(dot);
  llvm::SmallVector<llvm::StringRef, 4> words;
  while (!name.empty()) {
    size_t end = name.find_first_of("-_.");
    if (end != 0)
      words.push_back(name.take_front(end));
    name = end == llvm::StringRef::npos ? llvm::StringRef() : name.drop_front(end + 1);
  }
  if (words.empty())
    return false;
  if (words.size() == 1)
    return inFolder && isSecondaryWord(words.front());
  return llvm::any_of(words, isSecondaryWord);
}

unsigned nameRank(llvm::ArrayRef<std::string> inputs) {
  if (inputs.empty())
    return 0;
  return llvm::all_of(inputs, [](const std::string &input) { return isSecondaryName(input); })
             ? 1
             : 0;
}

std::vector<unsigned> tieRanks(llvm::ArrayRef<TieKey> keys) {
  std::vector<unsigned> byRank(keys.size());
  std::iota(byRank.begin(), byRank.end(), 0);
  llvm::stable_sort(byRank, [&](unsigned a, unsigned b) {
    if (keys[a].cost != keys[b].cost)
      return keys[a].cost < keys[b].cost;
    return keys[a].nameRank < keys[b].nameRank;
  });
  std::vector<unsigned> rank(keys.size());
  for (unsigned position = 0; position < byRank.size(); ++position)
    rank[byRank[position]] = position;
  return rank;
}

} // namespace imageplan::planner
