#!/usr/bin/env bash
# `imageplan init` on a project folder: the starter spec must be exactly the
# expected file, `gen` must accept it as it is, and an existing spec is only
# overwritten with --force.
#   init.sh IMAGEPLAN CASE_DIR
#     tests/init/<case>/: project/ and expected.yaml
#   init.sh IMAGEPLAN --sample SAMPLE_DIR EXPECTED
#     a sample folder without its spec and what imageplan generated from it
#     (Dockerfile, .dockerignore, explain.*, graph.dot), against EXPECTED
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
make_scratch_dir
if [[ ${2:-} == --sample ]]; then
  source_dir=$3
  expected=$4
  project=$scratch/$(basename "$source_dir")
  cp -R "$source_dir" "$project"
  rm -f "$project"/{imageplan.yaml,Dockerfile,.dockerignore,explain.txt,explain.json,graph.dot}
else
  source_dir=$2/project
  expected=$2/expected.yaml
  project=$scratch/$(basename "$2")
  cp -R "$source_dir" "$project"
fi
[[ -f $expected ]] || fail "missing $expected; run scripts/update-golden.sh"

"$imageplan" init "$project" >"$scratch/out" 2>"$scratch/err" ||
  fail "init failed: $(cat "$scratch/err")"
if ! cmp -s "$expected" "$project/imageplan.yaml"; then
  show_diff "$expected" "$project/imageplan.yaml" expected generated
  fail "the starter spec differs from $expected; if intended, run scripts/update-golden.sh"
fi
(cd "$project" && "$imageplan" gen imageplan.yaml >/dev/null) || fail "gen rejects the starter spec"

rc=0
"$imageplan" init "$project" >/dev/null 2>"$scratch/err" || rc=$?
[[ $rc == 1 ]] || fail "a second init must refuse to overwrite (exit $rc)"
grep -q "already exists; use --force" "$scratch/err" || fail "unexpected message: $(cat "$scratch/err")"
echo "# edited" >>"$project/imageplan.yaml"
"$imageplan" init --force "$project" >/dev/null || fail "init --force failed"
cmp -s "$expected" "$project/imageplan.yaml" || fail "--force did not rewrite the spec"
echo "ok: $(basename "$project")"
