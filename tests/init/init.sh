#!/usr/bin/env bash
# `imageplan init` on a project folder: the starter spec must be exactly
# expected.yaml, `gen` must accept it as it is, and an existing spec is only
# overwritten with --force.
# usage: init.sh IMAGEPLAN CASE_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
case_dir=$2
make_scratch_dir
project=$scratch/$(basename "$case_dir")
cp -R "$case_dir/project" "$project"

"$imageplan" init "$project" >"$scratch/out" 2>"$scratch/err" ||
  fail "init failed: $(cat "$scratch/err")"
if ! cmp -s "$case_dir/expected.yaml" "$project/imageplan.yaml"; then
  show_diff "$case_dir/expected.yaml" "$project/imageplan.yaml" expected.yaml generated
  fail "the starter spec differs from expected.yaml; if intended, run scripts/update-golden.sh"
fi
(cd "$project" && "$imageplan" gen imageplan.yaml >/dev/null) || fail "gen rejects the starter spec"

rc=0
"$imageplan" init "$project" >/dev/null 2>"$scratch/err" || rc=$?
[[ $rc == 1 ]] || fail "a second init must refuse to overwrite (exit $rc)"
grep -q "already exists; use --force" "$scratch/err" || fail "unexpected message: $(cat "$scratch/err")"
echo "# edited" >>"$project/imageplan.yaml"
"$imageplan" init --force "$project" >/dev/null || fail "init --force failed"
cmp -s "$case_dir/expected.yaml" "$project/imageplan.yaml" || fail "--force did not rewrite the spec"
echo "ok: $(basename "$case_dir")"
