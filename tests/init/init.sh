#!/usr/bin/env bash
# `imageplan init` on a project folder: the starter spec must be exactly the
# expected file, `gen` must accept it as it is, the Dockerfile gen writes from
# it must keep what the project's Dockerfile does (imageplan_init_properties:
# base, system packages, every file the command needs, workdir, user, ports,
# health check, env, and a comment for what could not be carried), and an
# existing spec is only overwritten with --force.
#   init.sh IMAGEPLAN PROPERTIES CASE_DIR
#     tests/init/<case>/: project/, expected.yaml, and `reads`: the Dockerfile
#     (context-relative) init must read, when the project has one
#   init.sh IMAGEPLAN PROPERTIES --sample SAMPLE_DIR EXPECTED
#     a sample folder without its spec and what imageplan generated from it
#     (Dockerfile, .dockerignore, explain.*, graph.dot, docker-bake.hcl,
#     imageplan-ci.yml), against EXPECTED
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
properties=$2
shift 2
make_scratch_dir
reads=()
if [[ ${1:-} == --sample ]]; then
  source_dir=$2
  expected=$3
  project=$scratch/$(basename "$source_dir")
  cp -R "$source_dir" "$project"
  rm -f "$project"/{imageplan.yaml,Dockerfile,.dockerignore,explain.txt,explain.json,graph.dot,docker-bake.hcl,imageplan-ci.yml}
else
  source_dir=$1/project
  expected=$1/expected.yaml
  project=$scratch/$(basename "$1")
  cp -R "$source_dir" "$project"
  if [[ -f $1/reads ]]; then reads=("$(cat "$1/reads")"); fi
fi
[[ -f $expected ]] || fail "missing $expected; run scripts/update-golden.sh"

"$imageplan" init "$project" >"$scratch/out" 2>"$scratch/err" ||
  fail "init failed: $(cat "$scratch/err")"
if ! cmp -s "$expected" "$project/imageplan.yaml"; then
  show_diff "$expected" "$project/imageplan.yaml" expected generated
  fail "the starter spec differs from $expected; if intended, run scripts/update-golden.sh"
fi
(cd "$project" && "$imageplan" gen imageplan.yaml -o "$scratch/generated.Dockerfile") ||
  fail "gen rejects the starter spec"
# A sample names the Dockerfile init read (a Dockerfile.handwritten) in the comments.
if [[ ${#reads[@]} == 0 ]]; then
  read_line=$(sed -n 's/^#   - \(.*\), whose final stage starts from .*/\1/p' "$project/imageplan.yaml")
  if [[ -n $read_line ]]; then reads=("$read_line"); fi
fi
"$properties" "$project" "$scratch/generated.Dockerfile" "${reads[@]}" ||
  fail "the starter spec does not keep what the project's Dockerfile does (above)"
rm "$scratch/generated.Dockerfile"

rc=0
"$imageplan" init "$project" >/dev/null 2>"$scratch/err" || rc=$?
[[ $rc == 1 ]] || fail "a second init must refuse to overwrite (exit $rc)"
grep -q "already exists; use --force" "$scratch/err" || fail "unexpected message: $(cat "$scratch/err")"
echo "# edited" >>"$project/imageplan.yaml"
"$imageplan" init --force "$project" >/dev/null || fail "init --force failed"
cmp -s "$expected" "$project/imageplan.yaml" || fail "--force did not rewrite the spec"
echo "ok: $(basename "$project")"
