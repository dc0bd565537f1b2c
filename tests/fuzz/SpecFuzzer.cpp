// libFuzzer target over the whole compiler: spec text -> parse -> check ->
// plan -> every backend in every dialect, exactly as `imageplan gen` runs it
// (tools/Compile.h). The property, for any input: either the run reports
// errors (and produces nothing), or every Dockerfile it writes is accepted by
// imageplan's own Dockerfile reader and by the independent dockerfile-utils,
// every shell-form RUN parses with `bash -n`, the .dockerignore parses, the
// explain JSON is JSON, and no generated text or diagnostic holds a raw
// control byte. tests/fuzz/README.md says how to run it.
#include "FuzzSupport.h"

#include "backends/Backend.h"
#include "backends/DialectRules.h"
#include "readers/DockerfileParser.h"
#include "readers/DockerignoreMatcher.h"
#include "tools/Compile.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

using namespace imageplan;

namespace {

/// The generated text has no control character but line breaks and tabs.
void requireNoControlBytes(llvm::StringRef text, const char *what) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
      fuzz::propertyFailed(std::string(what) + " holds a control byte at offset " +
                               std::to_string(i),
                           text);
  }
}

void checkDockerfile(const std::string &text) {
  requireNoControlBytes(text, "the Dockerfile");
  std::string messages;
  llvm::raw_string_ostream os(messages);
  readers::DiagnosticEngine diags(os);
  unsigned id = diags.addBuffer(text, "Dockerfile");
  llvm::Expected<readers::Dockerfile> file = readers::parseDockerfile(diags, id);
  if (!file) {
    llvm::consumeError(file.takeError());
    fuzz::propertyFailed("imageplan's Dockerfile reader rejects the generated Dockerfile:\n" +
                             os.str(),
                         text);
  }
  fuzz::Oracle &oracle = fuzz::Oracle::instance();
  oracle.requireValidDockerfile(text);
  for (const readers::DockerfileStage &stage : file->stages)
    for (const readers::DockerfileInstruction &inst : stage.instructions)
      if (inst.keyword == "RUN" && !inst.jsonForm)
        oracle.requireShellSyntax(inst.text, text);
}

void checkDockerignore(const std::string &text) {
  requireNoControlBytes(text, "the .dockerignore");
  std::string messages;
  llvm::raw_string_ostream os(messages);
  readers::DiagnosticEngine diags(os);
  unsigned id = diags.addBuffer(text, ".dockerignore");
  llvm::Expected<readers::DockerignoreMatcher> matcher = readers::DockerignoreMatcher::parse(diags, id);
  if (!matcher) {
    llvm::consumeError(matcher.takeError());
    fuzz::propertyFailed("the generated .dockerignore does not parse:\n" + os.str(), text);
  }
}

void checkOutputs(const driver::Compiled &compiled) {
  for (backends::Dialect dialect : backends::kDialects) {
    backends::Options options = compiled.output;
    options.dialect = dialect;
    for (const backends::Backend &backend : backends::allBackends()) {
      std::string text = backend.emit(compiled.plan, options);
      llvm::StringRef name = backend.name;
      if (name == "dockerfile")
        checkDockerfile(text);
      else if (name == "dockerignore")
        checkDockerignore(text);
      else if (name.endswith("json")) {
        llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
        if (!json) {
          llvm::consumeError(json.takeError());
          fuzz::propertyFailed("backend '" + name.str() + "' writes text that is not JSON", text);
        }
      } else {
        fuzz::requireTerminalSafe(text, backend.name);
      }
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  std::string messages;
  llvm::raw_string_ostream os(messages);
  readers::DiagnosticEngine diags(os);
  unsigned id = diags.addBuffer(input, "imageplan.yaml");
  driver::CompileOptions options;
  options.specPath = fuzz::fuzzContextDir() + "/imageplan.yaml";
  options.contextDir = fuzz::fuzzContextDir();
  options.ignoreHistory = true;
  llvm::Expected<driver::Compiled> compiled = driver::compileSpecBuffer(diags, id, options);
  diags.printSummary();
  fuzz::requireTerminalSafe(os.str(), "the diagnostics");
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    if (diags.errorCount() == 0)
      fuzz::propertyFailed("compiling failed without reporting an error", input);
    return 0;
  }
  if (diags.errorCount() != 0)
    fuzz::propertyFailed("compiling succeeded after reporting an error", os.str());
  checkOutputs(*compiled);
  return 0;
}
