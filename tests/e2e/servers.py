#!/usr/bin/python3
"""Local stand-ins for the servers an image build reaches, for the end-to-end tests.

index: a private Python package index (PEP 503 "simple" layout) served from a
    wheelhouse folder: /simple/<project>/ lists that folder's files.
files: any folder, served as it is (features.sh: apt repositories, assets, a
    second index).
hub: a model hub speaking the Hugging Face hub's protocol as its clients read
    it (huggingface_hub's snapshot_download/hf_hub_download/model_info, the
    @huggingface/hub JS client, imageplan's download program and lock):
      GET /api/models/<org>/<name>[/revision/<rev>][?blobs=true]
          -> {"id", "modelId", "sha": <commit>, "private", "siblings":
              [{"rfilename"} + with blobs: "size", "blobId", "lfs":
              {"sha256", "size", "pointerSize"} for files in LFS]}
      GET /api/models/<org>/<name>/tree/<rev>[/<path>][?recursive=true]
          -> [{"type": "file"|"directory", "oid", "size", "path", "lfs"}]
      POST /api/models/<org>/<name>/paths-info/<rev> (JSON or a form:
          paths, expand) -> the same entries for those paths, with
          "lastCommit" when expanded
      HEAD|GET /<org>/<name>/resolve/<rev>/<path>: a small file itself, with
          ETag (its git blob id), X-Repo-Commit, Content-Length, Accept-Ranges
          and Range requests (206 + Content-Range); a file in LFS (matched by
          the repository's .gitattributes `filter=lfs` patterns) as a 302 to
          the "CDN" below, with X-Linked-Etag (its sha256), X-Linked-Size and
          X-Repo-Commit, as the real hub answers
      GET /cdn/<sha256>/<path>?repo=<org/name>&sig=<signature>: the LFS file,
          Range supported; the signature (made from the token) stands for
          the real CDN's signed URL, so the token never has to go there
    Errors carry X-Error-Code (RepoNotFound, RevisionNotFound, EntryNotFound)
    as huggingface_hub's hf_raise_for_status reads it. Each <root>/<org>/<name>/
    folder is a repository at one commit, a hash of its files; revisions are
    "main" and that commit. A --private repository answers 401 unless the
    request carries "Authorization: Bearer <token>" (the token of --token-file),
    so a build that downloads it proves the build secret reached the download.
    Faults for tests, set with POST /_control {"cut"|"corrupt"|"fail":
    {"<org>/<name>/<path>": <times>}} (the next <times> downloads of that file
    send half its bytes and close / send its bytes altered / answer 503), and
    GET /_control/log, the requests seen (method, path, range, authorized).

Each binds 127.0.0.1 on a port the kernel picks, writes it to --port-file once
listening, and logs one line per request to stderr.
"""

import argparse
import fnmatch
import hashlib
import http.server
import json
import os
import re
import socket
import sys
import threading
import urllib.parse


def repo_files(folder):
    """The repository's files, as sorted paths relative to its folder."""
    names = []
    for parent, _, files in os.walk(folder):
        for name in files:
            names.append(os.path.relpath(os.path.join(parent, name), folder).replace(os.sep, "/"))
    return sorted(names)


def read(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def git_blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_patterns(folder):
    path = os.path.join(folder, ".gitattributes")
    if not os.path.isfile(path):
        return []
    with open(path) as f:
        return [line.split()[0] for line in f if "filter=lfs" in line and line.split()]


class Entry:
    """One file of a repository as the hub describes it."""

    def __init__(self, folder, name, patterns):
        self.name = name
        self.data = read(folder, name)
        self.size = len(self.data)
        self.lfs = any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(os.path.basename(name), p)
                       for p in patterns)
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        if self.lfs:
            pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n"
                       % (self.sha256, self.size)).encode()
            self.pointer_size = len(pointer)
            self.blob_id = git_blob_id(pointer)
        else:
            self.blob_id = git_blob_id(self.data)


def repo_state(folder):
    """The repository's commit (a hash of its files) and its entries."""
    patterns = lfs_patterns(folder)
    entries = [Entry(folder, name, patterns) for name in repo_files(folder)]
    digest = hashlib.sha1()
    for entry in entries:
        digest.update(entry.name.encode() + b"\0" + entry.data + b"\0")
    return digest.hexdigest(), entries


def repo_commit(folder):
    return repo_state(folder)[0]


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        sys.stderr.write("%s %s\n" % (self.server.kind, format % args))
        sys.stderr.flush()


class IndexHandler(Handler):
    """Serves the wheelhouse; pip reads the folder listings as index pages."""


class HubHandler(Handler):
    protocol_version = "HTTP/1.1"

    def send_body(self, status, body, content_type, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def deny(self, status, message, code=None):
        headers = [("X-Error-Code", code)] if code else []
        headers.append(("X-Error-Message", message))
        self.send_body(status, json.dumps({"error": message}).encode(), "application/json", headers)

    def authorized(self, repo):
        if repo not in self.server.private:
            return True
        return self.headers.get("Authorization", "") == "Bearer " + self.server.token

    def record(self):
        self.server.requests.append({
            "method": self.command, "path": self.path,
            "range": self.headers.get("Range", ""),
            "authorized": self.headers.get("Authorization", "") == "Bearer " + self.server.token,
        })

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self.record()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""  # always read: keep-alive
        parts = [part for part in urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                 .split("/") if part]
        if len(parts) >= 5 and parts[:2] == ["api", "models"] and parts[4] == "paths-info":
            return self.paths_info(parts[2] + "/" + parts[3], "/".join(parts[5:]) or "main", body)
        if parts != ["_control"]:
            return self.deny(404, "not found")
        faults = json.loads(body or b"{}")
        with self.server.lock:
            if faults.get("reset"):  # first: {"reset": true, "cut": ...} resets, then sets
                self.server.faults.clear()
                self.server.requests.clear()
            for kind in ("cut", "corrupt", "fail"):
                for key, times in (faults.get(kind) or {}).items():
                    self.server.faults[(kind, key)] = int(times)
        self.send_body(200, b"{}", "application/json")

    def paths_info(self, repo, revision, body):
        """POST paths-info: JSON ({"paths": [...], "expand": ...}, the JS
        client) or a form (paths=...&expand=..., huggingface_hub)."""
        state = self.repository(repo, revision)
        if state is None:
            return
        commit, entries = state
        if self.headers.get("Content-Type", "").startswith("application/json"):
            request = json.loads(body or b"{}")
            paths, expand = request.get("paths") or [], bool(request.get("expand"))
        else:
            form = urllib.parse.parse_qs(body.decode())
            paths = form.get("paths", [])
            expand = form.get("expand", ["false"])[0].lower() in ("1", "true")
        if isinstance(paths, str):
            paths = [paths]
        listed = []
        for path in paths:
            path = path.strip("/")
            entry = next((e for e in entries if e.name == path), None)
            if entry is not None:
                item = self.tree_item(entry)
            elif any(e.name.startswith(path + "/") for e in entries):
                item = {"type": "directory", "oid": hashlib.sha1(path.encode()).hexdigest(),
                        "size": 0, "path": path}
            else:
                continue
            if expand:
                item["lastCommit"] = {"id": commit, "title": "stand-in commit",
                                      "date": "2026-01-01T00:00:00.000Z"}
            listed.append(item)
        self.send_body(200, json.dumps(listed).encode(), "application/json")

    @staticmethod
    def tree_item(entry):
        item = {"type": "file", "oid": entry.blob_id, "size": entry.size, "path": entry.name}
        if entry.lfs:
            item["lfs"] = {"oid": entry.sha256, "size": entry.size, "pointerSize": entry.pointer_size}
        return item

    def do_GET(self):
        self.record()
        split = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(split.query)
        parts = [part for part in urllib.parse.unquote(split.path).split("/") if part]
        if parts == ["_control", "log"]:
            return self.send_body(200, json.dumps(self.server.requests).encode(), "application/json")
        if len(parts) >= 4 and parts[0] == "api" and parts[1] == "models":
            return self.api(parts[2] + "/" + parts[3], parts[4:], query)
        if len(parts) >= 3 and parts[0] == "cdn":
            return self.cdn(parts[1], "/".join(parts[2:]), query)
        if len(parts) >= 5 and parts[2] == "resolve":
            return self.resolve("/".join(parts[0:2]), parts[3], "/".join(parts[4:]))
        self.deny(404, "not found")

    def repository(self, repo, revision):
        """The repository's (commit, entries), or None after answering."""
        folder = os.path.join(self.server.root, repo)
        if not os.path.isdir(folder):
            self.deny(404, "Repository not found", "RepoNotFound")
            return None
        if not self.authorized(repo):
            self.deny(401, "Invalid username or password.", "RepoNotFound")
            return None
        commit, entries = repo_state(folder)
        if revision not in ("main", commit):
            self.deny(404, "Invalid rev id: " + revision, "RevisionNotFound")
            return None
        return commit, entries

    def api(self, repo, rest, query):
        if rest and rest[0] == "tree" and len(rest) >= 2:
            return self.tree(repo, rest[1], "/".join(rest[2:]), query)
        revision = rest[1] if len(rest) >= 2 and rest[0] == "revision" else "main"
        if rest and rest[0] != "revision":
            return self.deny(404, "not found")
        state = self.repository(repo, revision)
        if state is None:
            return
        commit, entries = state
        blobs = query.get("blobs", [""])[0].lower() in ("1", "true")
        siblings = []
        for entry in entries:
            sibling = {"rfilename": entry.name}
            if blobs:
                sibling.update({"size": entry.size, "blobId": entry.blob_id})
                if entry.lfs:
                    sibling["lfs"] = {"sha256": entry.sha256, "size": entry.size,
                                      "pointerSize": entry.pointer_size}
            siblings.append(sibling)
        info = {"_id": commit[:24], "id": repo, "modelId": repo, "sha": commit,
                "private": repo in self.server.private, "disabled": False, "gated": False,
                "tags": [], "siblings": siblings}
        self.send_body(200, json.dumps(info).encode(), "application/json")

    def tree(self, repo, revision, path, query):
        state = self.repository(repo, revision)
        if state is None:
            return
        _, entries = state
        recursive = query.get("recursive", [""])[0].lower() in ("1", "true")
        prefix = path.rstrip("/") + "/" if path else ""
        listed, folders = [], set()
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            rest = entry.name[len(prefix):]
            if "/" in rest:
                folders.add(prefix + rest.split("/")[0])
                if recursive:
                    parts = rest.split("/")
                    for i in range(1, len(parts) - 1):
                        folders.add(prefix + "/".join(parts[:i + 1]))
                if not recursive:
                    continue
            listed.append(self.tree_item(entry))
        for folder in sorted(folders):
            listed.append({"type": "directory", "oid": hashlib.sha1(folder.encode()).hexdigest(),
                           "size": 0, "path": folder})
        self.send_body(200, json.dumps(listed).encode(), "application/json")

    def signature(self, repo, sha256):
        return hashlib.sha256((self.server.token + repo + sha256).encode()).hexdigest()[:32]

    def resolve(self, repo, revision, name):
        state = self.repository(repo, revision)
        if state is None:
            return
        commit, entries = state
        entry = next((e for e in entries if e.name == name), None)
        if entry is None:
            return self.deny(404, "Entry not found", "EntryNotFound")
        if entry.lfs:
            location = "http://%s:%d/cdn/%s/%s?%s" % (
                self.server.server_address[0], self.server.server_address[1], entry.sha256,
                urllib.parse.quote(name), urllib.parse.urlencode(
                    {"repo": repo, "sig": self.signature(repo, entry.sha256)}))
            headers = [("Location", location), ("X-Repo-Commit", commit),
                       ("X-Linked-Etag", '"%s"' % entry.sha256),
                       ("X-Linked-Size", str(entry.size)), ("ETag", '"%s"' % entry.blob_id)]
            return self.send_body(302, b"", "text/plain", headers)
        self.send_file(repo, entry, [("ETag", '"%s"' % entry.blob_id), ("X-Repo-Commit", commit)])

    def cdn(self, sha256, name, query):
        repo = query.get("repo", [""])[0]
        if query.get("sig", [""])[0] != self.signature(repo, sha256):
            return self.deny(403, "bad signature")
        folder = os.path.join(self.server.root, repo)
        if not os.path.isdir(folder):
            return self.deny(404, "not found")
        _, entries = repo_state(folder)
        entry = next((e for e in entries if e.name == name and e.sha256 == sha256), None)
        if entry is None:
            return self.deny(404, "not found")
        self.send_file(repo, entry, [("ETag", '"%s"' % entry.sha256)])

    def fault(self, kind, key):
        with self.server.lock:
            left = self.server.faults.get((kind, key), 0)
            if left > 0 and self.command == "GET":
                self.server.faults[(kind, key)] = left - 1
                return True
        return False

    def send_file(self, repo, entry, headers):
        key = repo + "/" + entry.name
        if self.fault("fail", key):
            return self.deny(503, "the hub is busy; try again")
        data = entry.data
        start, end, status = 0, len(data) - 1, 200
        # One range, as clients ask: "bytes=N-" to resume, "bytes=0-0" to
        # learn the size from Content-Range (@huggingface/hub).
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if wanted:
            start = int(wanted.group(1))
            if wanted.group(2):
                end = min(end, int(wanted.group(2)))
            if start >= len(data) or start > end:
                return self.send_body(416, b"", "text/plain",
                                      [("Content-Range", "bytes */%d" % len(data))])
            status = 206
            headers = headers + [("Content-Range", "bytes %d-%d/%d" % (start, end, len(data)))]
        body = data[start:end + 1]
        if self.fault("corrupt", key):
            body = bytes(b ^ 0x5A for b in body)
        headers = headers + [("Accept-Ranges", "bytes")]
        if self.fault("cut", key):
            # Promise the whole body, send half, then drop the connection.
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_body(status, body, "application/octet-stream", headers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["index", "hub", "files"])
    parser.add_argument("--root", required=True, help="the wheelhouse or the hub's folder")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--private", action="append", default=[], help="org/name needing the token")
    parser.add_argument("--token-file", help="holds the token private repositories need")
    args = parser.parse_args()

    root = os.path.abspath(args.root)
    if args.kind in ("index", "files"):
        handler = lambda *a, **kw: IndexHandler(*a, directory=root, **kw)  # noqa: E731
    else:
        handler = HubHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.kind = args.kind
    server.root = root
    server.private = set(args.private)
    server.token = ""
    server.lock = threading.Lock()
    server.faults = {}
    server.requests = []
    if args.private:
        if not args.token_file:
            parser.error("--private needs --token-file")
        with open(args.token_file) as f:
            server.token = f.read().strip()
        if not server.token:
            parser.error("the token file is empty")
    with open(args.port_file + ".part", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(args.port_file + ".part", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
