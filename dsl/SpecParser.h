// The schema of a spec, as the methods that read each of its sections. One
// SpecParser reads one document; its methods are defined by section in
// Parser.cpp (the top level, base, system), ParsePython.cpp, ParseApp.cpp (app,
// health check, targets), ParseSteps.cpp (models, steps, artifacts, files,
// stages) and ParsePublish.cpp (publish, cache). Internal to dsl/; Parser.h is the interface.
#pragma once

#include "dsl/Spec.h"
#include "dsl/YamlReader.h"

#include <optional>

namespace imageplan::dsl {

class SpecParser {
public:
  SpecParser(YamlReader &reader, Spec &spec) : r(reader), spec(spec) {}

  void readTop(const YAML::Node &root, llvm::SMLoc loc);

private:
  bool readSchemaVersion(const YAML::Node &root, llvm::SMLoc loc);
  void readBase(const Field &field);
  bool readBaseInto(const Field &field, BaseSpec &base);
  /// `variants` (ParseVariants.cpp).
  void readVariants(const Field &field);
  VariantValueSpec readVariantValue(const YAML::Node &node, llvm::SMLoc loc);
  void readPython(const Field &field);
  /// `packages`: strings, or mappings of a requirement and its own options.
  void readPythonPackages(const Field &field, PythonSpec &python);
  void readSystem(const Field &field);
  /// `system.repositories` (ParseRepositories.cpp).
  void readRepositories(const Field &field);
  std::optional<RepositoryKeySpec> readRepositoryKey(const Field &field);
  void readModels(const Field &field);
  /// `assets` (ParseAssets.cpp).
  void readAssets(const Field &field);
  void readApp(const Field &field);
  /// `app.copy`: context paths, or mappings of a path and its destination.
  std::vector<CopySpec> readCopies(const Field &field);
  /// `cmd`: a list (exec form) or a string (shell form).
  void readCommand(const Field &field, std::vector<LString> &exec,
                   std::optional<LString> &shell);
  std::optional<HealthcheckSpec> readHealthcheck(const Field &field);
  void readSteps(const Field &field);
  /// One step; `inStage` steps belong to a custom stage (no `stage`/`outputs`).
  StepSpec readStep(const YAML::Node &node, llvm::SMLoc loc, bool inStage);
  void readArtifacts(const Field &field);
  void readFiles(const Field &field);
  void readStages(const Field &field);
  void readTargets(const Field &field);
  void readPublish(const Field &field);
  /// `cache:`: a mapping, or the cache reference alone.
  void readCache(const Field &field);
  /// Reports a section that has neither or both of two alternative keys.
  void requireOneOf(const KeysSeen &seen, const char *first, const char *second,
                    const Field &section);

  YamlReader &r;
  Spec &spec;
};

} // namespace imageplan::dsl
