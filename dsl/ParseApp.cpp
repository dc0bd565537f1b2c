// The app section, its health check, and targets (see SpecParser.h).
#include "dsl/SpecParser.h"

namespace imageplan::dsl {

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

} // namespace imageplan::dsl
