#!/usr/bin/env bash
# Negative test of one case folder: `imageplan check imageplan.yaml` must exit
# with 1 exactly, print nothing on stdout, and print on stderr exactly the
# bytes of expected.txt.
# usage: negative.sh IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

imageplan=$1
case_dir=$2
make_scratch_dir
cd "$case_dir"

[[ -f expected.txt ]] ||
  fail "$case_dir has no expected.txt; generate it with scripts/update-golden.sh and review it"

rc=0
"$imageplan" check imageplan.yaml >"$scratch/stdout" 2>"$scratch/stderr" || rc=$?

status=0
if ((rc != 1)); then
  echo "FAIL: imageplan check exited with $rc, expected 1" >&2
  status=1
fi
if [[ -s $scratch/stdout ]]; then
  echo "FAIL: imageplan check printed on stdout:" >&2
  cat "$scratch/stdout" >&2
  status=1
fi
if ! cmp -s expected.txt "$scratch/stderr"; then
  echo "FAIL: diagnostics differ from expected.txt (- expected, + actual):" >&2
  show_diff expected.txt "$scratch/stderr" expected.txt actual >&2
  status=1
fi
if ((status == 0)); then echo "ok: exit code 1 and diagnostics as expected"; fi
exit "$status"
