// Runtime metadata, labels and the health-check probe (RuntimeConfig.h).
#include "planner/RuntimeConfig.h"

#include "planner/GraphShared.h"

#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

namespace imageplan::planner {
namespace {

/// The interpreter an http probe runs with, or "" (reported) when the image
/// has none.
std::string probePython(readers::DiagnosticEngine &diags, const GraphInputs &in,
                        const dsl::LString &http) {
  if (in.hasPython())
    return "python";
  if (in.base.python == PythonSource::Image)
    return "python3";
  diags.error(http.loc, "an http health check runs python, and this image has none; add "
                        "a 'python' section or give the check as 'cmd'");
  return "";
}

/// Docker counts no failed probe during the start period, and the first
/// passing one ends it, so a generous default costs nothing when the app is
/// up sooner: the time to load a baked model, or to download one on first
/// start and load it.
std::string defaultStartPeriod(const dsl::Spec &spec) {
  bool fetched = llvm::any_of(spec.models, [](const dsl::ModelSpec &m) { return !m.bake.value; });
  if (fetched)
    return kFetchedModelStartPeriod;
  return spec.models.empty() ? "" : kBakedModelStartPeriod;
}

std::optional<plan::Healthcheck> healthcheck(readers::DiagnosticEngine &diags,
                                             const GraphInputs &in,
                                             const dsl::HealthcheckSpec &spec,
                                             const std::vector<dsl::LInt> &expose) {
  plan::Healthcheck check;
  check.interval = spec.interval ? spec.interval->value : "";
  check.timeout = spec.timeout ? spec.timeout->value : "";
  check.startPeriod = spec.startPeriod ? spec.startPeriod->value : defaultStartPeriod(in.spec);
  check.retries = spec.retries ? static_cast<int>(spec.retries->value) : 0;
  if (!spec.http) {
    check.cmd = values(spec.cmd);
    return check;
  }
  std::string url = spec.http->value;
  if (!llvm::StringRef(url).startswith("http")) {
    long long port = spec.port ? spec.port->value : expose.empty() ? 0 : expose.front().value;
    if (port == 0) {
      diags.error(spec.http->loc,
                  "health check path '" + url + "' needs a port: give 'port' or 'expose' one");
      return std::nullopt;
    }
    url = "http://127.0.0.1:" + std::to_string(port) + url;
  }
  std::string python = probePython(diags, in, *spec.http);
  if (python.empty())
    return std::nullopt;
  // The URL and the timeout are arguments, not part of the program text, so
  // they need no escaping. The request gives up when Docker would kill the
  // check: after the spec's timeout, else Docker's default of 30 s.
  check.cmd = {python, "-c",
               "import sys, urllib.request; "
               "urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2]))",
               url, secondsText(spec.timeout ? spec.timeout->value : "30s")};
  return check;
}

/// The OCI title and base name, then the spec's labels: one that names
/// either replaces it in place. Found through an index: a spec may hold
/// thousands of labels.
plan::Pairs labels(const GraphInputs &in, const dsl::TargetSpec *target) {
  const dsl::Spec &spec = in.spec;
  std::string title = target ? spec.name.value + "-" + target->name.value : spec.name.value;
  plan::Pairs labels = {{"org.opencontainers.image.title", title}};
  // With a variant that selects the base, no one name is true of every image.
  if (!in.baseVariant)
    labels.push_back({"org.opencontainers.image.base.name", in.base.runtime});
  llvm::StringMap<size_t> index;
  for (size_t i = 0; i < labels.size(); ++i)
    index[labels[i].first] = i;
  for (const auto &label : values(spec.labels)) {
    auto [existing, added] = index.try_emplace(label.first, labels.size());
    if (added)
      labels.push_back(label);
    else
      labels[existing->second].second = label.second;
  }
  return labels;
}

} // namespace

plan::RuntimeConfig runtimeConfig(readers::DiagnosticEngine &diags, const GraphInputs &in,
                                  const dsl::TargetSpec *target) {
  const dsl::AppSpec &app = in.spec.app;
  plan::RuntimeConfig config;
  config.user = in.runtimeUser();
  const std::vector<dsl::LInt> &expose =
      target && !target->expose.empty() ? target->expose : app.expose;
  for (const dsl::LInt &port : expose)
    config.expose.push_back(static_cast<int>(port.value));
  bool ownCommand = target && (!target->entrypoint.empty() || !target->cmd.empty() ||
                               target->shellCmd);
  config.entrypoint = values(ownCommand ? target->entrypoint : app.entrypoint);
  const std::optional<dsl::LString> &shellCmd = ownCommand ? target->shellCmd : app.shellCmd;
  // The shell form runs the user's text with sh at container start, where
  // `${PORT}` expands; written as the exec form of sh, so the Dockerfile
  // parser sees one JSON string and expands nothing at build time.
  config.cmd = shellCmd ? std::vector<std::string>{"/bin/sh", "-c", shellCmd->value}
                        : values(ownCommand ? target->cmd : app.cmd);
  const std::optional<dsl::HealthcheckSpec> &check =
      target && target->healthcheck ? target->healthcheck : app.healthcheck;
  if (check)
    config.healthcheck = healthcheck(diags, in, *check, expose);
  config.labels = labels(in, target);
  for (const dsl::ModelSpec &model : in.spec.models)
    if (!model.bake.value)
      config.volumes.push_back(model.path.value);
  return config;
}

std::string secondsText(llvm::StringRef duration) {
  long long millis = dsl::durationMillis(duration).value_or(0);
  std::string text = std::to_string(millis / 1000);
  if (long long rest = millis % 1000) {
    std::string fraction = std::to_string(rest + 1000).substr(1); // 3 digits
    text += "." + llvm::StringRef(fraction).rtrim('0').str();
  }
  return text;
}

} // namespace imageplan::planner
