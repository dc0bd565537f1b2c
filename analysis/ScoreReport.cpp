// The report of `imageplan score` (see ScoreReport.h): fixed column widths
// and fixed decimals, so that the same replay always prints the same bytes.
#include "analysis/ScoreReport.h"

#include "readers/TextEscape.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace imageplan::analysis {
namespace {

/// `value` with `decimals` digits after the point, so that the output is byte-stable.
std::string fixed(double value, int decimals) {
  return llvm::formatv("{0}", llvm::format("%.*f", decimals, value)).str();
}

std::string padRight(llvm::StringRef text, size_t width) {
  return text.str() + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

std::string padLeft(llvm::StringRef text, size_t width) {
  return std::string(width > text.size() ? width - text.size() : 0, ' ') + text.str();
}

} // namespace

std::string scoreText(unsigned commits, const std::vector<ScoredDockerfile> &entries) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << "Replayed " << commits << " commit" << (commits == 1 ? "" : "s")
      << " of the build context's history (model and cost table: docs/score.md)\n";
  for (const ScoredDockerfile &entry : entries) {
    const Score &score = entry.score;
    // Names, instructions and notes (the make goals, directories and script
    // names they quote) come from the Dockerfile as written: shown escaped,
    // so that no byte of it can reach the terminal as a control.
    out << "\n" << readers::escapeText(entry.name) << "\n";
    for (const ScoredStage &stage : score.stages) {
      out << "  stage " << readers::escapeText(stage.name) << " (FROM "
          << readers::escapeText(stage.base) << ")"
          << (stage.built ? "" : ": the last stage does not need it, so it is not built and "
                                 "not in the totals")
          << "\n";
      if (stage.instructions.empty()) {
        out << "    no RUN, COPY or ADD\n";
        continue;
      }
      out << "    line  " << padRight("instruction", 60) << "  " << padLeft("rebuilt", 9)
          << "  " << padLeft("cost s", 8) << "  " << padLeft("s/commit", 9) << "\n";
      for (const ScoredInstruction &inst : stage.instructions) {
        std::string rebuilt = std::to_string(inst.invalidated) + "/" + std::to_string(commits);
        out << "    " << padLeft(std::to_string(inst.line), 4) << "  "
            << padRight(readers::escapeText(inst.summary), 60) << "  " << padLeft(rebuilt, 9)
            << "  "
            << padLeft(fixed(inst.cost, 1), 8) << "  "
            << padLeft(fixed(expectedSeconds(inst, commits), 3), 9) << "\n";
      }
    }
    for (const ScoredStage &stage : score.stages)
      for (const ScoredInstruction &inst : stage.instructions)
        for (const std::string &note : inst.notes)
          out << "  note: line " << inst.line << ": " << readers::escapeText(note) << "\n";
    out << "  expected rebuild work: " << fixed(score.expectedSeconds(), 3) << " s per commit\n";
    if (entry.showLowerBound)
      out << "  lower bound, each step rebuilt only when its own inputs change: "
          << fixed(score.lowerBoundSeconds(), 3) << " s per commit\n";
  }

  out << "\nExpected rebuild seconds per commit\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const ScoredDockerfile &entry : entries)
    rows.push_back({readers::escapeText(entry.name), fixed(entry.score.expectedSeconds(), 3)});
  rows.push_back({"lower bound", fixed(entries.front().score.lowerBoundSeconds(), 3)});
  size_t width = 0, numberWidth = 0;
  for (const auto &[label, number] : rows) {
    width = std::max(width, label.size());
    numberWidth = std::max(numberWidth, number.size());
  }
  for (const auto &[label, number] : rows)
    out << "  " << padRight(label, width) << "  " << padLeft(number, numberWidth) << "\n";
  if (entries.size() > 1) {
    double generated = entries[0].score.expectedSeconds();
    double other = entries[1].score.expectedSeconds();
    out << "  " << readers::escapeText(entries[1].name) << " / generated: "
        << (generated > 0 ? fixed(other / generated, 2) : std::string("n/a (the generated "
                                                                      "Dockerfile rebuilds "
                                                                      "nothing)"))
        << "\n";
  }
  return text;
}

namespace {

/// Dockerfile text as a JSON string: JSON holds UTF-8 only, so each invalid
/// byte becomes U+FFFD (llvm::json asserts on invalid UTF-8 otherwise).
std::string jsonText(llvm::StringRef text) {
  return llvm::json::isUTF8(text) ? text.str() : llvm::json::fixUTF8(text);
}

} // namespace

std::string scoreJson(unsigned commits, const std::vector<ScoredDockerfile> &entries) {
  std::string text;
  llvm::raw_string_ostream out(text);
  llvm::json::OStream json(out, /*IndentSize=*/2);
  auto number = [&](llvm::StringRef key, double value, int decimals) {
    json.attributeBegin(key);
    json.rawValue(fixed(value, decimals));
    json.attributeEnd();
  };
  auto entryObject = [&](const ScoredDockerfile &entry) {
    const Score &score = entry.score;
    json.object([&] {
      json.attribute("name", jsonText(entry.name));
      number("expectedRebuildSeconds", score.expectedSeconds(), 3);
      if (entry.showLowerBound)
        number("lowerBoundSeconds", score.lowerBoundSeconds(), 3);
      json.attributeArray("stages", [&] {
        for (const ScoredStage &stage : score.stages)
          json.object([&] {
            json.attribute("name", jsonText(stage.name));
            json.attribute("from", jsonText(stage.base));
            json.attribute("built", stage.built);
            number("expectedRebuildSeconds", expectedSeconds(stage, commits), 3);
            json.attributeArray("instructions", [&] {
              for (const ScoredInstruction &inst : stage.instructions)
                json.object([&] {
                  json.attribute("line", int64_t(inst.line));
                  json.attribute("instruction", jsonText(inst.summary));
                  number("costSeconds", inst.cost, 1);
                  json.attribute("invalidations", int64_t(inst.invalidated));
                  json.attribute("ownInputChanges", int64_t(inst.ownChanges));
                  number("expectedRebuildSeconds", expectedSeconds(inst, commits), 3);
                  if (!inst.notes.empty())
                    json.attributeArray("notes", [&] {
                      for (const std::string &note : inst.notes)
                        json.value(jsonText(note));
                    });
                });
            });
          });
      });
    });
  };
  json.object([&] {
    json.attribute("commits", int64_t(commits));
    json.attributeBegin("generated");
    entryObject(entries[0]);
    json.attributeEnd();
    if (entries.size() > 1) {
      json.attributeBegin("dockerfile");
      entryObject(entries[1]);
      json.attributeEnd();
      double generated = entries[0].score.expectedSeconds();
      json.attributeBegin("ratio");
      if (generated > 0)
        json.rawValue(fixed(entries[1].score.expectedSeconds() / generated, 2));
      else
        json.value(nullptr);
      json.attributeEnd();
    }
  });
  out << "\n";
  return text;
}


} // namespace imageplan::analysis
