// Variant stages and installs (VariantNodes.h).
#include "planner/VariantNodes.h"

#include "dsl/PythonProject.h"
#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/PythonNodes.h"
#include "planner/SystemManager.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::planner {
namespace {

const dsl::VariantSpec *baseVariantOf(const dsl::Spec &spec) {
  for (const dsl::VariantSpec &variant : spec.variants)
    if (llvm::any_of(variant.values, [](const auto &v) { return v.base.has_value(); }))
      return &variant;
  return nullptr;
}

/// "ubuntu22.04 (apt, python 3.10)": what a base must share with the others.
std::string describe(const BaseImages &base) {
  std::string python = base.shippedPython.empty() ? "" : ", python " + base.shippedPython;
  return (base.distro.empty() ? std::string("an unknown distribution") : base.distro) + " (" +
         plan::toString(base.manager) + python + ")";
}

/// What the names say of two bases agrees: the same package manager and
/// interpreter source, and the same Python where both names tell it.
bool alike(const BaseImages &a, const BaseImages &b) {
  bool pythonKnown = !a.shippedPython.empty() && !b.shippedPython.empty();
  return a.manager == b.manager && a.python == b.python && a.wolfi == b.wolfi &&
         (!pythonKnown || a.shippedPython == b.shippedPython);
}

/// The pip install of one value's packages, from its own indexes, under the
/// pins' constraints like every pip install.
plan::PipInstall valueInstall(const GraphInputs &in, const dsl::VariantValueSpec &value) {
  plan::PipInstall pip = pipInstallOp(in, values(value.packages));
  if (!value.indexUrls.empty())
    pip.indexUrls = values(value.indexUrls);
  in.useInstaller(pip, in.envPrefix());
  return pip;
}

} // namespace

std::string variantBaseStage(llvm::StringRef prefix, llvm::StringRef arg) {
  return (prefix + "${" + arg + "}").str();
}

std::string defaultValue(const dsl::VariantSpec &variant) {
  if (variant.defaultValue)
    return variant.defaultValue->value;
  return variant.values.empty() ? "" : variant.values.front().name.value;
}

std::optional<BaseVariant> resolveBaseVariant(readers::DiagnosticEngine &diags,
                                              const dsl::Spec &spec, const BaseImages &base,
                                              llvm::StringRef override) {
  const dsl::VariantSpec *variant = baseVariantOf(spec);
  if (!variant)
    return std::nullopt;
  BaseVariant out{variant->arg.value, defaultValue(*variant), {}, false};
  // Compared as the names resolve, before `environment: base` says what
  // the spec's base ships.
  // An explicit `system.manager` applies to every value; otherwise each
  // image's name says what it uses.
  auto withManager = [&](BaseImages images) {
    if (spec.system.manager)
      images.manager = base.manager;
    return images;
  };
  BaseImages specBase = withManager(resolveBase(spec.base, override));
  for (const dsl::VariantValueSpec &value : variant->values) {
    BaseImages images = withManager(resolveBase(value.base ? *value.base : spec.base, override));
    if (value.base && !alike(images, specBase))
      diags.error(value.base->loc, "the base of value '" + value.name.value + "' is " +
                                       describe(images) + ", and the spec's base is " +
                                       describe(specBase) +
                                       "; a variant may only swap images "
                                       "of one distribution, where one plan fits both");
    out.develDiffers = out.develDiffers || images.devel != images.runtime;
    out.bases.push_back({value.name.value, std::move(images)});
  }
  return out;
}

void addVariantBaseStages(BuildGraph &graph, const GraphInputs &in, bool builder) {
  if (!in.baseVariant)
    return;
  const BaseVariant &variant = *in.baseVariant;
  graph.args.push_back({variant.arg, variant.defaultValue});
  auto alias = [&](const std::string &name, const std::string &image, const std::string &value) {
    StageInfo info;
    info.name = name;
    info.from = image;
    info.purpose = "the base when " + variant.arg + "=" + value;
    info.posixShell = true; // it runs nothing
    addStage(graph, std::move(info));
  };
  for (const auto &[value, images] : variant.bases)
    alias("base-" + value, images.runtime, value);
  if (builder && variant.develDiffers)
    for (const auto &[value, images] : variant.bases)
      alias("builder-base-" + value, images.devel, value);
}

std::optional<unsigned> addVariantPackages(BuildGraph &graph, const GraphInputs &in,
                                           const StageAnchors &where) {
  std::optional<unsigned> last = where.pins;
  for (const dsl::VariantSpec &variant : in.spec.variants) {
    if (llvm::none_of(variant.values, [](const auto &v) { return !v.packages.empty(); }))
      continue;
    plan::VariantSwitch choice{variant.arg.value, {}};
    double cost = 0;
    for (const dsl::VariantValueSpec &value : variant.values) {
      std::vector<plan::VariantInstall> installs;
      if (!value.packages.empty())
        installs.push_back(valueInstall(in, value));
      double valueCost = costs::kPipBase;
      for (const dsl::LString &package : value.packages)
        valueCost += costs::pipPackageCost(package.value);
      cost = std::max(cost, valueCost);
      choice.cases.push_back({value.name.value, std::move(installs)});
    }
    Node &node =
        addNode(graph, NodeKind::PythonPackages, "python packages by " + variant.arg.value,
                where.stage, variant.loc, costs::kPinnedPackagesRate, cost,
                {plan::DeclareArg{variant.arg.value, defaultValue(variant)}, std::move(choice)},
                {"python"});
    needs(graph, node, where.interpreter);
    needs(graph, node, where.system);
    needs(graph, node, where.installer);
    needs(graph, node, last);
    last = node.id;
  }
  return last;
}

const dsl::VariantSpec *extrasVariant(const dsl::Spec &spec) {
  for (const dsl::VariantSpec &variant : spec.variants)
    if (llvm::any_of(variant.values, [](const auto &v) { return !v.extras.empty(); }))
      return &variant;
  return nullptr;
}

} // namespace imageplan::planner
