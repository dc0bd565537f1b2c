// The planner's last phase: orders each stage's nodes, folds other stages'
// change rates into the nodes that consume them, and merges adjacent steps
// into layers.
#include "planner/Planner.h"

#include "planner/Base.h"
#include "planner/Costs.h"
#include "planner/Graph.h"
#include "planner/Order.h"
#include "planner/OrderTies.h"
#include "planner/Pins.h"

#include "dsl/Secrets.h"
#include "readers/DockerignoreMatcher.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace imageplan::planner {
namespace {

/// Adds `op` to a layer's operations, folding it into an earlier operation of
/// the same command where that changes nothing but the number of commands.
void appendOp(std::vector<plan::Op> &ops, plan::Op op) {
  if (auto *install = std::get_if<plan::SystemInstall>(&op)) {
    // One package manager call per layer: install earlier, but never past a
    // user script (it may add a package source the packages need).
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
      if (std::holds_alternative<plan::RunScript>(*it) ||
          std::holds_alternative<plan::AptSource>(*it))
        break;
      if (auto *earlier = std::get_if<plan::SystemInstall>(&*it);
          earlier && earlier->manager == install->manager) {
        llvm::append_range(earlier->packages, install->packages);
        llvm::sort(earlier->packages);
        earlier->packages.erase(std::unique(earlier->packages.begin(), earlier->packages.end()),
                                earlier->packages.end());
        return;
      }
    }
  }
  if (auto *pip = std::get_if<plan::PipInstall>(&op); pip && !ops.empty()) {
    // Adjacent installs from the same indexes resolve better as one pip call.
    if (auto *earlier = std::get_if<plan::PipInstall>(&ops.back());
        earlier && earlier->indexUrls == pip->indexUrls &&
        earlier->wheelStage == pip->wheelStage && earlier->wheelDir == pip->wheelDir &&
        earlier->options == pip->options && earlier->constraintFiles == pip->constraintFiles &&
        earlier->pinsStage == pip->pinsStage && earlier->pinsFile == pip->pinsFile &&
        earlier->stageConstraints == pip->stageConstraints && earlier->target == pip->target &&
        earlier->installer == pip->installer && earlier->indexStrategy == pip->indexStrategy &&
        earlier->python == pip->python) {
      for (std::string &package : pip->packages)
        if (!llvm::is_contained(earlier->packages, package))
          earlier->packages.push_back(std::move(package));
      for (std::string &file : pip->requirementFiles)
        if (!llvm::is_contained(earlier->requirementFiles, file))
          earlier->requirementFiles.push_back(std::move(file));
      return;
    }
  }
  ops.push_back(std::move(op));
}

bool allRunOps(const std::vector<plan::Op> &ops) { return llvm::all_of(ops, plan::isRunOp); }

/// A custom step keeps a RUN of its own: its script may `cd` or set shell
/// state, and `explain` can then name its layer after it.
bool hasScript(const std::vector<plan::Op> &ops) {
  return llvm::any_of(ops, [](const plan::Op &op) {
    return std::holds_alternative<plan::RunScript>(op);
  });
}

class PlanBuilder {
public:
  PlanBuilder(const BuildGraph &graph, const dsl::Spec &spec, std::string cacheRef)
      : graph(graph), spec(spec), cacheRef(std::move(cacheRef)) {}

  plan::Plan build() {
    plan::Plan result;
    result.name = spec.name.value;
    result.specPath = spec.path;
    stageChange.assign(graph.stages.size(), 0);
    nodeRebuild.assign(graph.nodes.size(), 0);
    // Each stage's nodes and edges, found in one pass over the graph: a pass
    // per stage would be quadratic in a spec of many stages.
    members.assign(graph.stages.size(), {});
    for (const Node &node : graph.nodes)
      members[node.stage].push_back(&node);
    for (unsigned s = 0; s < graph.stages.size(); ++s)
      stageByName.try_emplace(graph.stages[s].name, s);
    stageEdges.assign(graph.stages.size(), {});
    for (auto [it, end] = boost::edges(graph.graph); it != end; ++it) {
      unsigned from = boost::source(*it, graph.graph), to = boost::target(*it, graph.graph);
      if (graph.nodes[from].stage == graph.nodes[to].stage)
        stageEdges[graph.nodes[from].stage].push_back({from, to});
    }
    for (unsigned s = 0; s < graph.stages.size(); ++s) {
      result.stages.push_back(buildStage(s));
      result.stages.back().distro = distroOf(result, graph.stages[s]);
    }
    result.contextPaths = contextPaths(result);
    result.args = graph.args;
    for (const dsl::LString &pattern : spec.app.exclude)
      result.contextExcludes.push_back(pattern.value);
    result.publish = publishOf(spec, cacheRef);
    addSecretPatterns(result);
    return result;
  }

private:
  static plan::Publish publishOf(const dsl::Spec &spec, const std::string &cacheRef) {
    plan::Publish publish;
    if (spec.publish && spec.publish->image)
      publish.image = spec.publish->image->value;
    if (spec.publish)
      for (const dsl::LString &platform : spec.publish->platforms)
        publish.platforms.push_back(platform.value);
    if (spec.cache) {
      publish.cacheRef = spec.cache->ref.value;
      if (spec.cache->mode)
        publish.cacheMode = spec.cache->mode->value;
    }
    if (!cacheRef.empty())
      publish.cacheRef = cacheRef;
    return publish;
  }

  /// A stage on an image runs that image's distribution; one FROM an earlier
  /// stage, that stage's.
  static std::string distroOf(const plan::Plan &plan, const StageInfo &info) {
    if (!info.fromStage)
      return distroRelease(info.from);
    for (const plan::Stage &earlier : plan.stages)
      if (earlier.name == info.from)
        return earlier.distro;
    return distroRelease(info.from);
  }

  /// The probability that a node must be rebuilt because of its own inputs or
  /// of a stage it copies from.
  double effectiveRate(const Node &node) const {
    if (!node.consumesStage)
      return node.changeRate;
    double source = node.consumesUpTo ? nodeRebuild[*node.consumesUpTo]
                                      : stageChange[*node.consumesStage];
    return 1 - (1 - node.changeRate) * (1 - source);
  }

  /// The probability that nothing this stage starts from changed: 1, or for
  /// a stage FROM an earlier one of the plan, that one's survival.
  double startSurvival(const StageInfo &info) const {
    if (!info.fromStage)
      return 1;
    auto it = stageByName.find(info.from);
    return it == stageByName.end() ? 1 : 1 - stageChange[it->second];
  }

  plan::Stage buildStage(unsigned s) {
    const StageInfo &info = graph.stages[s];
    plan::Stage stage;
    stage.name = info.name;
    stage.from = info.from;
    stage.fromStage = info.fromStage;
    stage.purpose = info.purpose;
    stage.args = info.args;
    stage.env = info.env;
    stage.pathPrepend = info.pathPrepend;
    stage.runtime = info.runtime;
    stage.posixShell = info.posixShell;

    const std::vector<const Node *> &members = this->members[s];
    std::vector<OrderItem> items;
    std::vector<TieKey> ties;
    llvm::DenseMap<unsigned, unsigned> local; // node id -> index among `members`
    for (unsigned i = 0; i < members.size(); ++i) {
      const Node &node = *members[i];
      OrderItem item{node.cost, effectiveRate(node)};
      if (!node.changedIn.empty() && !node.consumesStage)
        item.changedIn = &node.changedIn;
      items.push_back(item);
      ties.push_back({node.cost, nameRank(node.inputs)});
      local[node.id] = i;
    }
    std::vector<unsigned> ranks = tieRanks(ties);
    for (unsigned i = 0; i < members.size(); ++i)
      items[i].tieRank = ranks[i];
    std::vector<std::pair<unsigned, unsigned>> edges;
    for (auto [from, to] : stageEdges[s])
      edges.push_back({local[from], local[to]});
    llvm::sort(edges);
    std::vector<unsigned> order = orderForRebuildWork(items, edges, graph.commitCount);
    std::vector<double> rebuild = rebuildProbabilities(items, order, graph.commitCount);
    // The order does not depend on it; the probabilities do.
    double start = startSurvival(info);
    for (double &p : rebuild)
      p = 1 - start * (1 - p);
    spdlog::debug("stage {}: {} steps, expected rebuild work {:.2f}s per commit", info.name,
                  items.size(), expectedRebuildWork(items, order, graph.commitCount));

    double survival = start; // that nothing placed so far in this stage changed
    for (size_t position = 0; position < order.size(); ++position) {
      unsigned i = order[position];
      const Node &node = *members[i];
      double rate = items[i].rate;
      if (!mergeInto(stage, node, rate, survival))
        stage.layers.push_back(newLayer(node, rate));
      survival = 1 - rebuild[position];
      plan::Layer &layer = stage.layers.back();
      llvm::append_range(layer.inputs, node.inputs);
      layer.rateSources.push_back(node.consumesStage && node.changeRate == 0
                                      ? "stage"
                                      : toString(node.rateSource));
      layer.rebuildProbability = rebuild[position];
      nodeRebuild[node.id] = rebuild[position];
      for (auto [it, end] = boost::in_edges(node.id, graph.graph); it != end; ++it) {
        const Node &needed = graph.nodes[boost::source(*it, graph.graph)];
        std::string name = needed.stage == s ? needed.name
                                             : needed.name + " (stage " +
                                                   graph.stages[needed.stage].name + ")";
        if (!llvm::is_contained(layer.nodes, needed.id) && !llvm::is_contained(layer.needs, name))
          layer.needs.push_back(name);
      }
    }
    stageChange[s] = 1 - survival;
    return stage;
  }

  plan::Layer newLayer(const Node &node, double rate) const {
    plan::Layer layer;
    for (const plan::Op &op : node.ops)
      appendOp(layer.ops, op);
    layer.nodes = {node.id};
    layer.kinds = {toString(node.kind)};
    layer.what = node.name;
    layer.changeProbability = rate;
    layer.changeClass = plan::classify(rate);
    layer.cost = node.cost;
    return layer;
  }

  /// Merging node B into the previous layer A makes A rebuild whenever B's
  /// inputs change: extra expected work cost(A) * P(nothing up to A changed) *
  /// rate(B). Worth it only when that is below what a layer costs by existing.
  bool mergeInto(plan::Stage &stage, const Node &node, double rate, double survival) const {
    if (stage.layers.empty())
      return false;
    plan::Layer &last = stage.layers.back();
    if (!allRunOps(last.ops) || !allRunOps(node.ops) || hasScript(last.ops) ||
        hasScript(node.ops))
      return false;
    // A step that costs minutes keeps a RUN of its own, whatever the rates
    // say: merged, a cheap step's change would redo it.
    if (last.cost >= costs::kCostsMinutes || node.cost >= costs::kCostsMinutes)
      return false;
    if (plan::classify(rate) != last.changeClass)
      return false;
    if (last.cost * survival * rate > costs::kLayerOverhead)
      return false;
    for (const plan::Op &op : node.ops)
      appendOp(last.ops, op);
    last.nodes.push_back(node.id);
    last.kinds.push_back(toString(node.kind));
    last.what += ", " + node.name;
    last.changeProbability = 1 - (1 - last.changeProbability) * (1 - rate);
    last.cost += node.cost;
    return true;
  }

  /// The secret-file patterns, and the paths the spec names that they cover.
  static void addSecretPatterns(plan::Plan &plan) {
    std::vector<readers::PathPattern> patterns;
    for (llvm::StringRef text : dsl::secretFilePatterns()) {
      plan.secretExcludes.push_back(text.str());
      if (llvm::Expected<readers::PathPattern> pattern = readers::PathPattern::compile(text))
        patterns.push_back(std::move(*pattern));
      else
        llvm::consumeError(pattern.takeError()); // the list is ours, and compiles
    }
    for (const std::string &path : plan.contextPaths) {
      std::string clean = readers::cleanPath(path);
      if (clean != "." && llvm::any_of(patterns, [&](const readers::PathPattern &pattern) {
            return pattern.matchesOrParent(clean);
          }))
        plan.secretIncludes.push_back(clean);
    }
  }

  static std::vector<std::string> contextPaths(const plan::Plan &plan) {
    std::vector<std::string> paths;
    std::set<std::string> seen; // membership only; `paths` keeps first-use order
    auto add = [&](const std::string &path) {
      if (seen.insert(path).second)
        paths.push_back(path);
    };
    for (const plan::Stage &stage : plan.stages)
      for (const plan::Layer &layer : stage.layers)
        for (const plan::Op &op : layer.ops)
          llvm::for_each(plan::contextInputs(op), add);
    return paths;
  }

  const BuildGraph &graph;
  const dsl::Spec &spec;
  std::string cacheRef; // --cache-ref
  std::vector<double> stageChange;
  std::vector<double> nodeRebuild; // per node, once its stage is planned
  std::vector<std::vector<const Node *>> members;                     // by stage
  llvm::StringMap<unsigned> stageByName;
  std::vector<std::vector<std::pair<unsigned, unsigned>>> stageEdges; // by stage, node ids
};

} // namespace

llvm::Expected<plan::Plan> buildPlan(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                     const PlanOptions &options) {
  llvm::Expected<BuildGraph> graph = buildGraph(diags, spec, options);
  if (!graph)
    return graph.takeError();
  unsigned errorsBefore = diags.errorCount();
  plan::Plan plan = PlanBuilder(*graph, spec, options.cacheRef).build();
  applyLockToPlan(diags, plan, spec, options);
  if (diags.errorCount() != errorsBefore)
    return readers::diagnosticsReported(diags.errorCount() - errorsBefore);
  return plan;
}

} // namespace imageplan::planner
