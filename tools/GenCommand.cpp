// The gen and check subcommands: compile the spec, render each requested
// backend, and put the text where the options say (see GenCommand.h).
#include "tools/GenCommand.h"

#include "backends/Backend.h"
#include "backends/ShellQuote.h"
#include "readers/Diagnostics.h"
#include "readers/InputFile.h"
#include "readers/TextEscape.h"
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
  add("--lock", compile.lockPath);
  if (compile.noLock)
    words.push_back("--no-lock");
  if (compile.history)
    words.push_back("--history=" + std::to_string(*compile.history));
  std::vector<llvm::StringRef> refs(words.begin(), words.end());
  return backends::shellJoin(refs);
}

/// Whether `a` and `b` name one file: the same inode, or (for files not
/// written yet) the same absolute path once `.` and `..` are resolved.
bool sameFile(llvm::StringRef a, llvm::StringRef b) {
  bool same = false;
  if (!llvm::sys::fs::equivalent(a, b, same))
    return same;
  llvm::SmallString<256> absoluteA(a), absoluteB(b);
  if (llvm::sys::fs::make_absolute(absoluteA) || llvm::sys::fs::make_absolute(absoluteB))
    return a == b;
  llvm::sys::path::remove_dots(absoluteA, /*remove_dot_dot=*/true);
  llvm::sys::path::remove_dots(absoluteB, /*remove_dot_dot=*/true);
  return absoluteA == absoluteB;
}

/// Why `writes` may not go ahead: an output that is the spec or another
/// file this run read, or two outputs that are one file. "" when they may.
std::string outputConflict(llvm::ArrayRef<FileWrite> writes, const GenOptions &options,
                           const Compiled &compiled) {
  std::vector<std::pair<std::string, std::string>> inputs = {
      {options.compile.specPath, "the spec this run compiles"}};
  for (const std::string &file : compiled.filesRead)
    inputs.push_back({file, "a file this run reads"});
  for (size_t i = 0; i < writes.size(); ++i) {
    const std::string &path = writes[i].path;
    for (const auto &[input, what] : inputs)
      if (sameFile(path, input))
        return "refusing to write " + readers::quoteText(path) + ": it is " + what +
               (input == path ? "" : " (" + readers::quoteText(input) + ")");
    for (size_t j = 0; j < i; ++j)
      if (sameFile(path, writes[j].path))
        return "refusing to write " + readers::quoteText(path) + " twice in one run";
  }
  return "";
}

/// --check: compares instead of writing; a difference prints a diff to `out`.
int checkUpToDate(const GenOptions &options, readers::DiagnosticEngine &diags,
                  const backends::Backend &backend, llvm::StringRef generated,
                  llvm::raw_ostream &out) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> existing =
      readers::readInputFile(options.checkFile, readers::limits::kExistingOutput);
  if (!existing) {
    // A missing file is stale (the diff adds all of it); anything else that
    // cannot be read (a FIFO, a directory, a huge file) is reported as such.
    if (llvm::sys::fs::exists(options.checkFile)) {
      diags.error(llvm::toString(existing.takeError()));
      return 1;
    }
    llvm::consumeError(existing.takeError());
  }
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
                 std::vector<std::string> texts, const Compiled &compiled) {
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
    for (const std::string &file : compiled.filesRead)
      if (!llvm::is_contained(deps, file))
        deps.push_back(file);
    writes.push_back({options.depfile, renderDepfile(writes.front().path, deps)});
  }
  if (std::string conflict = outputConflict(writes, options, compiled); !conflict.empty())
    return usageError(diags, conflict);
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

  CompileOptions compile = options.compile;
  compile.reportPins = true;
  compile.lockMustMatch = !options.checkFile.empty();
  std::optional<Compiled> compiled = compileAndReport(diags, compile);
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

  return writeOutputs(options, diags, chosen, std::move(texts), *compiled);
}

int runCheck(const CompileOptions &options, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  CompileOptions compile = options;
  compile.reportPins = true;
  return compileAndReport(diags, compile) ? 0 : 1;
}

} // namespace imageplan::driver
