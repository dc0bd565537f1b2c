// parseSpec: YAML text to dsl::Spec. YamlLoad builds the node tree; the
// SpecParser (SpecParser.h) knows the schema: which keys each mapping holds,
// and what their values may be. This file reads the top level, base and system.
#include "dsl/Parser.h"

#include "dsl/SpecParser.h"
#include "dsl/YamlLoad.h"

#include <climits>

namespace imageplan::dsl {

void SpecParser::readTop(const YAML::Node &root, llvm::SMLoc loc) {
  if (!readSchemaVersion(root, loc))
    return;
  r.readMapping(
      root, loc,
      {
          {"imageplan", [](const Field &) {}, /*required=*/true}, // see readSchemaVersion
          {"name",
           [&](const Field &f) {
             if (auto v = r.string(f, &rules::imageName))
               spec.name = *v;
           },
           /*required=*/true},
          {"base", [&](const Field &f) { readBase(f); }, /*required=*/true},
          {"python", [&](const Field &f) { readPython(f); }},
          {"system", [&](const Field &f) { readSystem(f); }},
          {"models", [&](const Field &f) { readModels(f); }},
          {"assets", [&](const Field &f) { readAssets(f); }},
          {"app", [&](const Field &f) { readApp(f); }, /*required=*/true},
          {"steps", [&](const Field &f) { readSteps(f); }},
          {"artifacts", [&](const Field &f) { readArtifacts(f); }},
          {"files", [&](const Field &f) { readFiles(f); }},
          {"stages", [&](const Field &f) { readStages(f); }},
          {"targets", [&](const Field &f) { readTargets(f); }},
          {"variants", [&](const Field &f) { readVariants(f); }},
          {"labels", [&](const Field &f) { spec.labels = r.stringMap(f, rules::labelKey); }},
          {"publish", [&](const Field &f) { readPublish(f); }},
          {"cache", [&](const Field &f) { readCache(f); }},
          {"dialect", [&](const Field &f) { spec.dialect = r.string(f, &rules::dialect); }},
          {"history",
           [&](const Field &f) { spec.history = r.integer(f, 1, 100000, "number of commits"); }},
      });
}

// The version is read before anything else: a spec written for another
// version is not checked against this schema, where every difference would
// show up as an error of its own.
bool SpecParser::readSchemaVersion(const YAML::Node &root, llvm::SMLoc loc) {
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() != "imageplan")
      continue;
    llvm::SMLoc keyLoc = r.locOf(it->first, loc);
    Field field{"imageplan", keyLoc, it->second, r.locOf(it->second, keyLoc)};
    std::optional<LInt> version = r.integer(field, LLONG_MIN, LLONG_MAX, "schema version");
    if (!version)
      return true;
    spec.schema = *version;
    if (version->value == 1)
      return true;
    r.diags().error(version->loc, "unsupported schema version " + field.value.Scalar() +
                                      "; this imageplan reads version 1");
    return false;
  }
  return true;
}

void SpecParser::requireOneOf(const KeysSeen &seen, const char *first, const char *second,
                              const Field &section) {
  llvm::SMLoc a = seen.find(first), b = seen.find(second);
  if (!a.isValid() && !b.isValid()) {
    r.diags().error(section.keyLoc,
                    "'" + section.key + "' needs '" + first + "' or '" + second + "'");
    return;
  }
  if (!a.isValid() || !b.isValid())
    return;
  // Point at whichever was written last; the note shows the other one.
  bool firstIsLater = a.getPointer() > b.getPointer();
  r.diags().error(firstIsLater ? a : b, "'" + section.key + "' sets both '" + first + "' and '" +
                                            second + "'; use only one");
  r.diags().note(firstIsLater ? b : a,
                 llvm::Twine("'") + (firstIsLater ? second : first) + "' is set here");
}

void SpecParser::readBase(const Field &field) { readBaseInto(field, spec.base); }

bool SpecParser::readBaseInto(const Field &field, BaseSpec &base) {
  base.loc = field.keyLoc;
  std::optional<KeysSeen> seen = r.readSection(
      field, {
                 {"cuda", [&](const Field &f) { base.cuda = r.string(f, &rules::cudaVersion); }},
                 {"cudnn", [&](const Field &f) { base.cudnn = r.string(f, &rules::cudnnVersion); }},
                 {"os", [&](const Field &f) { base.os = r.string(f, &rules::osName); }},
                 {"image", [&](const Field &f) { base.image = r.string(f, &rules::baseImage); }},
                 {"digest", [&](const Field &f) { base.digest = r.string(f, &rules::digest); }},
                 {"flavor", [&](const Field &f) { base.flavor = r.string(f, &rules::cudaFlavor); }},
                 {"builder_flavor",
                  [&](const Field &f) {
                    base.builderFlavor = r.string(f, &rules::cudaBuilderFlavor);
                  }},
                 {"registry",
                  [&](const Field &f) { base.registry = r.string(f, &rules::registry); }},
                 {"driver",
                  [&](const Field &f) { base.driver = r.string(f, &rules::driverVersion); }},
             });
  if (!seen)
    return false;
  requireOneOf(*seen, "cuda", "image", field);
  if (seen->has("cuda"))
    return true;
  for (const char *key : {"cudnn", "os", "flavor", "builder_flavor", "registry", "driver"})
    if (llvm::SMLoc loc = seen->find(key); loc.isValid())
      r.diags().error(loc, llvm::Twine("'") + key + "' only applies to a 'cuda' base");
  return true;
}

void SpecParser::readSystem(const Field &field) {
  SystemSpec &system = spec.system;
  system.loc = field.keyLoc;
  r.readSection(
      field,
      {
          {"packages",
           [&](const Field &f) { system.packages = r.stringList(f, &rules::systemPackage); }},
          {"build_packages",
           [&](const Field &f) { system.buildPackages = r.stringList(f, &rules::systemPackage); }},
          {"manager",
           [&](const Field &f) { system.manager = r.string(f, &rules::packageManager); }},
          {"repositories", [&](const Field &f) { readRepositories(f); }},
      });
}

namespace {

/// Steps and stages beyond the limits, reported at the first one too many.
void checkSpecSize(readers::DiagnosticEngine &diags, const Spec &spec, const SpecLimits &limits) {
  std::vector<llvm::SMLoc> steps, stages;
  for (const StepSpec &step : spec.steps)
    steps.push_back(step.loc);
  for (const StageSpec &stage : spec.stages) {
    stages.push_back(stage.loc);
    for (const StepSpec &step : stage.steps)
      steps.push_back(step.loc);
  }
  for (const TargetSpec &target : spec.targets)
    stages.push_back(target.loc);
  if (steps.size() > limits.maxSteps)
    diags.error(steps[limits.maxSteps], "more than " + llvm::Twine(limits.maxSteps) +
                                            " steps in the spec (top level and stages together)");
  if (stages.size() > limits.maxStages)
    diags.error(stages[limits.maxStages], "more than " + llvm::Twine(limits.maxStages) +
                                              " stages and targets in the spec");
}

} // namespace

llvm::Expected<Spec> parseSpec(readers::DiagnosticEngine &diags, unsigned bufferId,
                               llvm::StringRef displayPath, const SpecLimits &limits) {
  unsigned errorsBefore = diags.errorCount();
  YamlReader reader(diags, bufferId, limits);
  Spec spec;
  spec.path = displayPath.str();

  if (std::optional<YAML::Node> root = loadSingleDocument(reader)) {
    // Reading a loaded tree does not throw; the catch keeps the library
    // boundary's promise should a yaml-cpp call still do so.
    try {
      if (root->IsNull())
        diags.error(reader.start(), "empty spec; expected a mapping with the keys 'imageplan', "
                                    "'name', 'base' and 'app'");
      else if (!root->IsMap())
        diags.error(reader.locOf(*root, reader.start()),
                    "expected a mapping at the top level, got " + describeNode(*root));
      else
        SpecParser(reader, spec).readTop(*root, reader.locOf(*root, reader.start()));
      checkSpecSize(diags, spec, limits);
    } catch (const YAML::Exception &e) {
      diags.error(reader.locOf(e.mark, reader.start()), "invalid YAML: " + yamlMessage(e));
    } catch (const std::exception &e) {
      diags.error(reader.start(), llvm::Twine("cannot read the spec: ") + e.what());
    }
  }

  if (unsigned errors = diags.errorCount() - errorsBefore)
    return readers::diagnosticsReported(errors);
  return spec;
}

} // namespace imageplan::dsl
