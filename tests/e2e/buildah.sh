#!/usr/bin/env bash
# End-to-end build of one case with buildah (Debian's 1.28), from the
# Dockerfile imageplan generates in the buildah dialect: with private storage
# in the e2e state folder, the local base image added from the debootstrap
# tarball, every build under a timeout (1.28 has cache-mount deadlocks that
# the dialect must avoid). Checks that the image runs (buildah run), keeps its
# HEALTHCHECK, and that after an app edit the rebuild reuses every apt and pip
# step ("Using cache") and re-runs the app copy.
# usage: buildah.sh STATE_DIR IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 3 ]] || fail "usage: buildah.sh STATE_DIR IMAGEPLAN CASE_DIR"
e2e_init "$1"
imageplan=$2
case_dir=$(cd "$3" && pwd -P)
name=$(basename "$case_dir")
[[ -x /usr/bin/buildah ]] || fail "/usr/bin/buildah is missing; run 'scripts/setup.sh --test'"
tarball=$E2E_STATE/base/$E2E_SUITE-minbase.tar
[[ -s $tarball ]] || fail "no base tarball $tarball; run this test through ctest (fixture e2e_base)"

storage=$E2E_VOLATILE/buildah
work=$E2E_STATE/work/buildah-$name
tag=localhost/imageplan-e2e/$name:buildah
buildah=(/usr/bin/buildah --root "$storage" --runroot "$E2E_RUN/buildah" --storage-driver overlay)

# Fresh storage: a cold build, and nothing left by an earlier run.
reset_storage() {
  "${buildah[@]}" rm --all >/dev/null 2>&1 || true
  e2e_unmount_under "$storage"
  e2e_unmount_under "$E2E_RUN/buildah"
  rm -rf "$storage" "$E2E_RUN/buildah"
}
cleanup() {
  local rc=$?
  reset_storage
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look" >&2; fi
}
trap cleanup EXIT
reset_storage

# build LOG: buildah bud of the generated Dockerfile, under a timeout.
build() {
  local log=$1 start end rc=0
  start=$(date +%s)
  timeout --kill-after=10 "$E2E_BUILD_TIMEOUT" "${buildah[@]}" bud --isolation chroot --layers \
    --pull=never --format docker -t "$tag" "$work/gen" >"$log" 2>&1 || rc=$?
  end=$(date +%s)
  if ((rc != 0)); then
    tail -n 40 "$log" >&2
    fail "buildah bud exited with $rc$( ((rc == 124)) && echo " (timed out after ${E2E_BUILD_TIMEOUT}s: a cache-mount deadlock?)")"
  fi
  echo "built in $((end - start))s"
}

# Each step of a buildah bud log ("[i/n] STEP j/m: INSTRUCTION") as
# "STATUS<tab>INSTRUCTION": CACHED when buildah reused a layer for it
# ("--> Using cache"), else RAN.
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
container=$("${buildah[@]}" from scratch)
"${buildah[@]}" add "$container" "$tarball" / >/dev/null
"${buildah[@]}" commit --quiet --format docker "$container" "docker.io/library/$E2E_BASE_IMAGE" >/dev/null
"${buildah[@]}" rm "$container" >/dev/null

e2e_prepare_case "$imageplan" "$case_dir" "$work" buildah
mkdir -p "$work/logs"
if grep -nE '^# *syntax=|--link' "$work/gen/Dockerfile"; then
  fail "imageplan --dialect buildah wrote a syntax line or COPY --link (above)"
fi

step "$name: cold buildah build"
build "$work/logs/cold.log"
container=$("${buildah[@]}" from --pull=never "$tag")
out=$(timeout 60 "${buildah[@]}" run --isolation chroot "$container" -- python -m app 1 2 39) ||
  fail "python -m app failed in the buildah image"
"${buildah[@]}" rm "$container" >/dev/null
[[ $out == '{"total": 42, "words": 3}' ]] || fail "python -m app 1 2 39 printed '$out'"
echo "ok: the image runs: $out"
health=$("${buildah[@]}" inspect --type image -f '{{with .Docker.Config.Healthcheck}}{{.Test}}{{end}}' "$tag")
[[ $health == *app* ]] || fail "the buildah image lost its HEALTHCHECK (got '$health')"
echo "ok: HEALTHCHECK kept: $health"

step "$name: app edit, rebuild"
printf '\n# edited by tests/e2e (%s)\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >>"$work/gen/app/__main__.py"
build "$work/logs/app-edit.log"
steps=$(buildah_steps "$work/logs/app-edit.log")
printf '%s\n' "$steps" | cut -c1-150 | sed 's/^/  /'
grep -qE $'\tRUN .*(apt-get|pip install)' <<<"$steps" || fail "no apt or pip step in the log"
if grep -E 'apt-get|pip (install|wheel)' <<<"$steps" | grep -v '^CACHED'; then
  fail "an apt or pip step re-ran after an app edit (above)"
fi
echo "ok: every apt and pip step was reused"
grep -q $'^RAN\tCOPY app/' <<<"$steps" || fail "the app copy did not re-run"
echo "ok: the app copy re-ran"
