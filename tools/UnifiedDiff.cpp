// Myers' greedy shortest-edit-script algorithm over lines, then grouping of the
// edit script into hunks with context, formatted like GNU `diff -u`.
#include "tools/UnifiedDiff.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <vector>

namespace imageplan::driver {

namespace {

/// One line including its '\n' (absent only on a last unterminated line), so
/// "x" and "x\n" compare unequal just as they differ on disk.
std::vector<llvm::StringRef> splitLines(llvm::StringRef text) {
  std::vector<llvm::StringRef> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    size_t len = end == llvm::StringRef::npos ? text.size() : end + 1;
    lines.push_back(text.take_front(len));
    text = text.drop_front(len);
  }
  return lines;
}

enum class EditKind { Equal, Delete, Insert };

struct Edit {
  EditKind kind;
  size_t oldIndex; // old lines before this edit (the deleted/equal line's index)
  size_t newIndex; // new lines before this edit (the inserted/equal line's index)
};

/// Myers' greedy search (1986) for the shortest edit script between the
/// middles of `a` and `b`, once their common prefix and suffix are set aside.
class MyersSearch {
public:
  MyersSearch(const std::vector<llvm::StringRef> &a, const std::vector<llvm::StringRef> &b)
      : a(a), b(b), n(static_cast<long>(a.size())), m(static_cast<long>(b.size())) {
    // Common prefix and suffix need no search and keep the frontier small.
    while (prefix < n && prefix < m && a[prefix] == b[prefix])
      ++prefix;
    while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix])
      ++suffix;
    n2 = n - prefix - suffix;
    m2 = m - prefix - suffix;
  }

  std::vector<Edit> run() {
    long finalD = n2 > 0 || m2 > 0 ? search() : 0;
    std::vector<Edit> reversed = backtrack(finalD);
    std::vector<Edit> edits;
    edits.reserve(size_t(prefix + suffix) + reversed.size());
    for (long i = 0; i < prefix; ++i)
      edits.push_back({EditKind::Equal, size_t(i), size_t(i)});
    edits.insert(edits.end(), reversed.rbegin(), reversed.rend());
    for (long i = 0; i < suffix; ++i)
      edits.push_back({EditKind::Equal, size_t(n - suffix + i), size_t(m - suffix + i)});
    return edits;
  }

private:
  // Round d keeps, for each diagonal k in [-d, d] (index k + d), the furthest x
  // reachable with d edits (-1: no such point inside the grid) and whether it
  // was reached by a step down (insert) or right (delete), for the backtrack.
  struct Round {
    std::vector<long> x;
    std::vector<bool> down;
  };

  bool equalAt(long x, long y) const { return a[prefix + x] == b[prefix + y]; }

  /// Runs rounds until one reaches the end; returns its number of edits.
  long search() {
    for (long d = 0;; ++d) {
      Round round{std::vector<long>(2 * d + 1, -1), std::vector<bool>(2 * d + 1)};
      bool done = false;
      for (long k = -d; k <= d; k += 2)
        done = extend(d, k, round) || done;
      rounds.push_back(std::move(round));
      if (done)
        return d;
    }
  }

  /// The furthest point on diagonal `k` with `d` edits, into `round`; true
  /// when it is the end of both sequences.
  bool extend(long d, long k, Round &round) const {
    long x = -1;
    bool down = false;
    if (d == 0) {
      x = 0;
    } else {
      const Round &prev = rounds.back();
      auto prevAt = [&](long pk) { return pk < -(d - 1) || pk > d - 1 ? -1 : prev.x[pk + d - 1]; };
      long fromAbove = prevAt(k + 1); // step down to (x, y + 1)
      if (fromAbove >= 0 && fromAbove - k <= m2) {
        x = fromAbove;
        down = true;
      }
      long fromLeft = prevAt(k - 1); // step right to (x + 1, y)
      if (fromLeft >= 0 && fromLeft + 1 <= n2 && fromLeft + 1 > x) {
        x = fromLeft + 1;
        down = false;
      }
    }
    if (x < 0)
      return false;
    long y = x - k;
    while (x < n2 && y < m2 && equalAt(x, y)) {
      ++x;
      ++y;
    }
    round.x[k + d] = x;
    round.down[k + d] = down;
    return x == n2 && y == m2;
  }

  /// Walks back from the end, collecting the middle's edits in reverse.
  std::vector<Edit> backtrack(long finalD) const {
    std::vector<Edit> reversed;
    long x = n2, y = m2;
    auto equalsBackTo = [&](long start) {
      while (x > start) {
        --x;
        --y;
        reversed.push_back({EditKind::Equal, size_t(prefix + x), size_t(prefix + y)});
      }
    };
    for (long d = finalD; d > 0; --d) {
      long k = x - y;
      bool down = rounds[d].down[k + d];
      long prevK = down ? k + 1 : k - 1;
      long prevX = rounds[d - 1].x[prevK + d - 1];
      long prevY = prevX - prevK;
      equalsBackTo(down ? prevX : prevX + 1);
      reversed.push_back({down ? EditKind::Insert : EditKind::Delete, size_t(prefix + prevX),
                          size_t(prefix + prevY)});
      x = prevX;
      y = prevY;
    }
    equalsBackTo(0);
    return reversed;
  }

  const std::vector<llvm::StringRef> &a, &b;
  const long n, m;
  long prefix = 0, suffix = 0, n2 = 0, m2 = 0;
  std::vector<Round> rounds;
};

/// The shortest edit script between `a` and `b`, with deletions before
/// insertions within each run of changes, as diff -u writes them.
std::vector<Edit> shortestEditScript(const std::vector<llvm::StringRef> &a,
                                     const std::vector<llvm::StringRef> &b) {
  std::vector<Edit> edits = MyersSearch(a, b).run();
  // Any order inside a run is an equally short script.
  for (size_t i = 0; i < edits.size();) {
    if (edits[i].kind == EditKind::Equal) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < edits.size() && edits[end].kind != EditKind::Equal)
      ++end;
    std::stable_partition(edits.begin() + i, edits.begin() + end,
                          [](const Edit &e) { return e.kind == EditKind::Delete; });
    i = end;
  }
  // Reordering moved lines within runs; renumber so each edit again names the
  // lines consumed before it.
  size_t oldPos = 0, newPos = 0;
  for (Edit &edit : edits) {
    edit.oldIndex = oldPos;
    edit.newIndex = newPos;
    oldPos += edit.kind != EditKind::Insert;
    newPos += edit.kind != EditKind::Delete;
  }
  return edits;
}

/// "start,count" as diff -u writes a hunk range: a one-line range omits the
/// count, an empty range names the line before it.
void printRange(llvm::raw_ostream &os, size_t firstIndex, size_t count) {
  if (count == 0) {
    os << firstIndex << ",0";
    return;
  }
  os << firstIndex + 1;
  if (count != 1)
    os << ',' << count;
}

void printLine(llvm::raw_ostream &os, char marker, llvm::StringRef line) {
  os << marker << line;
  if (!line.endswith("\n"))
    os << "\n\\ No newline at end of file\n";
}

} // namespace

std::string unifiedDiff(llvm::StringRef oldText, llvm::StringRef newText,
                        llvm::StringRef oldLabel, llvm::StringRef newLabel,
                        unsigned context) {
  if (oldText == newText)
    return "";
  std::vector<llvm::StringRef> a = splitLines(oldText);
  std::vector<llvm::StringRef> b = splitLines(newText);
  std::vector<Edit> edits = shortestEditScript(a, b);

  std::string out;
  llvm::raw_string_ostream os(out);
  os << "--- " << oldLabel << "\n+++ " << newLabel << "\n";

  const size_t total = edits.size();
  size_t i = 0;
  while (true) {
    while (i < total && edits[i].kind == EditKind::Equal)
      ++i;
    if (i == total)
      break;
    size_t begin = i >= context ? i - context : 0;
    // Extend over later changes separated by at most 2*context equal lines:
    // their context would touch or overlap, so diff -u prints one hunk.
    size_t lastChange = i;
    size_t j = i;
    while (j < total) {
      if (edits[j].kind != EditKind::Equal) {
        lastChange = j++;
        continue;
      }
      size_t runStart = j;
      while (j < total && edits[j].kind == EditKind::Equal)
        ++j;
      if (j == total || j - runStart > 2 * size_t(context))
        break;
    }
    size_t end = std::min(total, lastChange + 1 + context);

    size_t oldCount = 0, newCount = 0;
    for (size_t e = begin; e < end; ++e) {
      oldCount += edits[e].kind != EditKind::Insert;
      newCount += edits[e].kind != EditKind::Delete;
    }
    os << "@@ -";
    printRange(os, edits[begin].oldIndex, oldCount);
    os << " +";
    printRange(os, edits[begin].newIndex, newCount);
    os << " @@\n";
    for (size_t e = begin; e < end; ++e) {
      const Edit &edit = edits[e];
      switch (edit.kind) {
      case EditKind::Equal:
        printLine(os, ' ', a[edit.oldIndex]);
        break;
      case EditKind::Delete:
        printLine(os, '-', a[edit.oldIndex]);
        break;
      case EditKind::Insert:
        printLine(os, '+', b[edit.newIndex]);
        break;
      }
    }
    i = end;
  }
  os.flush();
  return out;
}

} // namespace imageplan::driver
