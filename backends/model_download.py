# The program a model stage runs to download a Hugging Face model snapshot
# (backends/ModelDownloadProgram.h embeds it; comment and blank lines are
# dropped there, so the Dockerfile carries only the code). No line may hold a
# single quote: each line becomes one single-quoted printf argument.
#
# Environment (set by the RUN; no user data is ever part of this text):
#   IMAGEPLAN_MODEL_REPO      org/name
#   IMAGEPLAN_MODEL_REVISION  branch, tag or commit (a lock pins the commit)
#   IMAGEPLAN_MODEL_DIR       where the files end up (the stage copies it)
#   IMAGEPLAN_MODEL_CLIENT    huggingface_hub (snapshot_download) or urllib
#   IMAGEPLAN_MODEL_ALLOW, IMAGEPLAN_MODEL_IGNORE  JSON lists of patterns
#   IMAGEPLAN_MODEL_CACHE     optional: a cache mount where downloads resume
#   IMAGEPLAN_MODEL_RETRIES, IMAGEPLAN_MODEL_BACKOFF  attempts, first wait (s)
#   IMAGEPLAN_TOKEN_FILE      optional: the BuildKit secret holding the token
#   HF_ENDPOINT               optional: a mirror or a stand-in hub
#
# What it does, whichever client downloads:
# - the file list, sizes and hashes come from the hub's own metadata
#   (/api/models/<repo>/revision/<rev>?blobs=true, what huggingface_hub's
#   model_info(files_metadata=True) reads), for one commit: the revision is
#   resolved once, so every file comes from the same commit;
# - allow/ignore patterns select files as huggingface_hub's
#   filter_repo_objects does (fnmatch; a pattern ending in "/" means the
#   folder); names that are absolute or hold ".." are refused;
# - every file is checked after download: its size, and its sha256 (files in
#   LFS) or its git blob id (small files); a bad file is deleted and fetched
#   again, up to the retry limit, so a corrupt download never reaches a layer;
# - transient failures (connection errors, 5xx, 429, timeouts, a short read)
#   are retried with exponential backoff; each retry resumes: urllib with an
#   HTTP Range request from the partial file, huggingface_hub from its own
#   .incomplete files. With a cache mount, a failed build resumes too;
# - the token only goes in an unredirected Authorization header (urllib) or
#   to huggingface_hub as token=; it is never printed or written.
import fnmatch
import hashlib
import http.client
import json
import os
import re
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

repo = os.environ["IMAGEPLAN_MODEL_REPO"]
revision = os.environ["IMAGEPLAN_MODEL_REVISION"]
dest = os.environ["IMAGEPLAN_MODEL_DIR"]
client = os.environ.get("IMAGEPLAN_MODEL_CLIENT") or "huggingface_hub"
allow = json.loads(os.environ.get("IMAGEPLAN_MODEL_ALLOW") or "[]")
ignore = json.loads(os.environ.get("IMAGEPLAN_MODEL_IGNORE") or "[]")
retries = int(os.environ.get("IMAGEPLAN_MODEL_RETRIES") or "5")
backoff = float(os.environ.get("IMAGEPLAN_MODEL_BACKOFF") or "2")
cache = os.environ.get("IMAGEPLAN_MODEL_CACHE") or ""
endpoint = (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")
token = ""
token_file = os.environ.get("IMAGEPLAN_TOKEN_FILE") or ""
if token_file and os.path.isfile(token_file):
    with open(token_file) as f:
        token = f.read().strip()
PERMANENT_HUB_ERRORS = {"RepositoryNotFoundError", "RevisionNotFoundError", "EntryNotFoundError",
                        "GatedRepoError", "DisabledRepoError", "LocalEntryNotFoundError"}


def say(message):
    print("imageplan: " + message, file=sys.stderr, flush=True)


class Permanent(Exception):
    pass


class Transient(Exception):
    pass


def fetch(url, offset=0):
    request = urllib.request.Request(url, headers={"User-Agent": "imageplan"})
    if offset:
        request.add_header("Range", "bytes=%d-" % offset)
    if token:
        request.add_unredirected_header("Authorization", "Bearer " + token)
    try:
        return urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code in (401, 403, 404):
            raise Permanent("%s answered %d %s" % (url, error.code, error.reason))
        raise Transient("%s answered %d %s" % (url, error.code, error.reason))


def with_retries(what, action):
    wait = backoff
    for attempt in range(1, retries + 1):
        try:
            return action()
        except Permanent:
            raise
        except (Transient, OSError, http.client.HTTPException) as error:
            if type(error).__name__ in PERMANENT_HUB_ERRORS:
                raise Permanent(str(error))
            if attempt == retries:
                raise Permanent("%s failed %d times, last: %s" % (what, retries, error))
            say("%s failed (%s); attempt %d of %d in %gs" % (what, error, attempt + 1, retries, wait))
            time.sleep(wait)
            wait *= 2


def model_info():
    path = "/revision/" + urllib.parse.quote(revision, safe="") + "?blobs=true"
    with fetch(endpoint + "/api/models/" + urllib.parse.quote(repo) + path) as response:
        return json.load(response)


def selected(name, patterns):
    return any(fnmatch.fnmatch(name, p + "*" if p.endswith("/") else p) for p in patterns)


def expected_files(info):
    files = {}
    for sibling in info.get("siblings") or []:
        name = sibling.get("rfilename") or ""
        if allow and not selected(name, allow) or selected(name, ignore):
            continue
        if not name or os.path.isabs(name) or ".." in name.split("/") or name.endswith("/"):
            raise Permanent("refusing model file name " + json.dumps(name))
        lfs = sibling.get("lfs") or {}
        size = lfs.get("size", sibling.get("size"))
        if size is None:
            raise Permanent("the hub sent no size for %s (it must answer ?blobs=true)" % name)
        files[name] = (int(size), lfs.get("sha256"), None if lfs else sibling.get("blobId"))
    if not files:
        raise Permanent("no file of %s matches allow_patterns %s and ignore_patterns %s"
                        % (repo, json.dumps(allow), json.dumps(ignore)))
    return files


def digests(path, size):
    sha256 = hashlib.sha256()
    blob = hashlib.sha1(b"blob %d\0" % size)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1048576), b""):
            sha256.update(chunk)
            blob.update(chunk)
    return sha256.hexdigest(), blob.hexdigest()


def problem(path, want):
    size, sha256, blob_id = want
    if not os.path.isfile(path):
        return "missing"
    actual = os.path.getsize(path)
    if actual != size:
        return "size %d, expected %d" % (actual, size)
    got_sha256, got_blob = digests(path, size)
    if sha256 and got_sha256 != sha256:
        return "sha256 %s, expected %s" % (got_sha256, sha256)
    if blob_id and got_blob != blob_id:
        return "git blob id %s, expected %s" % (got_blob, blob_id)
    return None


def urllib_download(work, name, size, commit):
    target = os.path.join(work, name)
    part = target + ".incomplete"
    os.makedirs(os.path.dirname(target), exist_ok=True)
    offset = os.path.getsize(part) if os.path.isfile(part) else 0
    if offset >= size:
        os.remove(part)
        offset = 0
    if offset:
        say("resuming %s at byte %d of %d" % (name, offset, size))
    url = endpoint + "/" + urllib.parse.quote(repo) + "/resolve/" + commit + "/"
    with fetch(url + urllib.parse.quote(name), offset) as response:
        if offset and response.status != 206:
            offset = 0
        with open(part, "ab" if offset else "wb") as out:
            shutil.copyfileobj(response, out, 1048576)
    got = os.path.getsize(part)
    if got < size:
        raise Transient("%s: connection closed after %d of %d bytes" % (name, got, size))
    os.replace(part, target)


def hub_download(work, commit):
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        from huggingface_hub import snapshot_download
    except ImportError as error:
        raise Permanent("huggingface_hub is not installed in this stage: %s" % error)
    snapshot_download(repo_id=repo, revision=commit, local_dir=work, endpoint=endpoint,
                      allow_patterns=allow or None, ignore_patterns=ignore or None,
                      token=token or None)


def forget(work, name):
    for path in (os.path.join(work, name), os.path.join(work, ".cache", "huggingface",
                                                        "download", name + ".metadata")):
        if os.path.isfile(path):
            os.remove(path)


def download_all(work, files, commit):
    def attempt():
        if client == "huggingface_hub":
            hub_download(work, commit)
        for name in sorted(files):
            if client == "urllib" and problem(os.path.join(work, name), files[name]):
                urllib_download(work, name, files[name][0], commit)
            bad = problem(os.path.join(work, name), files[name])
            if bad:
                forget(work, name)
                raise Transient("%s failed verification: %s" % (name, bad))
    with_retries("downloading " + repo, attempt)


def main():
    info = with_retries("model info of " + repo, model_info)
    commit = info.get("sha") or ""
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise Permanent("the hub sent no commit for %s at %s" % (repo, revision))
    if re.fullmatch(r"[0-9a-f]{40}", revision) and commit != revision:
        raise Permanent("the hub resolved commit %s to %s" % (revision, commit))
    files = expected_files(info)
    work = os.path.join(cache, repo.replace("/", "--"), commit) if cache else dest
    os.makedirs(work, exist_ok=True)
    download_all(work, files, commit)
    if work != dest:
        for name in sorted(files):
            target = os.path.join(dest, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(work, name), target + ".incomplete")
            os.replace(target + ".incomplete", target)
    shutil.rmtree(os.path.join(dest, ".cache"), ignore_errors=True)
    total = sum(size for size, _, _ in files.values())
    say("%d files (%d bytes) of %s at %s in %s, sizes and hashes verified"
        % (len(files), total, repo, commit, dest))


try:
    main()
except Permanent as error:
    say("model download failed: %s" % error)
    sys.exit(1)
