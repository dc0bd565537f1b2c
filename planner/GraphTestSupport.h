// Test support for the graph's unit tests: a spec parsed from YAML text, kept
// with the diagnostics engine that owns its buffer (every location points
// into it) and the text that engine printed; and the builder and runtime
// stages that buildGraph would add for it.
#pragma once

#include "dsl/Parser.h"
#include "dsl/Spec.h"
#include "planner/GraphInputs.h"
#include "planner/Planner.h"
#include "planner/StageNodes.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace imageplan::planner {

struct TestSpec {
  explicit TestSpec(llvm::StringRef yaml) {
    unsigned buffer = diags.addBuffer(yaml, "spec.yaml");
    llvm::Expected<dsl::Spec> parsed = dsl::parseSpec(diags, buffer, "spec.yaml");
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      ADD_FAILURE() << printed;
      return;
    }
    spec = std::move(*parsed);
  }

  std::string printed; // every diagnostic so far, as the user sees it
  llvm::raw_string_ostream os{printed};
  readers::DiagnosticEngine diags{os};
  std::optional<dsl::Spec> spec;
};

/// The builder and runtime stages of `yaml`, as buildGraph adds them.
struct TestStages {
  explicit TestStages(llvm::StringRef yaml) : parsed(yaml) {
    if (!parsed.spec)
      return;
    GraphInputs in = graphInputs(parsed.diags, *parsed.spec, PlanOptions{});
    if (needsBuilder(in))
      builder = addBuilderStage(graph, in);
    runtime = addRuntimeStage(graph, parsed.diags, in, {builder, {}, {}, {}});
  }

  std::string name(std::optional<unsigned> id) const {
    return id ? graph.nodes[*id].name : "(none)";
  }

  /// The nodes `id` needs, in the order its edges were added.
  std::vector<std::string> needed(unsigned id) const {
    std::vector<std::string> names;
    for (auto [it, end] = boost::in_edges(id, graph.graph); it != end; ++it)
      names.push_back(graph.nodes[boost::source(*it, graph.graph)].name);
    return names;
  }

  unsigned named(llvm::StringRef name) const {
    for (const Node &node : graph.nodes)
      if (node.name == name)
        return node.id;
    ADD_FAILURE() << "no node " << name.str();
    return 0;
  }

  TestSpec parsed;
  BuildGraph graph;
  std::optional<StageAnchors> builder;
  StageAnchors runtime;
};

} // namespace imageplan::planner
