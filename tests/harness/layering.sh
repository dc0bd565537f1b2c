#!/usr/bin/env bash
# Checks the include rules that keep the phases apart (docs/architecture.md;
# STYLE.md, "one type per phase"). Each library sees only the layers below it:
#   readers/  (diagnostics, Dockerfile, .dockerignore, shell, TOML readers): nothing
#   dsl/      readers/
#   planner/  dsl/, readers/; its plan type (planner/Plan.h, Plan.cpp) nothing
#   backends/ planner/Plan.h only
#   analysis/ planner/, readers/ (plans, history, costs, Dockerfiles), never backends/
#   tools/init/ readers/, dsl/, planner/: never output or analysis
#   tools/lock/ readers/, dsl/, planner/, analysis/ (git history): never output
#   tools/ (the driver, not tools/init or tools/lock) and bench/: only each
#             library's public interface (below), never a library's internals
# Public interfaces: every readers/ and analysis/ header; dsl/Parser.h, dsl/Spec.h,
# dsl/Lock.h; planner/Plan.h, Planner.h, GraphDot.h, History.h, Pins.h;
# backends/Backend.h, ShellQuote.h, DialectRules.h; tools/init/ProjectScan.h,
# StarterSpec.h; tools/lock/LockFile.h, Rates.h, Resolve.h.
# usage: layering.sh REPO_ROOT
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

repo_root=$1
cd "$repo_root"

status=0
checked=0
project='(readers|dsl|planner|backends|analysis|tools)/'

# Reports every include in `place` (a folder or a file) of a project header
# whose path is not allowed by the ERE `allowed`: `why` says what the rule is.
only() {
  local place=$1 allowed=$2 why=$3 depth=${4:-} file hit target
  local include='[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
  local sources=(-name '*.h' -o -name '*.hpp' -o -name '*.cpp' -o -name '*.cc' -o -name '*.inc')
  [[ -e $place ]] || fail "no $place in $repo_root"
  while IFS= read -r -d '' file; do
    checked=$((checked + 1))
    while IFS= read -r hit; do
      [[ -n $hit ]] || continue
      target=$(sed -E "s/^[0-9]+:${include}([^>\"]*)[>\"].*/\\1/" <<<"$hit")
      target=${target#"${target%%[!./]*}"} # drop a leading ../ or ./
      [[ $target =~ $allowed ]] && continue
      echo "FAIL: $file:${hit%%:*}: includes $target; $why" >&2
      status=1
    done < <(grep -nE "^${include}(\.\.?/)*${project}" "$file" || true)
  done < <(find "$place" ${depth:+-maxdepth "$depth"} -type f \( "${sources[@]}" \) -print0 |
    LC_ALL=C sort -z)
}

only readers '^readers/' "readers/ is the bottom layer and includes no other library"
only dsl '^(dsl|readers)/' "dsl/ reads specs and depends only on readers/"
only planner '^(planner|dsl|readers)/' "the planner never formats output or analyses it"
only planner/Plan.h '^$' "planner/Plan.h is the plan type alone: backends see nothing else"
only planner/Plan.cpp '^planner/Plan\.h$' "the plan type's helpers need nothing but the plan"
only backends '^(backends/|planner/Plan\.h$)' \
  "backends read only the plan (planner/Plan.h), never the spec, its AST or the planner"
only analysis '^(analysis|planner|readers)/' \
  "analysis/ reads plans, history and Dockerfiles, never backends, the spec or the driver"
only tools/init '^(tools/init|readers|dsl|planner)/' \
  "init builds a spec from a folder; it writes no output through backends and runs no analysis"
only tools/lock '^(tools/lock|readers|dsl|planner|analysis)/' \
  "lock resolves pins and measures rates; it writes no output through backends"
public='readers/|analysis/|dsl/(Parser|Spec|Lock)\.h$|planner/(Plan|Planner|GraphDot|History|Pins)\.h$'
public+='|backends/(Backend|ShellQuote|DialectRules)\.h$|tools/init/(ProjectScan|StarterSpec)\.h$'
public+='|tools/lock/(LockFile|Rates|Resolve)\.h$'
only tools "^(tools/[^/]*$|$public)" "the driver wires libraries through their public interfaces" 1
only bench "^($public)" "bench/ measures the libraries through their public interfaces, not the driver"

((checked > 0)) || fail "no source file found to check"
if ((status == 0)); then echo "ok: $checked files follow the layering rules"; fi
exit "$status"
