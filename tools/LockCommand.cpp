// The lock and tune subcommands (LockCommand.h): compile the spec without a
// lock, resolve every unpinned image and model revision (keeping what the
// user pinned), measure rates when asked, and write the lock atomically.
#include "tools/LockCommand.h"

#include "planner/Pins.h"
#include "readers/Diagnostics.h"
#include "readers/InputFile.h"
#include "tools/Output.h"
#include "tools/lock/LockFile.h"
#include "tools/lock/Rates.h"
#include "tools/lock/Resolve.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include "spdlog/spdlog.h"

namespace imageplan::driver {
namespace {

struct Pins {
  std::vector<lock::ImagePin> images;
  std::vector<lock::ModelPin> models;
};

/// --pin IMAGE=sha256:<hex> or --pin ID@REVISION=<commit>; false after
/// reporting one that is neither.
bool parsePins(readers::DiagnosticEngine &diags, const std::vector<std::string> &given, Pins &pins) {
  for (const std::string &pin : given) {
    auto [left, right] = llvm::StringRef(pin).rsplit('=');
    if (right.startswith("sha256:") && right.size() == 71 && !left.empty()) {
      pins.images.push_back({left.str(), right.str(), true});
      continue;
    }
    auto [id, revision] = left.rsplit('@');
    if (dsl::isCommitId(right) && !id.empty() && !revision.empty()) {
      pins.models.push_back({id.str(), revision.str(), right.str(), true});
      continue;
    }
    diags.error("--pin " + pin + ": expected IMAGE=sha256:<64 hex> or ID@REVISION=<40-hex commit>");
    return false;
  }
  return true;
}

/// The lock being rewritten, when there is one; an error after reporting a
/// malformed one.
llvm::Expected<lock::LockData> previousLock(readers::DiagnosticEngine &diags,
                                            const std::string &path) {
  if (!llvm::sys::fs::exists(path))
    return lock::LockData();
  llvm::Expected<unsigned> buffer = diags.addFile(path, readers::limits::kLockFile);
  if (!buffer) {
    diags.error(llvm::toString(buffer.takeError()));
    return readers::diagnosticsReported(diags.errorCount());
  }
  llvm::Expected<dsl::Lock> lock = dsl::parseLock(diags, *buffer, path);
  if (!lock)
    return lock.takeError();
  return lock::fromLock(*lock);
}

lock::ResolveOptions resolveOptions(const LockOptions &options, readers::DiagnosticEngine &diags) {
  lock::ResolveOptions resolve;
  resolve.resolver = *lock::parseResolver(options.resolver);
  if (!options.hubEndpoint.empty())
    resolve.hubEndpoint = options.hubEndpoint;
  else if (llvm::Optional<std::string> env = llvm::sys::Process::GetEnv("HF_ENDPOINT"))
    resolve.hubEndpoint = *env;
  if (!options.hubTokenFile.empty()) {
    auto token = readers::readInputFile(options.hubTokenFile, readers::limits::kTokenFile);
    if (token)
      resolve.hubToken = (*token)->getBuffer().trim().str();
    else
      diags.error(llvm::toString(token.takeError()));
  } else if (llvm::Optional<std::string> env = llvm::sys::Process::GetEnv("HF_TOKEN")) {
    resolve.hubToken = llvm::StringRef(*env).trim().str();
  }
  return resolve;
}

class Locker {
public:
  Locker(readers::DiagnosticEngine &diags, const LockOptions &options, const Compiled &compiled,
         const lock::LockData &previous, Pins given)
      : diags(diags), options(options), compiled(compiled), previous(previous),
        given(std::move(given)), resolve(resolveOptions(options, diags)) {}

  lock::LockData run() {
    lock::LockData data;
    for (const std::string &image : plan::imageReferences(compiled.plan))
      if (!llvm::StringRef(image).contains('@'))
        pinImage(image, data);
    for (const dsl::ModelSpec &model : compiled.spec.models)
      if (model.bake.value)
        pinModel(model, data);
    for (const lock::ImagePin &pin : given.images)
      if (!data.findImage(pin.image))
        diags.error("--pin " + pin.image + "=...: the plan uses no image '" + pin.image + "'");
    for (const lock::ModelPin &pin : given.models)
      if (!data.findModel(pin.id, pin.revision))
        diags.error("--pin " + pin.id + "@" + pin.revision + "=...: no baked model '" + pin.id +
                    "' follows revision '" + pin.revision + "'");
    data.rates = previous.rates;
    return data;
  }

private:
  void pinImage(const std::string &image, lock::LockData &data) {
    auto chosen = llvm::find_if(given.images, [&](auto &p) { return p.image == image; });
    const lock::ImagePin *kept = previous.findImage(image);
    if (chosen != given.images.end()) {
      data.images.push_back(*chosen);
    } else if (kept && (kept->byUser || options.ratesOnly)) {
      data.images.push_back(*kept);
    } else if (!options.ratesOnly) {
      std::string via;
      llvm::Expected<std::string> digest = lock::resolveImageDigest(image, resolve, &via);
      if (!digest) {
        diags.error(planner::imageOrigin(compiled.spec, image),
                    "cannot resolve image '" + image + "': " + llvm::toString(digest.takeError()) +
                        "; give its digest with --pin " + image + "=sha256:...");
        return;
      }
      spdlog::debug("image '{}' is {} ({})", image, *digest, via);
      data.images.push_back({image, *digest, false});
    }
  }

  void pinModel(const dsl::ModelSpec &model, lock::LockData &data) {
    std::string revision = model.revision ? model.revision->value : "main";
    if (dsl::isCommitId(revision) || data.findModel(model.id.value, revision))
      return;
    auto chosen = llvm::find_if(given.models, [&](auto &p) {
      return p.id == model.id.value && p.revision == revision;
    });
    const lock::ModelPin *kept = previous.findModel(model.id.value, revision);
    if (chosen != given.models.end()) {
      data.models.push_back(*chosen);
    } else if (kept && (kept->byUser || options.ratesOnly)) {
      data.models.push_back(*kept);
    } else if (!options.ratesOnly) {
      llvm::Expected<std::string> commit =
          lock::resolveModelCommit(model.id.value, revision, resolve);
      if (!commit) {
        diags.error(model.revision ? model.revision->loc : model.id.loc,
                    "cannot resolve model '" + model.id.value + "' at '" + revision +
                        "': " + llvm::toString(commit.takeError()) + "; give its commit with --pin " +
                        model.id.value + "@" + revision + "=<commit>");
        return;
      }
      data.models.push_back({model.id.value, revision, *commit, false});
    }
  }

  readers::DiagnosticEngine &diags;
  const LockOptions &options;
  const Compiled &compiled;
  const lock::LockData &previous;
  Pins given;
  lock::ResolveOptions resolve;
};

/// The spec's path as the lock's header names it: relative to the lock's folder.
std::string specNameFor(const std::string &specPath, const std::string &lockPath) {
  llvm::SmallString<256> spec(specPath), folder(llvm::sys::path::parent_path(lockPath));
  llvm::sys::fs::make_absolute(spec);
  llvm::sys::fs::make_absolute(folder);
  llvm::StringRef relative = spec;
  if (relative.consume_front(folder) && relative.consume_front("/"))
    return relative.str();
  return llvm::sys::path::filename(specPath).str();
}

} // namespace

int runLock(const LockOptions &options, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (!lock::parseResolver(options.resolver)) {
    diags.error("unknown resolver '" + options.resolver +
                "'; expected auto, skopeo, imagetools, registry or none");
    return 1;
  }
  Pins given;
  if (!parsePins(diags, options.pins, given))
    return 1;
  CompileOptions compile = options.compile;
  compile.noLock = true; // the tags as the spec writes them
  llvm::Expected<Compiled> compiled = compileSpec(diags, compile);
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    diags.printSummary();
    return 1;
  }
  std::string path = options.outputFile.empty() ? lockPathOf(options.compile) : options.outputFile;
  llvm::Expected<lock::LockData> previous = previousLock(diags, path);
  if (!previous) {
    llvm::consumeError(previous.takeError());
    diags.printSummary();
    return 1;
  }
  lock::LockData data = Locker(diags, options, *compiled, *previous, std::move(given)).run();
  if (options.history) {
    planner::PlanOptions plan;
    plan.baseOverride = options.compile.baseImage;
    double tolerance = options.tolerance.value_or(
        previous->rates ? previous->rates->tolerance : dsl::kDefaultRateTolerance);
    unsigned window = *options.history;
    if (window == 0)
      window = compiled->spec.history ? static_cast<unsigned>(compiled->spec.history->value) : 500;
    llvm::Expected<lock::Rates> rates = lock::measureRates(
        diags, compiled->spec, plan, contextDirOf(options.compile), window, tolerance);
    if (!rates)
      diags.error("cannot measure change rates: " + llvm::toString(rates.takeError()));
    else
      data.rates = std::move(*rates);
  } else if (options.tolerance && data.rates) {
    data.rates->tolerance = *options.tolerance;
  }
  diags.printSummary();
  if (diags.hasErrors())
    return 1;
  std::string text = lock::renderLock(data, specNameFor(options.compile.specPath, path));
  llvm::Expected<WriteOutcome> written = writeFileAtomically(path, text, /*onlyIfChanged=*/true);
  if (!written) {
    diags.error(llvm::toString(written.takeError()));
    return 1;
  }
  spdlog::debug("{} '{}'", *written == WriteOutcome::Written ? "wrote" : "unchanged", path);
  return 0;
}

} // namespace imageplan::driver
