#!/usr/bin/env bash
# Checks the include rules that keep the phases apart (docs: STYLE.md, "one
# type per phase"): backends/ sees only the plan (planner/Plan.h, never dsl/
# or the rest of planner/); dsl/ includes neither planner/ nor backends/;
# planner/ does not include backends/.
# usage: layering.sh REPO_ROOT
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

repo_root=$1
cd "$repo_root"

status=0
checked=0

# Reports every include in folder $1 whose target matches the ERE $2 and is
# not the allowed header $3 (may be empty).
forbid() {
  local folder=$1 pattern=$2 allowed=$3 why=$4 file hit target
  local include='[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
  local sources=(-name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' -o -name '*.inc')
  [[ -d $folder ]] || fail "no folder $folder in $repo_root"
  while IFS= read -r -d '' file; do
    checked=$((checked + 1))
    while IFS= read -r hit; do
      [[ -n $hit ]] || continue
      target=$(sed -E "s/^[0-9]+:${include}([^>\"]*)[>\"].*/\\1/" <<<"$hit")
      target=${target#"${target%%[!./]*}"} # drop a leading ../ or ./
      [[ -n $allowed && $target == "$allowed" ]] && continue
      echo "FAIL: $file:${hit%%:*}: includes $target; $why" >&2
      status=1
    done < <(grep -nE "^${include}(\.\.?/)*($pattern)" "$file" || true)
  done < <(find "$folder" -type f \( "${sources[@]}" \) -print0 | LC_ALL=C sort -z)
}

forbid backends 'dsl/' '' "backends read only the plan, never the spec or its AST"
forbid backends 'planner/' 'planner/Plan.h' "backends may include only planner/Plan.h from planner/"
forbid dsl 'planner/|backends/' '' "dsl/ is the first phase and depends on no later one"
forbid planner 'backends/' '' "the planner never formats output"

((checked > 0)) || fail "no source file found to check"
if ((status == 0)); then echo "ok: $checked files follow the layering rules"; fi
exit "$status"
