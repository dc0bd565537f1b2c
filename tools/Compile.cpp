// The compiler pipeline (see Compile.h). Library errors have already been
// printed through the DiagnosticEngine; here they only stop the run.
#include "tools/Compile.h"

#include "analysis/GitHistory.h"
#include "dsl/Parser.h"
#include "planner/GraphDot.h"
#include "planner/Planner.h"
#include "tools/lock/Rates.h"
#include "tools/Output.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"

namespace imageplan::driver {
namespace {



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

/// The lock to plan with: --lock (which must exist), else imageplan.lock
/// beside the spec when there is one; an error after reporting a bad one.
llvm::Expected<std::optional<dsl::Lock>> lockFor(readers::DiagnosticEngine &diags,
                                                 const CompileOptions &options) {
  if (options.noLock)
    return std::nullopt;
  std::string path = lockPathOf(options);
  if (options.lockPath.empty() && !llvm::sys::fs::exists(path))
    return std::nullopt;
  llvm::Expected<unsigned> buffer = diags.addFile(path, readers::limits::kLockFile);
  if (!buffer) {
    diags.error(llvm::toString(buffer.takeError()));
    return readers::diagnosticsReported(diags.errorCount());
  }
  spdlog::debug("reading lock '{}'", path);
  llvm::Expected<dsl::Lock> lock = dsl::parseLock(diags, *buffer, path);
  if (!lock)
    return lock.takeError();
  return std::optional<dsl::Lock>(std::move(*lock));
}

/// The dialect called `name`; std::nullopt after reporting an unknown name.
std::optional<backends::Dialect> dialectNamed(readers::DiagnosticEngine &diags,
                                              llvm::StringRef name) {
  if (std::optional<backends::Dialect> dialect =
          backends::parseDialect(std::string_view(name.data(), name.size())))
    return dialect;
  std::vector<std::string> names;
  for (backends::Dialect dialect : backends::kDialects)
    names.push_back(backends::toString(dialect));
  diags.error("unknown dialect '" + name + "'; expected one of " + llvm::join(names, ", "));
  return std::nullopt;
}

} // namespace

std::string lockPathOf(const CompileOptions &options) {
  if (!options.lockPath.empty())
    return options.lockPath;
  llvm::SmallString<256> path(llvm::sys::path::parent_path(options.specPath));
  llvm::sys::path::append(path, dsl::kLockFileName);
  return path.str().str();
}

std::string contextDirOf(const CompileOptions &options) {
  if (!options.contextDir.empty())
    return options.contextDir;
  llvm::StringRef parent = llvm::sys::path::parent_path(options.specPath);
  return parent.empty() ? "." : parent.str();
}

std::string specPathFor(llvm::StringRef path) {
  if (path.empty() || !llvm::sys::fs::is_directory(path))
    return path.str();
  llvm::SmallString<256> spec(path);
  llvm::sys::path::append(spec, "imageplan.yaml");
  return spec.str().str();
}

llvm::Expected<Compiled> compileSpec(readers::DiagnosticEngine &diags,
                                     const CompileOptions &options, std::string *graphDot) {
  spdlog::debug("reading spec '{}'", options.specPath);
  llvm::Expected<unsigned> buffer = diags.addFile(options.specPath, readers::limits::kSpec);
  if (!buffer) {
    diags.error(llvm::toString(buffer.takeError()));
    return readers::diagnosticsReported(diags.errorCount());
  }
  return compileSpecBuffer(diags, *buffer, options, graphDot);
}

llvm::Expected<Compiled> compileSpecBuffer(readers::DiagnosticEngine &diags, unsigned bufferId,
                                           const CompileOptions &options,
                                           std::string *graphDot) {
  // A usage error comes before the spec is parsed.
  if (!options.dialect.empty() && !dialectNamed(diags, options.dialect))
    return readers::diagnosticsReported(diags.errorCount());
  if (std::string why = options.cacheRef.empty() ? "" : dsl::repositoryProblem(options.cacheRef);
      !why.empty()) {
    diags.error("invalid --cache-ref '" + options.cacheRef + "'; " + why);
    return readers::diagnosticsReported(diags.errorCount());
  }
  std::string contextDir = contextDirOf(options);
  std::string specName = specNameInContext(options.specPath, contextDir);
  spdlog::debug("parsing spec as '{}' (build context '{}')", specName, contextDir);
  llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, bufferId, specName);
  if (!spec)
    return spec.takeError();

  Compiled compiled;
  if (llvm::Error err = dsl::checkSpec(diags, *spec, contextDir, &compiled.filesRead))
    return err;
  // --dialect wins over the spec's `dialect:` (a name the dsl checked).
  llvm::StringRef dialectName = !options.dialect.empty() ? llvm::StringRef(options.dialect)
                                : spec->dialect ? llvm::StringRef(spec->dialect->value)
                                                : llvm::StringRef("buildkit");
  std::optional<backends::Dialect> dialect = dialectNamed(diags, dialectName);
  if (!dialect)
    return readers::diagnosticsReported(diags.errorCount());
  compiled.output.dialect = *dialect;
  if (llvm::Error err = dsl::checkBuildSecrets(diags, *spec, backends::toString(*dialect),
                                               backends::rulesFor(*dialect).secretMounts))
    return err;

  llvm::Expected<std::optional<dsl::Lock>> lock = lockFor(diags, options);
  if (!lock)
    return lock.takeError();
  compiled.lock = std::move(*lock);
  if (compiled.lock)
    compiled.filesRead.push_back(compiled.lock->path);

  planner::PlanOptions planOptions;
  planOptions.baseOverride = options.baseImage;
  planOptions.cacheRef = options.cacheRef;
  planOptions.lock = compiled.lock ? &*compiled.lock : nullptr;
  planOptions.reportPins = options.reportPins;
  planOptions.lockMustMatch = options.lockMustMatch;
  llvm::Expected<std::optional<dsl::ProjectRequirements>> declared =
      dsl::readProjectRequirements(diags, *spec, contextDir, &compiled.filesRead);
  if (!declared)
    return declared.takeError();
  planOptions.projectRequirements = std::move(*declared);
  std::optional<planner::History> history =
      options.ignoreHistory ? std::nullopt
                            : historyFor(diags, *spec, contextDir, options.history);
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
  // gen --check: measured rates still hold (needs the repository's history).
  if (options.lockMustMatch && compiled.lock && !history &&
      !lock::checkRatesCurrent(diags, *spec, planOptions, contextDir, *compiled.lock))
    return readers::diagnosticsReported(diags.errorCount());
  // A phase that printed an error must not let the run succeed.
  if (diags.hasErrors())
    return readers::diagnosticsReported(diags.errorCount());
  spdlog::debug("plan '{}': {} stage(s)", plan->name, plan->stages.size());
  compiled.plan = std::move(*plan);
  compiled.spec = std::move(*spec);
  return compiled;
}

std::optional<Compiled> compileAndReport(readers::DiagnosticEngine &diags,
                                         const CompileOptions &options, std::string *graphDot) {
  llvm::Expected<Compiled> compiled = compileSpec(diags, options, graphDot);
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    diags.printSummary();
    return std::nullopt;
  }
  diags.printSummary(); // "N warnings generated." when there were any
  return std::move(*compiled);
}

} // namespace imageplan::driver
