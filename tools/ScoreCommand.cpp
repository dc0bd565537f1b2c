// `imageplan score`: compiles the spec, renders its Dockerfile and
// .dockerignore in memory, parses them back with the same parser as the
// user's Dockerfile, replays the history over both with the same model and
// cost table, and prints the two side by side (text, or JSON with fields in a
// fixed order).
#include "tools/ScoreCommand.h"

#include "analysis/GitHistory.h"
#include "analysis/Score.h"
#include "backends/Backend.h"
#include "readers/DockerfileParser.h"
#include "readers/DockerignoreMatcher.h"
#include "tools/Commands.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

#include <algorithm>

namespace imageplan::driver {
namespace {

/// Numbers at a fixed precision, so that the output is byte-stable.
std::string fixed(double value, int decimals) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.*f", decimals, value);
  return text;
}

std::string padRight(llvm::StringRef text, size_t width) {
  return text.str() + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

std::string padLeft(llvm::StringRef text, size_t width) {
  return std::string(width > text.size() ? width - text.size() : 0, ' ') + text.str();
}

/// One scored Dockerfile and how the report names it.
struct Entry {
  std::string name;
  analysis::Score score;
  bool showLowerBound = false;
};

/// Parses the Dockerfile in `bufferId` and the .dockerignore in `ignoreId`
/// (0: none), then replays `history` over them.
std::optional<analysis::Score> scoreBuffers(readers::DiagnosticEngine &diags, unsigned bufferId,
                                           unsigned ignoreId, const planner::History &history) {
  llvm::Expected<readers::Dockerfile> file = readers::parseDockerfile(diags, bufferId);
  if (!file) {
    llvm::consumeError(file.takeError());
    return std::nullopt;
  }
  std::optional<readers::DockerignoreMatcher> ignore;
  if (ignoreId) {
    llvm::Expected<readers::DockerignoreMatcher> parsed =
        readers::DockerignoreMatcher::parse(diags, ignoreId);
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      return std::nullopt;
    }
    ignore = std::move(*parsed);
  }
  return analysis::scoreDockerfile(*file, ignore ? &*ignore : nullptr, history);
}

/// The .dockerignore BuildKit uses with `dockerfile`: `<dockerfile>.dockerignore`
/// beside it, else the context's `.dockerignore`; "" when there is neither.
std::string ignoreFileFor(llvm::StringRef dockerfile, llvm::StringRef contextDir) {
  std::string beside = (dockerfile + ".dockerignore").str();
  if (llvm::sys::fs::is_regular_file(beside))
    return beside;
  llvm::SmallString<256> inContext(contextDir);
  llvm::sys::path::append(inContext, ".dockerignore");
  if (llvm::sys::fs::is_regular_file(inContext))
    return inContext.str().str();
  return "";
}

void printText(llvm::raw_ostream &out, unsigned commits, const std::vector<Entry> &entries) {
  out << "Replayed " << commits << " commit" << (commits == 1 ? "" : "s")
      << " of the build context's history (model and cost table: docs/score.md)\n";
  for (const Entry &entry : entries) {
    const analysis::Score &score = entry.score;
    out << "\n" << entry.name << "\n";
    for (const analysis::ScoredStage &stage : score.stages) {
      out << "  stage " << stage.name << " (FROM " << stage.base << ")"
          << (stage.built ? "" : ": the last stage does not need it, so it is not built and "
                                 "not in the totals")
          << "\n";
      if (stage.instructions.empty()) {
        out << "    no RUN, COPY or ADD\n";
        continue;
      }
      out << "    line  " << padRight("instruction", 60) << "  " << padLeft("rebuilt", 9)
          << "  " << padLeft("cost s", 8) << "  " << padLeft("s/commit", 9) << "\n";
      for (const analysis::ScoredInstruction &inst : stage.instructions) {
        std::string rebuilt = std::to_string(inst.invalidated) + "/" + std::to_string(commits);
        out << "    " << padLeft(std::to_string(inst.line), 4) << "  "
            << padRight(inst.summary, 60) << "  " << padLeft(rebuilt, 9) << "  "
            << padLeft(fixed(inst.cost, 1), 8) << "  "
            << padLeft(fixed(analysis::expectedSeconds(inst, commits), 3), 9) << "\n";
      }
    }
    out << "  expected rebuild work: " << fixed(score.expectedSeconds(), 3) << " s per commit\n";
    if (entry.showLowerBound)
      out << "  lower bound, each step rebuilt only when its own inputs change: "
          << fixed(score.lowerBoundSeconds(), 3) << " s per commit\n";
  }

  out << "\nExpected rebuild seconds per commit\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Entry &entry : entries)
    rows.push_back({entry.name, fixed(entry.score.expectedSeconds(), 3)});
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
    out << "  " << entries[1].name << " / generated: "
        << (generated > 0 ? fixed(other / generated, 2) : std::string("n/a (the generated "
                                                                      "Dockerfile rebuilds "
                                                                      "nothing)"))
        << "\n";
  }
}

void printJson(llvm::raw_ostream &out, unsigned commits, const std::vector<Entry> &entries) {
  llvm::json::OStream json(out, /*IndentSize=*/2);
  auto number = [&](llvm::StringRef key, double value, int decimals) {
    json.attributeBegin(key);
    json.rawValue(fixed(value, decimals));
    json.attributeEnd();
  };
  auto entryObject = [&](const Entry &entry) {
    const analysis::Score &score = entry.score;
    json.object([&] {
      json.attribute("name", entry.name);
      number("expectedRebuildSeconds", score.expectedSeconds(), 3);
      if (entry.showLowerBound)
        number("lowerBoundSeconds", score.lowerBoundSeconds(), 3);
      json.attributeArray("stages", [&] {
        for (const analysis::ScoredStage &stage : score.stages)
          json.object([&] {
            json.attribute("name", stage.name);
            json.attribute("from", stage.base);
            json.attribute("built", stage.built);
            number("expectedRebuildSeconds", analysis::expectedSeconds(stage, commits), 3);
            json.attributeArray("instructions", [&] {
              for (const analysis::ScoredInstruction &inst : stage.instructions)
                json.object([&] {
                  json.attribute("line", int64_t(inst.line));
                  json.attribute("instruction", inst.summary);
                  number("costSeconds", inst.cost, 1);
                  json.attribute("invalidations", int64_t(inst.invalidated));
                  json.attribute("ownInputChanges", int64_t(inst.ownChanges));
                  number("expectedRebuildSeconds", analysis::expectedSeconds(inst, commits), 3);
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
}

} // namespace

int runScore(const ScoreOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (options.format != "text" && options.format != "json") {
    diags.error("unknown format '" + options.format + "'; expected text or json");
    return 1;
  }
  if (options.history == 0) {
    diags.error("--history takes a positive number of commits");
    return 1;
  }
  // Read the user's Dockerfile first: a missing file is a usage error, and
  // nothing should be compiled or replayed for it.
  unsigned userBuffer = 0;
  if (!options.dockerfile.empty()) {
    llvm::Expected<unsigned> buffer = diags.addFile(options.dockerfile);
    if (!buffer) {
      diags.error(llvm::toString(buffer.takeError()));
      return 1;
    }
    userBuffer = *buffer;
  }

  std::optional<Compiled> compiled =
      compileAndReport(diags, {options.specPath, options.contextDir, "", "", std::nullopt});
  if (!compiled)
    return 1;
  std::string contextDir = options.contextDir;
  if (contextDir.empty()) {
    contextDir = llvm::sys::path::parent_path(options.specPath).str();
    if (contextDir.empty())
      contextDir = ".";
  }
  llvm::Expected<planner::History> history = analysis::readHistory(contextDir, options.history);
  if (!history) {
    diags.error(llvm::toString(history.takeError()) + "; score replays the history of the "
                                                      "git repository holding the build context");
    return 1;
  }
  spdlog::debug("score: replaying {} commit(s)", history->commits.size());

  const plan::Plan &plan = compiled->plan;
  std::vector<Entry> entries;
  unsigned generated = diags.addBuffer(backends::emitDockerfile(plan), "<generated Dockerfile>");
  unsigned generatedIgnore =
      diags.addBuffer(backends::emitDockerignore(plan), "<generated .dockerignore>");
  std::optional<analysis::Score> score =
      scoreBuffers(diags, generated, generatedIgnore, *history);
  if (!score)
    return 1;
  entries.push_back({"generated from " + plan.specPath, std::move(*score), true});

  if (userBuffer) {
    std::string ignorePath = ignoreFileFor(options.dockerfile, contextDir);
    unsigned ignoreBuffer = 0;
    if (!ignorePath.empty()) {
      llvm::Expected<unsigned> buffer = diags.addFile(ignorePath);
      if (!buffer) {
        diags.error(llvm::toString(buffer.takeError()));
        return 1;
      }
      ignoreBuffer = *buffer;
    }
    spdlog::debug("score: '{}' with .dockerignore '{}'", options.dockerfile, ignorePath);
    std::optional<analysis::Score> userScore =
        scoreBuffers(diags, userBuffer, ignoreBuffer, *history);
    if (!userScore) {
      diags.printSummary();
      return 1;
    }
    entries.push_back({options.dockerfile, std::move(*userScore), false});
  }

  unsigned commits = history->commits.size();
  if (options.format == "json")
    printJson(out, commits, entries);
  else
    printText(out, commits, entries);
  out.flush();
  return 0;
}

} // namespace imageplan::driver
