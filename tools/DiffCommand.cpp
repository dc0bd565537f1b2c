// `imageplan diff`: compiles both specs (the old one from a file, or from git
// with --git REV), renders every layer, stage header and stage's image
// settings through the Dockerfile backend (comments dropped, so only what
// BuildKit's cache sees counts), diffs the plans, and prints the changes and
// their cache impact as text or as a Markdown review comment.
#include "tools/DiffCommand.h"

#include "analysis/Git.h"
#include "analysis/PlanDiff.h"
#include "backends/Backend.h"
#include "tools/Commands.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

#include <cmath>

namespace imageplan::driver {
namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The spec `specPath` as of git revision `revision`: its text, and the name
/// diagnostics give it ("REV:path/in/repository").
llvm::Expected<std::pair<std::string, std::string>> specAtRevision(llvm::StringRef specPath,
                                                                   llvm::StringRef revision) {
  llvm::StringRef folder = llvm::sys::path::parent_path(specPath);
  std::string dir = folder.empty() ? "." : folder.str();
  llvm::Expected<std::string> prefix = analysis::runGit({"-C", dir, "rev-parse", "--show-prefix"});
  if (!prefix)
    return failure("cannot read '" + specPath + "' at revision '" + revision +
                   "': " + llvm::toString(prefix.takeError()));
  std::string inRepository =
      llvm::StringRef(*prefix).trim().str() + llvm::sys::path::filename(specPath).str();
  std::string object = (revision + ":" + inRepository).str();
  llvm::Expected<std::string> text = analysis::runGit({"-C", dir, "show", object});
  if (!text)
    return failure("cannot read '" + inRepository + "' at revision '" + revision +
                   "': " + llvm::toString(text.takeError()));
  return std::make_pair(std::move(*text), object);
}

std::string withoutComments(llvm::StringRef text) {
  std::string out;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    text = rest;
    if (!line.ltrim().startswith("#") && !line.trim().empty())
      out += line.str() + "\n";
  }
  return out;
}

/// What the Dockerfile backend writes for `stages` of `plan` (comments and
/// blank lines dropped).
std::string render(const plan::Plan &plan, std::vector<plan::Stage> stages) {
  plan::Plan part;
  part.dialect = plan.dialect;
  part.name = plan.name;
  part.specPath = plan.specPath;
  part.stages = std::move(stages);
  return withoutComments(backends::emitDockerfile(part));
}

/// `text` without `prefix` (the part two renderings share).
std::string after(const std::string &text, const std::string &prefix) {
  return llvm::StringRef(text).startswith(prefix) ? text.substr(prefix.size()) : text;
}

plan::Stage bare(const plan::Stage &stage) {
  plan::Stage copy = stage;
  copy.layers.clear();
  copy.runtime.reset();
  return copy;
}

analysis::PlanRenderer backendRenderer() {
  analysis::PlanRenderer renderer;
  renderer.stageHeader = [](const plan::Plan &plan, const plan::Stage &stage) {
    return after(render(plan, {bare(stage)}), render(plan, {}));
  };
  renderer.layerText = [](const plan::Plan &plan, const plan::Stage &stage,
                          const plan::Layer &layer) {
    plan::Stage one = bare(stage);
    one.layers = {layer};
    return after(render(plan, {one}), render(plan, {bare(stage)}));
  };
  renderer.stageSettings = [](const plan::Plan &plan, const plan::Stage &stage) {
    plan::Stage settings = bare(stage);
    settings.runtime = stage.runtime;
    return after(render(plan, {settings}), render(plan, {bare(stage)}));
  };
  return renderer;
}

/// Seconds as a reviewer reads them: "2.5s", "38s", "4m10s", "1h05m".
std::string duration(double seconds) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (seconds < 9.95) {
    os << llvm::format("%.1fs", seconds);
    return text;
  }
  long total = std::lround(seconds);
  if (total < 60) {
    os << total << "s";
  } else if (total < 3600) {
    os << total / 60 << "m" << llvm::format("%02ld", total % 60) << "s";
  } else {
    long minutes = std::lround(seconds / 60);
    os << minutes / 60 << "h" << llvm::format("%02ld", minutes % 60) << "m";
  }
  return text;
}

/// "a", "a and b", "a, b and c".
std::string listing(const std::vector<std::string> &items) {
  if (items.size() <= 1)
    return items.empty() ? "" : items.front();
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return llvm::join(head, ", ") + " and " + items.back();
}

/// The sentence on what the change costs: "this change invalidates layers
/// 5–9 of stage runtime on the next build (est. 4m10s), and changes the
/// expected rebuild cost per commit from 38s to 12s." `quote` marks names.
std::string cacheImpact(const analysis::PlanDiff &diff, llvm::StringRef quote) {
  std::vector<std::string> parts;
  for (const analysis::StageDiff &stage : diff.stages) {
    if (!stage.firstInvalidated)
      continue;
    std::string range = stage.firstInvalidated == stage.layerCount
                            ? "layer " + std::to_string(stage.layerCount)
                            : "layers " + std::to_string(stage.firstInvalidated) + "\u2013" +
                                  std::to_string(stage.layerCount);
    std::string name = (quote + stage.name + quote).str();
    parts.push_back(range + " of " +
                    (stage.change == analysis::Change::Added ? "new stage " : "stage ") + name);
  }
  std::string sentence =
      parts.empty() ? "this change invalidates no cached layer on the next build"
                    : "this change invalidates " + listing(parts) + " on the next build (est. " +
                          duration(diff.invalidatedSeconds) + ")";
  std::string before = duration(diff.oldExpectedSeconds);
  std::string now = duration(diff.newExpectedSeconds);
  if (before == now)
    return sentence + ", and keeps the expected rebuild cost per commit at " + now + ".";
  return sentence + ", and changes the expected rebuild cost per commit from " + before +
         " to " + now + ".";
}

/// What happened to a stage, in words; "" when nothing did.
std::string stageChange(const analysis::StageDiff &stage) {
  std::vector<std::string> parts;
  switch (stage.change) {
  case analysis::Change::Added:
    return "added, " + std::to_string(stage.layerCount) +
           (stage.layerCount == 1 ? " layer" : " layers");
  case analysis::Change::Removed:
    return "removed";
  case analysis::Change::Moved:
  case analysis::Change::MovedAndChanged:
    parts.push_back("moved from stage " + std::to_string(stage.oldIndex) + " to " +
                    std::to_string(stage.newIndex));
    break;
  default:
    break;
  }
  if (stage.change == analysis::Change::Changed ||
      stage.change == analysis::Change::MovedAndChanged)
    parts.push_back(stage.oldFrom != stage.newFrom
                        ? "base changed from " + stage.oldFrom + " to " + stage.newFrom
                        : "header changed (shell, arguments or environment)");
  if (stage.settingsChanged)
    parts.push_back("image settings changed (user, ports, health check, labels, entrypoint or "
                    "command)");
  return llvm::join(parts, "; ");
}

/// What happened to a layer, in words.
std::string layerChange(const analysis::LayerDiff &layer) {
  std::string was = layer.oldWhat.empty() ? "" : " (was " + layer.oldWhat + ")";
  switch (layer.change) {
  case analysis::Change::Moved:
    return "moved from " + std::to_string(layer.oldIndex) + was;
  case analysis::Change::MovedAndChanged:
    return "moved from " + std::to_string(layer.oldIndex) + " and changed" + was;
  case analysis::Change::Removed:
    return "removed (was " + std::to_string(layer.oldIndex) + ")";
  default:
    return analysis::toString(layer.change) + was;
  }
}

void printText(llvm::raw_ostream &out, const analysis::PlanDiff &diff, llvm::StringRef oldName,
               llvm::StringRef newName) {
  out << "Plan diff: " << oldName << " -> " << newName << "\n\n";
  if (diff.unchanged())
    out << "No stage or layer changed.\n";
  for (const analysis::StageDiff &stage : diff.stages) {
    std::string change = stageChange(stage);
    bool layersChanged = stage.change != analysis::Change::Added &&
                         stage.change != analysis::Change::Removed &&
                         llvm::any_of(stage.layers, [](const analysis::LayerDiff &layer) {
                           return layer.change != analysis::Change::Same;
                         });
    if (change.empty() && !layersChanged) {
      if (!diff.unchanged())
        out << "stage " << stage.name << ": unchanged\n";
      continue;
    }
    out << "stage " << stage.name << (change.empty() ? "" : ": " + change) << "\n";
    if (!layersChanged)
      continue;
    for (const analysis::LayerDiff &layer : stage.layers) {
      if (layer.change == analysis::Change::Same)
        continue;
      std::string position =
          layer.newIndex ? std::to_string(layer.newIndex) + ". " : std::string("-  ");
      out << "  " << position << layer.what << ": " << layerChange(layer) << "\n";
    }
  }
  out << "\nCache impact: " << cacheImpact(diff, "") << "\n";
}

std::string markdownCell(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_')
      out += '\\';
    out += c;
  }
  return out;
}

void printMarkdown(llvm::raw_ostream &out, const analysis::PlanDiff &diff,
                   llvm::StringRef oldName, llvm::StringRef newName) {
  out << "#### imageplan: plan changes (`" << oldName << "` \u2192 `" << newName << "`)\n\n";
  if (diff.unchanged()) {
    out << "No stage or layer changed.\n";
  } else {
    out << "| stage | layer | change |\n| --- | --- | --- |\n";
    for (const analysis::StageDiff &stage : diff.stages) {
      std::string change = stageChange(stage);
      if (!change.empty())
        out << "| `" << stage.name << "` | (stage) | " << markdownCell(change) << " |\n";
      if (stage.change == analysis::Change::Added || stage.change == analysis::Change::Removed)
        continue;
      for (const analysis::LayerDiff &layer : stage.layers) {
        if (layer.change == analysis::Change::Same)
          continue;
        std::string position =
            layer.newIndex ? std::to_string(layer.newIndex) + ". " : std::string();
        out << "| `" << stage.name << "` | " << position << markdownCell(layer.what) << " | "
            << markdownCell(layerChange(layer)) << " |\n";
      }
    }
  }
  std::string impact = cacheImpact(diff, "`");
  impact[0] = llvm::toUpper(impact[0]);
  out << "\n**Cache impact:** " << impact << "\n";
}

/// Compiles one spec (from its file, or from `bufferId` when not 0), printing
/// the diagnostics' summary only on failure.
std::optional<Compiled> compileOne(readers::DiagnosticEngine &diags, llvm::StringRef specPath,
                                   unsigned bufferId) {
  std::optional<planner::PlanOptions> planOptions = planOptionsFor(diags, "", "");
  if (!planOptions)
    return std::nullopt;
  llvm::Expected<Compiled> compiled =
      bufferId ? compileSpecBuffer(diags, bufferId, specPath, "", *planOptions, std::nullopt)
               : compileSpec(diags, specPath, "", *planOptions, std::nullopt);
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    diags.printSummary();
    return std::nullopt;
  }
  return std::move(*compiled);
}

} // namespace

int runDiff(const DiffOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (options.format != "text" && options.format != "markdown") {
    diags.error("unknown format '" + options.format + "'; expected text or markdown");
    return 1;
  }
  std::string oldName = options.oldSpec;
  unsigned oldBuffer = 0;
  if (!options.gitRevision.empty()) {
    auto old = specAtRevision(options.newSpec, options.gitRevision);
    if (!old) {
      diags.error(llvm::toString(old.takeError()));
      return 1;
    }
    oldName = old->second;
    oldBuffer = diags.addBuffer(old->first, oldName);
    spdlog::debug("diff: old spec is '{}'", oldName);
  }
  // With --git the old spec is compiled against today's build context: the
  // plan depends on the requirement files' names, not on their contents.
  std::optional<Compiled> oldPlan =
      compileOne(diags, oldBuffer ? options.newSpec : options.oldSpec, oldBuffer);
  if (!oldPlan)
    return 1;
  std::optional<Compiled> newPlan = compileOne(diags, options.newSpec, 0);
  if (!newPlan)
    return 1;
  diags.printSummary(); // "N warnings generated." when there were any

  analysis::PlanDiff diff = analysis::diffPlans(oldPlan->plan, newPlan->plan, backendRenderer());
  if (options.format == "markdown")
    printMarkdown(out, diff, oldName, options.newSpec);
  else
    printText(out, diff, oldName, options.newSpec);
  out.flush();
  return 0;
}

} // namespace imageplan::driver
