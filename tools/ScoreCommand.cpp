// `imageplan score`: compiles the spec, renders its Dockerfile and
// .dockerignore in memory, parses them back with the same parser as the
// user's Dockerfile, replays the history over both with the same model and
// cost table, and prints the two side by side (text, or JSON with fields in a
// fixed order).
#include "tools/ScoreCommand.h"

#include "analysis/GitHistory.h"
#include "analysis/Score.h"
#include "analysis/ScoreReport.h"
#include "backends/Backend.h"
#include "readers/TextEscape.h"
#include "tools/Compile.h"

#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

namespace imageplan::driver {

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
  readers::InputLimit dockerfileLimit = readers::limits::kDockerfile;
  readers::InputLimit ignoreLimit = readers::limits::kDockerignore;
  if (!options.maxFileSize.empty()) {
    std::optional<uint64_t> size = readers::parseSize(options.maxFileSize);
    if (!size) {
      diags.error("--max-file-size takes a size such as 64M (bytes, or K, M or G), from 1 byte "
                  "to 4G, not " + readers::quoteText(options.maxFileSize));
      return 1;
    }
    dockerfileLimit.maxBytes = ignoreLimit.maxBytes = *size;
  }
  // Read the user's Dockerfile first: a missing file is a usage error, and
  // nothing should be compiled or replayed for it.
  unsigned userBuffer = 0;
  if (!options.dockerfile.empty()) {
    llvm::Expected<unsigned> buffer = diags.addFile(options.dockerfile, dockerfileLimit);
    if (!buffer) {
      diags.error(llvm::toString(buffer.takeError()));
      return 1;
    }
    userBuffer = *buffer;
  }

  CompileOptions compile;
  compile.specPath = options.specPath;
  compile.contextDir = options.contextDir;
  std::optional<Compiled> compiled = compileAndReport(diags, compile);
  if (!compiled)
    return 1;
  std::string contextDir = contextDirOf(compile);
  llvm::Expected<planner::History> history = analysis::readHistory(contextDir, options.history);
  if (!history) {
    diags.error(llvm::toString(history.takeError()) + "; score replays the history of the "
                                                      "git repository holding the build context");
    return 1;
  }
  spdlog::debug("score: replaying {} commit(s)", history->commits.size());

  const plan::Plan &plan = compiled->plan;
  std::vector<analysis::ScoredDockerfile> entries;
  unsigned generated =
      diags.addBuffer(backends::emitDockerfile(plan, compiled->output), "<generated Dockerfile>");
  unsigned generatedIgnore =
      diags.addBuffer(backends::emitDockerignore(plan, compiled->output), "<generated .dockerignore>");
  // Both Dockerfiles read the same context: a Makefile a RUN runs is priced
  // by its recipes in either.
  analysis::ContextFileReader readContext = analysis::contextFileReader(contextDir);
  std::optional<analysis::Score> score =
      analysis::scoreDockerfileBuffers(diags, generated, generatedIgnore, *history, readContext);
  if (!score)
    return 1;
  entries.push_back({"generated from " + plan.specPath, std::move(*score), true});

  if (userBuffer) {
    std::string ignorePath = analysis::ignoreFileFor(options.dockerfile, contextDir);
    unsigned ignoreBuffer = 0;
    if (!ignorePath.empty()) {
      // The context's own .dockerignore is the context's to decide, and it
      // may not point outside it; one beside the Dockerfile is the user's.
      bool besideDockerfile = ignorePath == options.dockerfile + ".dockerignore";
      llvm::Expected<unsigned> buffer =
          diags.addFile(ignorePath, ignoreLimit, "", besideDockerfile ? "" : contextDir);
      if (!buffer) {
        diags.error(llvm::toString(buffer.takeError()));
        return 1;
      }
      ignoreBuffer = *buffer;
    }
    spdlog::debug("score: '{}' with .dockerignore '{}'", options.dockerfile, ignorePath);
    std::optional<analysis::Score> userScore =
        analysis::scoreDockerfileBuffers(diags, userBuffer, ignoreBuffer, *history, readContext);
    if (!userScore) {
      diags.printSummary();
      return 1;
    }
    entries.push_back({options.dockerfile, std::move(*userScore), false});
  }

  unsigned commits = history->commits.size();
  out << (options.format == "json" ? analysis::scoreJson(commits, entries)
                                   : analysis::scoreText(commits, entries));
  out.flush();
  return 0;
}

} // namespace imageplan::driver
