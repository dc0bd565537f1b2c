#!/usr/bin/env bash
# `imageplan init` on a Dockerfile holding a value no spec can hold (control
# bytes in WORKDIR, ENV and CMD, found while fuzzing issue 10's inputs): the
# starter spec is compiled before it is written, so init exits 1 with the
# located diagnostics and writes no imageplan.yaml.
#   unrepresentable.sh IMAGEPLAN
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
make_scratch_dir
project=$scratch/project
mkdir "$project"
printf 'FROM python:3.11-slim\nWORKDIR /app\033[2J\nCOPY . .\nENV A="x\007y"\nCMD ["python", "-m", "app"]\n' \
  >"$project/Dockerfile"
rc=0
"$imageplan" init "$project" >"$scratch/out" 2>"$scratch/err" || rc=$?
[[ $rc == 1 ]] || fail "init must exit 1 (exit $rc): $(cat "$scratch/err")"
[[ ! -e $project/imageplan.yaml ]] || fail "init wrote a spec that does not compile"
grep -q "imageplan.yaml:[0-9]*:[0-9]*: error: control character '\\\\x1b' in 'workdir'" "$scratch/err" ||
  fail "no located diagnostic for the WORKDIR: $(cat "$scratch/err")"
grep -q "error: control character '\\\\x07' in 'A'" "$scratch/err" ||
  fail "no diagnostic for the ENV value: $(cat "$scratch/err")"
grep -q "note: nothing was written" "$scratch/err" || fail "unexpected message: $(cat "$scratch/err")"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f]' "$scratch/err"; then
  fail "raw control bytes reached stderr"
fi
[[ ! -s $scratch/out ]] || fail "init printed to stdout: $(cat "$scratch/out")"
echo "ok: unrepresentable"
