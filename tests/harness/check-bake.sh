#!/usr/bin/env bash
# Checks a bake file with an independent parser, HashiCorp's HCL (npm's
# @cdktf/hcl2json, through hcl2json.js), against the Dockerfile it builds:
# the file must parse, the default group must list every target once, each
# target must build a stage the Dockerfile has, with ${TAG} tags and OCI
# labels, and a registry cache must be read wherever one is written.
# usage: check-bake.sh NODE BAKE_FILE DOCKERFILE
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

node=$1
bake=$2
dockerfile=$3
require_tool node "$node"
make_scratch_dir
NODE_PATH=$(npm root -g 2>/dev/null || true) "$node" "$(dirname "${BASH_SOURCE[0]}")/hcl2json.js" \
  "$bake" >"$scratch/bake.json" || fail "$bake does not parse (above)"
echo "ok: $bake parses as HCL"
/usr/bin/python3 - "$scratch/bake.json" "$dockerfile" <<'PY' || fail "$bake does not fit $dockerfile (above)"
import json, re, sys

bake = json.load(open(sys.argv[1]))
stages = re.findall(r"^FROM \S+ AS (\S+)$", open(sys.argv[2]).read(), re.M)
problems = []
groups = bake.get("group", {}).get("default", [])
targets = bake.get("target", {})
listed = groups[0].get("targets", []) if len(groups) == 1 else []
if len(groups) != 1 or sorted(listed) != sorted(targets) or len(set(listed)) != len(listed):
    problems.append("the default group does not list every target once: %s vs %s" % (listed, sorted(targets)))
for name, blocks in sorted(targets.items()):
    if len(blocks) != 1:
        problems.append("target %s is defined %d times" % (name, len(blocks)))
        continue
    t = blocks[0]
    if t.get("target") not in stages:
        problems.append("target %s builds %r, which is no stage of the Dockerfile %s" % (name, t.get("target"), stages))
    if t.get("dockerfile") != "Dockerfile" or t.get("context") != ".":
        problems.append("target %s does not build ./Dockerfile" % name)
    if not t.get("tags") or not all(":${TAG}" in tag for tag in t["tags"]):
        problems.append("target %s has no ${TAG} tag: %s" % (name, t.get("tags")))
    if not isinstance(t.get("labels"), dict) or "org.opencontainers.image.version" not in t["labels"]:
        problems.append("target %s has no OCI labels" % name)
    if bool(t.get("cache-to")) != bool(t.get("cache-from")):
        problems.append("target %s writes a cache it never reads, or reads one it never writes" % name)
for name in ("IMAGE", "TAG"):
    if name not in bake.get("variable", {}):
        problems.append("no variable %s" % name)
for problem in problems:
    print("FAIL: " + problem, file=sys.stderr)
if problems:
    sys.exit(1)
print("ok: %d target(s), each a stage of the Dockerfile: %s" % (len(targets), ", ".join(sorted(targets))))
PY
