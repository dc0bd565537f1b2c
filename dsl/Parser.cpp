// parseSpec: YAML text to dsl::Spec. YamlLoad builds the node tree; this file
// knows the schema: which keys each mapping holds, and what their values may be.
#include "dsl/Parser.h"

#include "dsl/YamlLoad.h"
#include "dsl/YamlReader.h"

#include <climits>

namespace imageplan::dsl {

namespace {

class SpecParser {
public:
  SpecParser(YamlReader &reader, Spec &spec) : r(reader), spec(spec) {}

  void readTop(const YAML::Node &root, llvm::SMLoc loc);

private:
  bool readSchemaVersion(const YAML::Node &root, llvm::SMLoc loc);
  void readBase(const Field &field);
  void readPython(const Field &field);
  /// `packages`: strings, or mappings of a requirement and its own options.
  void readPythonPackages(const Field &field, PythonSpec &python);
  void readSystem(const Field &field);
  void readModels(const Field &field);
  void readApp(const Field &field);
  std::optional<HealthcheckSpec> readHealthcheck(const Field &field);
  void readSteps(const Field &field);
  /// One step; `inStage` steps belong to a custom stage (no `stage`/`outputs`).
  StepSpec readStep(const YAML::Node &node, llvm::SMLoc loc, bool inStage);
  void readArtifacts(const Field &field);
  void readFiles(const Field &field);
  void readStages(const Field &field);
  void readTargets(const Field &field);
  /// Reports a section that has neither or both of two alternative keys.
  void requireOneOf(const KeysSeen &seen, const char *first, const char *second,
                    const Field &section);

  YamlReader &r;
  Spec &spec;
};

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
          {"app", [&](const Field &f) { readApp(f); }, /*required=*/true},
          {"steps", [&](const Field &f) { readSteps(f); }},
          {"artifacts", [&](const Field &f) { readArtifacts(f); }},
          {"files", [&](const Field &f) { readFiles(f); }},
          {"stages", [&](const Field &f) { readStages(f); }},
          {"targets", [&](const Field &f) { readTargets(f); }},
          {"labels", [&](const Field &f) { spec.labels = r.stringMap(f, rules::labelKey); }},
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

void SpecParser::readBase(const Field &field) {
  BaseSpec &base = spec.base;
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
                  [&](const Field &f) { base.registry = r.string(f, &rules::baseImage); }},
             });
  if (!seen)
    return;
  requireOneOf(*seen, "cuda", "image", field);
  if (seen->has("cuda"))
    return;
  for (const char *key : {"cudnn", "os", "flavor", "builder_flavor", "registry"})
    if (llvm::SMLoc loc = seen->find(key); loc.isValid())
      r.diags().error(loc, llvm::Twine("'") + key + "' only applies to a 'cuda' base");
}

void SpecParser::readPython(const Field &field) {
  PythonSpec python;
  python.loc = field.keyLoc;
  auto packages = [&](std::vector<LString> &list) {
    return [&](const Field &f) { list = r.stringList(f, &rules::pipPackage); };
  };
  auto optional = [&](std::optional<LString> &into, const ValueRule *rule) {
    return [&into, rule, this](const Field &f) { into = r.string(f, rule); };
  };
  std::optional<KeysSeen> seen = r.readSection(
      field,
      {
          {"version", [&](const Field &f) { python.version = r.string(f, &rules::pythonVersion); }},
          {"manager", optional(python.manager, &rules::pythonManager)},
          {"project", optional(python.project, &rules::copyPath)},
          {"lock", optional(python.lock, &rules::contextPath)},
          {"extras", [&](const Field &f) { python.extras = r.stringList(f, &rules::extraName); }},
          {"constraints",
           [&](const Field &f) { python.constraints = r.stringList(f, &rules::contextPath); }},
          {"uv_version", optional(python.uvVersion, &rules::toolVersion)},
          {"poetry_version", optional(python.poetryVersion, &rules::toolVersion)},
          {"venv", optional(python.venv, &rules::venvStage)},
          {"package", [&](const Field &f) { python.package = r.boolean(f); }},
          {"packages", [&](const Field &f) { readPythonPackages(f, python); }},
          {"requirements",
           [&](const Field &f) { python.requirements = r.stringList(f, &rules::contextPath); }},
          {"index_urls",
           [&](const Field &f) { python.indexUrls = r.stringList(f, &rules::indexUrl); }},
          {"build", packages(python.build)},
          {"build_requires", packages(python.buildRequires)},
      });
  if (seen)
    spec.python = std::move(python);
}

void SpecParser::readPythonPackages(const Field &field, PythonSpec &python) {
  if (!field.value.IsSequence()) {
    r.diags().error(field.valueLoc, "expected a list of strings for 'packages', got " +
                                        describeNode(field.value));
    return;
  }
  for (const YAML::Node &item : field.value) {
    llvm::SMLoc loc = r.locOf(item, field.valueLoc);
    if (item.IsSequence()) {
      r.diags().error(loc, "expected a string or a mapping in 'packages', got a list");
      continue;
    }
    if (!item.IsMap()) {
      if (auto v = r.string(Field{field.key, field.keyLoc, item, loc}, &rules::pipPackage))
        python.packages.push_back(*v);
      continue;
    }
    OptionedPackage package;
    package.loc = loc;
    KeysSeen seen = r.readMapping(
        item, loc,
        {{"name",
          [&](const Field &f) {
            if (auto v = r.string(f, &rules::pipPackage))
              package.name = *v;
          },
          /*required=*/true},
         {"options",
          [&](const Field &f) { package.options = r.stringList(f, &rules::pipOption); }}});
    if (llvm::SMLoc options = seen.find("options");
        options.isValid() && item["options"].IsSequence() && item["options"].size() == 0)
      r.diags().error(options, "'options' may not be empty; write the package as a string");
    if (!package.name.value.empty())
      python.optionedPackages.push_back(std::move(package));
  }
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
      });
}

void SpecParser::readModels(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    ModelSpec model;
    model.loc = loc;
    model.bake = LBool{false, loc};
    r.readMapping(
        node, loc,
        {
            {"id",
             [&](const Field &f) {
               if (auto v = r.string(f, &rules::modelId))
                 model.id = *v;
             },
             /*required=*/true},
            {"revision", [&](const Field &f) { model.revision = r.string(f, &rules::revision); }},
            {"path",
             [&](const Field &f) {
               if (auto v = r.string(f, &rules::imagePath))
                 model.path = *v;
             },
             /*required=*/true},
            {"bake",
             [&](const Field &f) {
               if (auto v = r.boolean(f))
                 model.bake = *v;
             }},
            {"token_secret",
             [&](const Field &f) { model.tokenSecret = r.string(f, &rules::secretId); }},
            {"changes", [&](const Field &f) { model.changes = r.changes(f); }},
        });
    spec.models.push_back(std::move(model));
  });
}

void SpecParser::readApp(const Field &field) {
  AppSpec &app = spec.app;
  app.loc = field.keyLoc;
  r.readSection(
      field,
      {
          {"workdir", [&](const Field &f) { app.workdir = r.string(f, &rules::workdir); }},
          {"copy", [&](const Field &f) { app.copy = r.stringList(f, &rules::copyPath); }},
          {"exclude",
           [&](const Field &f) { app.exclude = r.stringList(f, &rules::excludePattern); }},
          {"dirs", [&](const Field &f) { app.dirs = r.stringList(f, &rules::anyPath); }},
          {"env", [&](const Field &f) { app.env = r.stringMap(f, rules::envName); }},
          {"user", [&](const Field &f) { app.user = r.string(f, &rules::userName); }},
          {"expose", [&](const Field &f) { app.expose = r.integerList(f, 1, 65535, "port"); }},
          {"healthcheck", [&](const Field &f) { app.healthcheck = readHealthcheck(f); }},
          {"entrypoint", [&](const Field &f) { app.entrypoint = r.stringList(f); }},
          {"cmd", [&](const Field &f) { app.cmd = r.stringList(f); }},
          {"changes", [&](const Field &f) { app.changes = r.changes(f); }},
      });
}

std::optional<HealthcheckSpec> SpecParser::readHealthcheck(const Field &field) {
  HealthcheckSpec check;
  check.loc = field.keyLoc;
  std::optional<KeysSeen> seen = r.readSection(
      field,
      {
          {"http", [&](const Field &f) { check.http = r.string(f, &rules::healthUrl); }},
          {"port", [&](const Field &f) { check.port = r.integer(f, 1, 65535, "port"); }},
          {"cmd",
           [&](const Field &f) {
             check.cmd = r.stringList(f);
             if (f.value.IsSequence() && f.value.size() == 0)
               r.diags().error(f.valueLoc, "'cmd' may not be empty");
           }},
          {"interval", [&](const Field &f) { check.interval = r.string(f, &rules::duration); }},
          {"timeout", [&](const Field &f) { check.timeout = r.string(f, &rules::duration); }},
          {"start_period",
           [&](const Field &f) { check.startPeriod = r.string(f, &rules::duration); }},
          {"retries",
           [&](const Field &f) { check.retries = r.integer(f, 1, LLONG_MAX, "retries"); }},
      });
  if (!seen)
    return std::nullopt;
  requireOneOf(*seen, "http", "cmd", field);
  return check;
}

void SpecParser::readSteps(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    spec.steps.push_back(readStep(node, loc, /*inStage=*/false));
  });
}

StepSpec SpecParser::readStep(const YAML::Node &node, llvm::SMLoc loc, bool inStage) {
  StepSpec step;
  step.loc = loc;
  std::vector<KeyReader> readers = {
      {"name",
       [&](const Field &f) {
         if (auto v = r.string(f, &rules::stepName))
           step.name = *v;
       },
       /*required=*/true},
      {"run",
       [&](const Field &f) {
         if (auto v = r.script(f))
           step.run = *v;
       },
       /*required=*/true},
      {"inputs", [&](const Field &f) { step.inputs = r.stringList(f, &rules::contextPath); }},
      {"after", [&](const Field &f) { step.after = r.stringList(f); }},
      {"changes", [&](const Field &f) { step.changes = r.changes(f); }},
      {"cost", [&](const Field &f) { step.cost = r.number(f, 0); }},
  };
  if (!inStage) {
    readers.push_back(
        {"outputs", [&](const Field &f) { step.outputs = r.stringList(f, &rules::imagePath); }});
    readers.push_back({"stage", [&](const Field &f) { step.stage = r.string(f, &rules::stage); }});
  }
  KeysSeen seen = r.readMapping(node, loc, readers);
  // A stage that was written but rejected has been reported already.
  bool stageUnknown = seen.has("stage") && !step.stage;
  if (llvm::SMLoc outputs = seen.find("outputs");
      outputs.isValid() && !stageUnknown && (!step.stage || step.stage->value != "builder"))
    r.diags().error(outputs, "'outputs' is only allowed in a step with 'stage: builder'");
  return step;
}

void SpecParser::readArtifacts(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    ArtifactSpec artifact;
    artifact.loc = loc;
    auto required = [&](const char *key, LString &into, const ValueRule *rule) {
      return KeyReader{key,
                       [&into, rule, this](const Field &f) {
                         if (auto v = r.string(f, rule))
                           into = *v;
                       },
                       /*required=*/true};
    };
    r.readMapping(node, loc,
                  {required("image", artifact.image, &rules::baseImage),
                   required("from", artifact.from, &rules::imagePath),
                   required("to", artifact.to, &rules::imagePath),
                   {"changes", [&](const Field &f) { artifact.changes = r.changes(f); }}});
    spec.artifacts.push_back(std::move(artifact));
  });
}

void SpecParser::readFiles(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    FileSpec file;
    file.loc = loc;
    file.path = LString{"", loc};
    file.content = LString{"", loc};
    r.readMapping(node, loc,
                  {{"path",
                    [&](const Field &f) {
                      if (auto v = r.string(f, &rules::imagePath))
                        file.path = *v;
                    },
                    /*required=*/true},
                   {"content",
                    [&](const Field &f) {
                      if (auto v = r.script(f))
                        file.content = *v;
                    },
                    /*required=*/true},
                   {"mode", [&](const Field &f) { file.mode = r.string(f, &rules::fileMode); }},
                   {"changes", [&](const Field &f) { file.changes = r.changes(f); }}});
    spec.files.push_back(std::move(file));
  });
}

void SpecParser::readStages(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    StageSpec stage;
    stage.loc = loc;
    r.readMapping(
        node, loc,
        {{"name",
          [&](const Field &f) {
            if (auto v = r.string(f, &rules::stepName))
              stage.name = *v;
          },
          /*required=*/true},
         {"image",
          [&](const Field &f) {
            if (auto v = r.string(f, &rules::baseImage))
              stage.image = *v;
          },
          /*required=*/true},
         {"workdir", [&](const Field &f) { stage.workdir = r.string(f, &rules::imagePath); }},
         {"steps",
          [&](const Field &f) {
            r.forEachMapping(f, [&](const YAML::Node &stepNode, llvm::SMLoc stepLoc) {
              stage.steps.push_back(readStep(stepNode, stepLoc, /*inStage=*/true));
            });
          }},
         {"exports", [&](const Field &f) {
            r.forEachMapping(f, [&](const YAML::Node &exportNode, llvm::SMLoc exportLoc) {
              LString from{"", exportLoc}, to{"", exportLoc};
              r.readMapping(exportNode, exportLoc,
                            {{"from",
                              [&](const Field &g) {
                                if (auto v = r.string(g, &rules::imagePath))
                                  from = *v;
                              },
                              /*required=*/true},
                             {"to",
                              [&](const Field &g) {
                                if (auto v = r.string(g, &rules::imagePath))
                                  to = *v;
                              },
                              /*required=*/true}});
              stage.exports.push_back({from, to});
            });
          }}});
    spec.stages.push_back(std::move(stage));
  });
}

void SpecParser::readTargets(const Field &field) {
  r.forEachMapping(field, [&](const YAML::Node &node, llvm::SMLoc loc) {
    TargetSpec target;
    target.loc = loc;
    r.readMapping(
        node, loc,
        {{"name",
          [&](const Field &f) {
            if (auto v = r.string(f, &rules::stepName))
              target.name = *v;
          },
          /*required=*/true},
         {"env", [&](const Field &f) { target.env = r.stringMap(f, rules::envName); }},
         {"expose",
          [&](const Field &f) { target.expose = r.integerList(f, 1, 65535, "port"); }},
         {"healthcheck", [&](const Field &f) { target.healthcheck = readHealthcheck(f); }},
         {"entrypoint", [&](const Field &f) { target.entrypoint = r.stringList(f); }},
         {"cmd", [&](const Field &f) { target.cmd = r.stringList(f); }}});
    spec.targets.push_back(std::move(target));
  });
}

} // namespace

llvm::Expected<Spec> parseSpec(readers::DiagnosticEngine &diags, unsigned bufferId,
                               llvm::StringRef displayPath) {
  unsigned errorsBefore = diags.errorCount();
  YamlReader reader(diags, bufferId);
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
