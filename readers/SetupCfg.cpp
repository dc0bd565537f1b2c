// The setup.cfg reader (SetupCfg.h): configparser's syntax reduced to what
// setuptools' requirement lists need, one pass over the lines.
#include "readers/SetupCfg.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>

namespace imageplan::readers {
namespace {

/// One `key = value` of a section, with its continuation lines.
struct Entry {
  std::string section; // lowercased, as configparser compares them
  PyprojectKey key;    // lowercased name, where it is written
  std::vector<DeclaredRequirement> lines; // the first line's value, then each continuation
  bool multiline = false;                 // the value starts on the next line or continues
};

class Reader {
public:
  Reader(DiagnosticEngine &diags, unsigned bufferId) : diags(diags), bufferId(bufferId) {}

  llvm::Expected<SetupCfg> read() {
    const llvm::MemoryBuffer *buffer = diags.sourceMgr().getMemoryBuffer(bufferId);
    llvm::StringRef text = buffer->getBuffer();
    while (!text.empty()) {
      auto [line, rest] = text.split('\n');
      readLine(line.rtrim("\r"));
      text = rest;
    }
    SetupCfg cfg;
    for (const Entry &entry : entries)
      apply(entry, cfg);
    if (errors)
      return diagnosticsReported(errors);
    return cfg;
  }

private:
  void error(llvm::SMLoc loc, const llvm::Twine &message) {
    diags.error(loc, message);
    ++errors;
  }

  static llvm::SMLoc at(llvm::StringRef text) { return llvm::SMLoc::getFromPointer(text.data()); }

  void readLine(llvm::StringRef line) {
    llvm::StringRef trimmed = line.trim();
    if (trimmed.empty() || trimmed.startswith("#") || trimmed.startswith(";"))
      return;
    bool continuation = line.front() == ' ' || line.front() == '\t';
    if (continuation && !entries.empty() && entries.back().section == section) {
      entries.back().lines.push_back({trimmed.str(), at(trimmed)});
      entries.back().multiline = true;
      return;
    }
    if (trimmed.startswith("[")) {
      if (!trimmed.endswith("]")) {
        error(at(trimmed), "expected ']' at the end of the section header");
        return;
      }
      section = trimmed.drop_front().drop_back().trim().lower();
      return;
    }
    size_t split = trimmed.find_first_of("=:");
    if (split == llvm::StringRef::npos || split == 0) {
      error(at(trimmed), "expected 'key = value' or a section header like '[options]'");
      return;
    }
    llvm::StringRef key = trimmed.take_front(split).rtrim();
    llvm::StringRef value = trimmed.drop_front(split + 1).trim();
    Entry entry{section, {key.lower(), at(key)}, {}, value.empty()};
    if (!value.empty())
      entry.lines.push_back({value.str(), at(value)});
    entries.push_back(std::move(entry));
  }

  /// setuptools' requirement list: one a line, or a one-line value split at
  /// ';'; lines starting with '#' are comments.
  std::vector<DeclaredRequirement> requirements(const Entry &entry) {
    std::vector<DeclaredRequirement> out;
    if (!entry.lines.empty() && llvm::StringRef(entry.lines.front().text).startswith("file:")) {
      error(entry.lines.front().loc,
            "'" + entry.key.name + "' reads its list from a file ('file:'); name that "
            "file in 'python.requirements' instead");
      return out;
    }
    if (entry.multiline) {
      for (const DeclaredRequirement &line : entry.lines)
        if (!llvm::StringRef(line.text).startswith("#"))
          out.push_back(line);
      return out;
    }
    for (const DeclaredRequirement &line : entry.lines) {
      llvm::SmallVector<llvm::StringRef, 4> parts;
      llvm::StringRef(line.text).split(parts, ';');
      for (llvm::StringRef part : parts) {
        llvm::StringRef chunk = part.trim();
        if (chunk.empty())
          continue;
        size_t offset = chunk.data() - line.text.data();
        out.push_back({chunk.str(), llvm::SMLoc::getFromPointer(line.loc.getPointer() + offset)});
      }
    }
    return out;
  }

  void apply(const Entry &entry, SetupCfg &cfg) {
    if (entry.section == "metadata" && entry.key.name == "name" && !entry.lines.empty())
      cfg.name = entry.lines.front().text;
    if (entry.section == "options") {
      cfg.hasOptions = true;
      if (entry.key.name == "install_requires")
        cfg.installRequires = requirements(entry);
    }
    if (entry.section == "options.extras_require")
      cfg.extras.push_back({entry.key, requirements(entry)});
  }

  DiagnosticEngine &diags;
  unsigned bufferId;
  unsigned errors = 0;
  std::string section;
  std::vector<Entry> entries;
};

} // namespace

llvm::Expected<SetupCfg> parseSetupCfg(DiagnosticEngine &diags, unsigned bufferId) {
  return Reader(diags, bufferId).read();
}

} // namespace imageplan::readers
