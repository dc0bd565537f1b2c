#!/usr/bin/env bash
# Builds each end-to-end case (tests/e2e/cases/<case>/) for real twice over:
# from the Dockerfile imageplan generates (dialect docker20, with its
# .dockerignore) and from the case's Dockerfile.handwritten (no .dockerignore),
# with the e2e helpers (tests/e2e/lib.sh): a private dockerd, the local Debian
# base image, the local package index and model hub. Each run starts from an
# empty build cache and does a cold build, a rebuild after an app edit, and a
# rebuild after a requirements edit; runs alternate between the two
# Dockerfiles. Prints a Markdown table of the medians: build and rebuild
# times, final image size, layer count, build-context size (what the daemon
# receives after .dockerignore), and the ratio generated / hand-written.
# --variant NAME=DIR adds a Dockerfile to compare, built like the generated
# one (its copy of the case, its .dockerignore): DIR/<case>/Dockerfile, with
# the same local addresses (127.0.0.1:3141) rewritten; bench/variants/ holds
# the ones docs/performance.md reports.
# docs/performance.md has the numbers and how they were taken.
# usage: bench/compare-handwritten.sh [--runs N] [--imageplan PATH] [--state DIR]
#                                     [--variant NAME=DIR]... [CASE...]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=../tests/e2e/lib.sh
source "$repo/tests/e2e/lib.sh"

runs=3
imageplan=$repo/build/tools/imageplan
state=$repo/build/e2e-bench
cases=()
variants=(generated handwritten)
declare -A variant_dir=()
while (($# > 0)); do
  case $1 in
  --runs) runs=$2 && shift 2 ;;
  --variant)
    [[ $2 =~ ^([a-z0-9-]+)=(.+)$ ]] || fail "--variant needs NAME=DIR (NAME in [a-z0-9-])"
    variants+=("${BASH_REMATCH[1]}")
    variant_dir[${BASH_REMATCH[1]}]=$(cd "${BASH_REMATCH[2]}" && pwd -P) || fail "no folder ${BASH_REMATCH[2]}"
    shift 2
    ;;
  --imageplan) imageplan=$2 && shift 2 ;;
  --state) state=$2 && shift 2 ;;
  -h | --help)
    sed -n '2,/^# usage/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
  -*) fail "unknown option $1 (see --help)" ;;
  *) cases+=("$1") && shift ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || fail "--runs needs a positive number"
[[ -x $imageplan ]] || fail "no imageplan at $imageplan; build it (scripts/build.sh) or pass --imageplan"
if ((${#cases[@]} == 0)); then
  for dir in "$repo"/tests/e2e/cases/*/; do cases+=("$(basename "$dir")"); done
fi

e2e_init "$state"
e2e_require_tools
cleanup() {
  e2e_servers_stop
  e2e_dockerd_stop ""
  e2e_volatile_release
}
trap cleanup EXIT
e2e_dockerd_start "" >&2
e2e_base_image >&2
e2e_servers_start >&2
work=$E2E_STATE/work
E2E_APP_PORT=$(e2e_free_port)
export E2E_APP_PORT

# An empty build cache and no image but the base, so the next build is cold.
reset_engine() {
  local images=()
  mapfile -t images < <(e2e_docker image ls -q --filter "reference=imageplan-e2e/*" | LC_ALL=C sort -u)
  ((${#images[@]} == 0)) || e2e_docker image rm -f "${images[@]}" >/dev/null
  e2e_docker builder prune -af >/dev/null
}

# The edits of tests/e2e/case.sh: a line appended to the app's main module,
# and a package of the local index added to requirements.txt.
edit_app() {
  printf '\n# edited by the benchmark (%s)\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >>"$1/app/__main__.py"
}
edit_requirements() {
  local package
  for package in microweb textstats; do
    grep -q "^$package" "$1/requirements.txt" && continue
    printf '%s==1.0\n' "$package" >>"$1/requirements.txt"
    return 0
  done
  fail "$1/requirements.txt already has every package of the index"
}

median() { LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf (a / b < 0.1 ? "%.3f" : "%.2f"), a / b }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB (%d B)", b / 1048576, b }'; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB (%d B)", b / 1024, b }'; }

declare -A result=() # "<case> <variant> <metric>" -> values, one a line
record() { result["$1 $2 $3"]+="$4"$'\n'; }

for case_name in "${cases[@]}"; do
  case_dir=$repo/tests/e2e/cases/$case_name
  [[ -f $case_dir/imageplan.yaml && -f $case_dir/Dockerfile.handwritten ]] ||
    fail "$case_dir needs imageplan.yaml and Dockerfile.handwritten"
  for ((run = 1; run <= runs; run++)); do
    for variant in "${variants[@]}"; do
      dir=$work/$case_name/$( [[ $variant == handwritten ]] && echo hand || echo gen)
      tag=imageplan-e2e/$case_name:$variant
      logs=$work/logs/$case_name/$variant-$run
      echo "bench: $case_name, $variant, run $run of $runs" >&2
      reset_engine
      e2e_prepare_case "$imageplan" "$case_dir" "$work/$case_name" docker20
      if [[ -n ${variant_dir[$variant]:-} ]]; then
        [[ -f ${variant_dir[$variant]}/$case_name/Dockerfile ]] ||
          fail "variant $variant has no $case_name/Dockerfile in ${variant_dir[$variant]}"
        sed "s/127\\.0\\.0\\.1:3141/127.0.0.1:$(e2e_port index)/g" \
          "${variant_dir[$variant]}/$case_name/Dockerfile" >"$dir/Dockerfile"
      fi
      mkdir -p "$logs"
      e2e_build "$dir" "$tag" "$logs/cold.log"
      record "$case_name" "$variant" cold "$E2E_SECONDS"
      record "$case_name" "$variant" size "$(e2e_image_size "$tag")"
      record "$case_name" "$variant" layers "$(e2e_layer_count "$tag")"
      record "$case_name" "$variant" context "$(e2e_context_bytes "$dir")"
      edit_app "$dir"
      e2e_build "$dir" "$tag" "$logs/app-edit.log"
      record "$case_name" "$variant" app "$E2E_SECONDS"
      edit_requirements "$dir"
      e2e_build "$dir" "$tag" "$logs/requirements-edit.log"
      record "$case_name" "$variant" requirements "$E2E_SECONDS"
    done
  done
done

metrics=(cold app requirements size layers context)
declare -A label=([cold]="cold build" [app]="rebuild after an app edit"
  [requirements]="rebuild after a requirements edit" [size]="image size" [layers]="layers"
  [context]="build context sent")
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores (${cpu:-unknown CPU}), $(uname -sr)," \
  "Docker $(e2e_docker version -f '{{.Server.Version}}'); medians of $runs runs."
echo
# One column per Dockerfile compared, then each one's ratio to the
# hand-written file.
shown() {
  case $1 in
  cold | app | requirements) printf '%.2f s' "$2" ;;
  size) mib "$2" ;;
  context) kib "$2" ;;
  *) printf '%s' "$2" ;;
  esac
}
others=()
for variant in "${variants[@]}"; do [[ $variant == handwritten ]] || others+=("$variant"); done
header="| case | measure | hand-written |"
rule="| --- | --- | ---: |"
for variant in "${others[@]}"; do
  header+=" $variant | $variant / hand-written |"
  rule+=" ---: | ---: |"
done
echo "$header"
echo "$rule"
for case_name in "${cases[@]}"; do
  for metric in "${metrics[@]}"; do
    hand=$(printf '%s' "${result["$case_name handwritten $metric"]}" | median)
    row="| $case_name | ${label[$metric]} | $(shown "$metric" "$hand") |"
    for variant in "${others[@]}"; do
      value=$(printf '%s' "${result["$case_name $variant $metric"]}" | median)
      row+=" $(shown "$metric" "$value") | $(ratio "$value" "$hand") |"
    done
    echo "$row"
  done
done
