// The asset download program (see AssetDownloadProgram.h), standard library
// only, so that the asset's stage needs nothing but python3.
#include "backends/AssetDownloadProgram.h"

namespace imageplan::backends {

// Notes on choices the text below makes:
// - The download is streamed to a temporary file and hashed on the way; a
//   mismatch fails the build before anything lands at the asset's path.
// - An archive member that is absolute, has a ".." component, or (tar) is a
//   link, device or other special file is refused before anything is
//   extracted, rather than written outside the asset's folder.
static const char *const Program[] = {
    "import hashlib",
    "import os",
    "import shutil",
    "import sys",
    "import tarfile",
    "import tempfile",
    "import urllib.request",
    "import zipfile",
    "url = os.environ[\"IMAGEPLAN_ASSET_URL\"]",
    "want = os.environ[\"IMAGEPLAN_ASSET_SHA256\"]",
    "dest = os.environ[\"IMAGEPLAN_ASSET_PATH\"]",
    "unpack = os.environ.get(\"IMAGEPLAN_ASSET_UNPACK\", \"\")",
    "digest = hashlib.sha256()",
    "request = urllib.request.Request(url, headers={\"User-Agent\": \"imageplan\"})",
    "with tempfile.NamedTemporaryFile(delete=False) as part:",
    "    with urllib.request.urlopen(request, timeout=60) as response:",
    "        while True:",
    "            chunk = response.read(1 << 20)",
    "            if not chunk:",
    "                break",
    "            digest.update(chunk)",
    "            part.write(chunk)",
    "if digest.hexdigest() != want:",
    "    sys.exit(\"sha256 of \" + url + \" is \" + digest.hexdigest() + \", expected \" + want)",
    "def safe(name):",
    "    parts = name.replace(\"\\\\\", \"/\").split(\"/\")",
    "    if name.startswith(\"/\") or \"..\" in parts:",
    "        sys.exit(\"refusing archive member \" + repr(name) + \" outside the asset folder\")",
    "if not unpack:",
    "    os.makedirs(os.path.dirname(dest) or \"/\", exist_ok=True)",
    "    shutil.move(part.name, dest)",
    "    os.chmod(dest, 0o644)",
    "    sys.exit(0)",
    "os.makedirs(dest, exist_ok=True)",
    "if unpack == \"zip\":",
    "    with zipfile.ZipFile(part.name) as archive:",
    "        for name in archive.namelist():",
    "            safe(name)",
    "        archive.extractall(dest)",
    "else:",
    "    with tarfile.open(part.name) as archive:",
    "        members = archive.getmembers()",
    "        for member in members:",
    "            safe(member.name)",
    "            if not (member.isfile() or member.isdir()):",
    "                sys.exit(\"refusing archive member \" + repr(member.name) + \": not a file\")",
    "        archive.extractall(dest, members=members)",
    "os.unlink(part.name)",
    "for root, dirs, files in os.walk(dest):",
    "    for name in dirs:",
    "        os.chmod(os.path.join(root, name), 0o755)",
    "    for name in files:",
    "        os.chmod(os.path.join(root, name), 0o644)",
};

llvm::ArrayRef<const char *> assetDownloadProgram() { return Program; }

} // namespace imageplan::backends
