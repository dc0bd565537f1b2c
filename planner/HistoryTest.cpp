// Which context paths a changed file touches, and what measured change rates
// do to the plan.
#include "planner/History.h"
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
