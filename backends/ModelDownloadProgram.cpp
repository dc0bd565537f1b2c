// The model download program (see ModelDownloadProgram.h). It uses only the
// Python standard library so that the model stage needs no pip install.
#include "backends/ModelDownloadProgram.h"

namespace imageplan::backends {

// Notes on choices the text below makes:
// - The token goes in an *unredirected* header: the resolve endpoint
//   redirects large files to a CDN, and the token must not follow it there.
// - The file list comes from the API and is sorted, so the download order
//   (and the build log) does not depend on the server's order.
// - Names that are absolute or contain a ".." component are refused, before
//   anything is downloaded, rather than written outside the model directory.
// - Each file is streamed to NAME.part and renamed, so an interrupted build
//   never leaves a truncated file under its final name.
// - The token is only ever put in that header: never printed, never written.
static const char *const Program[] = {
    "import json",
    "import os",
    "import shutil",
    "import urllib.parse",
    "import urllib.request",
    "repo = os.environ[\"IMAGEPLAN_MODEL_REPO\"]",
    "revision = os.environ[\"IMAGEPLAN_MODEL_REVISION\"]",
    "dest = os.environ[\"IMAGEPLAN_MODEL_DIR\"]",
    "endpoint = (os.environ.get(\"HF_ENDPOINT\") or \"https://huggingface.co\").rstrip(\"/\")",
    "token = \"\"",
    "token_file = os.environ.get(\"IMAGEPLAN_TOKEN_FILE\", \"\")",
    "if token_file and os.path.isfile(token_file):",
    "    with open(token_file) as f:",
    "        token = f.read().strip()",
    "def fetch(url):",
    "    request = urllib.request.Request(url, headers={\"User-Agent\": \"imageplan\"})",
    "    if token:",
    "        request.add_unredirected_header(\"Authorization\", \"Bearer \" + token)",
    "    return urllib.request.urlopen(request, timeout=60)",
    "quoted_repo = urllib.parse.quote(repo)",
    "quoted_revision = urllib.parse.quote(revision, safe=\"\")",
    "api = endpoint + \"/api/models/\" + quoted_repo + \"/revision/\" + quoted_revision",
    "with fetch(api) as response:",
    "    info = json.load(response)",
    "commit = info.get(\"sha\") or revision",
    "names = sorted(sibling[\"rfilename\"] for sibling in info.get(\"siblings\", []))",
    "for name in names:",
    "    if not name or os.path.isabs(name) or \"..\" in name.split(\"/\"):",
    "        raise SystemExit(\"refusing model file name \" + json.dumps(name))",
    "os.makedirs(dest, exist_ok=True)",
    "for name in names:",
    "    target = os.path.join(dest, name)",
    "    os.makedirs(os.path.dirname(target), exist_ok=True)",
    "    path = urllib.parse.quote(commit, safe=\"\") + \"/\" + urllib.parse.quote(name)",
    "    with fetch(endpoint + \"/\" + quoted_repo + \"/resolve/\" + path) as response:",
    "        with open(target + \".part\", \"wb\") as out:",
    "            shutil.copyfileobj(response, out)",
    "    os.replace(target + \".part\", target)",
    "print(\"downloaded %d files of %s at %s to %s\" % (len(names), repo, commit, dest))",
};

llvm::ArrayRef<const char *> modelDownloadProgram() { return Program; }

} // namespace imageplan::backends
