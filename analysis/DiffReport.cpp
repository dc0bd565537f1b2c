// The report of `imageplan diff` (see DiffReport.h).
#include "analysis/DiffReport.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace imageplan::analysis {

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

namespace {

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
std::string cacheImpact(const PlanDiff &diff, llvm::StringRef quote) {
  std::vector<std::string> parts;
  for (const StageDiff &stage : diff.stages) {
    if (!stage.firstInvalidated)
      continue;
    std::string range = stage.firstInvalidated == stage.layerCount
                            ? "layer " + std::to_string(stage.layerCount)
                            : "layers " + std::to_string(stage.firstInvalidated) + "\u2013" +
                                  std::to_string(stage.layerCount);
    std::string name = (quote + stage.name + quote).str();
    parts.push_back(range + " of " +
                    (stage.change == Change::Added ? "new stage " : "stage ") + name);
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
std::string stageChange(const StageDiff &stage) {
  std::vector<std::string> parts;
  switch (stage.change) {
  case Change::Added:
    return "added, " + std::to_string(stage.layerCount) +
           (stage.layerCount == 1 ? " layer" : " layers");
  case Change::Removed:
    return "removed";
  case Change::Moved:
  case Change::MovedAndChanged:
    parts.push_back("moved from stage " + std::to_string(stage.oldIndex) + " to " +
                    std::to_string(stage.newIndex));
    break;
  default:
    break;
  }
  if (stage.change == Change::Changed ||
      stage.change == Change::MovedAndChanged)
    parts.push_back(stage.oldFrom != stage.newFrom
                        ? "base changed from " + stage.oldFrom + " to " + stage.newFrom
                        : "header changed (shell, arguments or environment)");
  if (stage.settingsChanged)
    parts.push_back("image settings changed (user, ports, health check, labels, entrypoint or "
                    "command)");
  return llvm::join(parts, "; ");
}

/// What happened to a layer, in words.
std::string layerChange(const LayerDiff &layer) {
  std::string was = layer.oldWhat.empty() ? "" : " (was " + layer.oldWhat + ")";
  switch (layer.change) {
  case Change::Moved:
    return "moved from " + std::to_string(layer.oldIndex) + was;
  case Change::MovedAndChanged:
    return "moved from " + std::to_string(layer.oldIndex) + " and changed" + was;
  case Change::Removed:
    return "removed (was " + std::to_string(layer.oldIndex) + ")";
  default:
    return toString(layer.change) + was;
  }
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

} // namespace

std::string diffText(const PlanDiff &diff, llvm::StringRef oldName, llvm::StringRef newName) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << "Plan diff: " << oldName << " -> " << newName << "\n\n";
  if (diff.unchanged())
    out << "No stage or layer changed.\n";
  for (const StageDiff &stage : diff.stages) {
    std::string change = stageChange(stage);
    bool layersChanged = stage.change != Change::Added &&
                         stage.change != Change::Removed &&
                         llvm::any_of(stage.layers, [](const LayerDiff &layer) {
                           return layer.change != Change::Same;
                         });
    if (change.empty() && !layersChanged) {
      if (!diff.unchanged())
        out << "stage " << stage.name << ": unchanged\n";
      continue;
    }
    out << "stage " << stage.name << (change.empty() ? "" : ": " + change) << "\n";
    if (!layersChanged)
      continue;
    for (const LayerDiff &layer : stage.layers) {
      if (layer.change == Change::Same)
        continue;
      std::string position =
          layer.newIndex ? std::to_string(layer.newIndex) + ". " : std::string("-  ");
      out << "  " << position << layer.what << ": " << layerChange(layer) << "\n";
    }
  }
  out << "\nCache impact: " << cacheImpact(diff, "") << "\n";
  return text;
}

std::string diffMarkdown(const PlanDiff &diff, llvm::StringRef oldName,
                         llvm::StringRef newName) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << "#### imageplan: plan changes (`" << oldName << "` \u2192 `" << newName << "`)\n\n";
  if (diff.unchanged()) {
    out << "No stage or layer changed.\n";
  } else {
    out << "| stage | layer | change |\n| --- | --- | --- |\n";
    for (const StageDiff &stage : diff.stages) {
      std::string change = stageChange(stage);
      if (!change.empty())
        out << "| `" << stage.name << "` | (stage) | " << markdownCell(change) << " |\n";
      if (stage.change == Change::Added || stage.change == Change::Removed)
        continue;
      for (const LayerDiff &layer : stage.layers) {
        if (layer.change == Change::Same)
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
  return text;
}

} // namespace imageplan::analysis
