// Runs the compiler and prints a report instead of the Dockerfile.
#include "tools/ExplainCommand.h"

#include "backends/Backend.h"
#include "tools/Commands.h"

namespace imageplan::driver {
namespace {

/// Compiles the spec; prints diagnostics and returns nothing on failure.
std::optional<Compiled> compile(dsl::DiagnosticEngine &diags, const ExplainOptions &options,
                                std::string *graphDot) {
  std::optional<planner::PlanOptions> planOptions =
      planOptionsFor(diags, options.baseImage, options.dialect);
  if (!planOptions)
    return std::nullopt;
  llvm::Expected<Compiled> compiled = compileSpec(diags, options.specPath, options.contextDir,
                                                  *planOptions, options.history, graphDot);
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    diags.printSummary();
    return std::nullopt;
  }
  diags.printSummary();
  return std::move(*compiled);
}

} // namespace

int runExplain(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  dsl::DiagnosticEngine diags(err);
  if (options.format != "text" && options.format != "json") {
    diags.error("unknown format '" + options.format + "'; expected text or json");
    return 1;
  }
  std::optional<Compiled> compiled = compile(diags, options, nullptr);
  if (!compiled)
    return 1;
  out << (options.format == "json" ? backends::emitExplainJson(compiled->plan)
                                   : backends::emitExplain(compiled->plan));
  out.flush();
  return 0;
}

int runGraph(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  dsl::DiagnosticEngine diags(err);
  std::string dot;
  if (!compile(diags, options, &dot))
    return 1;
  out << dot;
  out.flush();
  return 0;
}

} // namespace imageplan::driver
