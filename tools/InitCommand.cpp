// Scans the folder, writes DIR/imageplan.yaml atomically (never over an
// existing spec without --force), then compiles it to prove `gen` accepts it.
#include "tools/InitCommand.h"

#include "tools/Compile.h"
#include "tools/Output.h"
#include "tools/init/ProjectScan.h"
#include "tools/init/StarterSpec.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace imageplan::driver {

int runInit(const InitOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  llvm::SmallString<256> specPath(options.dir);
  llvm::sys::path::append(specPath, "imageplan.yaml");
  if (llvm::sys::fs::exists(specPath) && !options.force) {
    diags.error("'" + specPath + "' already exists; use --force to overwrite it");
    return 1;
  }
  llvm::Expected<init::ProjectFacts> facts = init::scanProject(options.dir);
  if (!facts) {
    diags.error("cannot scan the project: " + llvm::toString(facts.takeError()));
    return 1;
  }
  llvm::Expected<WriteOutcome> written =
      writeFileAtomically(specPath, init::writeStarterSpec(init::buildStarterSpec(*facts)),
                          /*onlyIfChanged=*/false);
  if (!written) {
    diags.error(llvm::toString(written.takeError()));
    return 1;
  }
  CompileOptions compile;
  compile.specPath = std::string(specPath);
  compile.contextDir = options.dir;
  if (!compileAndReport(diags, compile)) {
    err << "note: the starter spec above does not compile; this is a bug in imageplan init\n";
    return 1;
  }
  out << "wrote " << specPath << "; review the comments at its top, then run: imageplan gen "
      << specPath << "\n";
  return 0;
}

} // namespace imageplan::driver
