// The runtime-base stage (PythonBaseStage.h).
#include "planner/PythonBaseStage.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/InterpreterNodes.h"
#include "planner/ModelNodes.h"
#include "planner/StageNodes.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {
namespace {

/// True when the builder makes its Python on the image the runtime starts
/// from, so both can start from one install of it.
bool builderOnRuntimeBase(const GraphInputs &in) {
  return needsBuilder(in) && builderHasPython(in) && in.develFrom() == in.runtimeFrom();
}

} // namespace

std::optional<PythonBase> addPythonBaseStage(BuildGraph &graph, const GraphInputs &in) {
  // Packages from added apt repositories (a newer python3) install after
  // the repositories, in each stage.
  if (!in.spec.system.repositories.empty())
    return std::nullopt;
  PythonBase shared;
  shared.packages = runtimeInterpreterPackages(in);
  if (shared.packages.empty())
    return std::nullopt;
  PythonBase withCertificates = shared;
  withCertificates.packages.push_back("ca-certificates");
  withCertificates.packages = sortedUnique(std::move(withCertificates.packages));
  bool models = llvm::any_of(in.spec.models, [&](const dsl::ModelSpec &model) {
    return model.bake.value && downloadsOnPythonBase(in, model, withCertificates.packages);
  });
  bool builder = builderOnRuntimeBase(in);
  if (!models && !builder)
    return std::nullopt;
  if (models)
    shared = std::move(withCertificates);
  shared.builder = builder;
  StageInfo info;
  info.name = uniqueStageName(graph, "runtime-base");
  info.from = in.runtimeFrom();
  const char *users = !models  ? " and the builder"
                      : builder ? ", the builder and the model downloads"
                                : " and the model downloads";
  info.purpose = std::string("python for the runtime") + users + ", installed once";
  info.posixShell = lacksBash(in.base.manager);
  shared.stage = addStage(graph, std::move(info));
  addNode(graph, NodeKind::Interpreter,
          models ? "python and CA certificates" : "python", shared.stage, in.spec.python->loc,
          costs::kInterpreterRate, costs::kInterpreter,
          {plan::SystemInstall{shared.packages, in.base.manager}}, {"python"});
  return shared;
}

} // namespace imageplan::planner
