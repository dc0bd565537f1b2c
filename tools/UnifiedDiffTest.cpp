// Tests for the unified diff: exact output on small cases (checked against GNU
// diff -u), and on random inputs that the diff applies back and is minimal.
#include "tools/UnifiedDiff.h"

#include "llvm/ADT/StringRef.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace imageplan::driver;

namespace {

std::string lines(std::initializer_list<const char *> items) {
  std::string text;
  for (const char *item : items)
    text += std::string(item) + "\n";
  return text;
}

/// The diff body without its two header lines.
std::string hunks(llvm::StringRef oldText, llvm::StringRef newText, unsigned context = 3) {
  std::string diff = unifiedDiff(oldText, newText, "a/f", "b/f", context);
  llvm::StringRef body(diff);
  EXPECT_TRUE(body.consume_front("--- a/f\n+++ b/f\n")) << diff;
  return body.str();
}

TEST(UnifiedDiffTest, IdenticalTextsGiveNoDiff) {
  EXPECT_EQ(unifiedDiff("", "", "a/f", "b/f"), "");
  EXPECT_EQ(unifiedDiff("x\ny\n", "x\ny\n", "a/f", "b/f"), "");
}

TEST(UnifiedDiffTest, PrintsHeadersWithTheLabelsGiven) {
  EXPECT_EQ(unifiedDiff("a\n", "b\n", "a/Dockerfile", "b/Dockerfile"),
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-a\n+b\n");
  EXPECT_EQ(unifiedDiff("", "b\n", "/dev/null", "b/.dockerignore"),
            "--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1 @@\n+b\n");
}

TEST(UnifiedDiffTest, SeparateHunksWithThreeLinesOfContext) {
  std::string a = lines({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"});
  std::string b = lines({"a", "b", "C", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "N"});
  EXPECT_EQ(hunks(a, b), "@@ -1,6 +1,6 @@\n a\n b\n-c\n+C\n d\n e\n f\n"
                         "@@ -11,4 +11,4 @@\n k\n l\n m\n-n\n+N\n");
}

TEST(UnifiedDiffTest, ChangesSixLinesApartShareOneHunk) {
  std::string a = lines({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
  std::string b = lines({"1", "2", "X", "4", "5", "6", "7", "8", "Y", "10"});
  EXPECT_EQ(hunks(a, b), "@@ -1,10 +1,10 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n 10\n");
}

TEST(UnifiedDiffTest, ChangesSevenLinesApartGetTwoHunks) {
  std::string a = lines({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"});
  std::string b = lines({"1", "X", "3", "4", "5", "6", "7", "8", "9", "Y", "11"});
  EXPECT_EQ(hunks(a, b), "@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n"
                         "@@ -7,5 +7,5 @@\n 7\n 8\n 9\n-10\n+Y\n 11\n");
}

TEST(UnifiedDiffTest, InsertionIntoAndDeletionToEmpty) {
  EXPECT_EQ(hunks("", "x\ny\n"), "@@ -0,0 +1,2 @@\n+x\n+y\n");
  EXPECT_EQ(hunks("x\ny\n", ""), "@@ -1,2 +0,0 @@\n-x\n-y\n");
}

TEST(UnifiedDiffTest, PureInsertionWithoutContextNamesTheLineBefore) {
  EXPECT_EQ(hunks(lines({"a", "b", "c", "d"}), lines({"a", "b", "X", "c", "d"}), 0),
            "@@ -2,0 +3 @@\n+X\n");
  EXPECT_EQ(hunks(lines({"a", "b", "c", "d"}), lines({"a", "b", "X", "c", "d"})),
            "@@ -1,4 +1,5 @@\n a\n b\n+X\n c\n d\n");
}

TEST(UnifiedDiffTest, MarksMissingNewlineAtEndOfFile) {
  EXPECT_EQ(hunks("x\ny\n", "x\ny"), "@@ -1,2 +1,2 @@\n x\n-y\n+y\n\\ No newline at end of file\n");
  EXPECT_EQ(hunks("x", "x\n"), "@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n");
}

TEST(UnifiedDiffTest, DeletionsComeBeforeInsertionsInAChange) {
  EXPECT_EQ(hunks(lines({"k", "a", "b", "k"}), lines({"k", "c", "d", "k"})),
            "@@ -1,4 +1,4 @@\n k\n-a\n-b\n+c\n+d\n k\n");
}

// --- Property tests on random inputs -------------------------------------

std::vector<std::string> splitKeepingNewlines(llvm::StringRef text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    size_t len = end == llvm::StringRef::npos ? text.size() : end + 1;
    out.push_back(text.take_front(len).str());
    text = text.drop_front(len);
  }
  return out;
}

/// Applies a unified diff the way patch does, checking every context and
/// deleted line against `oldText`. Returns "<mismatch>" on any inconsistency.
std::string applyDiff(llvm::StringRef oldText, llvm::StringRef diff) {
  struct BodyLine {
    char marker;
    std::string text; // with its '\n' unless a "\ No newline" marker followed
  };
  std::vector<std::string> old = splitKeepingNewlines(oldText);
  std::vector<std::string> diffLines = splitKeepingNewlines(diff);
  std::string result;
  size_t oldPos = 0; // old lines consumed so far
  size_t i = 2;      // after the ---/+++ headers
  while (i < diffLines.size()) {
    llvm::StringRef header(diffLines[i++]);
    size_t oldStart = 0, oldCount = 1;
    if (!header.consume_front("@@ -") || header.consumeInteger(10, oldStart))
      return "<mismatch>";
    if (header.consume_front(",") && header.consumeInteger(10, oldCount))
      return "<mismatch>";
    size_t newStart = 0, newCount = 1;
    if (!header.consume_front(" +") || header.consumeInteger(10, newStart))
      return "<mismatch>";
    if (header.consume_front(",") && header.consumeInteger(10, newCount))
      return "<mismatch>";
    if (header != " @@\n")
      return "<mismatch>";
    std::vector<BodyLine> body;
    while (i < diffLines.size() && diffLines[i].rfind("@@", 0) != 0) {
      const std::string &line = diffLines[i++];
      if (line.rfind("\\ No newline at end of file", 0) == 0) {
        if (body.empty() || body.back().text.empty() || body.back().text.back() != '\n')
          return "<mismatch>";
        body.back().text.pop_back();
        continue;
      }
      body.push_back({line[0], line.substr(1)});
    }
    size_t firstOld = oldCount == 0 ? oldStart : oldStart - 1;
    if (firstOld < oldPos || firstOld > old.size())
      return "<mismatch>";
    for (; oldPos < firstOld; ++oldPos)
      result += old[oldPos];
    size_t firstNew = newCount == 0 ? newStart : newStart - 1;
    size_t oldSide = 0, newSide = 0;
    for (const BodyLine &line : body) {
      oldSide += line.marker != '+';
      newSide += line.marker != '-';
    }
    if (oldSide != oldCount || newSide != newCount ||
        firstNew != size_t(std::count(result.begin(), result.end(), '\n')))
      return "<mismatch>";
    for (const BodyLine &line : body) {
      if (line.marker == '+') {
        result += line.text;
        continue;
      }
      if ((line.marker != ' ' && line.marker != '-') || oldPos >= old.size() ||
          old[oldPos] != line.text)
        return "<mismatch>";
      if (line.marker == ' ')
        result += line.text;
      ++oldPos;
    }
  }
  for (; oldPos < old.size(); ++oldPos)
    result += old[oldPos];
  return result;
}

size_t lcsLength(const std::vector<std::string> &a, const std::vector<std::string> &b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}

std::string randomText(std::mt19937 &rng) {
  std::uniform_int_distribution<int> length(0, 14), letter(0, 3), coin(0, 9);
  std::string text;
  int count = length(rng);
  for (int i = 0; i < count; ++i)
    text += std::string(1, char('a' + letter(rng))) + "\n";
  if (!text.empty() && coin(rng) == 0)
    text.pop_back(); // sometimes no newline at the end
  return text;
}

TEST(UnifiedDiffTest, RandomDiffsApplyBackAndAreMinimal) {
  std::mt19937 rng(20240601); // fixed seed: the test is deterministic
  std::uniform_int_distribution<unsigned> contextSize(0, 4);
  for (int round = 0; round < 3000; ++round) {
    std::string a = randomText(rng), b = randomText(rng);
    unsigned context = contextSize(rng);
    std::string diff = unifiedDiff(a, b, "a/f", "b/f", context);
    if (a == b) {
      EXPECT_EQ(diff, "");
      continue;
    }
    ASSERT_EQ(applyDiff(a, diff), b) << "old:\n" << a << "\nnew:\n" << b << "\ndiff:\n" << diff;

    size_t changed = 0;
    for (const std::string &line : splitKeepingNewlines(diff))
      if ((line[0] == '+' && line.rfind("+++ ", 0) != 0) ||
          (line[0] == '-' && line.rfind("--- ", 0) != 0))
        ++changed;
    auto oldLines = splitKeepingNewlines(a), newLines = splitKeepingNewlines(b);
    EXPECT_EQ(changed, oldLines.size() + newLines.size() - 2 * lcsLength(oldLines, newLines))
        << "old:\n" << a << "\nnew:\n" << b << "\ndiff:\n" << diff;
  }
}

TEST(UnifiedDiffTest, LargeRewriteStaysCorrect) {
  std::string a, b;
  for (int i = 0; i < 2000; ++i) {
    a += "old " + std::to_string(i) + "\n";
    b += (i % 7 == 0 ? "old " : "new ") + std::to_string(i) + "\n";
  }
  std::string diff = unifiedDiff(a, b, "a/f", "b/f");
  EXPECT_EQ(applyDiff(a, diff), b);
}

} // namespace
