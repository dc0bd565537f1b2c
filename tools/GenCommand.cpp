// The gen and check subcommands: compile the spec, render each requested
// backend, and put the text where the options say (see GenCommand.h).
#include "tools/GenCommand.h"

#include "backends/Backend.h"
#include "backends/ShellQuote.h"
#include "readers/Diagnostics.h"
#include "tools/Compile.h"
#include "tools/Output.h"
#include "tools/UnifiedDiff.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

namespace imageplan::driver {

namespace {

/// Prints a usage error and returns the exit code for it.
int usageError(readers::DiagnosticEngine &diags, const llvm::Twine &message) {
  diags.error(message);
  return 1;
}

} // namespace

namespace {

std::vector<llvm::StringRef> backendNames() {
  std::vector<llvm::StringRef> names;
  for (const backends::Backend &backend : backends::allBackends())
    names.push_back(backend.name);
  return names;
}

/// The backends --emit names, in order, without repeats; std::nullopt after
/// reporting an unknown name.
std::optional<std::vector<const backends::Backend *>>
resolveBackends(readers::DiagnosticEngine &diags, const std::vector<std::string> &names) {
  std::vector<llvm::StringRef> valid = backendNames();
  std::vector<const backends::Backend *> resolved;
  for (const std::string &name : names) {
    const backends::Backend *backend = backends::findBackend(name);
    if (!backend) {
      std::string suggestion = readers::closestMatch(name, valid);
      std::string hint = suggestion.empty() ? "" : "did you mean '" + suggestion + "'? ";
      diags.error("unknown backend '" + name + "'; " + hint +
                  "valid backends: " + llvm::join(valid, ", "));
      return std::nullopt;
    }
    if (!llvm::is_contained(resolved, backend))
      resolved.push_back(backend);
  }
  if (resolved.empty())
    resolved.push_back(backends::findBackend("dockerfile"));
  if (!resolved.front()) {
    diags.error("no backend named 'dockerfile'; valid backends: " + llvm::join(valid, ", "));
    return std::nullopt;
  }
  return resolved;
}

/// The gen command that rewrites a stale --check file.
std::string regenerateCommand(const GenOptions &options, const backends::Backend &backend) {
  const CompileOptions &compile = options.compile;
  std::vector<std::string> words = {"imageplan", "gen", compile.specPath, "--emit", backend.name,
                                    "-o",        options.checkFile};
  auto add = [&](llvm::StringRef option, const std::string &value) {
    if (!value.empty())
      words.insert(words.end(), {option.str(), value});
  };
  add("--context", compile.contextDir);
  add("--base-image", compile.baseImage);
  add("--dialect", compile.dialect);
  add("--cache-ref", compile.cacheRef);
  if (compile.history)
    words.push_back("--history=" + std::to_string(*compile.history));
  std::vector<llvm::StringRef> refs(words.begin(), words.end());
  return backends::shellJoin(refs);
}

/// --check: compares instead of writing; a difference prints a diff to `out`.
int checkUpToDate(const GenOptions &options, readers::DiagnosticEngine &diags,
                  const backends::Backend &backend, llvm::StringRef generated,
                  llvm::raw_ostream &out) {
  auto existing = llvm::MemoryBuffer::getFile(options.checkFile, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
  llvm::StringRef current = existing ? (*existing)->getBuffer() : llvm::StringRef();
  if (existing && current == generated) {
    spdlog::debug("'{}' is up to date", options.checkFile);
    return 0;
  }
  std::string oldLabel = existing ? "a/" + options.checkFile : "/dev/null";
  out << unifiedDiff(current, generated, oldLabel, "b/" + options.checkFile);
  out.flush();
  diags.error("'" + options.checkFile + "' is stale; run: " +
              regenerateCommand(options, backend));
  return 1;
}

/// Writes what the backends rendered (and the depfile) where the options
/// say: all or nothing, each file atomically.
int writeOutputs(const GenOptions &options, readers::DiagnosticEngine &diags,
                 const std::vector<const backends::Backend *> &chosen,
                 std::vector<std::string> texts, const std::vector<std::string> &filesRead) {
  std::vector<FileWrite> writes;
  for (size_t i = 0; i < chosen.size(); ++i) {
    std::string path = options.outputFile;
    if (!options.outputDir.empty()) {
      llvm::SmallString<256> joined(options.outputDir);
      llvm::sys::path::append(joined, chosen[i]->defaultFileName);
      path = joined.str().str();
    }
    writes.push_back({path, std::move(texts[i])});
  }
  if (!options.depfile.empty()) {
    std::vector<std::string> deps{options.compile.specPath};
    for (const std::string &file : filesRead)
      if (!llvm::is_contained(deps, file))
        deps.push_back(file);
    writes.push_back({options.depfile, renderDepfile(writes.front().path, deps)});
  }
  // --output-dir names where the files go: made when missing, and only now
  // that everything rendered.
  if (!options.outputDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(options.outputDir)) {
      diags.error("cannot create the output folder '" + options.outputDir + "': " + ec.message());
      return 1;
    }
  auto outcomes = writeFilesAtomically(writes, options.writeIfChanged);
  if (!outcomes) {
    diags.error(llvm::toString(outcomes.takeError()));
    return 1;
  }
  for (size_t i = 0; i < writes.size(); ++i)
    spdlog::debug("{} '{}'", (*outcomes)[i] == WriteOutcome::Written ? "wrote" : "unchanged",
                  writes[i].path);
  return 0;
}

} // namespace

int runGen(const GenOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (options.listBackends) {
    // "name<TAB>file" per line: what the test scripts iterate over.
    for (const backends::Backend &backend : backends::allBackends())
      out << backend.name << "\t" << backend.defaultFileName << "\n";
    out.flush();
    return 0;
  }

  if (options.compile.specPath.empty())
    return usageError(diags, "gen needs a spec: imageplan gen SPEC (see imageplan gen --help)");
  auto selected = resolveBackends(diags, options.emit);
  if (!selected)
    return 1;
  const std::vector<const backends::Backend *> &chosen = *selected;
  bool toStdout = options.outputDir.empty() &&
                  (options.outputFile.empty() || options.outputFile == "-");
  if (!options.outputFile.empty() && !options.outputDir.empty())
    return usageError(diags, "-o and --output-dir cannot be used together");
  if (!options.checkFile.empty() &&
      (!options.outputFile.empty() || !options.outputDir.empty() || !options.depfile.empty()))
    return usageError(diags, "--check writes nothing; it cannot be used with -o, "
                             "--output-dir or --depfile");
  if (!options.checkFile.empty() && chosen.size() > 1)
    return usageError(diags, "--check compares one backend's output; give one --emit");
  if (chosen.size() > 1 && options.outputDir.empty())
    return usageError(diags, "several backends need --output-dir (got " +
                                 llvm::Twine(chosen.size()) + " --emit)");
  if (!options.depfile.empty() && toStdout)
    return usageError(diags, "--depfile needs an output file (-o FILE or --output-dir)");

  std::optional<Compiled> compiled = compileAndReport(diags, options.compile);
  if (!compiled)
    return 1;

  // Render everything before touching the disk: a failure writes nothing.
  std::vector<std::string> texts;
  for (const backends::Backend *backend : chosen) {
    spdlog::debug("emitting backend '{}'", backend->name);
    texts.push_back(backend->emit(compiled->plan, compiled->output));
  }

  if (!options.checkFile.empty())
    return checkUpToDate(options, diags, *chosen.front(), texts.front(), out);

  if (toStdout) {
    out << texts.front();
    out.flush();
    return 0;
  }

  return writeOutputs(options, diags, chosen, std::move(texts), compiled->filesRead);
}

int runCheck(const CompileOptions &options, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  return compileAndReport(diags, options) ? 0 : 1;
}

} // namespace imageplan::driver
