// Emits the starter spec with yaml-cpp's emitter: block maps for the sections,
// flow lists for lists of words, comments through YAML::Comment, and a blank
// line before each section. The emitter does all quoting and escaping; a
// scalar is asked for in double quotes unless it reads as the same string in
// every YAML reader when written plain.
#include "tools/init/StarterSpec.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <yaml-cpp/yaml.h>

#include <cassert>
#include <sstream>

namespace imageplan::init {
namespace {

bool oneOfUnits(llvm::StringRef unit) {
  return unit == "ms" || unit == "s" || unit == "m" || unit == "h";
}

/// A duration such as 30s or 1m30s: a string in every YAML reader.
bool isDuration(llvm::StringRef text) {
  while (!text.empty()) {
    llvm::StringRef digits = text.take_while(llvm::isDigit);
    text = text.drop_front(digits.size());
    llvm::StringRef unit = text.take_while(llvm::isAlpha);
    text = text.drop_front(unit.size());
    if (digits.empty() || !oneOfUnits(unit))
      return false;
  }
  return true;
}

/// Whether `text` reads as this very string when written plain, in YAML 1.1
/// and 1.2 alike and in flow lists: a duration, or a word that starts with a
/// letter, '/', '_' or '.', and is not a boolean or null. Anything else
/// (numbers and versions, options such as --host, shell text) is
/// double-quoted.
bool readsAsPlainString(llvm::StringRef text) {
  static constexpr llvm::StringLiteral kReserved[] = {"true", "false", "yes", "no", "on",
                                                      "off",  "null",  "y",   "n"};
  if (!text.empty() && isDuration(text))
    return true;
  return !text.empty() &&
         (llvm::isAlpha(text.front()) || llvm::StringRef("/_.").contains(text.front())) &&
         llvm::all_of(
             text,
             [](char c) { return llvm::isAlnum(c) || llvm::StringRef("._/:@+-=").contains(c); }) &&
         !llvm::is_contained(kReserved, text.lower());
}

class SpecWriter {
public:
  std::string write(const StarterSpec &spec) {
    header(spec);
    out << YAML::Newline << YAML::BeginMap;
    entry("imageplan", 1);
    entry("name", spec.name);
    section("base");
    base(spec.base);
    if (spec.system) {
      section("system");
      system(*spec.system);
    }
    section("python");
    python(spec.python);
    if (!spec.artifacts.empty()) {
      section("artifacts");
      artifacts(spec.artifacts);
    }
    if (!spec.files.empty()) {
      section("files");
      files(spec.files);
    }
    if (!spec.stages.empty()) {
      section("stages");
      stages(spec.stages);
    }
    section("app");
    app(spec.app);
    if (!spec.labels.empty()) {
      section("labels");
      pairs(spec.labels);
    }
    out << YAML::EndMap << YAML::Newline;
    // The emitter only fails on unbalanced maps and sequences, a bug here.
    assert(out.good() && "the starter spec's YAML is not well formed");
    return text.str();
  }

private:
  void header(const StarterSpec &spec) {
    std::string comment = "Starter spec written by `imageplan init`. Review it, then run:\n"
                          "  imageplan gen imageplan.yaml -o Dockerfile\n"
                          "Detected:";
    for (const std::string &line : spec.detected)
      comment += "\n  - " + line;
    if (!spec.notCarried.empty()) {
      comment += "\nNot carried from " + spec.notCarriedFrom + ", line by line:";
      for (const std::string &line : spec.notCarried)
        comment += "\n  - " + line;
    }
    if (!spec.review.empty())
      comment += "\nTo review:";
    for (const std::string &line : spec.review)
      comment += "\n  - " + line;
    out << YAML::Comment(comment);
  }

  void value(const std::string &text) {
    if (!readsAsPlainString(text))
      out << YAML::DoubleQuoted;
    out << text;
  }
  void value(int number) { out << number; }
  void value(bool flag) { out << flag; }
  void value(const char *) = delete; // it would be written as a bool
  template <typename T> void value(const std::vector<T> &items) {
    out << YAML::Flow << YAML::BeginSeq;
    for (const T &item : items)
      value(item);
    out << YAML::EndSeq;
  }

  template <typename T> void entry(const char *key, const T &item) {
    out << YAML::Key << key << YAML::Value;
    value(item);
  }
  template <typename T> void entry(const char *key, const Commented<T> &item) {
    entry(key, item.value);
    if (!item.comment.empty())
      out << YAML::Comment(item.comment);
  }
  /// Leaves out what the spec need not say.
  template <typename T> void entryIfAny(const char *key, const T &item) {
    if (!item.empty())
      entry(key, item);
  }
  void entryIfAny(const char *key, int number) {
    if (number != 0)
      entry(key, number);
  }

  /// A map of strings, in order.
  void pairs(const Pairs &items) {
    beginMap();
    for (const auto &[key, item] : items) {
      out << YAML::Key;
      value(key);
      out << YAML::Value;
      value(item);
    }
    endMap();
  }

  void section(const char *key) { out << YAML::Newline << YAML::Newline << YAML::Key << key; }
  void beginMap() { out << YAML::Value << YAML::BeginMap; }
  void endMap() { out << YAML::EndMap; }

  void base(const StarterSpec::Base &base) {
    beginMap();
    if (!base.cuda.empty()) {
      entry("cuda", base.cuda);
      entryIfAny("cudnn", base.cudnn);
      entryIfAny("flavor", base.flavor);
      entry("os", base.os);
      entryIfAny("registry", base.registry);
    } else {
      entry("image", base.image);
    }
    endMap();
  }

  void system(const StarterSpec::System &system) {
    beginMap();
    if (system.manager)
      entry("manager", *system.manager);
    entryIfAny("packages", system.packages);
    entryIfAny("build_packages", system.buildPackages);
    endMap();
  }

  void python(const StarterSpec::Python &python) {
    beginMap();
    entryIfAny("version", python.version);
    entryIfAny("manager", python.manager);
    entryIfAny("project", python.project);
    if (python.package)
      entry("package", *python.package);
    entryIfAny("extras", python.extras);
    entryIfAny("index_urls", python.indexUrls);
    entryIfAny("packages", python.packages);
    entryIfAny("requirements", python.requirements);
    entryIfAny("constraints", python.constraints);
    entryIfAny("build_requires", python.buildRequires);
    entryIfAny("build", python.build);
    endMap();
  }

  void artifacts(const std::vector<StarterSpec::Artifact> &artifacts) {
    out << YAML::Value << YAML::BeginSeq;
    for (const StarterSpec::Artifact &artifact : artifacts) {
      out << YAML::Flow << YAML::BeginMap;
      entry("image", artifact.image);
      entry("from", artifact.from);
      entry("to", artifact.to);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

  void stages(const std::vector<StarterSpec::Stage> &stages) {
    out << YAML::Value << YAML::BeginSeq;
    for (const StarterSpec::Stage &stage : stages) {
      out << YAML::BeginMap;
      entry("name", stage.name);
      entry("image", stage.image);
      entry("workdir", stage.workdir);
      out << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
      for (const StarterSpec::Step &step : stage.steps)
        this->step(step);
      out << YAML::EndSeq << YAML::Key << "exports" << YAML::Value << YAML::BeginSeq;
      for (const StarterSpec::Export &exported : stage.exports) {
        out << YAML::Flow << YAML::BeginMap;
        entry("from", exported.from);
        entry("to", exported.to);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

  void step(const StarterSpec::Step &step) {
    out << YAML::BeginMap;
    entry("name", step.name);
    entryIfAny("after", step.after);
    entryIfAny("inputs", step.inputs);
    std::vector<std::string> commands;
    for (const PlainCommand &command : step.run)
      commands.push_back(llvm::join(command, " "));
    entry("run", llvm::join(commands, " && "));
    entryIfAny("changes", step.changes);
    out << YAML::EndMap;
  }

  /// Each content as a literal block, which keeps its lines as they are (a
  /// heredoc's body ends in the line break `|` keeps).
  void files(const std::vector<StarterSpec::File> &files) {
    out << YAML::Value << YAML::BeginSeq;
    for (const StarterSpec::File &file : files) {
      out << YAML::BeginMap;
      entry("path", file.path);
      entryIfAny("mode", file.mode);
      out << YAML::Key << "content" << YAML::Value << YAML::Literal << file.content;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }

  void healthcheck(const StarterSpec::Healthcheck &check) {
    out << YAML::Key << "healthcheck" << YAML::Value << YAML::Flow << YAML::BeginMap;
    entryIfAny("http", check.http);
    entryIfAny("port", check.port);
    entryIfAny("cmd", check.cmd);
    entryIfAny("interval", check.interval);
    entryIfAny("timeout", check.timeout);
    entryIfAny("start_period", check.startPeriod);
    entryIfAny("retries", check.retries);
    out << YAML::EndMap;
  }

  void app(const StarterSpec::App &app) {
    beginMap();
    entry("workdir", app.workdir);
    entryIfAny("copy", app.copy);
    entryIfAny("exclude", app.exclude);
    entryIfAny("dirs", app.dirs);
    if (!app.env.empty()) {
      out << YAML::Key << "env";
      pairs(app.env);
    }
    if (app.user)
      entry("user", *app.user);
    entryIfAny("expose", app.expose);
    if (app.healthcheck)
      healthcheck(*app.healthcheck);
    entryIfAny("entrypoint", app.entrypoint);
    entryIfAny("cmd", app.cmd);
    endMap();
  }

  std::ostringstream text;
  YAML::Emitter out{text};
};

} // namespace

std::string writeStarterSpec(const StarterSpec &spec) { return SpecWriter().write(spec); }

} // namespace imageplan::init
