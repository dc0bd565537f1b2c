// Runs the compiler and prints a report instead of the Dockerfile.
#include "tools/ExplainCommand.h"

#include "backends/Backend.h"

namespace imageplan::driver {

int runExplain(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (options.format != "text" && options.format != "json") {
    diags.error("unknown format '" + options.format + "'; expected text or json");
    return 1;
  }
  std::optional<Compiled> compiled = compileAndReport(diags, options.compile);
  if (!compiled)
    return 1;
  out << (options.format == "json" ? backends::emitExplainJson(compiled->plan, compiled->output)
                                   : backends::emitExplain(compiled->plan, compiled->output));
  out.flush();
  return 0;
}

int runGraph(const ExplainOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  std::string dot;
  if (!compileAndReport(diags, options.compile, &dot))
    return 1;
  out << dot;
  out.flush();
  return 0;
}

} // namespace imageplan::driver
