// Test support for the planner's unit tests: a spec parsed from YAML text,
// kept with the diagnostics engine that owns its buffer (every location points
// into it) and the text that engine printed; the builder and runtime stages
// that buildGraph would add for it; and whole plans with ways to look into
// their stages.
#pragma once

#include "dsl/Parser.h"
#include "dsl/Spec.h"
#include "planner/GraphInputs.h"
#include "planner/Plan.h"
#include "planner/Planner.h"
#include "planner/StageNodes.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/StringRef.h"
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
    runtime = addRuntimeStage(graph, parsed.diags, in, {builder, {}, {}, {}, {}});
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

/// A plan of a spec, or none with what was printed instead.
struct Planned {
  std::string diagnostics;
  std::optional<plan::Plan> plan;
};

inline Planned planFor(llvm::StringRef yaml, PlanOptions options = {}) {
  Planned result;
  llvm::raw_string_ostream os(result.diagnostics);
  readers::DiagnosticEngine diags(os);
  unsigned buffer = diags.addBuffer(yaml, "spec.yaml");
  llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, buffer, "spec.yaml");
  if (!spec) {
    llvm::consumeError(spec.takeError());
    return result;
  }
  llvm::Expected<plan::Plan> plan = buildPlan(diags, *spec, options);
  if (!plan) {
    llvm::consumeError(plan.takeError());
    return result;
  }
  result.plan = std::move(*plan);
  return result;
}

inline std::vector<std::string> layerNames(const plan::Stage &stage) {
  std::vector<std::string> names;
  for (const plan::Layer &layer : stage.layers)
    names.push_back(layer.what);
  return names;
}

inline const plan::Stage &stageNamed(const plan::Plan &plan, llvm::StringRef name) {
  for (const plan::Stage &stage : plan.stages)
    if (stage.name == name)
      return stage;
  ADD_FAILURE() << "no stage " << name.str();
  return plan.stages.front();
}

// The first op of type T in a layer of `stage`, or null.
template <typename T> const T *findOp(const plan::Stage &stage) {
  for (const plan::Layer &layer : stage.layers)
    for (const plan::Op &op : layer.ops)
      if (const T *found = std::get_if<T>(&op))
        return found;
  return nullptr;
}

inline size_t layerIndex(const plan::Stage &stage, llvm::StringRef what) {
  for (size_t i = 0; i < stage.layers.size(); ++i)
    if (llvm::StringRef(stage.layers[i].what).contains(what))
      return i;
  ADD_FAILURE() << "no layer " << what.str();
  return stage.layers.size();
}

/// Every operation of a kind in a stage, in plan order.
template <typename T> std::vector<T> opsOf(const plan::Stage &stage) {
  std::vector<T> found;
  for (const plan::Layer &layer : stage.layers)
    for (const plan::Op &op : layer.ops)
      if (const T *typed = std::get_if<T>(&op))
        found.push_back(*typed);
  return found;
}

} // namespace imageplan::planner
