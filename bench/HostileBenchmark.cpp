// How the compiler scales on inputs made to be large (docs/performance.md,
// "Hostile input"): a spec of N labels, parsed, checked, planned and
// rendered with the limits raised so that all N are read, and a Dockerfile
// of N stages, each copying from the one before, parsed and replayed as
// `imageplan score` replays it. Google Benchmark fits each to O(n log n).
// bench/hostile-input.sh runs the same inputs through the binary with the
// default limits and a small stack.
#include "analysis/Score.h"
#include "backends/Backend.h"
#include "dsl/Parser.h"
#include "planner/Planner.h"
#include "readers/DockerfileParser.h"

#include <benchmark/benchmark.h>

#include <string>
#include <sys/resource.h>

namespace {

using namespace imageplan;

void recordPeakRss(benchmark::State &state) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

std::string labelSpec(unsigned labels) {
  std::string yaml = "imageplan: 1\nname: bench\nbase: {image: \"python:3.11-slim\"}\n"
                     "app: {copy: [app/]}\nlabels:\n";
  for (unsigned i = 0; i < labels; ++i)
    yaml += "  org.example.label-" + std::to_string(i) + ": value " + std::to_string(i) + "\n";
  return yaml;
}

void BM_SpecOfLabels(benchmark::State &state) {
  std::string yaml = labelSpec(static_cast<unsigned>(state.range(0)));
  dsl::SpecLimits limits; // raised, so that every label is read
  limits.maxEntries = limits.maxValues = 10000000;
  for (auto _ : state) {
    std::string diagnostics;
    llvm::raw_string_ostream os(diagnostics);
    readers::DiagnosticEngine diags(os);
    unsigned buffer = diags.addBuffer(yaml, "bench.yaml");
    llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, buffer, "bench.yaml", limits);
    if (!spec) {
      llvm::consumeError(spec.takeError());
      state.SkipWithError(diagnostics.c_str());
      return;
    }
    llvm::Error checked = dsl::checkSpec(diags, *spec, "", nullptr);
    if (checked) {
      llvm::consumeError(std::move(checked));
      state.SkipWithError(diagnostics.c_str());
      return;
    }
    llvm::Expected<plan::Plan> plan = planner::buildPlan(diags, *spec);
    if (!plan) {
      llvm::consumeError(plan.takeError());
      state.SkipWithError(diagnostics.c_str());
      return;
    }
    std::string dockerfile = backends::emitDockerfile(*plan);
    benchmark::DoNotOptimize(dockerfile.data());
  }
  state.SetComplexityN(state.range(0));
  recordPeakRss(state);
}

std::string stageChain(unsigned stages) {
  std::string text = "FROM alpine:3.20 AS s0\nCOPY app/ /app/\n";
  for (unsigned i = 1; i < stages; ++i)
    text += "FROM alpine:3.20 AS s" + std::to_string(i) + "\nCOPY --from=s" +
            std::to_string(i - 1) + " /app /app\n";
  return text;
}

void BM_ScoreStageChain(benchmark::State &state) {
  std::string text = stageChain(static_cast<unsigned>(state.range(0)));
  planner::History history;
  for (int i = 0; i < 10; ++i)
    history.commits.push_back({"c" + std::to_string(i), {"app/main.py", "README.md"}, false});
  for (auto _ : state) {
    std::string diagnostics;
    llvm::raw_string_ostream os(diagnostics);
    readers::DiagnosticEngine diags(os);
    unsigned buffer = diags.addBuffer(text, "Dockerfile");
    std::optional<analysis::Score> score =
        analysis::scoreDockerfileBuffers(diags, buffer, 0, history);
    if (!score) {
      state.SkipWithError(diagnostics.c_str());
      return;
    }
    benchmark::DoNotOptimize(score->expectedSeconds());
  }
  state.SetComplexityN(state.range(0));
  recordPeakRss(state);
}

BENCHMARK(BM_SpecOfLabels)
    ->Arg(10000)
    ->Arg(40000)
    ->Arg(200000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oNLogN);
BENCHMARK(BM_ScoreStageChain)
    ->Arg(20000)
    ->Arg(50000)
    ->Arg(200000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oNLogN);

} // namespace

BENCHMARK_MAIN();
