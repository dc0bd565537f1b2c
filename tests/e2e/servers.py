#!/usr/bin/python3
"""Local stand-ins for the servers an image build reaches, for the end-to-end tests.

index: a private Python package index (PEP 503 "simple" layout) served from a
    wheelhouse folder: /simple/<project>/ lists that folder's files.
files: any folder, served as it is (features.sh: apt repositories, assets, a
    second index).
hub: a model hub laid out like the Hugging Face hub, as far as imageplan's
    model download uses it:
      GET /api/models/<org>/<name>/revision/<revision>
          -> {"sha": <commit>, "siblings": [{"rfilename": <path>}, ...]}
      GET /<org>/<name>/resolve/<commit or revision>/<path> -> the file
    Each <root>/<org>/<name>/ folder is a repository; its commit is a hash of
    its files. A --private repository answers 401 unless the request carries
    "Authorization: Bearer <token>" with the token of --token-file, so a build
    that downloads it proves the build secret reached the download.

Each binds 127.0.0.1 on a port the kernel picks, write it to --port-file once
listening, and log one line per request to stderr.
"""

import argparse
import hashlib
import http.server
import json
import os
import sys
import urllib.parse


def repo_files(folder):
    """The repository's files, as sorted paths relative to its folder."""
    names = []
    for parent, _, files in os.walk(folder):
        for name in files:
            names.append(os.path.relpath(os.path.join(parent, name), folder).replace(os.sep, "/"))
    return sorted(names)


def repo_commit(folder):
    digest = hashlib.sha1()
    for name in repo_files(folder):
        digest.update(name.encode() + b"\0")
        with open(os.path.join(folder, name), "rb") as f:
            digest.update(f.read() + b"\0")
    return digest.hexdigest()


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        sys.stderr.write("%s %s\n" % (self.server.kind, format % args))
        sys.stderr.flush()


class IndexHandler(Handler):
    """Serves the wheelhouse; pip reads the folder listings as index pages."""


class HubHandler(Handler):
    def send_body(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def deny(self, status, message):
        self.send_body(status, json.dumps({"error": message}).encode(), "application/json")

    def authorized(self, repo):
        if repo not in self.server.private:
            return True
        return self.headers.get("Authorization", "") == "Bearer " + self.server.token

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        parts = [part for part in path.split("/") if part]
        if len(parts) >= 6 and parts[0] == "api" and parts[1] == "models" and parts[4] == "revision":
            self.model_info("/".join(parts[2:4]))
        elif len(parts) >= 5 and parts[2] == "resolve":
            self.resolve("/".join(parts[0:2]), parts[3], "/".join(parts[4:]))
        else:
            self.deny(404, "not found")

    def repo_folder(self, repo):
        folder = os.path.join(self.server.root, repo)
        return folder if os.path.isdir(folder) else None

    def model_info(self, repo):
        folder = self.repo_folder(repo)
        if folder is None:
            return self.deny(404, "no repository " + repo)
        if not self.authorized(repo):
            return self.deny(401, "repository " + repo + " needs a token")
        info = {
            "id": repo,
            "sha": repo_commit(folder),
            "siblings": [{"rfilename": name} for name in repo_files(folder)],
        }
        self.send_body(200, json.dumps(info).encode(), "application/json")

    def resolve(self, repo, revision, name):
        folder = self.repo_folder(repo)
        if folder is None:
            return self.deny(404, "no repository " + repo)
        if not self.authorized(repo):
            return self.deny(401, "repository " + repo + " needs a token")
        if revision != repo_commit(folder) and revision != "main":
            return self.deny(404, "no revision " + revision)
        if name not in repo_files(folder):
            return self.deny(404, "no file " + name)
        with open(os.path.join(folder, name), "rb") as f:
            self.send_body(200, f.read(), "application/octet-stream")


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
