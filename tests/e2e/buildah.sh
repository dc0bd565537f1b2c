#!/usr/bin/env bash
# End-to-end build of one case with buildah (Debian's 1.28), from the
# Dockerfile imageplan generates in the buildah dialect: with private storage
# in the e2e state folder, the local base image added from the debootstrap
# tarball, every build under a timeout (1.28 has cache-mount deadlocks that
# the dialect must avoid). Checks that the image runs (buildah run), keeps its
# HEALTHCHECK, and that after an app edit the rebuild reuses every apt and pip
# step ("Using cache") and re-runs the app copy.
# With --registry, the rebuild happens on a second builder, as on a new CI
# runner: storage A builds cold with `--layers --cache-to` the loopback
# registry (fixture e2e_registry), the base image is pushed there too, and an
# empty storage B pulls the base and rebuilds after the app edit with
# `--cache-from`: the same reuse checks hold for B ("Cache pulled from
# remote"). The times of both builds go to
# STATE_DIR/results/buildah-registry-<case>.txt.
# usage: buildah.sh STATE_DIR IMAGEPLAN CASE_DIR [--registry]
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 3 || ($# == 4 && $4 == --registry) ]] ||
  fail "usage: buildah.sh STATE_DIR IMAGEPLAN CASE_DIR [--registry]"
e2e_init "$1"
imageplan=$2
case_dir=$(cd "$3" && pwd -P)
name=$(basename "$case_dir")
registry=""
[[ $# == 3 ]] || registry=127.0.0.1:$(e2e_registry_port)
readonly E2E_BUILDAH=/usr/bin/buildah
[[ -x $E2E_BUILDAH ]] || fail "$E2E_BUILDAH is missing; run 'scripts/setup.sh --test'"
tarball=$(e2e_base_tarball)
[[ -s $tarball ]] || fail "no base tarball $tarball; run this test through ctest (fixture e2e_base)"

mode=${registry:+-registry}
work=$E2E_STATE/work/buildah$mode-$name
tag=localhost/imageplan-e2e/$name:buildah
cache=$registry/imageplan-e2e/buildah-cache-$name
base=$registry/library/$E2E_BASE_IMAGE

# The storage of builder A or B (B only with --registry), under its own
# root and run root; buildah_a and buildah_b are the commands that use them.
storage_root() { printf '%s\n' "$E2E_VOLATILE/buildah$mode-$1"; }
run_root() { printf '%s\n' "$E2E_RUN/buildah$mode-$1"; }
buildah_a=("$E2E_BUILDAH" --root "$(storage_root a)" --runroot "$(run_root a)" --storage-driver overlay)
# shellcheck disable=SC2034 # used through buildah_on's nameref
buildah_b=("$E2E_BUILDAH" --root "$(storage_root b)" --runroot "$(run_root b)" --storage-driver overlay)
buildah_on() {
  local -n command=buildah_$1
  shift
  "${command[@]}" "$@"
}

# Fresh storage: a cold build, and nothing left by an earlier run.
reset_storage() {
  buildah_on "$1" rm --all >/dev/null 2>&1 || true
  e2e_unmount_under "$(storage_root "$1")"
  e2e_unmount_under "$(run_root "$1")"
  rm -rf "$(storage_root "$1")" "$(run_root "$1")"
}
cleanup() {
  local rc=$?
  reset_storage a
  reset_storage b
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look" >&2; fi
}
trap cleanup EXIT
reset_storage a
reset_storage b

# build WHICH LOG [BUD_ARGS...]: buildah bud of the generated Dockerfile with
# storage WHICH, under a timeout; sets seconds to the wall time.
build() {
  local which=$1 log=$2 start end rc=0
  shift 2
  start=$(date +%s.%N)
  local -n command=buildah_$which
  timeout --kill-after=10 "$E2E_BUILD_TIMEOUT" "${command[@]}" bud --isolation chroot --layers \
    --pull=never --format docker -t "$tag" "$@" "$work/gen" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  if ((rc != 0)); then
    tail -n 40 "$log" >&2
    fail "buildah bud exited with $rc$( ((rc == 124)) && echo " (timed out after ${E2E_BUILD_TIMEOUT}s: a cache-mount deadlock?)")"
  fi
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  echo "built in ${seconds}s"
}

# Each step of a buildah bud log ("[i/n] STEP j/m: INSTRUCTION") as
# "STATUS<tab>INSTRUCTION": CACHED when buildah reused a layer for it
# ("--> Using cache", after "Cache pulled from remote" for a remote one),
# else RAN.
buildah_steps() {
  awk '
    /^(\[[0-9]+\/[0-9]+\] )?STEP [0-9]+\/[0-9]+: / {
      if (step != "") print status "\t" step
      step = $0; sub(/^(\[[0-9]+\/[0-9]+\] )?STEP [0-9]+\/[0-9]+: /, "", step); status = "RAN"; next
    }
    /^--> Using cache / { status = "CACHED" }
    END { if (step != "") print status "\t" step }' "$1"
}

step() { printf '\n== %s\n' "$*"; }

step "base image from $tarball"
container=$(buildah_on a from scratch)
buildah_on a add "$container" "$tarball" / >/dev/null
buildah_on a commit --quiet --format docker "$container" "docker.io/library/$E2E_BASE_IMAGE" >/dev/null
buildah_on a rm "$container" >/dev/null
cache_args=()
if [[ -n $registry ]]; then
  buildah_on a push --quiet --tls-verify=false "docker.io/library/$E2E_BASE_IMAGE" "docker://$base" ||
    fail "buildah push of the base to $base failed"
  echo "ok: pushed the base to $base"
  cache_args=(--cache-to "$cache" --tls-verify=false)
fi

e2e_prepare_case "$imageplan" "$case_dir" "$work" buildah
mkdir -p "$work/logs" "$E2E_STATE/results"
if grep -nE '^# *syntax=|--link' "$work/gen/Dockerfile"; then
  fail "imageplan --dialect buildah wrote a syntax line or COPY --link (above)"
fi

step "$name: cold buildah build${registry:+ (builder A, --cache-to $cache)}"
build a "$work/logs/cold.log" "${cache_args[@]}"
seconds_a=$seconds
container=$(buildah_on a from --pull=never "$tag")
out=$(timeout 60 "${buildah_a[@]}" run --isolation chroot "$container" -- python -m app 1 2 39) ||
  fail "python -m app failed in the buildah image"
buildah_on a rm "$container" >/dev/null
[[ $out == '{"total": 42, "words": 3}' ]] || fail "python -m app 1 2 39 printed '$out'"
echo "ok: the image runs: $out"
health=$(buildah_on a inspect --type image -f '{{with .Docker.Config.Healthcheck}}{{.Test}}{{end}}' "$tag")
[[ $health == *app* ]] || fail "the buildah image lost its HEALTHCHECK (got '$health')"
echo "ok: HEALTHCHECK kept: $health"

rebuilder=a
if [[ -n $registry ]]; then
  step "builder B: empty storage, the base pulled from $base"
  rebuilder=b
  buildah_on b pull --quiet --tls-verify=false "docker://$base" >/dev/null ||
    fail "builder B could not pull $base"
  buildah_on b tag "$base" "docker.io/library/$E2E_BASE_IMAGE"
  cache_args=(--cache-from "$cache" --tls-verify=false)
fi

step "$name: app edit, rebuild${registry:+ on builder B (--cache-from $cache)}"
printf '\n# edited by tests/e2e (%s)\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >>"$work/gen/app/__main__.py"
build "$rebuilder" "$work/logs/app-edit.log" "${cache_args[@]}"
steps=$(buildah_steps "$work/logs/app-edit.log")
printf '%s\n' "$steps" | cut -c1-150 | sed 's/^/  /'
grep -qE $'\tRUN .*(apt-get|pip install)' <<<"$steps" || fail "no apt or pip step in the log"
if grep -E 'apt-get|pip (install|wheel)' <<<"$steps" | grep -v '^CACHED'; then
  fail "an apt or pip step re-ran after an app edit (above)"
fi
echo "ok: every apt and pip step was reused"
grep -q $'^RAN\tCOPY app/' <<<"$steps" || fail "the app copy did not re-run"
echo "ok: the app copy re-ran"
if [[ -n $registry ]]; then
  grep -q '^--> Cache pulled from remote ' "$work/logs/app-edit.log" ||
    fail "builder B pulled no layer from the registry cache"
  echo "ok: builder B pulled its layers from the registry cache"
  awk -v case="$name" -v a="$seconds_a" -v b="$seconds" 'BEGIN {
      printf "%s: buildah A cold %.2f s, buildah B after an app edit %.2f s (%.1f %% of A)\n", case, a, b, 100 * b / a }' |
    tee "$E2E_STATE/results/buildah-registry-$name.txt"
fi
