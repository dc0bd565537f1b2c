// Models, steps, artifacts, inline files and custom stages (see SpecParser.h).
#include "dsl/SpecParser.h"

namespace imageplan::dsl {

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
            {"image", [&](const Field &f) { model.image = r.string(f, &rules::modelImage); }},
            {"downloader",
             [&](const Field &f) { model.downloader = r.string(f, &rules::downloader); }},
            {"hub_version",
             [&](const Field &f) { model.hubVersion = r.string(f, &rules::toolVersion); }},
            {"hf_transfer", [&](const Field &f) { model.hfTransfer = r.boolean(f); }},
            {"allow_patterns",
             [&](const Field &f) { model.allowPatterns = r.stringList(f, &rules::modelPattern); }},
            {"ignore_patterns",
             [&](const Field &f) {
               model.ignorePatterns = r.stringList(f, &rules::modelPattern);
             }},
        });
    spec.models.push_back(std::move(model));
  });
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
    readers.push_back({"needs", [&](const Field &f) {
                         step.needs = r.stringList(f, &rules::stepNeed);
                       }});
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
         {"shell", [&](const Field &f) { stage.shell = r.string(f, &rules::shell); }},
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

} // namespace imageplan::dsl
