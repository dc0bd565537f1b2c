// Digest pins and the report of what the lock leaves open (Pins.h).
#include "planner/Pins.h"

#include "dsl/Lock.h"
#include "planner/GraphShared.h"

#include "llvm/ADT/STLExtras.h"

#include <set>

namespace imageplan::planner {
namespace {

constexpr llvm::StringLiteral BaseDigestLabel = "org.opencontainers.image.base.digest";
constexpr llvm::StringLiteral BaseNameLabel = "org.opencontainers.image.base.name";

/// How one problem is said: a warning, or, when the lock must match, an
/// error naming the lock as stale.
class Reporter {
public:
  Reporter(readers::DiagnosticEngine &diags, const PlanOptions &options)
      : diags(diags), options(options) {}

  /// A lock that pins nothing (rates from `tune` alone) leaves images and
  /// models to warnings: only a lock that pins can be stale about pins.
  void missing(llvm::SMLoc loc, const std::string &what, const std::string &advice) {
    bool pins = options.lock && (!options.lock->images.empty() || !options.lock->models.empty());
    if (options.lockMustMatch && pins)
      diags.error(loc, lockName() + " is stale: it has no " + what + "; run 'imageplan lock'");
    else if (options.reportPins)
      diags.warning(loc, advice);
  }
  void unused(llvm::SMLoc loc, const std::string &what) {
    if (options.lockMustMatch)
      diags.error(loc, lockName() + " is stale: it pins " + what +
                           ", which the spec does not use; run 'imageplan lock'");
    else if (options.reportPins)
      diags.warning(loc, "the lock pins " + what + ", which the spec does not use");
  }

private:
  std::string lockName() const { return "'" + options.lock->path + "'"; }
  readers::DiagnosticEngine &diags;
  const PlanOptions &options;
};

/// The digest label of each final image whose base is pinned: after the
/// base name, as the OCI annotations pair them.
void labelBaseDigests(plan::Plan &plan) {
  for (plan::Stage &stage : plan.stages) {
    if (!stage.runtime)
      continue;
    const plan::Stage *base = &stage;
    while (base->fromStage) {
      auto it = llvm::find_if(plan.stages, [&](const plan::Stage &s) { return s.name == base->from; });
      if (it == plan.stages.end())
        break;
      base = &*it;
    }
    llvm::StringRef digest = llvm::StringRef(base->from).split('@').second;
    plan::Pairs &labels = stage.runtime->labels;
    if (digest.empty() || llvm::any_of(labels, [](auto &l) { return l.first == BaseDigestLabel; }))
      continue;
    auto name = llvm::find_if(labels, [](auto &l) { return l.first == BaseNameLabel; });
    labels.insert(name == labels.end() ? labels.end() : name + 1,
                  std::make_pair(BaseDigestLabel.str(), digest.str()));
  }
}

void pinImages(plan::Plan &plan, const dsl::Spec &spec, const PlanOptions &options,
               Reporter &report) {
  std::set<std::string> used, warned; // membership only
  plan::forEachImage(plan, [&](std::string &ref) {
    if (llvm::StringRef(ref).contains('@'))
      return; // pinned by the spec
    const dsl::LockedImage *locked = options.lock ? options.lock->findImage(ref) : nullptr;
    if (!locked) {
      if (warned.insert(ref).second)
        report.missing(imageOrigin(spec, ref), "digest for image '" + ref + "'",
                       "image '" + ref + "' is not pinned by digest; run 'imageplan lock' to "
                       "record what it resolves to");
      return;
    }
    used.insert(ref);
    ref += "@" + locked->digest.value;
  });
  if (!options.lock)
    return;
  for (const dsl::LockedImage &image : options.lock->images)
    if (!used.count(image.image.value))
      report.unused(image.image.loc, "image '" + image.image.value + "'");
}

void reportModels(const dsl::Spec &spec, const PlanOptions &options, Reporter &report) {
  std::set<const dsl::LockedModel *> used;
  for (const dsl::ModelSpec &model : spec.models) {
    if (!model.bake.value)
      continue; // the app fetches it: nothing of it is in a layer
    std::string revision = model.revision ? model.revision->value : "main";
    if (dsl::isCommitId(revision))
      continue;
    const dsl::LockedModel *locked =
        options.lock ? options.lock->findModel(model.id.value, revision) : nullptr;
    if (locked) {
      used.insert(locked);
      continue;
    }
    llvm::SMLoc loc = model.revision ? model.revision->loc : model.id.loc;
    report.missing(loc, "commit for model '" + model.id.value + "' at '" + revision + "'",
                   "model '" + model.id.value + "' follows revision '" + revision +
                       "', which can move while the cached layer keeps the old files; run "
                       "'imageplan lock' to pin its commit");
  }
  if (!options.lock)
    return;
  for (const dsl::LockedModel &model : options.lock->models)
    if (!used.count(&model))
      report.unused(model.id.loc, "model '" + model.id.value + "' at '" + model.revision.value +
                                      "'");
}

} // namespace

llvm::SMLoc imageOrigin(const dsl::Spec &spec, llvm::StringRef ref) {
  for (const dsl::ArtifactSpec &artifact : spec.artifacts)
    if (artifact.image.value == ref)
      return artifact.image.loc;
  for (const dsl::StageSpec &stage : spec.stages)
    if (stage.image.value == ref)
      return stage.image.loc;
  for (const dsl::ModelSpec &model : spec.models)
    if (model.bake.value && model.image && model.image->value == ref)
      return model.image->loc;
  const dsl::BaseSpec &base = spec.base;
  if (base.image && base.image->value == ref)
    return base.image->loc;
  if (ref.startswith(kUvImage) && spec.python) {
    const dsl::PythonSpec &python = *spec.python;
    if (python.uvVersion)
      return python.uvVersion->loc;
    return python.manager ? python.manager->loc : python.loc;
  }
  // The slim image a model stage runs on when the model names none.
  for (const dsl::ModelSpec &model : spec.models)
    if (model.bake.value && !model.image && ref == dsl::kDefaultModelImage)
      return model.loc;
  if (base.image)
    return base.image->loc;
  return base.cuda ? base.cuda->loc : base.loc;
}

void applyLockToPlan(readers::DiagnosticEngine &diags, plan::Plan &plan, const dsl::Spec &spec,
                     const PlanOptions &options) {
  Reporter report(diags, options);
  pinImages(plan, spec, options, report);
  labelBaseDigests(plan);
  reportModels(spec, options, report);
}

} // namespace imageplan::planner
