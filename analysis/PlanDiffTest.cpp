// Tests for diffPlans: matching by stage and `what`, added/removed/moved/
// changed layers and stages, and which cached layers a change invalidates on
// the next build, including through stages that others copy from.
#include "analysis/PlanDiff.h"

#include "llvm/ADT/StringExtras.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

/// A layer whose rendered text is its `what` plus `detail`.
plan::Layer layer(std::string what, double cost, std::string detail = "",
                  std::string copiesFrom = "") {
  plan::Layer l;
  l.what = std::move(what);
  l.cost = cost;
  l.rebuildProbability = 0.5;
  l.inputs = {std::move(detail)};
  if (!copiesFrom.empty())
    l.ops.push_back(plan::CopyStage{copiesFrom, "/out", "/out", ""});
  return l;
}

plan::Stage stage(std::string name, std::string from, std::vector<plan::Layer> layers) {
  plan::Stage s;
  s.name = std::move(name);
  s.from = std::move(from);
  s.layers = std::move(layers);
  return s;
}

const PlanRenderer kRender{
    [](const plan::Plan &, const plan::Stage &, const plan::Layer &l) {
      return l.what + "|" + llvm::join(l.inputs, ",");
    },
    [](const plan::Plan &, const plan::Stage &s) { return "FROM " + s.from; },
    [](const plan::Plan &, const plan::Stage &s) {
      return s.runtime ? llvm::join(s.runtime->cmd, " ") : std::string();
    }};

plan::Plan basePlan() {
  plan::Plan p;
  p.stages = {stage("builder", "debian", {layer("apt", 10), layer("wheels", 600)}),
              stage("runtime", "debian",
                    {layer("venv", 20), layer("requirements.txt", 60),
                     layer("built wheels", 15, "", "builder"), layer("workdir", 0),
                     layer("app app/", 2)})};
  return p;
}

/// "what:change:old:new" for each layer of a stage diff.
std::vector<std::string> layerChanges(const StageDiff &stage) {
  std::vector<std::string> out;
  for (const LayerDiff &l : stage.layers)
    out.push_back(l.what + ":" + toString(l.change) + ":" + std::to_string(l.oldIndex) + ":" +
                  std::to_string(l.newIndex));
  return out;
}

using Strings = std::vector<std::string>;

TEST(PlanDiff, IdenticalPlansChangeNothing) {
  PlanDiff diff = diffPlans(basePlan(), basePlan(), kRender);
  EXPECT_TRUE(diff.unchanged());
  EXPECT_EQ(diff.invalidatedSeconds, 0);
  EXPECT_EQ(diff.stages[1].firstInvalidated, 0u);
  EXPECT_DOUBLE_EQ(diff.oldExpectedSeconds, (10 + 600 + 20 + 60 + 15 + 0 + 2) * 0.5);
  EXPECT_DOUBLE_EQ(diff.newExpectedSeconds, diff.oldExpectedSeconds);
}

TEST(PlanDiff, AChangedLayerInvalidatesItAndEverythingAfter) {
  plan::Plan next = basePlan();
  next.stages[1].layers[1].inputs = {"requirements.txt, requirements-dev.txt"};
  PlanDiff diff = diffPlans(basePlan(), next, kRender);
  EXPECT_FALSE(diff.unchanged());
  EXPECT_EQ(layerChanges(diff.stages[1]),
            (Strings{"venv:unchanged:1:1", "requirements.txt:changed:2:2",
                     "built wheels:unchanged:3:3", "workdir:unchanged:4:4",
                     "app app/:unchanged:5:5"}));
  EXPECT_EQ(diff.stages[0].firstInvalidated, 0u);
  EXPECT_EQ(diff.stages[1].firstInvalidated, 2u);
  EXPECT_EQ(diff.stages[1].layerCount, 5u);
  EXPECT_DOUBLE_EQ(diff.invalidatedSeconds, 60 + 15 + 0 + 2);
}

TEST(PlanDiff, MovesAddsAndRemovals) {
  plan::Plan next = basePlan();
  std::vector<plan::Layer> &layers = next.stages[1].layers;
  // venv, workdir, requirements.txt, app app/, user; "built wheels" removed.
  layers = {layers[0], layers[3], layers[1], layers[4], layer("user", 1)};
  next.stages[1].layers[4].rebuildProbability = 1;
  PlanDiff diff = diffPlans(basePlan(), next, kRender);
  EXPECT_EQ(layerChanges(diff.stages[1]),
            (Strings{"venv:unchanged:1:1", "workdir:moved:4:2", "requirements.txt:unchanged:2:3",
                     "app app/:unchanged:5:4", "user:added:0:5", "built wheels:removed:3:0"}));
  EXPECT_EQ(diff.stages[1].firstInvalidated, 2u);
  EXPECT_DOUBLE_EQ(diff.invalidatedSeconds, 0 + 60 + 2 + 1);
  EXPECT_DOUBLE_EQ(diff.newExpectedSeconds,
                   (10 + 600 + 20 + 0 + 60 + 2) * 0.5 + 1 * 1);
}

TEST(PlanDiff, LeftOverLayersOfTheSameKindMatch) {
  plan::Plan first = basePlan();
  first.stages[0].layers[1].what = "wheels: flash-attn==2.3.6";
  plan::Plan next = first;
  next.stages[0].layers[1].what = "wheels: flash-attn==2.5.8";
  next.stages[1].layers[3].what = "workdir /srv"; // no kind: added and removed
  PlanDiff diff = diffPlans(first, next, kRender);
  EXPECT_EQ(layerChanges(diff.stages[0]),
            (Strings{"apt:unchanged:1:1", "wheels: flash-attn==2.5.8:changed:2:2"}));
  EXPECT_EQ(diff.stages[0].layers[1].oldWhat, "wheels: flash-attn==2.3.6");
  EXPECT_EQ(diff.stages[0].layers[0].oldWhat, "");
  EXPECT_EQ(layerChanges(diff.stages[1])[3], "workdir /srv:added:0:4");
  EXPECT_EQ(layerChanges(diff.stages[1]).back(), "workdir:removed:4:0");
}

TEST(PlanDiff, DroppingTheLastLayerKeepsTheCache) {
  plan::Plan next = basePlan();
  next.stages[1].layers.pop_back();
  PlanDiff diff = diffPlans(basePlan(), next, kRender);
  EXPECT_EQ(diff.stages[1].firstInvalidated, 0u);
  EXPECT_EQ(diff.invalidatedSeconds, 0);
  EXPECT_EQ(layerChanges(diff.stages[1]).back(), "app app/:removed:5:0");
}

TEST(PlanDiff, AChangedStageInvalidatesWhatCopiesFromIt) {
  plan::Plan next = basePlan();
  next.stages[0].layers[1].inputs = {"flash-attn==2.5.0"};
  PlanDiff diff = diffPlans(basePlan(), next, kRender);
  EXPECT_EQ(diff.stages[0].firstInvalidated, 2u);
  EXPECT_EQ(diff.stages[1].firstInvalidated, 3u) << "built wheels copies from builder";
  EXPECT_EQ(diff.stages[1].change, Change::Same);
  EXPECT_DOUBLE_EQ(diff.invalidatedSeconds, 600 + 15 + 0 + 2);
}

TEST(PlanDiff, StagesAddedRemovedMovedAndRebased) {
  plan::Plan next = basePlan();
  next.stages[1].from = "debian:12";
  next.stages.insert(next.stages.begin(), stage("model-x", "debian", {layer("download", 600)}));
  std::swap(next.stages[1], next.stages[2]); // runtime before builder now
  next.stages.erase(next.stages.begin() + 2);   // builder removed
  PlanDiff diff = diffPlans(basePlan(), next, kRender);
  ASSERT_EQ(diff.stages.size(), 3u);
  EXPECT_EQ(diff.stages[0].name, "model-x");
  EXPECT_EQ(diff.stages[0].change, Change::Added);
  EXPECT_EQ(diff.stages[0].firstInvalidated, 1u);
  EXPECT_EQ(diff.stages[1].name, "runtime");
  EXPECT_EQ(diff.stages[1].change, Change::Changed);
  EXPECT_EQ(diff.stages[1].oldFrom, "debian");
  EXPECT_EQ(diff.stages[1].newFrom, "debian:12");
  EXPECT_EQ(diff.stages[1].firstInvalidated, 1u);
  EXPECT_EQ(diff.stages[2].name, "builder");
  EXPECT_EQ(diff.stages[2].change, Change::Removed);
  EXPECT_EQ(layerChanges(diff.stages[2]), (Strings{"apt:removed:1:0", "wheels:removed:2:0"}));
}

TEST(PlanDiff, ImageSettingsAreAChangeThatKeepsTheCache) {
  plan::Plan first = basePlan();
  first.stages[1].runtime = plan::RuntimeConfig();
  first.stages[1].runtime->cmd = {"python", "-m", "app"};
  plan::Plan next = first;
  next.stages[1].runtime->cmd = {"gunicorn", "app:app"};
  PlanDiff diff = diffPlans(first, next, kRender);
  EXPECT_FALSE(diff.unchanged());
  EXPECT_TRUE(diff.stages[1].settingsChanged);
  EXPECT_EQ(diff.stages[1].change, Change::Same);
  EXPECT_EQ(diff.invalidatedSeconds, 0);
}

TEST(PlanDiff, ReorderedStagesAreMoved) {
  plan::Plan first = basePlan();
  first.stages.push_back(stage("model-x", "debian", {layer("download", 600)}));
  plan::Plan next = first;
  std::swap(next.stages[1], next.stages[2]);
  PlanDiff diff = diffPlans(first, next, kRender);
  EXPECT_EQ(diff.stages[0].change, Change::Same);
  // One longest common subsequence keeps builder and runtime, so model-x moved.
  EXPECT_EQ(diff.stages[1].name, "model-x");
  EXPECT_EQ(diff.stages[1].change, Change::Moved);
  EXPECT_EQ(diff.stages[2].change, Change::Same);
  EXPECT_EQ(diff.invalidatedSeconds, 0) << "stage order alone invalidates no cache";
}

} // namespace
} // namespace imageplan::analysis
