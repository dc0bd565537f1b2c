// `imageplan diff`: compiles both specs (the old one from a file, or from git
// with --git REV), renders every layer, stage header and stage's image
// settings through the Dockerfile backend (comments dropped, so only what
// BuildKit's cache sees counts), diffs the plans, and prints the changes and
// their cache impact as text or as a Markdown review comment.
#include "tools/DiffCommand.h"

#include "analysis/DiffReport.h"
#include "analysis/Git.h"
#include "analysis/PlanDiff.h"
#include "backends/Backend.h"
#include "readers/InputFile.h"
#include "readers/TextEscape.h"
#include "tools/Compile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Path.h"

#include "spdlog/spdlog.h"


namespace imageplan::driver {
namespace {

/// The Dockerfile backend's text of each plan, stage by stage, as the diff
/// asks for it. The stages and layers the diff passes are those of the plans
/// given here, so their positions index the rendered text.
class BackendRenderer {
public:
  BackendRenderer(const Compiled &oldPlan, const Compiled &newPlan) {
    for (const Compiled *compiled : {&oldPlan, &newPlan})
      texts.push_back(
          {&compiled->plan, backends::dockerfileStages(compiled->plan, compiled->output)});
  }

  analysis::PlanRenderer renderer() const {
    analysis::PlanRenderer renderer;
    renderer.stageHeader = [this](const plan::Plan &plan, const plan::Stage &stage) {
      return stageText(plan, stage).header;
    };
    renderer.layerText = [this](const plan::Plan &plan, const plan::Stage &stage,
                                const plan::Layer &layer) {
      return stageText(plan, stage).layers.at(&layer - stage.layers.data());
    };
    renderer.stageSettings = [this](const plan::Plan &plan, const plan::Stage &stage) {
      return stageText(plan, stage).settings;
    };
    return renderer;
  }

private:
  const backends::DockerfileStageText &stageText(const plan::Plan &plan,
                                                 const plan::Stage &stage) const {
    for (const auto &[rendered, stages] : texts)
      if (rendered == &plan)
        return stages.at(&stage - plan.stages.data());
    llvm_unreachable("a plan the renderer was not given");
  }

  std::vector<std::pair<const plan::Plan *, std::vector<backends::DockerfileStageText>>> texts;
};

/// Compiles one spec (from its file, or from `bufferId` when not 0), printing
/// the diagnostics' summary only on failure.
std::optional<Compiled> compileOne(readers::DiagnosticEngine &diags, llvm::StringRef specPath,
                                   unsigned bufferId) {
  CompileOptions options;
  options.specPath = specPath.str();
  llvm::Expected<Compiled> compiled = bufferId ? compileSpecBuffer(diags, bufferId, options)
                                               : compileSpec(diags, options);
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    diags.printSummary();
    return std::nullopt;
  }
  return std::move(*compiled);
}

} // namespace

int runDiff(const DiffOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  readers::DiagnosticEngine diags(err);
  if (options.format != "text" && options.format != "markdown") {
    diags.error("unknown format '" + options.format + "'; expected text or markdown");
    return 1;
  }
  std::string oldName = options.oldSpec;
  unsigned oldBuffer = 0;
  if (!options.gitRevision.empty()) {
    auto old = analysis::fileAtRevision(options.newSpec, options.gitRevision);
    if (!old) {
      diags.error(llvm::toString(old.takeError()));
      return 1;
    }
    oldName = old->second;
    if (old->first.size() > readers::limits::kSpec.maxBytes) {
      diags.error("cannot read " + readers::quoteText(oldName) + ": it is larger than the " +
                  readers::describeSize(readers::limits::kSpec.maxBytes) + " limit for " +
                  readers::limits::kSpec.what);
      return 1;
    }
    oldBuffer = diags.addBuffer(old->first, oldName);
    spdlog::debug("diff: old spec is '{}'", oldName);
  }
  // With --git the old spec is compiled against today's build context: the
  // plan depends on the requirement files' names, not on their contents.
  std::optional<Compiled> oldPlan =
      compileOne(diags, oldBuffer ? options.newSpec : options.oldSpec, oldBuffer);
  if (!oldPlan)
    return 1;
  std::optional<Compiled> newPlan = compileOne(diags, options.newSpec, 0);
  if (!newPlan)
    return 1;
  diags.printSummary(); // "N warnings generated." when there were any

  BackendRenderer render(*oldPlan, *newPlan);
  analysis::PlanDiff diff = analysis::diffPlans(oldPlan->plan, newPlan->plan, render.renderer());
  out << (options.format == "markdown" ? analysis::diffMarkdown(diff, oldName, options.newSpec)
                                       : analysis::diffText(diff, oldName, options.newSpec));
  out.flush();
  return 0;
}

} // namespace imageplan::driver
