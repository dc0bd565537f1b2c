#!/usr/bin/env bash
# imageplan_init_properties must fail on a starter spec that loses what the
# Dockerfile does: tests/init/makefile-install's spec with its base changed,
# a system package, the app's copy, the workdir and a "not carried" comment
# removed, each reported in one run.
#   properties-selftest.sh IMAGEPLAN PROPERTIES
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
properties=$2
make_scratch_dir
project=$scratch/makefile-install
cp -R "$here/makefile-install/project" "$project"
"$imageplan" init "$project" >/dev/null
"$imageplan" gen "$project/imageplan.yaml" -o "$scratch/kept.Dockerfile"
"$properties" "$project" "$scratch/kept.Dockerfile" Dockerfile >/dev/null ||
  fail "the unchanged starter spec must pass"

sed -i -e 's/packages: \[libgomp1, curl\]/packages: [curl]/' -e 's/copy: \[Makefile, app\/\]/copy: [Makefile]/' \
  -e '/Makefile:15/d' -e 's/python:3.11-slim/python:3.11-bookworm/' -e 's/^  workdir: \/app$/  workdir: \/srv/' \
  "$project/imageplan.yaml"
"$imageplan" gen "$project/imageplan.yaml" -o "$scratch/lost.Dockerfile"
rc=0
"$properties" "$project" "$scratch/lost.Dockerfile" Dockerfile 2>"$scratch/err" || rc=$?
[[ $rc == 1 ]] || fail "a spec that loses what the Dockerfile does must fail (exit $rc)"
cat >"$scratch/expected" <<'EXPECTED'
FAIL: the command names app/ui.py (app/ui.py), which is not copied
FAIL: the generated final image starts from python:3.11-bookworm, the Dockerfile's from python:3.11-slim
FAIL: the Dockerfile's final image installs libgomp1; the generated one does not
FAIL: WORKDIR is /srv, the Dockerfile's /app
FAIL: the spec's comments do not say what init could not carry from Makefile:15
EXPECTED
if ! cmp -s "$scratch/expected" "$scratch/err"; then
  show_diff "$scratch/expected" "$scratch/err" expected actual
  fail "the checker's report differs"
fi
echo "ok: the properties checker catches what a spec loses"
