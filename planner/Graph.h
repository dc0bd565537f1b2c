// The dependency graph of build steps: one node per thing that goes into the
// image (system packages, interpreter, each Python dependency group, wheel
// builds, each model, app copies, custom steps), each with its inputs, stage,
// estimated cost and change rate. Built from the AST; ordered by Order.h.
#pragma once

#include "dsl/Spec.h"
#include "planner/Plan.h"
#include "readers/Diagnostics.h"

#include "llvm/Support/Error.h"

#include <boost/graph/adjacency_list.hpp>

#include <string>
#include <vector>

namespace imageplan::planner {

enum class NodeKind {
  SystemPackages,
  Interpreter,
  User,
  PythonPackages,
  Requirements,
  BuildRequires,
  WheelBuild,
  WheelInstall,
  ModelDownload,
  ModelCopy,
  ModelDir,
  StageArtifact,
  ImageArtifact,
  AppEnv,
  Workdir,
  AppDirs,
  AppCopy,
  InlineFile,
  CustomStep,
  PythonManager,       // the uv binary or poetry, pinned
  ProjectDependencies, // uv sync / poetry install of the lock, without the project
  VenvCopy,            // the builder's venv, copied whole into the runtime
  ProjectInstall,      // the app as a package, --no-deps, after the code copy
  PinsFile,            // the pins as a constraints file, in a stage of its own
  VenvSplit,           // what installed after the pins, gathered for a layer of its own
  CondaEnvironment,    // a conda environment.yml installed into the base's environment
  AptRepository,       // an extra apt source and its key, before the stage's packages
  AssetFetch,          // an asset's download or checkout, in its own stage
  AssetCopy,           // the asset, copied into the runtime
};
const char *toString(NodeKind kind);

/// Where a node's change rate came from.
enum class RateSource { Default, Spec, History, Lock };
const char *toString(RateSource source);

struct Node {
  unsigned id = 0; // declaration order; the tie-breaker everywhere
  NodeKind kind = NodeKind::CustomStep;
  std::string name;  // what a person calls it: "requirements.txt", "flash-attn wheels"
  unsigned stage = 0; // index into BuildGraph::stages
  llvm::SMLoc loc;
  std::vector<std::string> inputs; // build-context paths it reads
  /// .dockerignore patterns of files under `inputs` it does not read
  /// (app.exclude on a copy of the whole context).
  std::vector<std::string> excludes;
  std::vector<std::string> groups; // built-in groups it belongs to (system, python, ...)
  double changeRate = 0;           // probability that its own inputs change per commit
  RateSource rateSource = RateSource::Default;
  double cost = 0; // estimated seconds to (re)build it
  std::vector<plan::Op> ops;
  /// For nodes that consume another stage's output: that stage's index.
  std::optional<unsigned> consumesStage;
  /// With consumesStage: the node of that stage whose layer, with the ones
  /// before it, is all the output depends on (the builder's pins, for the
  /// copy of the venv they make); none: the whole stage.
  std::optional<unsigned> consumesUpTo;
  /// With history: bit k set when commit k changed one of `inputs`.
  std::vector<uint64_t> changedIn;
};

/// A stage before ordering: where it starts and what it carries besides layers.
struct StageInfo {
  std::string name;
  std::string from;
  bool fromStage = false;
  std::string purpose;
  std::vector<std::string> args;
  plan::Pairs env;
  std::string pathPrepend;
  std::optional<plan::RuntimeConfig> runtime;
  bool posixShell = false; // the base has no bash
};

/// Edge u -> v: v needs u (u must come first).
using DependencyGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

struct BuildGraph {
  std::vector<Node> nodes; // index == Node::id
  plan::Pairs args;        // build arguments declared before the first FROM
  size_t commitCount = 0;  // commits replayed for `changedIn`; 0 without history
  DependencyGraph graph;
  std::vector<StageInfo> stages; // in Dockerfile order: dependencies first
};

struct PlanOptions;

/// Builds the graph. Reports problems (python versions a base cannot provide,
/// `after:` targets that name nothing in the step's stage, cycles) through
/// `diags` and returns an error when there were any.
llvm::Expected<BuildGraph> buildGraph(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                      const PlanOptions &options);

} // namespace imageplan::planner
