// Measured rates and their staleness (Rates.h).
#include "tools/lock/Rates.h"

#include "analysis/GitHistory.h"
#include "planner/Graph.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace imageplan::lock {
namespace {

std::string describeRate(size_t changed, size_t commits) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.3f", commits ? double(changed) / double(commits) : 0.0) << " ("
     << changed << " of " << commits << " commits)";
  return os.str();
}

} // namespace

llvm::Expected<Rates> measureRates(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                                   planner::PlanOptions options, llvm::StringRef contextDir,
                                   unsigned window, double tolerance) {
  llvm::Expected<planner::History> history = analysis::readHistory(contextDir, window);
  if (!history)
    return history.takeError();
  options.history = nullptr;
  options.lock = nullptr;
  options.reportPins = options.lockMustMatch = false;
  llvm::Expected<planner::BuildGraph> graph = planner::buildGraph(diags, spec, options);
  if (!graph)
    return graph.takeError();
  Rates rates;
  rates.history = window;
  rates.commits = history->commits.size();
  rates.tolerance = tolerance;
  rates.inputs = planner::measureInputRates(*graph, *history);
  return rates;
}

bool checkRatesCurrent(readers::DiagnosticEngine &diags, const dsl::Spec &spec,
                       const planner::PlanOptions &options, llvm::StringRef contextDir,
                       const dsl::Lock &lock) {
  if (!lock.rates)
    return true;
  const dsl::LockedRates &locked = *lock.rates;
  unsigned errorsBefore = diags.errorCount();
  llvm::Expected<Rates> now =
      measureRates(diags, spec, options, contextDir,
                   static_cast<unsigned>(locked.history.value), lock.tolerance());
  if (!now) {
    diags.warning(locked.loc, "cannot check the measured rates: " +
                                  llvm::toString(now.takeError()));
    return diags.errorCount() == errorsBefore;
  }
  if (now->commits < static_cast<size_t>(locked.commits.value)) {
    diags.warning(locked.loc, "the repository has " + llvm::Twine(now->commits) +
                                  " of the " + llvm::Twine(locked.commits.value) +
                                  " commits the rates were measured over (a shallow clone?); "
                                  "not checking them");
    return true;
  }
  for (const dsl::LockedInput &input : locked.inputs) {
    std::vector<std::string> paths, exclude;
    for (const dsl::LString &p : input.paths)
      paths.push_back(p.value);
    for (const dsl::LString &p : input.exclude)
      exclude.push_back(p.value);
    for (const planner::InputRate &measured : now->inputs) {
      if (measured.paths != paths || measured.exclude != exclude)
        continue;
      double was = locked.commits.value ? double(input.changed.value) / locked.commits.value : 0;
      double is = now->commits ? double(measured.changed) / double(now->commits) : 0;
      if (std::fabs(is - was) <= lock.tolerance() + 1e-12)
        break;
      diags.error(input.changed.loc,
                  "'" + lock.path + "' is stale: " + llvm::join(paths, ", ") + " changed in " +
                      describeRate(measured.changed, now->commits) + ", the lock says " +
                      describeRate(static_cast<size_t>(input.changed.value),
                                   static_cast<size_t>(locked.commits.value)) +
                      ", more than the tolerance of " +
                      llvm::formatv("{0}", lock.tolerance()).str() + "; run 'imageplan tune'");
      break;
    }
  }
  return diags.errorCount() == errorsBefore;
}

} // namespace imageplan::lock
