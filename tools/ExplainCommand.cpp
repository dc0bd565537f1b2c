// Runs the compiler and prints a report instead of the Dockerfile.
#include "tools/ExplainCommand.h"

#include "backends/Backend.h"
#include "tools/Commands.h"

namespace imageplan::driver {
namespace {

CompileOptions compileOptions(const ExplainOptions &options) {
  return {options.specPath, options.contextDir, options.baseImage, options.dialect,
          options.history};
}

} // namespace

int runExplain(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (options.format != "text" && options.format != "json") {
    diags.error("unknown format '" + options.format + "'; expected text or json");
    return 1;
  }
  std::optional<Compiled> compiled = compileAndReport(diags, compileOptions(options));
  if (!compiled)
    return 1;
  out << (options.format == "json" ? backends::emitExplainJson(compiled->plan)
                                   : backends::emitExplain(compiled->plan));
  out.flush();
  return 0;
}

int runGraph(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  std::string dot;
  if (!compileAndReport(diags, compileOptions(options), &dot))
    return 1;
  out << dot;
  out.flush();
  return 0;
}

} // namespace imageplan::driver
