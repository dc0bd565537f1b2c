// Scans the folder, compiles the starter spec it makes to prove `gen` accepts
// it, then writes it to DIR/imageplan.yaml atomically (never over an existing
// spec without --force).
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
  // Compiled before it is written: a spec `gen` would reject never lands on
  // disk (a Dockerfile value no spec can hold, such as a control byte).
  std::string text = init::writeStarterSpec(init::buildStarterSpec(*facts));
  CompileOptions compile;
  compile.specPath = std::string(specPath);
  compile.contextDir = options.dir;
  llvm::Expected<Compiled> compiled =
      compileSpecBuffer(diags, diags.addBuffer(text, specPath), compile);
  diags.printSummary();
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    err << "note: nothing was written: the starter spec made from the folder (the lines "
           "above) does not compile\n";
    return 1;
  }
  llvm::Expected<WriteOutcome> written =
      writeFileAtomically(specPath, text, /*onlyIfChanged=*/false);
  if (!written) {
    diags.error(llvm::toString(written.takeError()));
    return 1;
  }
  out << "wrote " << specPath << "; review the comments at its top, then run: imageplan gen "
      << specPath << "\n";
  return 0;
}

} // namespace imageplan::driver
