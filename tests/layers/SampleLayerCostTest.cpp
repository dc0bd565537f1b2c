// Layers by cost, for every sample (samples/*/imageplan.yaml, found when the
// test runs): no step that costs minutes (torch, a wheel build, a model
// download; planner::costs::kCostsMinutes) shares a RUN with another step.
// Checked twice: on the plan against the graph's node costs, and through
// `imageplan diff` (analysis::diffPlans over the Dockerfile backend's text,
// as the diff command renders it): each cheap change a spec can take (one
// more system package, build package or app directory) must change the text
// of no layer that costs minutes. And deepseek-ocr's torch install, the case
// that started this, is neither changed nor invalidated by an apt package.
#include "analysis/PlanDiff.h"
#include "backends/Backend.h"
#include "dsl/Parser.h"
#include "planner/Costs.h"
#include "planner/Graph.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"
#include "tests/harness/Samples.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace imageplan {
namespace {

/// The diff of two plans as `imageplan diff` computes it (tools/DiffCommand.cpp).
analysis::PlanDiff diffOf(const plan::Plan &before, const plan::Plan &after) {
  std::vector<backends::DockerfileStageText> a = backends::dockerfileStages(before);
  std::vector<backends::DockerfileStageText> b = backends::dockerfileStages(after);
  auto text = [&](const plan::Plan &p) -> const std::vector<backends::DockerfileStageText> & {
    return &p == &before ? a : b;
  };
  analysis::PlanRenderer render;
  render.stageHeader = [&](const plan::Plan &p, const plan::Stage &s) {
    return text(p).at(&s - p.stages.data()).header;
  };
  render.layerText = [&](const plan::Plan &p, const plan::Stage &s, const plan::Layer &l) {
    return text(p).at(&s - p.stages.data()).layers.at(&l - s.layers.data());
  };
  render.stageSettings = [&](const plan::Plan &p, const plan::Stage &s) {
    return text(p).at(&s - p.stages.data()).settings;
  };
  return analysis::diffPlans(before, after, render);
}

const plan::Layer *layerAt(const plan::Plan &p, llvm::StringRef stage, unsigned index) {
  for (const plan::Stage &s : p.stages)
    if (s.name == stage && index >= 1 && index <= s.layers.size())
      return &s.layers[index - 1];
  return nullptr;
}

/// A cheap change of a spec: what it is, and how to make it (false when the
/// spec has nowhere to make it).
struct CheapChange {
  const char *what;
  std::function<bool(dsl::Spec &)> apply;
};

const std::vector<CheapChange> &cheapChanges() {
  static const std::vector<CheapChange> changes = {
      {"one more system package",
       [](dsl::Spec &spec) {
         spec.system.packages.push_back({"imageplan-probe", {}});
         return true;
       }},
      {"one more build package",
       [](dsl::Spec &spec) {
         if (spec.system.buildPackages.empty())
           return false; // a first one would move the venv into a builder
         spec.system.buildPackages.push_back({"imageplan-probe", {}});
         return true;
       }},
      {"one more app directory",
       [](dsl::Spec &spec) {
         spec.app.dirs.push_back({"imageplan-probe", {}});
         return true;
       }},
  };
  return changes;
}

class SampleLayers : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    dir = GetParam();
    llvm::Expected<unsigned> id = diags.addFile(dir + "/imageplan.yaml", readers::limits::kSpec);
    ASSERT_TRUE(bool(id)) << llvm::toString(id.takeError());
    llvm::Expected<dsl::Spec> parsed = dsl::parseSpec(diags, *id, "imageplan.yaml");
    ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError()) << out;
    spec = std::move(*parsed);
    ASSERT_FALSE(bool(dsl::checkSpec(diags, spec, dir, nullptr))) << out;
    plan = planOf(spec);
  }

  plan::Plan planOf(const dsl::Spec &s) {
    llvm::Expected<plan::Plan> built = planner::buildPlan(diags, s, {});
    EXPECT_TRUE(bool(built)) << (built ? "" : llvm::toString(built.takeError())) << out;
    return built ? std::move(*built) : plan::Plan();
  }

  std::string dir;
  std::string out;
  llvm::raw_string_ostream os{out};
  readers::DiagnosticEngine diags{os};
  dsl::Spec spec;
  plan::Plan plan;
};

TEST_P(SampleLayers, NoStepThatCostsMinutesSharesARun) {
  llvm::Expected<planner::BuildGraph> graph = planner::buildGraph(diags, spec, {});
  ASSERT_TRUE(bool(graph)) << out;
  for (const plan::Stage &stage : plan.stages)
    for (const plan::Layer &layer : stage.layers) {
      if (layer.nodes.size() < 2)
        continue;
      for (unsigned node : layer.nodes)
        EXPECT_LT(graph->nodes.at(node).cost, planner::costs::kCostsMinutes)
            << "stage " << stage.name << " layer '" << layer.what << "' holds "
            << graph->nodes.at(node).name << " (" << graph->nodes.at(node).cost
            << " s) with other steps";
    }
}

TEST_P(SampleLayers, ACheapChangeRewritesNoLayerThatCostsMinutes) {
  unsigned made = 0;
  for (const CheapChange &change : cheapChanges()) {
    dsl::Spec changed = spec;
    if (!change.apply(changed))
      continue;
    ++made;
    plan::Plan after = planOf(changed);
    analysis::PlanDiff diff = diffOf(plan, after);
    unsigned rewritten = 0;
    for (const analysis::StageDiff &stage : diff.stages)
      for (const analysis::LayerDiff &layer : stage.layers) {
        if (layer.change != analysis::Change::Changed &&
            layer.change != analysis::Change::MovedAndChanged &&
            layer.change != analysis::Change::Added)
          continue;
        ++rewritten;
        const plan::Layer *now = layerAt(after, stage.name, layer.newIndex);
        ASSERT_NE(now, nullptr);
        EXPECT_FALSE(now->cost >= planner::costs::kCostsMinutes && now->nodes.size() > 1)
            << change.what << " rewrites stage " << stage.name << " layer '" << now->what
            << "', which costs " << now->cost << " s";
      }
    EXPECT_GT(rewritten, 0u) << change.what << ": the diff sees no change";
  }
  EXPECT_GT(made, 0u);
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleLayers, ::testing::ValuesIn(testsupport::sampleDirs()),
                         testsupport::sampleTestName);

// The case: adding ffmpeg to deepseek-ocr's system packages used to
// share a RUN with torch (layers 1-9 of the runtime, about 4 min 50 s). Now
// the torch install is in the builder, which the diff leaves alone.
TEST(DeepseekLayers, AnAptPackageLeavesTheTorchInstallAlone) {
  std::string out;
  llvm::raw_string_ostream os(out);
  readers::DiagnosticEngine diags(os);
  std::string dir = IMAGEPLAN_SOURCE_DIR "/samples/deepseek-ocr";
  llvm::Expected<unsigned> id = diags.addFile(dir + "/imageplan.yaml", readers::limits::kSpec);
  ASSERT_TRUE(bool(id));
  llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, *id, "imageplan.yaml");
  ASSERT_TRUE(bool(spec)) << out;
  llvm::Expected<plan::Plan> before = planner::buildPlan(diags, *spec, {});
  ASSERT_TRUE(bool(before)) << out;
  spec->system.packages.push_back({"ffmpeg", {}});
  llvm::Expected<plan::Plan> after = planner::buildPlan(diags, *spec, {});
  ASSERT_TRUE(bool(after)) << out;
  analysis::PlanDiff diff = diffOf(*before, *after);
  bool sawTorch = false;
  for (const analysis::StageDiff &stage : diff.stages) {
    for (const analysis::LayerDiff &layer : stage.layers) {
      const plan::Layer *now = layerAt(*after, stage.name, layer.newIndex);
      bool torch = now && llvm::any_of(now->ops, [](const plan::Op &op) {
                     const auto *pip = std::get_if<plan::PipInstall>(&op);
                     return pip && llvm::is_contained(pip->packages, "torch==2.0.1");
                   });
      if (!torch)
        continue;
      sawTorch = true;
      EXPECT_EQ(layer.change, analysis::Change::Same) << stage.name << " " << layer.what;
      EXPECT_TRUE(stage.firstInvalidated == 0 || layer.newIndex < stage.firstInvalidated)
          << "the torch install in stage " << stage.name << " is invalidated";
    }
  }
  EXPECT_TRUE(sawTorch);
}

} // namespace
} // namespace imageplan
