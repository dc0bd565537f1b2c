// How long the whole compiler takes (parse, check, plan, render the
// Dockerfile) on specs of 10 to 10,000 custom steps with random DAG
// dependencies. Run: build/bench/imageplan_plan_benchmark (docs/performance.md).
#include "backends/Backend.h"
#include "dsl/Parser.h"
#include "planner/Planner.h"

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <sys/resource.h>

namespace {

using namespace imageplan;

/// A spec with `steps` custom steps; each runs after up to three earlier ones,
/// chosen at random with a fixed seed, and reads a file of its own.
std::string makeSpec(unsigned steps) {
  std::mt19937 random(steps);
  std::string yaml = "imageplan: 1\nname: bench\nbase: {image: \"python:3.11-slim\"}\n"
                     "python: {packages: [numpy==1.26.4]}\n"
                     "app: {copy: [app/]}\nsteps:\n";
  for (unsigned i = 0; i < steps; ++i) {
    yaml += "  - name: s" + std::to_string(i) + "\n    run: make s" + std::to_string(i) +
            "\n    inputs: [src/s" + std::to_string(i) + ".txt]\n    changes: " +
            std::to_string((1 + random() % 50) / 100.0) + "\n    cost: " +
            std::to_string(1 + random() % 120) + "\n";
    if (i == 0)
      continue;
    yaml += "    after: [";
    unsigned count = random() % 4;
    for (unsigned k = 0; k < count; ++k)
      yaml += (k ? ", s" : "s") + std::to_string(random() % i);
    yaml += "]\n";
  }
  return yaml;
}

void BM_GenerateDockerfile(benchmark::State &state) {
  std::string yaml = makeSpec(static_cast<unsigned>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string diagnostics;
    llvm::raw_string_ostream os(diagnostics);
    readers::DiagnosticEngine diags(os);
    unsigned buffer = diags.addBuffer(yaml, "bench.yaml");
    llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, buffer, "bench.yaml");
    if (!spec) {
      llvm::consumeError(spec.takeError());
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
    bytes = dockerfile.size();
    benchmark::DoNotOptimize(dockerfile.data());
  }
  state.SetComplexityN(state.range(0));
  state.counters["dockerfile_bytes"] = static_cast<double>(bytes);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

BENCHMARK(BM_GenerateDockerfile)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oNLogN);

} // namespace

BENCHMARK_MAIN();
