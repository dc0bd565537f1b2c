// Plan comparison: stages matched by name, layers by (stage, what), moves
// found as what falls outside a longest common subsequence of the matched
// layers, and the cache a change invalidates replayed the way BuildKit reuses
// it: a layer keeps its cache only while its stage header, every layer before
// it and the stages it reads from are unchanged.
#include "analysis/PlanDiff.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

namespace imageplan::analysis {
namespace {

/// For each element of `b`, whether it belongs to one longest common
/// subsequence of `a` and `b` (sequences of distinct ids); ties are broken
/// the same way every time.
std::vector<bool> inCommonSubsequence(const std::vector<int> &a, const std::vector<int> &b) {
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<unsigned>> len(n + 1, std::vector<unsigned>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      len[i][j] = a[i] == b[j] ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
  std::vector<bool> kept(m, false);
  for (size_t i = 0, j = 0; i < n && j < m;) {
    if (a[i] == b[j]) {
      kept[j] = true;
      ++i, ++j;
    } else if (len[i + 1][j] > len[i][j + 1]) {
      ++i; // on a tie the new sequence's element is skipped: the old order is kept
    } else {
      ++j;
    }
  }
  return kept;
}

/// Each item's key with its occurrence number, so that repeated keys match
/// first to first, second to second.
template <typename T, typename KeyFn>
std::vector<std::string> occurrenceKeys(const std::vector<T> &items, KeyFn key) {
  std::vector<std::string> keys;
  for (const T &item : items) {
    std::string base = key(item);
    size_t seen = llvm::count_if(keys, [&](const std::string &k) {
      return llvm::StringRef(k).startswith(base + "\x1f");
    });
    keys.push_back(base + "\x1f" + std::to_string(seen));
  }
  return keys;
}

int indexOf(const std::vector<std::string> &keys, const std::string &key) {
  auto it = llvm::find(keys, key);
  return it == keys.end() ? -1 : static_cast<int>(it - keys.begin());
}

Change combine(bool moved, bool changed) {
  if (moved && changed)
    return Change::MovedAndChanged;
  if (moved)
    return Change::Moved;
  return changed ? Change::Changed : Change::Same;
}

/// The stages a layer reads from besides its own: COPY --from and the bind
/// mounts of wheels, pins and poetry.
std::vector<std::string> stagesReadBy(const plan::Layer &layer) {
  std::vector<std::string> names;
  for (const plan::Op &op : layer.ops)
    llvm::append_range(names, plan::stagesRead(op));
  return names;
}

/// What a layer is, without its details: "wheels: flash-attn==2.3.6" -> "wheels".
llvm::StringRef kindOf(llvm::StringRef what) { return what.split(": ").first; }

/// For each new layer, the old layer it matches, or -1. Layers match by
/// `what` (the k-th repeat to the k-th); then a layer left over on each side
/// with the same kind, alone of that kind on both sides, matches too, so that
/// "wheels: flash-attn==2.5.8" is the changed "wheels: flash-attn==2.3.6".
std::vector<int> matchLayers(const std::vector<plan::Layer> &oldLayers,
                             const std::vector<plan::Layer> &newLayers) {
  auto what = [](const plan::Layer &layer) { return layer.what; };
  std::vector<std::string> oldKeys = occurrenceKeys(oldLayers, what);
  std::vector<std::string> newKeys = occurrenceKeys(newLayers, what);
  std::vector<int> newToOld;
  for (const std::string &key : newKeys)
    newToOld.push_back(indexOf(oldKeys, key));
  auto leftOver = [&](const std::vector<plan::Layer> &layers, llvm::StringRef kind,
                      auto isFree) {
    std::vector<int> found;
    for (size_t i = 0; i < layers.size(); ++i)
      if (isFree(i) && kindOf(layers[i].what) == kind)
        found.push_back(static_cast<int>(i));
    return found;
  };
  auto oldFree = [&](size_t o) { return !llvm::is_contained(newToOld, static_cast<int>(o)); };
  auto newFree = [&](size_t n) { return newToOld[n] < 0; };
  for (size_t n = 0; n < newLayers.size(); ++n) {
    if (newToOld[n] >= 0)
      continue;
    llvm::StringRef kind = kindOf(newLayers[n].what);
    std::vector<int> olds = leftOver(oldLayers, kind, oldFree);
    if (olds.size() == 1 && leftOver(newLayers, kind, newFree).size() == 1)
      newToOld[n] = olds.front();
  }
  return newToOld;
}

class Differ {
public:
  Differ(const plan::Plan &oldPlan, const plan::Plan &newPlan, const PlanRenderer &render)
      : oldPlan(oldPlan), newPlan(newPlan), render(render) {}

  PlanDiff run() {
    PlanDiff diff;
    diff.oldExpectedSeconds = plan::expectedRebuildSeconds(oldPlan);
    diff.newExpectedSeconds = plan::expectedRebuildSeconds(newPlan);
    auto name = [](const plan::Stage &stage) { return stage.name; };
    std::vector<std::string> oldKeys = occurrenceKeys(oldPlan.stages, name);
    std::vector<std::string> newKeys = occurrenceKeys(newPlan.stages, name);
    std::vector<int> oldOrder, newOrder;
    for (size_t i = 0; i < oldKeys.size(); ++i)
      if (indexOf(newKeys, oldKeys[i]) >= 0)
        oldOrder.push_back(static_cast<int>(i));
    for (const std::string &key : newKeys)
      if (int o = indexOf(oldKeys, key); o >= 0)
        newOrder.push_back(o);
    std::vector<bool> kept = inCommonSubsequence(oldOrder, newOrder);

    invalid.assign(newPlan.stages.size(), -1);
    firstInvalidated.assign(newPlan.stages.size(), 0);
    matchOf.clear();
    for (const std::string &key : newKeys)
      matchOf.push_back(indexOf(oldKeys, key));
    for (size_t s = 0; s < newPlan.stages.size(); ++s)
      settle(s);

    size_t matched = 0;
    for (size_t s = 0; s < newPlan.stages.size(); ++s) {
      StageDiff stage = diffStage(s);
      if (matchOf[s] >= 0) {
        bool moved = !kept[matched++];
        bool changed = stage.change == Change::Changed;
        stage.change = combine(moved, changed);
      }
      diff.invalidatedSeconds += stage.invalidatedSeconds;
      diff.stages.push_back(std::move(stage));
    }
    for (size_t o = 0; o < oldPlan.stages.size(); ++o) {
      if (indexOf(newKeys, oldKeys[o]) >= 0)
        continue;
      const plan::Stage &old = oldPlan.stages[o];
      StageDiff stage;
      stage.name = old.name;
      stage.change = Change::Removed;
      stage.oldFrom = old.from;
      stage.oldIndex = o + 1;
      for (size_t l = 0; l < old.layers.size(); ++l)
        stage.layers.push_back(
            {old.layers[l].what, Change::Removed, unsigned(l + 1), 0, old.layers[l].cost, ""});
      diff.stages.push_back(std::move(stage));
    }
    return diff;
  }

private:
  int stageIndex(const std::string &name) const {
    for (size_t s = 0; s < newPlan.stages.size(); ++s)
      if (newPlan.stages[s].name == name)
        return static_cast<int>(s);
    return -1;
  }

  bool stageInvalid(const std::string &name) {
    int s = stageIndex(name);
    if (s < 0)
      return false; // an image, not a stage of the plan
    settle(s);
    return invalid[s] != 0;
  }

  /// Decides which layers of new stage `s` lose their cache, after the
  /// stages it reads from.
  void settle(size_t s) {
    if (invalid[s] != -1)
      return;
    invalid[s] = 0; // a stage reading from itself never recurses forever
    const plan::Stage &stage = newPlan.stages[s];
    const plan::Stage *old = matchOf[s] >= 0 ? &oldPlan.stages[matchOf[s]] : nullptr;
    bool broken = !old || oldHeader(*old) != newHeader(stage) ||
                  (stage.fromStage && stageInvalid(stage.from));
    unsigned first = 0;
    for (size_t l = 0; l < stage.layers.size() && !first; ++l) {
      const plan::Layer &layer = stage.layers[l];
      bool cached = !broken && l < old->layers.size() &&
                    oldText(*old, old->layers[l]) == newText(stage, layer) &&
                    llvm::none_of(stagesReadBy(layer),
                                  [&](const std::string &from) { return stageInvalid(from); });
      if (!cached)
        first = l + 1;
    }
    firstInvalidated[s] = first;
    invalid[s] = broken || first != 0;
  }

  StageDiff diffStage(size_t s) {
    const plan::Stage &stage = newPlan.stages[s];
    StageDiff out;
    out.name = stage.name;
    out.newFrom = stage.from;
    out.newIndex = s + 1;
    out.layerCount = stage.layers.size();
    out.firstInvalidated = firstInvalidated[s];
    for (size_t l = out.firstInvalidated ? out.firstInvalidated - 1 : stage.layers.size();
         l < stage.layers.size(); ++l)
      out.invalidatedSeconds += stage.layers[l].cost;
    if (matchOf[s] < 0) {
      out.change = Change::Added;
      for (size_t l = 0; l < stage.layers.size(); ++l)
        out.layers.push_back({stage.layers[l].what, Change::Added, 0, unsigned(l + 1),
                              stage.layers[l].cost, ""});
      return out;
    }
    const plan::Stage &old = oldPlan.stages[matchOf[s]];
    out.oldFrom = old.from;
    out.oldIndex = matchOf[s] + 1;
    if (oldHeader(old) != newHeader(stage))
      out.change = Change::Changed;
    out.settingsChanged =
        render.stageSettings(oldPlan, old) != render.stageSettings(newPlan, stage);

    std::vector<int> newToOld = matchLayers(old.layers, stage.layers);
    std::vector<int> oldOrder, newOrder;
    for (size_t o = 0; o < old.layers.size(); ++o)
      if (llvm::is_contained(newToOld, static_cast<int>(o)))
        oldOrder.push_back(static_cast<int>(o));
    for (int o : newToOld)
      if (o >= 0)
        newOrder.push_back(o);
    std::vector<bool> kept = inCommonSubsequence(oldOrder, newOrder);
    size_t matched = 0;
    for (size_t l = 0; l < stage.layers.size(); ++l) {
      const plan::Layer &layer = stage.layers[l];
      int o = newToOld[l];
      if (o < 0) {
        out.layers.push_back({layer.what, Change::Added, 0, unsigned(l + 1), layer.cost, ""});
        continue;
      }
      const plan::Layer &before = old.layers[o];
      bool moved = !kept[matched++];
      bool changed = oldText(old, before) != newText(stage, layer);
      out.layers.push_back({layer.what, combine(moved, changed), unsigned(o + 1),
                            unsigned(l + 1), layer.cost,
                            before.what == layer.what ? "" : before.what});
    }
    for (size_t o = 0; o < old.layers.size(); ++o)
      if (!llvm::is_contained(newToOld, static_cast<int>(o)))
        out.layers.push_back(
            {old.layers[o].what, Change::Removed, unsigned(o + 1), 0, old.layers[o].cost, ""});
    return out;
  }

  std::string oldText(const plan::Stage &stage, const plan::Layer &layer) const {
    return render.layerText(oldPlan, stage, layer);
  }
  std::string newText(const plan::Stage &stage, const plan::Layer &layer) const {
    return render.layerText(newPlan, stage, layer);
  }
  std::string oldHeader(const plan::Stage &stage) const {
    return render.stageHeader(oldPlan, stage);
  }
  std::string newHeader(const plan::Stage &stage) const {
    return render.stageHeader(newPlan, stage);
  }

  const plan::Plan &oldPlan;
  const plan::Plan &newPlan;
  const PlanRenderer &render;
  std::vector<int> matchOf;          // new stage -> old stage index, or -1
  std::vector<int> invalid;          // new stage: -1 unknown, 0 cached, 1 invalidated
  std::vector<unsigned> firstInvalidated;
};

} // namespace

const char *toString(Change change) {
  switch (change) {
  case Change::Same:
    return "unchanged";
  case Change::Added:
    return "added";
  case Change::Removed:
    return "removed";
  case Change::Moved:
    return "moved";
  case Change::Changed:
    return "changed";
  case Change::MovedAndChanged:
    return "moved and changed";
  }
  return "unchanged";
}

bool PlanDiff::unchanged() const {
  return llvm::all_of(stages, [](const StageDiff &stage) {
    return stage.change == Change::Same && !stage.settingsChanged &&
           llvm::all_of(stage.layers,
                        [](const LayerDiff &layer) { return layer.change == Change::Same; });
  });
}

PlanDiff diffPlans(const plan::Plan &oldPlan, const plan::Plan &newPlan,
                   const PlanRenderer &render) {
  return Differ(oldPlan, newPlan, render).run();
}

} // namespace imageplan::analysis
