// Variant rules (VariantCheck.h).
#include "dsl/VariantCheck.h"

#include "dsl/PythonProject.h"
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

namespace imageplan::dsl {
namespace {

/// What each value selects must be something the spec's Python installs.
void checkSelections(readers::DiagnosticEngine &diags, const Spec &spec,
                     const VariantValueSpec &value) {
  std::optional<PythonManager> manager;
  if (spec.python)
    manager = pythonManager(*spec.python);
  if (!value.packages.empty() && manager != PythonManager::Pip)
    diags.error(value.packages.front().loc,
                !manager ? "a variant's 'packages' are installed with pip; add a 'python' section"
                         : "a variant's 'packages' are installed with pip; with manager '" +
                               std::string(toString(*manager)) +
                               "' select them with the lock's 'extras' instead");
  if (!value.indexUrls.empty() && value.packages.empty())
    diags.error(value.indexUrls.front().loc,
                "a variant's 'index_urls' are where its 'packages' come from; it has none");
  if (!value.extras.empty() && (!manager || manager == PythonManager::Pip))
    diags.error(value.extras.front().loc,
                "a variant's 'extras' select extras of a lock file (manager uv or poetry); with "
                "pip give the value its 'packages'");
}

void checkValues(readers::DiagnosticEngine &diags, const Spec &spec, const VariantSpec &variant) {
  llvm::StringMap<llvm::SMLoc> seen;
  llvm::SmallVector<llvm::StringRef, 8> names;
  for (const VariantValueSpec &value : variant.values) {
    checkSelections(diags, spec, value);
    if (value.name.value.empty())
      continue;
    auto [it, inserted] = seen.try_emplace(value.name.value, value.name.loc);
    if (!inserted) {
      diags.error(value.name.loc, "duplicate value " + quoteValue(value.name.value) +
                                      " of variant " + quoteValue(variant.arg.value));
      diags.note(it->second, "previous definition is here");
    }
    names.push_back(value.name.value);
  }
  if (variant.values.size() < 2)
    diags.error(variant.loc, "variant " + quoteValue(variant.arg.value) +
                                 " needs at least two values to choose from");
  if (!variant.defaultValue || llvm::is_contained(names, variant.defaultValue->value))
    return;
  std::string suggestion = readers::closestMatch(variant.defaultValue->value, names);
  diags.error(variant.defaultValue->loc,
              "default " + quoteValue(variant.defaultValue->value) + " is not a value of " +
                  quoteValue(variant.arg.value) +
                  (suggestion.empty() ? "; expected one of " + llvm::join(names, ", ")
                                      : "; did you mean '" + suggestion + "'?"));
}

bool selectsBase(const VariantSpec &variant) {
  return llvm::any_of(variant.values, [](const VariantValueSpec &v) { return v.base.has_value(); });
}

bool selectsExtras(const VariantSpec &variant) {
  return llvm::any_of(variant.values, [](const VariantValueSpec &v) { return !v.extras.empty(); });
}

/// The alias stages of a variant that selects the base are named
/// base-<value> and builder-base-<value>.
void checkAliasNames(readers::DiagnosticEngine &diags, const Spec &spec) {
  auto check = [&](const LString &name, const char *what) {
    llvm::StringRef value = name.value;
    if (value.startswith("base-") || value.startswith("builder-base-"))
      diags.error(name.loc, std::string(what) + " name " + quoteValue(value) +
                                " is reserved for the stages of the variant that selects the "
                                "base (base-<value>, builder-base-<value>)");
  };
  for (const StageSpec &stage : spec.stages)
    check(stage.name, "stage");
  for (const TargetSpec &target : spec.targets)
    check(target.name, "target");
}

} // namespace

void checkVariants(readers::DiagnosticEngine &diags, const Spec &spec) {
  llvm::StringMap<llvm::SMLoc> args;
  const VariantSpec *baseVariant = nullptr;
  const VariantSpec *extras = nullptr;
  for (const VariantSpec &variant : spec.variants) {
    const LString &arg = variant.arg;
    if (!arg.value.empty()) {
      if (llvm::is_contained(kReservedBuildArgs, arg.value))
        diags.error(arg.loc, "build argument " + quoteValue(arg.value) +
                                 " is one Docker or imageplan defines; choose another name");
      auto [it, inserted] = args.try_emplace(arg.value, arg.loc);
      if (!inserted) {
        diags.error(arg.loc, "duplicate variant " + quoteValue(arg.value));
        diags.note(it->second, "previous definition is here");
      }
    }
    checkValues(diags, spec, variant);
    if (selectsExtras(variant)) {
      if (extras) {
        diags.error(variant.loc, "only one variant may select extras of the lock; " +
                                     quoteValue(extras->arg.value) + " does already");
        diags.note(extras->loc, "it is here");
      } else {
        extras = &variant;
      }
    }
    if (!selectsBase(variant))
      continue;
    if (baseVariant) {
      diags.error(variant.loc, "only one variant may select the base; " +
                                   quoteValue(baseVariant->arg.value) + " does already");
      diags.note(baseVariant->loc, "it is here");
      continue;
    }
    baseVariant = &variant;
  }
  if (baseVariant)
    checkAliasNames(diags, spec);
}

} // namespace imageplan::dsl
