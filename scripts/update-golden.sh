#!/usr/bin/env bash
# Regenerates every expected output from the current build: the Dockerfile and
# .dockerignore of each golden case (tests/golden/*/) and sample (samples/*/),
# the expected.txt diagnostics of each negative case (tests/negative/*/), and
# the score reports of tests/score/expected/.
# Review the printed `git status` and the diff like code before committing.
# usage: scripts/update-golden.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build.sh
imageplan=$PWD/build/tools/imageplan
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imageplan-golden.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failures=0
shopt -s nullglob

# The backends and their files, as `gen --list-backends` prints them.
backends=()
backend_files=()
while IFS=$'\t' read -r name file; do
  backends+=("$name")
  backend_files+=("$file")
done < <("$imageplan" gen --list-backends)

# Every case gets its Dockerfile and .dockerignore, samples also what explain
# says of them, and any case the expected file of every other backend it
# commits (a new golden starts as an empty file of that name).
for spec in tests/golden/*/imageplan.yaml samples/*/imageplan.yaml; do
  dir=$(dirname "$spec")
  emit=()
  for i in "${!backends[@]}"; do
    case ${backends[i]} in
    dockerfile | dockerignore) ;;
    explain | explain-json) [[ $dir == samples/* || -e $dir/${backend_files[i]} ]] || continue ;;
    *) [[ -e $dir/${backend_files[i]} ]] || continue ;;
    esac
    emit+=(--emit "${backends[i]}")
  done
  if (cd "$dir" && "$imageplan" gen imageplan.yaml "${emit[@]}" --output-dir . --write-if-changed &&
    { [[ $dir != samples/* ]] || "$imageplan" graph imageplan.yaml >"$scratch/graph.dot"; } &&
    { [[ $dir != samples/* ]] || cmp -s "$scratch/graph.dot" graph.dot ||
      cp "$scratch/graph.dot" graph.dot; }); then
    echo "updated: $dir"
  else
    echo "update-golden.sh: imageplan gen or graph failed in $dir (diagnostics above)" >&2
    failures=$((failures + 1))
  fi
done

# imageplan init: the starter spec each tests/init/<case>/project gets, written
# from a copy named like the case (the spec's name comes from the folder).
for expected in tests/init/*/expected.yaml; do
  dir=$(dirname "$expected")
  copy=$scratch/$(basename "$dir")
  rm -rf "$copy"
  cp -R "$dir/project" "$copy"
  if "$imageplan" init "$copy" >/dev/null; then
    cmp -s "$copy/imageplan.yaml" "$expected" || cp "$copy/imageplan.yaml" "$expected"
    echo "updated: $dir"
  else
    echo "update-golden.sh: imageplan init failed in $dir" >&2
    failures=$((failures + 1))
  fi
done

# ... and the one each sample's folder gets without its spec and generated files.
mkdir -p tests/init/samples
for spec in samples/*/imageplan.yaml; do
  dir=$(dirname "$spec")
  name=$(basename "$dir")
  copy=$scratch/$name
  rm -rf "$copy"
  cp -R "$dir" "$copy"
  rm -f "$copy"/{imageplan.yaml,Dockerfile,.dockerignore,explain.txt,explain.json,graph.dot,docker-bake.hcl,imageplan-ci.yml}
  if "$imageplan" init "$copy" >/dev/null; then
    cmp -s "$copy/imageplan.yaml" "tests/init/samples/$name.yaml" ||
      cp "$copy/imageplan.yaml" "tests/init/samples/$name.yaml"
    echo "updated: tests/init/samples/$name.yaml"
  else
    echo "update-golden.sh: imageplan init failed in a copy of $dir" >&2
    failures=$((failures + 1))
  fi
done

# Negative cases run in a copy (tests/harness/negative.sh does the same), where
# input.sh makes what cannot be committed; args.txt holds a command line other
# than `check imageplan.yaml`.
# shellcheck source=../tests/harness/common.sh
source tests/harness/common.sh
for dir in tests/negative/*/; do
  dir=${dir%/}
  [[ -e $dir/imageplan.yaml || -e $dir/input.sh || -e $dir/args.txt ]] || continue
  rm -rf "$scratch/case"
  prepare_negative_case "$dir" "$scratch/case"
  negative_args "$dir"
  rc=0
  (cd "$scratch/case" && "$imageplan" "${negative_args[@]}" </dev/null) >/dev/null \
    2>"$scratch/stderr" || rc=$?
  if ((rc != 1)); then
    echo "update-golden.sh: imageplan ${negative_args[0]} exited with $rc in $dir, not 1;" \
      "expected.txt left as it was" >&2
    failures=$((failures + 1))
    continue
  fi
  cmp -s "$scratch/stderr" "$dir/expected.txt" || cp "$scratch/stderr" "$dir/expected.txt"
  echo "updated: $dir"
done

# The score reports of tests/score/ (the cases its CMakeLists.txt lists).
score_cases=$(sed -n 's/^foreach(case \(.*\))$/\1/p' tests/score/CMakeLists.txt)
if [[ -z $score_cases ]]; then
  echo "update-golden.sh: no score cases found in tests/score/CMakeLists.txt" >&2
  failures=$((failures + 1))
fi
for case_name in $score_cases; do
  tests/score/score.sh "$imageplan" "$case_name" --update >/dev/null ||
    { echo "update-golden.sh: tests/score case $case_name failed" >&2; failures=$((failures + 1)); }
done

echo
echo "Changes to review (git status --short):"
git status --short --untracked-files=all -- tests samples
if ((failures > 0)); then
  echo "update-golden.sh: $failures case(s) failed" >&2
  exit 1
fi
