#!/usr/bin/env bash
# Runs shellcheck on the shell text of every RUN of one Dockerfile (see
# extract-runs.sh); any finding fails.
# usage: shellcheck-dockerfile.sh SHELLCHECK DOCKERFILE
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=common.sh
source "$here/common.sh"

shellcheck=$1
dockerfile=$2
require_tool shellcheck "$shellcheck"
make_scratch_dir

"$here/extract-runs.sh" "$dockerfile" "$scratch/runs" >"$scratch/list"
[[ -s $scratch/list ]] || fail "$dockerfile has no shell-form RUN to check"

status=0
while read -r script dialect line; do
  if "$shellcheck" -s "$dialect" "$script"; then
    echo "ok: RUN at line $line ($dialect)"
  else
    echo "FAIL: shellcheck found problems in the RUN at line $line of $dockerfile; its text:" >&2
    cat -n "$script" >&2
    status=1
  fi
done <"$scratch/list"
exit "$status"
