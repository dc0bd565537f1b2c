#!/usr/bin/env bash
# Checks a CI workflow with a YAML parser other than the one that wrote it
# (Python's, Debian's python3-yaml): it must parse into a GitHub Actions
# workflow run on push and pull_request whose one job checks out the code,
# sets up buildx and runs docker/bake-action on docker-bake.hcl, with every
# build secret the bake file names passed in from the repository's secrets.
# usage: check-ci.sh WORKFLOW BAKE_FILE
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

workflow=$1
bake=$2
/usr/bin/python3 - "$workflow" "$bake" <<'PY' || fail "$workflow is not the workflow it should be (above)"
import re, sys
try:
    import yaml
except ImportError:
    sys.exit("FAIL: Python's yaml module is missing; run 'scripts/setup.sh --test'")

workflow = yaml.safe_load(open(sys.argv[1]))
bake = open(sys.argv[2]).read()
problems = []
# YAML 1.1 reads the key `on` as true.
triggers = workflow.get("on", workflow.get(True)) or {}
if "push" not in triggers or "pull_request" not in triggers:
    problems.append("not run on push and pull_request: %s" % sorted(map(str, triggers)))
jobs = workflow.get("jobs", {})
steps = jobs.get("bake", {}).get("steps", []) if len(jobs) == 1 else []
uses = [step.get("uses", "") for step in steps]
for action in ("actions/checkout@", "docker/setup-buildx-action@", "docker/bake-action@"):
    if not any(u.startswith(action) for u in uses):
        problems.append("no step uses %s: %s" % (action, uses))
bake_steps = [s for s in steps if s.get("uses", "").startswith("docker/bake-action@")]
if bake_steps:
    step = bake_steps[0]
    if step.get("with", {}).get("files") != "docker-bake.hcl":
        problems.append("the bake step does not build docker-bake.hcl")
    env = step.get("env", {})
    for secret in re.findall(r"id=[^,\"]+,env=([A-Z0-9_]+)", bake):
        if env.get(secret) != "${{ secrets.%s }}" % secret:
            problems.append("the secret %s of the bake file is not passed in" % secret)
for problem in problems:
    print("FAIL: " + problem, file=sys.stderr)
if problems:
    sys.exit(1)
print("ok: a workflow of %d steps around docker/bake-action" % len(steps))
PY
