#!/usr/bin/env bash
# Runs shellcheck on the project's own shell scripts: everything in scripts/,
# .ci/run, and every tests/**/*.sh and bench/**/*.sh. Found at run time, so a
# new script is checked without touching CMake.
# usage: shellcheck-scripts.sh SHELLCHECK REPO_ROOT
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

shellcheck=$1
repo_root=$2
require_tool shellcheck "$shellcheck"
cd "$repo_root"

scripts=()
while IFS= read -r -d '' file; do
  scripts+=("$file")
done < <(find scripts .ci/run tests bench -type f \( -path 'scripts/*' -o -path .ci/run -o -name '*.sh' \) -print0 |
  LC_ALL=C sort -z)
((${#scripts[@]} > 0)) || fail "no script found to check"

# -x follows `source` of the shared helpers, named by `shellcheck source=`
# lines relative to each script (-P SCRIPTDIR).
if "$shellcheck" -x -P SCRIPTDIR "${scripts[@]}"; then
  printf 'ok: %s\n' "${scripts[@]}"
else
  fail "shellcheck found problems (above)"
fi
