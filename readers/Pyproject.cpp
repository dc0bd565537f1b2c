// pyproject.toml through toml++: the document is parsed whole, then only the
// keys imageplan reads are looked at, each checked for its type. toml++ keeps
// tables sorted by key; file order comes back from the keys' source positions.
#include "readers/Pyproject.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <toml++/toml.h>

#include <algorithm>

namespace imageplan::readers {
namespace {

/// How a message names a TOML type: "a string", "an array".
std::string typeName(toml::node_type type) {
  switch (type) {
  case toml::node_type::table: return "a table";
  case toml::node_type::array: return "an array";
  case toml::node_type::string: return "a string";
  case toml::node_type::integer: return "an integer";
  case toml::node_type::floating_point: return "a float";
  case toml::node_type::boolean: return "a boolean";
  default: return "a date or time";
  }
}

/// toml++ describes its errors as "Error while parsing X: why"; messages here
/// start lowercase.
std::string syntaxMessage(std::string_view description) {
  std::string text(description);
  if (!text.empty())
    text[0] = llvm::toLower(text[0]);
  return "invalid TOML: " + text;
}

/// Keys of one buffer in the order they are written there.
void sortByLocation(std::vector<PyprojectKey> &keys) {
  std::stable_sort(keys.begin(), keys.end(), [](const PyprojectKey &a, const PyprojectKey &b) {
    return a.loc.getPointer() < b.loc.getPointer();
  });
}

class Reader {
public:
  Reader(DiagnosticEngine &diags, unsigned bufferId) : diags(diags), bufferId(bufferId) {}

  llvm::Expected<Pyproject> read() {
    const llvm::MemoryBuffer *buffer = diags.sourceMgr().getMemoryBuffer(bufferId);
    std::string_view text(buffer->getBufferStart(), buffer->getBufferSize());
    std::string_view name(buffer->getBufferIdentifier().data(),
                          buffer->getBufferIdentifier().size());
    toml::parse_result parsed = toml::parse(text, name);
    if (!parsed) {
      error(parsed.error().source(), syntaxMessage(parsed.error().description()));
      return diagnosticsReported(errors);
    }
    Pyproject pyproject;
    readProject(parsed.table(), pyproject);
    pyproject.buildSystem = table(parsed.table(), "build-system", "build-system") != nullptr;
    if (const toml::table *tool = table(parsed.table(), "tool", "tool")) {
      readPoetry(*tool, pyproject);
      pyproject.uv = table(*tool, "uv", "tool.uv") != nullptr;
    }
    if (errors)
      return diagnosticsReported(errors);
    return pyproject;
  }

private:
  llvm::SMLoc locOf(const toml::source_region &region) {
    if (region.begin.line == 0)
      return llvm::SMLoc();
    llvm::SMLoc loc =
        diags.sourceMgr().FindLocForLineAndColumn(bufferId, region.begin.line, region.begin.column);
    // toml++ puts an unexpected end of file on the line after the last one.
    return loc.isValid() ? loc : diags.locAt(bufferId, SIZE_MAX);
  }

  void error(const toml::source_region &region, const llvm::Twine &message) {
    diags.error(locOf(region), message);
    ++errors;
  }

  /// `parent[key]` (spelled `dotted` in messages) when it is of type T; an
  /// error when it is there with another type.
  template <typename T>
  const T *typed(const toml::table &parent, llvm::StringRef key, llvm::StringRef dotted,
                 toml::node_type expected) {
    const toml::node *node = parent.get(std::string_view(key.data(), key.size()));
    if (!node)
      return nullptr;
    if (const T *value = node->as<T>())
      return value;
    error(node->source(),
          "'" + dotted + "' must be " + typeName(expected) + ", not " + typeName(node->type()));
    return nullptr;
  }

  const toml::table *table(const toml::table &parent, llvm::StringRef key, llvm::StringRef dotted) {
    return typed<toml::table>(parent, key, dotted, toml::node_type::table);
  }

  std::string string(const toml::table &parent, llvm::StringRef key, llvm::StringRef dotted) {
    const auto *value =
        typed<toml::value<std::string>>(parent, key, dotted, toml::node_type::string);
    return value ? value->get() : std::string();
  }

  /// The strings of the array `parent[key]` with their locations; an error
  /// for an item of another type.
  std::vector<DeclaredRequirement> stringsOf(const toml::table &parent, llvm::StringRef key,
                                             const std::string &dotted) {
    std::vector<DeclaredRequirement> strings;
    const toml::array *array = typed<toml::array>(parent, key, dotted, toml::node_type::array);
    if (!array)
      return strings;
    for (const toml::node &item : *array) {
      if (const auto *text = item.as_string())
        strings.push_back({text->get(), locOf(item.source())});
      else
        error(item.source(), "'" + dotted + "' must hold strings, not " + typeName(item.type()));
    }
    return strings;
  }

  /// The keys of the table `parent[key]`, in the order they are written.
  std::vector<PyprojectKey> keysOf(const toml::table &parent, llvm::StringRef key,
                                   llvm::StringRef dotted) {
    std::vector<PyprojectKey> keys;
    const toml::table *found = table(parent, key, dotted);
    if (!found)
      return keys;
    for (auto &&[name, value] : *found)
      keys.push_back({std::string(name.str()), locOf(name.source())});
    sortByLocation(keys);
    return keys;
  }

  void readProject(const toml::table &root, Pyproject &pyproject) {
    const toml::table *project = table(root, "project", "project");
    if (!project)
      return;
    pyproject.hasProject = true;
    pyproject.name = string(*project, "name", "project.name");
    pyproject.requiresPython = string(*project, "requires-python", "project.requires-python");
    pyproject.dependencyEntries = stringsOf(*project, "dependencies", "project.dependencies");
    for (const DeclaredRequirement &entry : pyproject.dependencyEntries)
      pyproject.dependencies.push_back(entry.text);
    for (const DeclaredRequirement &entry : stringsOf(*project, "dynamic", "project.dynamic"))
      pyproject.dynamic.push_back({entry.text, entry.loc});
    pyproject.optionalDependencies =
        keysOf(*project, "optional-dependencies", "project.optional-dependencies");
    if (const toml::table *extras = table(*project, "optional-dependencies",
                                          "project.optional-dependencies"))
      for (const PyprojectKey &key : pyproject.optionalDependencies)
        pyproject.extraEntries.push_back(
            {key, stringsOf(*extras, key.name, "project.optional-dependencies." + key.name)});
    pyproject.scripts = keysOf(*project, "scripts", "project.scripts");
  }

  void readPoetry(const toml::table &tool, Pyproject &pyproject) {
    const toml::table *poetry = table(tool, "poetry", "tool.poetry");
    if (!poetry)
      return;
    Pyproject::Poetry read;
    if (const toml::table *dependencies =
            table(*poetry, "dependencies", "tool.poetry.dependencies"))
      read.python = string(*dependencies, "python", "tool.poetry.dependencies.python");
    read.extras = keysOf(*poetry, "extras", "tool.poetry.extras");
    read.scripts = keysOf(*poetry, "scripts", "tool.poetry.scripts");
    pyproject.poetry = std::move(read);
  }

  DiagnosticEngine &diags;
  unsigned bufferId;
  unsigned errors = 0;
};

/// The names of `keys` and `more` (keys of one buffer) in file order, each once.
std::vector<std::string> inFileOrder(std::vector<PyprojectKey> keys,
                                     const std::vector<PyprojectKey> &more) {
  keys.insert(keys.end(), more.begin(), more.end());
  sortByLocation(keys);
  std::vector<std::string> names;
  for (const PyprojectKey &key : keys)
    if (!llvm::is_contained(names, key.name))
      names.push_back(key.name);
  return names;
}

} // namespace

std::vector<std::string> Pyproject::extras() const {
  return inFileOrder(optionalDependencies, poetry ? poetry->extras : std::vector<PyprojectKey>{});
}

std::vector<std::string> Pyproject::consoleScripts() const {
  return inFileOrder(scripts, poetry ? poetry->scripts : std::vector<PyprojectKey>{});
}

llvm::Expected<Pyproject> parsePyproject(DiagnosticEngine &diags, unsigned bufferId) {
  return Reader(diags, bufferId).read();
}

} // namespace imageplan::readers
