// parseLock: imageplan.lock text to dsl::Lock, with the spec's YAML reader,
// so a hand-edited lock gets the same located diagnostics as a spec.
#include "dsl/Lock.h"

#include "dsl/YamlLoad.h"
#include "dsl/YamlReader.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <climits>

namespace imageplan::dsl {
namespace {

std::string checkCommit(llvm::StringRef v) {
  return isCommitId(v) ? "" : "expected a commit: 40 lowercase hex digits";
}
const ValueRule commitRule{"commit", checkCommit};

std::string checkSource(llvm::StringRef v) { return checkOneOf(v, {"user"}); }
const ValueRule sourceRule{"source", checkSource};

class LockParser {
public:
  LockParser(YamlReader &reader, Lock &lock) : r(reader), lock(lock) {}

  void readTop(const YAML::Node &root, llvm::SMLoc loc) {
    r.readMapping(root, loc,
                  {
                      {"lock", [&](const Field &f) { readVersion(f); }, /*required=*/true},
                      {"images", [&](const Field &f) { readImages(f); }},
                      {"models", [&](const Field &f) { readModels(f); }},
                      {"rates", [&](const Field &f) { readRates(f); }},
                  });
  }

private:
  void readVersion(const Field &f) {
    std::optional<LInt> version = r.integer(f, LLONG_MIN, LLONG_MAX, "lock file version");
    if (version && version->value != 1)
      r.diags().error(version->loc, "unsupported lock file version " +
                                        std::to_string(version->value) +
                                        "; this imageplan reads version 1");
  }

  bool bySource(const Field &f) { return r.string(f, &sourceRule).has_value(); }

  void readImages(const Field &field) {
    r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
      LockedImage image;
      image.loc = loc;
      r.readMapping(node, loc,
                    {
                        {"image", [&](const Field &f) { set(image.image, f, rules::baseImage); },
                         /*required=*/true},
                        {"digest", [&](const Field &f) { set(image.digest, f, rules::digest); },
                         /*required=*/true},
                        {"source", [&](const Field &f) { image.byUser = bySource(f); }},
                    });
      if (const LockedImage *earlier = lock.findImage(image.image.value)) {
        r.diags().error(image.image.loc, "image '" + image.image.value + "' is locked twice");
        r.diags().note(earlier->image.loc, "first locked here");
      }
      lock.images.push_back(std::move(image));
    });
  }

  void readModels(const Field &field) {
    r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
      LockedModel model;
      model.loc = loc;
      r.readMapping(
          node, loc,
          {
              {"id", [&](const Field &f) { set(model.id, f, rules::modelId); }, true},
              {"revision", [&](const Field &f) { set(model.revision, f, rules::revision); },
               true},
              {"commit", [&](const Field &f) { set(model.commit, f, commitRule); }, true},
              {"source", [&](const Field &f) { model.byUser = bySource(f); }},
          });
      if (const LockedModel *earlier = lock.findModel(model.id.value, model.revision.value)) {
        r.diags().error(model.id.loc, "model '" + model.id.value + "' at '" +
                                          model.revision.value + "' is locked twice");
        r.diags().note(earlier->id.loc, "first locked here");
      }
      lock.models.push_back(std::move(model));
    });
  }

  void readRates(const Field &field) {
    LockedRates rates;
    rates.loc = field.keyLoc;
    std::optional<KeysSeen> seen = r.readSection(
        field,
        {
            {"history", [&](const Field &f) { setInt(rates.history, f, 1, 100000); }, true},
            {"commits", [&](const Field &f) { setInt(rates.commits, f, 0, 100000); }, true},
            {"tolerance",
             [&](const Field &f) {
               rates.tolerance = r.number(f, 0);
               if (rates.tolerance && rates.tolerance->value > 1)
                 r.diags().error(rates.tolerance->loc, "a tolerance is a difference of rates, "
                                                       "between 0 and 1");
             }},
            {"inputs", [&](const Field &f) { readInputs(f, rates); }},
        });
    if (!seen)
      return;
    for (const LockedInput &input : rates.inputs)
      if (input.changed.value > rates.commits.value)
        r.diags().error(input.changed.loc, "changed in " + std::to_string(input.changed.value) +
                                               " commits of " +
                                               std::to_string(rates.commits.value));
    lock.rates = std::move(rates);
  }

  void readInputs(const Field &field, LockedRates &rates) {
    r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
      LockedInput input;
      input.loc = loc;
      r.readMapping(
          node, loc,
          {
              {"paths", [&](const Field &f) { input.paths = r.stringList(f, &rules::copyPath); },
               true},
              {"exclude",
               [&](const Field &f) { input.exclude = r.stringList(f, &rules::excludePattern); }},
              {"changed", [&](const Field &f) { setInt(input.changed, f, 0, 100000); }, true},
          });
      rates.inputs.push_back(std::move(input));
    });
  }

  void set(LString &out, const Field &f, const ValueRule &rule) {
    if (std::optional<LString> value = r.string(f, &rule))
      out = *value;
  }
  void setInt(LInt &out, const Field &f, long long min, long long max) {
    if (std::optional<LInt> value = r.integer(f, min, max, "number of commits"))
      out = *value;
  }

  YamlReader &r;
  Lock &lock;
};

template <typename T> std::vector<std::string> texts(const std::vector<T> &located) {
  std::vector<std::string> out;
  for (const T &each : located)
    out.push_back(each.value);
  return out;
}

} // namespace

bool isCommitId(llvm::StringRef revision) {
  return revision.size() == 40 &&
         llvm::all_of(revision, [](char c) { return llvm::isDigit(c) || (c >= 'a' && c <= 'f'); });
}

const LockedImage *Lock::findImage(llvm::StringRef image) const {
  auto it = llvm::find_if(images, [&](const LockedImage &i) { return i.image.value == image; });
  return it == images.end() ? nullptr : &*it;
}

const LockedModel *Lock::findModel(llvm::StringRef id, llvm::StringRef revision) const {
  auto it = llvm::find_if(models, [&](const LockedModel &m) {
    return m.id.value == id && m.revision.value == revision;
  });
  return it == models.end() ? nullptr : &*it;
}

const LockedInput *Lock::findInput(llvm::ArrayRef<std::string> paths,
                                   llvm::ArrayRef<std::string> exclude) const {
  if (!rates)
    return nullptr;
  auto it = llvm::find_if(rates->inputs, [&](const LockedInput &input) {
    return llvm::ArrayRef<std::string>(texts(input.paths)) == paths &&
           llvm::ArrayRef<std::string>(texts(input.exclude)) == exclude;
  });
  return it == rates->inputs.end() ? nullptr : &*it;
}

double Lock::tolerance() const {
  return rates && rates->tolerance ? rates->tolerance->value : kDefaultRateTolerance;
}

llvm::Expected<Lock> parseLock(readers::DiagnosticEngine &diags, unsigned bufferId,
                               llvm::StringRef displayPath) {
  unsigned errorsBefore = diags.errorCount();
  YamlReader reader(diags, bufferId);
  Lock lock;
  lock.path = displayPath.str();
  if (std::optional<YAML::Node> root = loadSingleDocument(reader)) {
    try {
      if (!root->IsMap())
        diags.error(reader.locOf(*root, reader.start()),
                    "expected a mapping at the top level of the lock file, got " +
                        describeNode(*root));
      else
        LockParser(reader, lock).readTop(*root, reader.locOf(*root, reader.start()));
    } catch (const YAML::Exception &e) {
      diags.error(reader.locOf(e.mark, reader.start()), "invalid YAML: " + yamlMessage(e));
    }
  }
  if (unsigned errors = diags.errorCount() - errorsBefore)
    return readers::diagnosticsReported(errors);
  return lock;
}

} // namespace imageplan::dsl
