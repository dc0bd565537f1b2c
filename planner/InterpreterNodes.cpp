// Interpreter, venv and venv-copy nodes (InterpreterNodes.h).
#include "planner/InterpreterNodes.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"

namespace imageplan::planner {

std::optional<unsigned> addInterpreter(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                                       bool withHeaders) {
  if (in.baseEnvironment)
    return std::nullopt;
  const dsl::PythonSpec &python = *in.spec.python;
  if (!in.managedPython.empty())
    return addNode(graph, NodeKind::Interpreter,
                   "python " + in.managedPython + " (uv-managed) venv", stage, python.version->loc,
                   costs::kInterpreterRate, costs::kManagedPython,
                   {plan::InstallPython{in.managedPython, in.uvImage(), kManagedPythonDir, kVenv}},
                   {"python"})
        .id;
  std::string pythonVersion = python.version ? python.version->value : "";
  std::vector<std::string> packages = interpreterPackages(in.base, pythonVersion, withHeaders);
  std::vector<plan::Op> ops;
  double cost = costs::kPipBase;
  std::string command = "python3";
  if (!packages.empty()) {
    ops.push_back(plan::SystemInstall{sortedUnique(packages), in.base.manager});
    cost = costs::kInterpreter;
    command = pythonCommand(in.base.manager, pythonVersion, in.base.wolfi);
  }
  ops.push_back(plan::CreateVenv{command, kVenv});
  std::string version = python.version ? " " + python.version->value : "";
  return addNode(graph, NodeKind::Interpreter, "python" + version + " venv", stage, python.loc,
                 costs::kInterpreterRate, cost, std::move(ops), {"python"})
      .id;
}

std::optional<unsigned> addBareInterpreter(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                                           unsigned builderStage) {
  if (in.base.python == PythonSource::Image)
    return std::nullopt;
  const dsl::PythonSpec &python = *in.spec.python;
  if (!in.managedPython.empty()) {
    // The venv links to the builder's uv-managed CPython: the same folder.
    Node &copy = addNode(
        graph, NodeKind::Interpreter, "python " + in.managedPython + " from builder", stage,
        python.version->loc, 0, costs::kVenvCopy,
        {plan::CopyStage{kBuilderStage, kManagedPythonDir, kManagedPythonDir, ""}}, {"python"});
    copy.consumesStage = builderStage;
    return copy.id;
  }
  std::string pythonVersion = python.version ? python.version->value : "";
  std::vector<std::string> packages = runtimeInterpreterPackages(in);
  if (packages.empty())
    return std::nullopt;
  std::string version = pythonVersion.empty() ? "" : " " + pythonVersion;
  return addNode(graph, NodeKind::Interpreter, "python" + version, stage, python.loc,
                 costs::kInterpreterRate, costs::kInterpreter,
                 {plan::SystemInstall{sortedUnique(packages), in.base.manager}}, {"python"})
      .id;
}

std::vector<std::string> runtimeInterpreterPackages(const GraphInputs &in) {
  if (!in.hasPython() || in.baseEnvironment || !in.managedPython.empty())
    return {};
  const dsl::PythonSpec &python = *in.spec.python;
  std::vector<std::string> packages = interpreterPackages(
      in.base, python.version ? python.version->value : "", /*withHeaders=*/false);
  // The venv module is only needed where the venv is made.
  if (in.venvInBuilder)
    llvm::erase_if(packages,
                   [](const std::string &p) { return llvm::StringRef(p).endswith("-venv"); });
  return sortedUnique(packages);
}

std::optional<unsigned> addInterpreterOnPythonBase(BuildGraph &graph, const GraphInputs &in,
                                                   unsigned stage) {
  if (in.venvInBuilder)
    return std::nullopt;
  const dsl::PythonSpec &python = *in.spec.python;
  std::string pythonVersion = python.version ? python.version->value : "";
  std::string version = pythonVersion.empty() ? "" : " " + pythonVersion;
  return addNode(graph, NodeKind::Interpreter, "python" + version + " venv", stage, python.loc,
                 costs::kInterpreterRate, costs::kPipBase,
                 {plan::CreateVenv{pythonCommand(in.base.manager, pythonVersion, in.base.wolfi),
                                   kVenv}},
                 {"python"})
      .id;
}

unsigned addVenvCopy(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                     std::optional<unsigned> interpreter, unsigned builderStage) {
  Node &copy = addNode(graph, NodeKind::VenvCopy, std::string("venv ") + kVenv + " from builder",
                       stage, in.spec.python->loc, 0, costs::kVenvCopy,
                       {plan::CopyStage{kBuilderStage, kVenv, kVenv, ""}}, {"python"});
  copy.consumesStage = builderStage;
  needs(graph, copy, interpreter);
  return copy.id;
}

} // namespace imageplan::planner
