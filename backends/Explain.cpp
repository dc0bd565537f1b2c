// `imageplan explain`: for every stage and layer, what it holds, what it reads,
// how often it changes and where that rate came from, what it costs, what it
// is expected to cost per commit, and why it sits where it is. Text for people,
// JSON (fields in a fixed order) for tools.
#include "backends/Backend.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace imageplan::backends {
namespace {

/// `value` with `decimals` digits after the point, so that the output is byte-stable.
std::string fixed(double value, int decimals) {
  return llvm::formatv("{0}", llvm::format("%.*f", decimals, value)).str();
}

/// The ordering key of docs/planner.md: lower goes first among free steps.
std::string orderKey(const plan::Layer &layer) {
  double p = layer.changeProbability, c = layer.cost;
  if (c <= 0 || p >= 1)
    return p > 0 ? "infinite" : "0";
  return fixed(p / ((1 - p) * c), 6);
}

std::string why(const plan::Layer &layer, bool first) {
  std::string text;
  if (!layer.needs.empty())
    text = "needs " + llvm::join(layer.needs, ", ") + "; ";
  if (layer.cost <= 0)
    return text + "costs nothing to rebuild, so it goes as late as what needs it allows";
  if (first && layer.needs.empty())
    return text + "changes least per second of rebuild work (key " + orderKey(layer) + ")";
  return text + "among the steps free to go here, it has the lowest change rate per second of "
                "rebuild work (key " + orderKey(layer) + ")";
}

std::string orNone(const std::vector<std::string> &list) {
  return list.empty() ? "-" : llvm::join(list, ", ");
}

} // namespace

std::string emitExplain(const plan::Plan &plan, const Options &options) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "Plan for " << plan.name << " from " << plan.specPath << " (dialect "
     << toString(options.dialect) << ")\n";
  os << "Expected rebuild work: " << fixed(plan::expectedRebuildSeconds(plan), 2) << " s per commit\n";
  for (const plan::Stage &stage : plan.stages) {
    os << "\nstage " << stage.name << " from " << stage.from << ": " << stage.purpose << "\n";
    os << "  expected rebuild work " << fixed(plan::expectedRebuildSeconds(stage), 2) << " s per commit\n";
    for (size_t i = 0; i < stage.layers.size(); ++i) {
      const plan::Layer &layer = stage.layers[i];
      os << "  " << i + 1 << ". " << layer.what << "\n";
      os << "     changes " << plan::toString(layer.changeClass) << ": "
         << fixed(layer.changeProbability, 4) << " per commit ("
         << llvm::join(layer.rateSources, ", ") << "); rebuilt in "
         << fixed(100 * layer.rebuildProbability, 2) << "% of commits\n";
      os << "     cost " << fixed(layer.cost, 1) << " s; expected "
         << fixed(plan::expectedRebuildSeconds(layer), 3) << " s per commit\n";
      os << "     reads " << orNone(layer.inputs) << "\n";
      os << "     why here: " << why(layer, i == 0) << "\n";
    }
  }
  return text;
}

std::string emitExplainJson(const plan::Plan &plan, const Options &options) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os, /*IndentSize=*/2);
  auto number = [&](llvm::StringRef key, double value, int decimals) {
    json.attributeBegin(key);
    json.rawValue(fixed(value, decimals));
    json.attributeEnd();
  };
  auto strings = [&](llvm::StringRef key, const std::vector<std::string> &list) {
    json.attributeArray(key, [&] {
      for (const std::string &item : list)
        json.value(item);
    });
  };
  json.object([&] {
    json.attribute("name", plan.name);
    json.attribute("spec", plan.specPath);
    json.attribute("dialect", toString(options.dialect));
    number("expectedRebuildSeconds", plan::expectedRebuildSeconds(plan), 3);
    json.attributeArray("stages", [&] {
      for (const plan::Stage &stage : plan.stages) {
        json.object([&] {
          json.attribute("name", stage.name);
          json.attribute("from", stage.from);
          json.attribute("purpose", stage.purpose);
          number("expectedRebuildSeconds", plan::expectedRebuildSeconds(stage), 3);
          json.attributeArray("layers", [&] {
            for (size_t i = 0; i < stage.layers.size(); ++i) {
              const plan::Layer &layer = stage.layers[i];
              json.object([&] {
                json.attribute("index", int64_t(i + 1));
                json.attribute("what", layer.what);
                strings("kinds", layer.kinds);
                json.attribute("changeClass", plan::toString(layer.changeClass));
                number("changeProbability", layer.changeProbability, 4);
                strings("rateSources", layer.rateSources);
                number("rebuildProbability", layer.rebuildProbability, 4);
                number("costSeconds", layer.cost, 1);
                number("expectedRebuildSeconds", plan::expectedRebuildSeconds(layer), 3);
                strings("inputs", layer.inputs);
                strings("needs", layer.needs);
                json.attribute("why", why(layer, i == 0));
              });
            }
          });
        });
      }
    });
  });
  os << "\n";
  return text;
}

} // namespace imageplan::backends
