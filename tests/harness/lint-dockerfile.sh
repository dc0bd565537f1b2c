#!/usr/bin/env bash
# Lints one Dockerfile with dockerfile-utils; fails on a non-zero exit or any
# reported error (warnings are shown but pass), and prints the file with line
# numbers to help read a failure.
# usage: lint-dockerfile.sh DOCKERFILE_UTILS DOCKERFILE
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dockerfile_utils=$1
dockerfile=$2
require_tool dockerfile-utils "$dockerfile_utils"

rc=0
report=$("$dockerfile_utils" lint "$dockerfile" 2>&1) || rc=$?
if ((rc != 0)) || grep -q '^Error:' <<<"$report"; then
  echo "FAIL: dockerfile-utils lint exited with $rc and reported:" >&2
  printf '%s\n' "$report" >&2
  echo "--- the Dockerfile:" >&2
  cat -n "$dockerfile" >&2
  exit 1
fi
[[ -z $report ]] || printf '%s\n' "$report"
echo "ok: dockerfile-utils lint found no error"
