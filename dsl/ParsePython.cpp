// The python section of a spec (see SpecParser.h).
#include "dsl/SpecParser.h"

namespace imageplan::dsl {

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
          {"environment", optional(python.environment, &rules::pythonEnvironment)},
          {"prefix", optional(python.prefix, &rules::imagePath)},
          {"conda", optional(python.conda, &rules::contextPath)},
          {"conda_tool", optional(python.condaTool, &rules::condaTool)},
          {"package", [&](const Field &f) { python.package = r.boolean(f); }},
          {"packages", [&](const Field &f) { readPythonPackages(f, python); }},
          {"requirements",
           [&](const Field &f) { python.requirements = r.stringList(f, &rules::contextPath); }},
          {"index_urls",
           [&](const Field &f) { python.indexUrls = r.stringList(f, &rules::indexUrl); }},
          {"installer", optional(python.installer, &rules::pipInstaller)},
          {"index_strategy", optional(python.indexStrategy, &rules::indexStrategy)},
          {"project_dependencies",
           [&](const Field &f) { python.projectDependencies = r.boolean(f); }},
          {"build", packages(python.build)},
          {"build_requires", packages(python.buildRequires)},
          {"build_jobs",
           [&](const Field &f) { python.buildJobs = r.integer(f, 1, 1024, "number of jobs"); }},
          {"cuda_archs",
           [&](const Field &f) { python.cudaArchs = r.stringList(f, &rules::cudaArch); }},
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
    if (!r.visit(loc))
      break;
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
          [&](const Field &f) { package.options = r.stringList(f, &rules::pipOption); }},
         {"index_url",
          [&](const Field &f) { package.indexUrl = r.string(f, &rules::indexUrl); }}});
    if (llvm::SMLoc options = seen.find("options");
        options.isValid() && item["options"].IsSequence() && item["options"].size() == 0)
      r.diags().error(options, "'options' may not be empty; write the package as a string");
    if (!package.name.value.empty())
      python.optionedPackages.push_back(std::move(package));
  }
}

} // namespace imageplan::dsl
