// Writing imageplan.lock (LockFile.h).
#include "tools/lock/LockFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <tuple>

namespace imageplan::lock {
namespace {

bool isYamlWord(llvm::StringRef text) {
  std::string lower = text.lower();
  for (const char *word : {"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
    if (lower == word)
      return true;
  return false;
}

std::string flowList(const std::vector<std::string> &items) {
  std::vector<std::string> quoted;
  for (const std::string &item : items)
    quoted.push_back(yamlScalar(item));
  return "[" + llvm::join(quoted, ", ") + "]";
}

/// A rate as text for the comment beside it: three decimals, or "-".
std::string rateText(size_t changed, size_t commits) {
  if (commits == 0)
    return "-";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.3f", double(changed) / double(commits));
  return os.str();
}

std::string toleranceText(double tolerance) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.4g", tolerance);
  return os.str();
}

void writeRates(llvm::raw_ostream &os, const Rates &rates) {
  os << "rates:\n"
     << "  history: " << rates.history << "\n"
     << "  commits: " << rates.commits << "\n"
     << "  tolerance: " << toleranceText(rates.tolerance) << "\n";
  std::vector<const planner::InputRate *> inputs;
  for (const planner::InputRate &input : rates.inputs)
    inputs.push_back(&input);
  llvm::sort(inputs, [](const planner::InputRate *a, const planner::InputRate *b) {
    return std::tie(a->paths, a->exclude) < std::tie(b->paths, b->exclude);
  });
  if (inputs.empty()) {
    os << "  inputs: []\n";
    return;
  }
  os << "  inputs:\n";
  for (const planner::InputRate *input : inputs) {
    os << "    - paths: " << flowList(input->paths) << "\n";
    if (!input->exclude.empty())
      os << "      exclude: " << flowList(input->exclude) << "\n";
    os << "      changed: " << input->changed << "  # rate "
       << rateText(input->changed, rates.commits) << "\n";
  }
}

} // namespace

std::string yamlScalar(llvm::StringRef text) {
  bool plain = !text.empty() && llvm::isAlpha(text[0]) && !isYamlWord(text) &&
               llvm::all_of(text, [](char c) {
                 return llvm::isAlnum(c) || llvm::StringRef("._/:@+-").contains(c);
               });
  if (plain)
    return text.str();
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

const ImagePin *LockData::findImage(llvm::StringRef image) const {
  auto it = llvm::find_if(images, [&](const ImagePin &pin) { return pin.image == image; });
  return it == images.end() ? nullptr : &*it;
}

const ModelPin *LockData::findModel(llvm::StringRef id, llvm::StringRef revision) const {
  auto it = llvm::find_if(
      models, [&](const ModelPin &pin) { return pin.id == id && pin.revision == revision; });
  return it == models.end() ? nullptr : &*it;
}

LockData fromLock(const dsl::Lock &lock) {
  LockData data;
  for (const dsl::LockedImage &image : lock.images)
    data.images.push_back({image.image.value, image.digest.value, image.byUser});
  for (const dsl::LockedModel &model : lock.models)
    data.models.push_back(
        {model.id.value, model.revision.value, model.commit.value, model.byUser});
  if (lock.rates) {
    Rates rates;
    rates.history = static_cast<unsigned>(lock.rates->history.value);
    rates.commits = static_cast<size_t>(lock.rates->commits.value);
    rates.tolerance = lock.tolerance();
    for (const dsl::LockedInput &input : lock.rates->inputs) {
      planner::InputRate rate;
      for (const dsl::LString &path : input.paths)
        rate.paths.push_back(path.value);
      for (const dsl::LString &pattern : input.exclude)
        rate.exclude.push_back(pattern.value);
      rate.changed = static_cast<size_t>(input.changed.value);
      rates.inputs.push_back(std::move(rate));
    }
    data.rates = std::move(rates);
  }
  return data;
}

std::string renderLock(const LockData &data, llvm::StringRef specName) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "# What the image tags and model revisions of " << specName
     << " resolved to, and the\n"
        "# change rates measured from its history: `imageplan gen` reads this file,\n"
        "# `imageplan lock` and `imageplan tune` rewrite it. Commit it with the spec.\n"
        "lock: 1\n";
  std::vector<ImagePin> images = data.images;
  llvm::sort(images, [](const ImagePin &a, const ImagePin &b) { return a.image < b.image; });
  if (!images.empty())
    os << "images:\n";
  for (const ImagePin &pin : images) {
    os << "  - image: " << yamlScalar(pin.image) << "\n"
       << "    digest: " << yamlScalar(pin.digest) << "\n";
    if (pin.byUser)
      os << "    source: user\n";
  }
  std::vector<ModelPin> models = data.models;
  llvm::sort(models, [](const ModelPin &a, const ModelPin &b) {
    return std::tie(a.id, a.revision) < std::tie(b.id, b.revision);
  });
  if (!models.empty())
    os << "models:\n";
  for (const ModelPin &pin : models) {
    os << "  - id: " << yamlScalar(pin.id) << "\n"
       << "    revision: " << yamlScalar(pin.revision) << "\n"
       << "    commit: \"" << pin.commit << "\"\n";
    if (pin.byUser)
      os << "    source: user\n";
  }
  if (data.rates)
    writeRates(os, *data.rates);
  return os.str();
}

} // namespace imageplan::lock
