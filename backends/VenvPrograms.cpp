// The venv manifest and split programs (see VenvPrograms.h). Standard
// library only; no line holds a single quote, so shell quoting never needs
// '\''. Directories are not listed, symbolic links to them are (lib64 ->
// lib), and os.walk does not follow them, so nothing is listed twice.
#include "backends/VenvPrograms.h"

#include <initializer_list>
#include <vector>

namespace imageplan::backends {
namespace {

// What both programs walk: every file of the venv and every link to a folder.
constexpr const char *Entries[] = {
    "def entries(venv):",
    "    for root, dirs, files in os.walk(venv):",
    "        dirs.sort()",
    "        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]",
    "        for name in sorted(files + links):",
    "            path = os.path.join(root, name)",
    "            yield os.path.relpath(path, venv), path",
};

constexpr const char *Manifest[] = {
    "venv, out = sys.argv[1], sys.argv[2]",
    "lines = sorted(\"%d %s\" % (os.lstat(path).st_size, rel) for rel, path in entries(venv))",
    "with open(out, \"w\") as f:",
    "    f.write(\"\".join(line + \"\\n\" for line in lines))",
    "print(\"%d files of %s recorded in %s\" % (len(lines), venv, out))",
};

// A changed or missing file means an install after the pins replaced a
// package they installed; the freeze every such install reads should have
// stopped that, so this is the last line of defence, and says what to pin.
constexpr const char *Split[] = {
    "venv, manifest, out = sys.argv[1], sys.argv[2], sys.argv[3]",
    "sizes = {}",
    "with open(manifest) as f:",
    "    for line in f:",
    "        size, _, rel = line.rstrip(\"\\n\").partition(\" \")",
    "        sizes[rel] = int(size)",
    "def changed(rel):",
    "    path = os.path.join(venv, rel)",
    "    return not os.path.lexists(path) or os.lstat(path).st_size != sizes[rel]",
    "gone = sorted(rel for rel in sizes if changed(rel))",
    "if gone:",
    "    sys.exit(\"installs after the pins changed what the pins installed: \" + "
    "\", \".join(gone[:8]) + \"; pin the package they belong to in python.packages\")",
    "os.makedirs(out, exist_ok=True)",
    "copied = 0",
    "for rel, path in entries(venv):",
    "    if rel in sizes:",
    "        continue",
    "    target = os.path.join(out, rel)",
    "    os.makedirs(os.path.dirname(target), exist_ok=True)",
    "    if os.path.islink(path):",
    "        os.symlink(os.readlink(path), target)",
    "    else:",
    "        shutil.copy2(path, target)",
    "    copied += 1",
    "print(\"%d files installed after the pins, gathered in %s\" % (copied, out))",
};

/// `imports`, then the walk, then `body`: one program.
std::vector<const char *> program(std::initializer_list<const char *> imports,
                                  llvm::ArrayRef<const char *> body) {
  std::vector<const char *> lines(imports);
  lines.insert(lines.end(), std::begin(Entries), std::end(Entries));
  lines.insert(lines.end(), body.begin(), body.end());
  return lines;
}

} // namespace

llvm::ArrayRef<const char *> venvManifestProgram() {
  static const std::vector<const char *> lines = program({"import os", "import sys"}, Manifest);
  return lines;
}

llvm::ArrayRef<const char *> venvSplitProgram() {
  static const std::vector<const char *> lines =
      program({"import os", "import shutil", "import sys"}, Split);
  return lines;
}

} // namespace imageplan::backends
