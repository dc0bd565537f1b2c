// The gen and check subcommands: run the phases (parse, check, plan), then
// render each requested backend and put the text where the options say.
// Library errors have already been printed through the DiagnosticEngine; here
// they only decide the exit code.
#include "tools/Commands.h"

#include "analysis/GitHistory.h"
#include "backends/Backend.h"
#include "dsl/Parser.h"
#include "planner/GraphDot.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"
#include "tools/Output.h"
#include "tools/UnifiedDiff.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

#include <optional>

namespace imageplan::driver {

namespace {

/// The reason an error carries, without the file name some error kinds add.
std::string reasonOf(llvm::Error err) {
  std::string reason;
  llvm::handleAllErrors(std::move(err), [&](const llvm::ErrorInfoBase &info) {
    std::error_code ec = info.convertToErrorCode();
    reason = ec != llvm::inconvertibleErrorCode() ? ec.message() : info.message();
  });
  return reason;
}

/// The build context when --context is not given: the spec's folder.
std::string defaultContextDir(llvm::StringRef specPath) {
  llvm::StringRef parent = llvm::sys::path::parent_path(specPath);
  return parent.empty() ? "." : parent.str();
}

/// How generated files name the spec: its path inside the build context
/// (usually just "imageplan.yaml"), so that the output does not depend on the
/// working directory or on where the checkout lives; the file name alone when
/// the spec lies outside the context. Diagnostics keep the path as given.
std::string specNameInContext(llvm::StringRef specPath, llvm::StringRef contextDir) {
  std::string fileName = llvm::sys::path::filename(specPath).str();
  llvm::SmallString<256> spec(specPath), context(contextDir);
  if (llvm::sys::fs::make_absolute(spec) || llvm::sys::fs::make_absolute(context))
    return fileName;
  llvm::sys::path::remove_dots(spec, /*remove_dot_dot=*/true);
  llvm::sys::path::remove_dots(context, /*remove_dot_dot=*/true);
  auto specIt = llvm::sys::path::begin(spec), specEnd = llvm::sys::path::end(spec);
  for (auto it = llvm::sys::path::begin(context), end = llvm::sys::path::end(context);
       it != end; ++it, ++specIt)
    if (specIt == specEnd || *specIt != *it)
      return fileName;
  llvm::SmallString<256> relative;
  for (; specIt != specEnd; ++specIt)
    llvm::sys::path::append(relative, llvm::sys::path::Style::posix, *specIt);
  return relative.empty() ? fileName : relative.str().str();
}

/// The history to plan with: `--history` wins over the spec's `history:`.
/// Without a repository there is no history, and default rates apply.
std::optional<planner::History> historyFor(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                           llvm::StringRef contextDir,
                                           std::optional<unsigned> commits) {
  llvm::SMLoc loc;
  if (!commits && spec.history) {
    commits = static_cast<unsigned>(spec.history->value);
    loc = spec.history->loc;
  }
  if (!commits)
    return std::nullopt;
  llvm::Expected<planner::History> history = analysis::readHistory(contextDir, *commits);
  if (!history) {
    diags.warning(loc, llvm::toString(history.takeError()) + "; using default change rates");
    return std::nullopt;
  }
  spdlog::debug("history: {} commit(s) from '{}'", history->commits.size(), contextDir.str());
  return std::move(*history);
}

} // namespace

llvm::Expected<Compiled> compileSpec(readers::DiagnosticEngine &diags, llvm::StringRef specPath,
                                     llvm::StringRef contextOption,
                                     planner::PlanOptions planOptions,
                                     std::optional<unsigned> historyCommits,
                                     std::string *graphDot) {
  spdlog::debug("reading spec '{}'", specPath.str());
  llvm::Expected<unsigned> buffer = diags.addFile(specPath);
  if (!buffer) {
    diags.error("cannot read '" + specPath + "': " + reasonOf(buffer.takeError()));
    return readers::diagnosticsReported(diags.errorCount());
  }
  return compileSpecBuffer(diags, *buffer, specPath, contextOption, std::move(planOptions),
                           historyCommits, graphDot);
}

llvm::Expected<Compiled> compileSpecBuffer(readers::DiagnosticEngine &diags, unsigned bufferId,
                                           llvm::StringRef specPath,
                                           llvm::StringRef contextOption,
                                           planner::PlanOptions planOptions,
                                           std::optional<unsigned> historyCommits,
                                           std::string *graphDot) {
  std::string contextDir =
      contextOption.empty() ? defaultContextDir(specPath) : contextOption.str();
  std::string specName = specNameInContext(specPath, contextDir);
  spdlog::debug("parsing spec as '{}' (build context '{}')", specName, contextDir);
  llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, bufferId, specName);
  if (!spec)
    return spec.takeError();

  Compiled compiled;
  if (llvm::Error err = dsl::checkSpec(diags, *spec, contextDir, &compiled.filesRead))
    return err;

  std::optional<planner::History> history =
      historyFor(diags, *spec, contextDir, historyCommits);
  if (history)
    planOptions.history = &*history;
  if (graphDot) {
    llvm::Expected<std::string> dot = planner::graphDot(diags, *spec, planOptions);
    if (!dot)
      return dot.takeError();
    *graphDot = std::move(*dot);
  }
  llvm::Expected<plan::Plan> plan = planner::buildPlan(diags, *spec, planOptions);
  if (!plan)
    return plan.takeError();
  // A phase that printed an error must not let the run succeed.
  if (diags.hasErrors())
    return readers::diagnosticsReported(diags.errorCount());
  spdlog::debug("plan '{}': {} stage(s)", plan->name, plan->stages.size());
  compiled.plan = std::move(*plan);
  return compiled;
}

namespace {

/// Prints a usage error and returns the exit code for it.
int usageError(readers::DiagnosticEngine &diags, const llvm::Twine &message) {
  diags.error(message);
  return 1;
}

} // namespace

std::optional<planner::PlanOptions> planOptionsFor(readers::DiagnosticEngine &diags,
                                                   llvm::StringRef baseImage,
                                                   llvm::StringRef dialect) {
  planner::PlanOptions options;
  options.baseOverride = baseImage.str();
  if (dialect.empty())
    return options;
  options.dialect = plan::parseDialect(std::string_view(dialect.data(), dialect.size()));
  if (!options.dialect) {
    usageError(diags, "unknown dialect '" + dialect +
                          "'; expected one of buildkit, docker20, buildah, legacy");
    return std::nullopt;
  }
  return options;
}

std::optional<Compiled> compileAndReport(readers::DiagnosticEngine &diags,
                                         const CompileOptions &options,
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
  diags.printSummary(); // "N warnings generated." when there were any
  return std::move(*compiled);
}

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

/// One word of a command line as a POSIX shell reads it back.
std::string shellWord(llvm::StringRef word) {
  bool plain = !word.empty() && llvm::all_of(word, [](char c) {
    return llvm::isAlnum(c) || llvm::StringRef("@%+=:,./_-").contains(c);
  });
  if (plain)
    return word.str();
  std::string quoted = "'";
  for (char c : word)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// The gen command that rewrites a stale --check file.
std::string regenerateCommand(const GenOptions &options, const backends::Backend &backend) {
  std::string command = "imageplan gen " + shellWord(options.specPath) + " --emit " +
                        shellWord(backend.name) + " -o " + shellWord(options.checkFile);
  if (!options.contextDir.empty())
    command += " --context " + shellWord(options.contextDir);
  if (!options.baseImage.empty())
    command += " --base-image " + shellWord(options.baseImage);
  if (!options.dialect.empty())
    command += " --dialect " + shellWord(options.dialect);
  if (options.history)
    command += " --history=" + std::to_string(*options.history);
  return command;
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

} // namespace

int runGen(const GenOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);

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

  std::optional<Compiled> compiled = compileAndReport(
      diags, {options.specPath, options.contextDir, options.baseImage, options.dialect,
              options.history});
  if (!compiled)
    return 1;

  // Render everything before touching the disk: a failure writes nothing.
  std::vector<std::string> texts;
  for (const backends::Backend *backend : chosen) {
    spdlog::debug("emitting backend '{}'", backend->name);
    texts.push_back(backend->emit(compiled->plan));
  }

  if (!options.checkFile.empty())
    return checkUpToDate(options, diags, *chosen.front(), texts.front(), out);

  if (toStdout) {
    out << texts.front();
    out.flush();
    return 0;
  }

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
    std::vector<std::string> deps{options.specPath};
    for (const std::string &file : compiled->filesRead)
      if (!llvm::is_contained(deps, file))
        deps.push_back(file);
    writes.push_back({options.depfile, renderDepfile(writes.front().path, deps)});
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

int runCheck(const CheckOptions &options, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  bool ok = compileAndReport(diags, {options.specPath, options.contextDir, /*baseImage=*/"",
                                     options.dialect, options.history})
                .has_value();
  return ok ? 0 : 1;
}

} // namespace imageplan::driver
