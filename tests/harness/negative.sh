#!/usr/bin/env bash
# Negative test of one case folder, run in a copy of it (made by input.sh
# where the input cannot be committed): `imageplan check imageplan.yaml`, or
# the command line in args.txt, must exit with 1 exactly, print nothing on
# stdout, print on stderr exactly the bytes of expected.txt, and write
# nothing. Without args.txt, `gen` with -o and --depfile and with
# --output-dir must do the same and leave their output folders empty.
# usage: negative.sh IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

imageplan=$1
case_dir=$(cd "$2" && pwd)
make_scratch_dir
[[ -f $case_dir/expected.txt ]] ||
  fail "$case_dir has no expected.txt; generate it with scripts/update-golden.sh and review it"

prepare_negative_case "$case_dir" "$scratch/case"
cd "$scratch/case"
negative_args "$case_dir"
mkdir "$scratch/out" "$scratch/out-dir"
snapshot_tree . >"$scratch/before"

status=0
# Runs imageplan with the arguments given and checks its exit code and output.
expect_rejection() {
  local rc=0 label="imageplan $1"
  "$imageplan" "$@" >"$scratch/stdout" 2>"$scratch/stderr" </dev/null || rc=$?
  if ((rc != 1)); then
    echo "FAIL: $label exited with $rc, expected 1" >&2
    status=1
  fi
  if [[ -s $scratch/stdout ]]; then
    echo "FAIL: $label printed on stdout:" >&2
    cat "$scratch/stdout" >&2
    status=1
  fi
  if ! cmp -s "$case_dir/expected.txt" "$scratch/stderr"; then
    echo "FAIL: the diagnostics of $label differ from expected.txt (- expected, + actual):" >&2
    show_diff "$case_dir/expected.txt" "$scratch/stderr" expected.txt actual >&2
    status=1
  fi
}

expect_rejection "${negative_args[@]}"
if [[ ! -f $case_dir/args.txt ]]; then
  expect_rejection gen imageplan.yaml --emit dockerfile -o "$scratch/out/Dockerfile" \
    --depfile "$scratch/out/Dockerfile.d"
  expect_rejection gen imageplan.yaml --emit dockerfile --emit dockerignore \
    --output-dir "$scratch/out-dir"
fi
snapshot_tree . >"$scratch/after"
if ! cmp -s "$scratch/before" "$scratch/after"; then
  echo "FAIL: the case folder changed:" >&2
  show_diff "$scratch/before" "$scratch/after" before after >&2
  status=1
fi
if [[ -n $(find "$scratch/out" "$scratch/out-dir" -mindepth 1) ]]; then
  echo "FAIL: gen wrote output:" >&2
  find "$scratch/out" "$scratch/out-dir" -mindepth 1 >&2
  status=1
fi
if ((status == 0)); then echo "ok: exit code 1, diagnostics as expected, nothing written"; fi
exit "$status"
