// Custom step nodes, their edges and output copies (StepNodes.h).
#include "planner/StepNodes.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {
namespace {

void addAfter(BuildGraph &graph, StepIndex &steps, unsigned from, unsigned to, llvm::SMLoc loc) {
  addEdge(graph, from, to);
  steps.afterLocs[{from, to}] = loc;
}

/// A runtime step that runs after a builder step: it needs what that step
/// produced, so its edges come from the copies of the builder step's outputs.
struct PendingAfter {
  const dsl::StepSpec *step;
  const dsl::LString *target;
  unsigned node;
};

/// The edges of the top-level steps, once every step has its node: first
/// each step's edges, then the output copies, which the runtime steps that
/// run after a builder step wait for.
class StepWiring {
public:
  StepWiring(BuildGraph &graph, readers::DiagnosticEngine &diags,
             const std::optional<StageAnchors> &builder, const StageAnchors &runtime,
             StepIndex &steps)
      : graph(graph), diags(diags), builder(builder), runtime(runtime), steps(steps),
        groups(groupIndex(graph)) {}

  void addEdges(const dsl::StepSpec &step) {
    unsigned id = steps.nodes.at(step.name.value);
    unsigned stage = graph.nodes[id].stage;
    // A step runs with its stage's system and Python dependencies installed
    // (those of `needs`, when given), in its stage's workdir, with the app
    // environment set.
    std::vector<std::string> needed = {"system", "python"};
    if (step.needs)
      needed = values(*step.needs);
    for (const std::string &group : needed)
      for (unsigned member : members(group, stage))
        addEdge(graph, member, id);
    const StageAnchors &here = stage == runtime.stage ? runtime : *builder;
    needs(graph, graph.nodes[id], here.env);
    needs(graph, graph.nodes[id], here.workdir);
    for (const dsl::LString &target : step.after)
      addAfterEdge(step, id, stage, target);
  }

  void addOutputs(const dsl::StepSpec &step) {
    unsigned id = steps.nodes.at(step.name.value);
    std::vector<unsigned> copies;
    for (const dsl::LString &output : step.outputs) {
      Node &copy =
          addNode(graph, NodeKind::StageArtifact, output.value + " from " + step.name.value,
                  runtime.stage, output.loc, 0, costs::kArtifactCopy,
                  {plan::CopyStage{kBuilderStage, output.value, output.value, ""}});
      if (builder)
        copy.consumesStage = builder->stage;
      addEdge(graph, id, copy.id);
      copies.push_back(copy.id);
    }
    for (const PendingAfter &after : pending) {
      if (after.target->value != step.name.value)
        continue;
      if (copies.empty())
        diags.error(after.target->loc,
                    "step '" + after.step->name.value + "' runs after builder step '" +
                        step.name.value +
                        "', which has no 'outputs' to copy into the runtime stage");
      for (unsigned copy : copies)
        addEdge(graph, copy, after.node);
    }
  }

private:
  const std::vector<unsigned> &members(llvm::StringRef group, unsigned stage) const {
    static const std::vector<unsigned> none;
    auto found = groups.find({group.str(), stage});
    return found == groups.end() ? none : found->second;
  }

  void addAfterEdge(const dsl::StepSpec &step, unsigned id, unsigned stage,
                    const dsl::LString &target) {
    auto found = steps.nodes.find(target.value);
    if (found != steps.nodes.end()) {
      unsigned dependency = found->second;
      if (graph.nodes[dependency].stage == stage) {
        addAfter(graph, steps, dependency, id, target.loc);
        return;
      }
      if (builder && stage == builder->stage) {
        diags.error(target.loc, "step '" + step.name.value +
                                    "' runs in stage 'builder' and "
                                    "cannot run after '" +
                                    target.value + "', which runs in stage 'runtime'");
        return;
      }
      pending.push_back({&step, &target, id});
      return;
    }
    const std::vector<unsigned> &targets = members(target.value, stage);
    if (targets.empty()) {
      // Unknown names were reported by checkSpec; this is a group with
      // nothing in the step's stage.
      if (llvm::is_contained(dsl::kBuiltinGroups, target.value))
        diags.error(target.loc, "'" + target.value + "' has nothing in stage '" +
                                    graph.stages[stage].name + "' for step '" + step.name.value +
                                    "' to run after");
      return;
    }
    for (unsigned member : targets)
      addEdge(graph, member, id);
  }

  BuildGraph &graph;
  readers::DiagnosticEngine &diags;
  const std::optional<StageAnchors> &builder;
  const StageAnchors &runtime;
  StepIndex &steps;
  const GroupIndex groups; // built-in nodes all exist before the first step's edges
  std::vector<PendingAfter> pending;
};

} // namespace

GroupIndex groupIndex(const BuildGraph &graph) {
  GroupIndex index;
  for (const Node &node : graph.nodes)
    if (node.kind != NodeKind::CustomStep)
      for (const std::string &name : node.groups)
        index[{name, node.stage}].push_back(node.id);
  return index;
}

unsigned addStepNode(BuildGraph &graph, StepIndex &steps, const dsl::StepSpec &step, unsigned stage,
                     bool copyInputs) {
  double cost = step.cost ? step.cost->value : costs::kCustomStep;
  Node &node = addNode(
      graph, NodeKind::CustomStep, step.name.value, stage, step.name.loc, costs::kCustomStepRate,
      cost, {plan::RunScript{step.name.value, step.run.value, values(step.inputs), copyInputs}});
  node.inputs = values(step.inputs);
  applyChanges(node, step.changes);
  steps.nodes[step.name.value] = node.id;
  return node.id;
}

void addStageAfterEdges(BuildGraph &graph, StepIndex &steps,
                        llvm::ArrayRef<dsl::StepSpec> stageSteps) {
  // Names were checked: `after` names a step of this stage.
  for (const dsl::StepSpec &step : stageSteps)
    for (const dsl::LString &target : step.after) {
      auto found = steps.nodes.find(target.value);
      if (found != steps.nodes.end())
        addAfter(graph, steps, found->second, steps.nodes.at(step.name.value), target.loc);
    }
}

void addCustomSteps(BuildGraph &graph, readers::DiagnosticEngine &diags,
                    llvm::ArrayRef<dsl::StepSpec> specSteps,
                    const std::optional<StageAnchors> &builder, const StageAnchors &runtime,
                    StepIndex &steps) {
  for (const dsl::StepSpec &step : specSteps) {
    bool inBuilder = step.stage && step.stage->value == kBuilderStage;
    addStepNode(graph, steps, step, inBuilder ? builder->stage : runtime.stage,
                /*copyInputs=*/false);
  }
  StepWiring wiring(graph, diags, builder, runtime, steps);
  for (const dsl::StepSpec &step : specSteps)
    wiring.addEdges(step);
  for (const dsl::StepSpec &step : specSteps)
    wiring.addOutputs(step);
}

} // namespace imageplan::planner
