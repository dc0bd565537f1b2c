// Which context paths a changed file touches, the rates history gives the
// graph's nodes, and what measured change rates do to the plan.
#include "planner/History.h"
#include "planner/GraphCore.h"
#include "planner/Planner.h"

#include "dsl/Parser.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

TEST(HistoryTest, CoveredBy) {
  EXPECT_TRUE(coveredBy("app/main.py", "app/"));
  EXPECT_TRUE(coveredBy("app/main.py", "app"));
  EXPECT_TRUE(coveredBy("app/main.py", "./app"));
  EXPECT_TRUE(coveredBy("main.py", "main.py"));
  EXPECT_TRUE(coveredBy("anything/at/all", "."));
  EXPECT_FALSE(coveredBy("application.py", "app"));
  EXPECT_FALSE(coveredBy("app", "app/main.py"));
}

/// A history whose commit k changed `files[k]`.
History historyOf(const std::vector<std::vector<std::string>> &files) {
  History history;
  for (size_t k = 0; k < files.size(); ++k)
    history.commits.push_back({std::to_string(k), files[k], false});
  return history;
}

/// A node that reads `inputs`, at the default rate 0.3.
unsigned addReader(BuildGraph &graph, std::vector<std::string> inputs) {
  Node &node = addNode(graph, NodeKind::AppCopy, "reader", 0, {}, 0.3, 1, {});
  node.inputs = std::move(inputs);
  return node.id;
}

TEST(HistoryTest, NodesThatReadContextFilesGetTheMeasuredRate) {
  BuildGraph graph;
  unsigned app = addReader(graph, {"app/"});
  unsigned requirements = addReader(graph, {"requirements.txt"});
  unsigned none = addReader(graph, {});
  unsigned fixed = addReader(graph, {"lib/"});
  graph.nodes[fixed].changeRate = 0.5;
  graph.nodes[fixed].rateSource = RateSource::Spec;
  applyHistory(graph, historyOf({{"app/main.py"},
                                 {"app/util.py", "requirements.txt"},
                                 {"docs/readme.md"},
                                 {"lib/z.py"}}));
  EXPECT_EQ(graph.commitCount, 4u);
  EXPECT_EQ(graph.nodes[app].changeRate, 0.5);
  EXPECT_EQ(graph.nodes[app].rateSource, RateSource::History);
  EXPECT_EQ(graph.nodes[app].changedIn, (std::vector<uint64_t>{0b0011}));
  EXPECT_EQ(graph.nodes[requirements].changeRate, 0.25);
  EXPECT_EQ(graph.nodes[requirements].changedIn, (std::vector<uint64_t>{0b0010}));
  // Without inputs, or with the spec's own rate, a node keeps what it had.
  EXPECT_EQ(graph.nodes[none].changeRate, 0.3);
  EXPECT_EQ(graph.nodes[none].rateSource, RateSource::Default);
  EXPECT_TRUE(graph.nodes[none].changedIn.empty());
  EXPECT_EQ(graph.nodes[fixed].changeRate, 0.5);
  EXPECT_EQ(graph.nodes[fixed].rateSource, RateSource::Spec);
  EXPECT_TRUE(graph.nodes[fixed].changedIn.empty());
}

TEST(HistoryTest, ExcludedFilesAreNoChange) {
  BuildGraph graph;
  unsigned context = addReader(graph, {"."});
  graph.nodes[context].excludes = {"docs/", "*.md"};
  applyHistory(graph, historyOf({{"docs/guide.txt"}, {"main.py"}, {"notes.md"}}));
  EXPECT_DOUBLE_EQ(graph.nodes[context].changeRate, 1.0 / 3);
  EXPECT_EQ(graph.nodes[context].changedIn, (std::vector<uint64_t>{0b010}));
}

TEST(HistoryTest, CommitsBeyondSixtyFourTakeAnotherWord) {
  std::vector<std::vector<std::string>> files(70, std::vector<std::string>{"other.txt"});
  files[0] = files[64] = files[69] = {"main.py"};
  BuildGraph graph;
  unsigned main = addReader(graph, {"main.py"});
  applyHistory(graph, historyOf(files));
  EXPECT_EQ(graph.commitCount, 70u);
  EXPECT_EQ(graph.nodes[main].changedIn, (std::vector<uint64_t>{1, 0b100001}));
  EXPECT_DOUBLE_EQ(graph.nodes[main].changeRate, 3.0 / 70);
}

TEST(HistoryTest, AnEmptyHistoryChangesNothing) {
  BuildGraph graph;
  unsigned main = addReader(graph, {"main.py"});
  applyHistory(graph, History{});
  EXPECT_EQ(graph.commitCount, 0u);
  EXPECT_EQ(graph.nodes[main].changeRate, 0.3);
  EXPECT_EQ(graph.nodes[main].rateSource, RateSource::Default);
  EXPECT_TRUE(graph.nodes[main].changedIn.empty());
}

constexpr const char *kSpec = R"(imageplan: 1
name: x
base: {image: "python:3.11-slim"}
python: {requirements: [requirements.txt]}
app: {copy: [lib/, main.py]}
)";

std::vector<std::string> runtimeLayers(const History *history) {
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  readers::DiagnosticEngine diags(os);
  unsigned buffer = diags.addBuffer(kSpec, "spec.yaml");
  llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, buffer, "spec.yaml");
  EXPECT_TRUE(bool(spec)) << diagnostics;
  if (!spec) {
    llvm::consumeError(spec.takeError());
    return {};
  }
  PlanOptions options;
  options.history = history;
  llvm::Expected<plan::Plan> plan = buildPlan(diags, *spec, options);
  EXPECT_TRUE(bool(plan)) << diagnostics;
  if (!plan) {
    llvm::consumeError(plan.takeError());
    return {};
  }
  std::vector<std::string> names;
  for (const plan::Layer &layer : plan->stages.back().layers)
    names.push_back(layer.what + " " + layer.rateSources.front());
  return names;
}

TEST(HistoryTest, MeasuredRatesReorderTheApp) {
  // Without history lib/ and main.py are both "app code" and keep the spec's
  // order after the requirements.
  EXPECT_EQ(runtimeLayers(nullptr),
            (std::vector<std::string>{"user app, python venv default",
                                      "requirements.txt default", "workdir /app default",
                                      "app lib/ default", "app main.py default"}));
  // History: main.py changes in every commit, requirements in 1 of 10 and
  // lib/ never, so on these commits lib/ is never rebuilt if it goes first.
  History history;
  for (int k = 0; k < 10; ++k) {
    Commit commit;
    commit.id = std::to_string(k);
    commit.files = {"main.py"};
    if (k == 3)
      commit.files.push_back("requirements.txt");
    history.commits.push_back(commit);
  }
  EXPECT_EQ(runtimeLayers(&history),
            (std::vector<std::string>{"workdir /app default", "app lib/ history",
                                      "user app, python venv default",
                                      "requirements.txt history", "app main.py history"}));
}

} // namespace
} // namespace imageplan::planner
