// libFuzzer target over the Dockerfile side of `imageplan score`: any bytes
// as a Dockerfile (and as a .dockerignore), replayed over a fixed history and
// rendered as the text and JSON reports. The property, for any input: no
// crash, hang or leak, diagnostics that show no raw control byte, and a JSON
// report that is JSON. tests/fuzz/README.md says how to run it.
#include "FuzzSupport.h"

#include "analysis/Score.h"
#include "analysis/ScoreReport.h"
#include "readers/DockerfileParser.h"
#include "readers/DockerignoreMatcher.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

using namespace imageplan;

namespace {

planner::History fixedHistory() {
  planner::History history;
  std::vector<std::vector<std::string>> commits = {
      {"app/main.py"}, {"app/main.py", "requirements.txt"}, {"README.md"},
      {"src/lib/x.c", "app/main.py"}, {".dockerignore", "Dockerfile"}, {"a b/c*?[x]"}};
  for (size_t i = 0; i < commits.size(); ++i)
    history.commits.push_back({"c" + std::to_string(i), commits[i], false});
  return history;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const planner::History history = fixedHistory();
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  std::string messages;
  llvm::raw_string_ostream os(messages);
  readers::DiagnosticEngine diags(os);
  unsigned dockerfile = diags.addBuffer(input, "Dockerfile");
  unsigned ignore = diags.addBuffer(input, ".dockerignore");
  std::optional<analysis::Score> plain =
      analysis::scoreDockerfileBuffers(diags, dockerfile, 0, history);
  std::optional<analysis::Score> ignored =
      analysis::scoreDockerfileBuffers(diags, dockerfile, ignore, history);
  diags.printSummary();
  fuzz::requireTerminalSafe(os.str(), "the diagnostics");
  if (!plain)
    return 0;
  std::vector<analysis::ScoredDockerfile> entries = {{"Dockerfile", std::move(*plain), true}};
  if (ignored)
    entries.push_back({"Dockerfile with itself as .dockerignore", std::move(*ignored), false});
  unsigned commits = history.commits.size();
  std::string text = analysis::scoreText(commits, entries);
  fuzz::requireTerminalSafe(text, "the score report");
  std::string json = analysis::scoreJson(commits, entries);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    fuzz::propertyFailed("the score's JSON report is not JSON", json);
  }
  return 0;
}
