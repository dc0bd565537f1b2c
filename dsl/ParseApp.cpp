// The app section, its health check, and targets (see SpecParser.h).
#include "dsl/SpecParser.h"

namespace imageplan::dsl {
namespace {
// Above this, ids overflow the signed 32-bit integers some tools keep them in.
constexpr long long kMaxId = 2147483647;
} // namespace

std::vector<CopySpec> SpecParser::readCopies(const Field &field) {
  std::vector<CopySpec> copies;
  if (!field.value.IsSequence()) {
    r.diags().error(field.valueLoc, "expected a list of paths or mappings for 'copy', got " +
                                        describeNode(field.value));
    return copies;
  }
  for (const YAML::Node &item : field.value) {
    llvm::SMLoc loc = r.locOf(item, field.valueLoc);
    CopySpec copy;
    copy.loc = loc;
    if (item.IsSequence()) {
      r.diags().error(loc, "expected a path or a mapping in 'copy', got a list");
      continue;
    }
    if (!item.IsMap()) {
      if (auto v = r.string(Field{field.key, field.keyLoc, item, loc}, &rules::copyPath)) {
        copy.from = *v;
        copies.push_back(std::move(copy));
      }
      continue;
    }
    r.readMapping(item, loc,
                  {{"from",
                    [&](const Field &f) {
                      if (auto v = r.string(f, &rules::copyPath))
                        copy.from = *v;
                    },
                    /*required=*/true},
                   {"to", [&](const Field &f) { copy.to = r.string(f, &rules::copyDestination); }}});
    if (!copy.from.value.empty())
      copies.push_back(std::move(copy));
  }
  return copies;
}

void SpecParser::readCommand(const Field &field, std::vector<LString> &exec,
                             std::optional<LString> &shell) {
  // A string is the shell form: the user's shell text, run by /bin/sh -c.
  if (field.value.IsScalar()) {
    shell = r.script(field);
    return;
  }
  if (!field.value.IsSequence()) {
    r.diags().error(field.valueLoc, "expected a list (the exec form) or a string (shell text) "
                                    "for '" + field.key + "', got " + describeNode(field.value));
    return;
  }
  exec = r.stringList(field);
}

void SpecParser::readApp(const Field &field) {
  AppSpec &app = spec.app;
  app.loc = field.keyLoc;
  r.readSection(
      field,
      {
          {"workdir", [&](const Field &f) { app.workdir = r.string(f, &rules::workdir); }},
          {"copy", [&](const Field &f) { app.copy = readCopies(f); }},
          {"exclude",
           [&](const Field &f) { app.exclude = r.stringList(f, &rules::excludePattern); }},
          {"dirs", [&](const Field &f) { app.dirs = r.stringList(f, &rules::anyPath); }},
          {"env", [&](const Field &f) { app.env = r.stringMap(f, rules::envName); }},
          {"user", [&](const Field &f) { app.user = r.string(f, &rules::userName); }},
          {"uid", [&](const Field &f) { app.uid = r.integer(f, 1, kMaxId, "uid"); }},
          {"gid", [&](const Field &f) { app.gid = r.integer(f, 1, kMaxId, "gid"); }},
          {"groups", [&](const Field &f) { app.groups = r.stringList(f, &rules::groupName); }},
          {"expose", [&](const Field &f) { app.expose = r.integerList(f, 1, 65535, "port"); }},
          {"healthcheck", [&](const Field &f) { app.healthcheck = readHealthcheck(f); }},
          {"entrypoint", [&](const Field &f) { app.entrypoint = r.stringList(f); }},
          {"cmd", [&](const Field &f) { readCommand(f, app.cmd, app.shellCmd); }},
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
          // Docker reads --retries as a signed 32-bit integer, as kMaxId.
          {"retries", [&](const Field &f) { check.retries = r.integer(f, 1, kMaxId, "retries"); }},
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
         {"cmd", [&](const Field &f) { readCommand(f, target.cmd, target.shellCmd); }}});
    spec.targets.push_back(std::move(target));
  });
}

} // namespace imageplan::dsl
