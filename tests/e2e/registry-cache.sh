#!/usr/bin/env bash
# Two builders and one registry, as CI runners share a build cache:
#  1. builder A (the e2e fixture's dockerd) builds a case's generated
#     Dockerfile cold with BuildKit's inline cache and pushes the image, and
#     the base image it was built on, to Debian's docker-registry on loopback;
#  2. the app is edited;
#  3. builder B, a second private dockerd with an empty data root (a new CI
#     runner), pulls the base from the registry and builds the same spec with
#     --cache-from the pushed image: every dependency step (apt, pip, model)
#     must be CACHED and only app steps may run; the image must turn healthy.
# The times of both builds are printed and kept in
# STATE_DIR/results/registry-cache-<case>.txt (docs/performance.md).
# Docker 20.10 has no buildx, so there is no --cache-to: the inline cache
# (--build-arg BUILDKIT_INLINE_CACHE=1) carries the cache in the image.
# usage: registry-cache.sh STATE_DIR IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 3 ]] || fail "usage: registry-cache.sh STATE_DIR IMAGEPLAN CASE_DIR"
e2e_init "$1"
imageplan=$2
case_dir=$(cd "$3" && pwd -P)
name=$(basename "$case_dir")
e2e_require_tools
e2e_docker version >/dev/null 2>&1 ||
  fail "the private dockerd is not running; run this test through ctest (fixture e2e_dockerd)"
registry=127.0.0.1:$(e2e_registry_port)

work=$E2E_STATE/work/registry-cache-$name
logs=$work/logs
image=$registry/imageplan-e2e/$name
base=$registry/library/$E2E_BASE_IMAGE
container=imageplan-e2e-registry-$name
cleanup() {
  local rc=$?
  e2e_docker_on b rm -f "$container" >/dev/null 2>&1 || true
  e2e_dockerd_stop b
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look (logs/)" >&2; fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

E2E_APP_PORT=$(e2e_free_port)
export E2E_APP_PORT
e2e_prepare_case "$imageplan" "$case_dir" "$work" docker20
mkdir -p "$logs" "$E2E_STATE/results"

step "builder A: push the base image to $registry"
e2e_docker tag "$E2E_BASE_IMAGE" "$base"
e2e_docker push -q "$base" >/dev/null || fail "docker push $base failed"
base_id=$(e2e_docker image inspect -f '{{.Id}}' "$E2E_BASE_IMAGE")
echo "ok: $base ($base_id)"

step "builder A: cold build with the inline cache, then push"
e2e_build "$work/gen" "$image:cache" "$logs/a-cold.log" --build-arg BUILDKIT_INLINE_CACHE=1
seconds_a=$E2E_SECONDS
echo "built in ${seconds_a}s"
e2e_docker push -q "$image:cache" >/dev/null || fail "docker push $image:cache failed"
echo "ok: pushed $image:cache"

step "the app is edited"
printf '\n# edited by tests/e2e (%s)\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >>"$work/gen/app/__main__.py"

step "builder B: a second dockerd with an empty data root"
e2e_dockerd_start b
[[ -z $(e2e_docker_on b image ls -q) ]] || fail "builder B's data root is not empty"
e2e_docker_on b pull -q "$base" >/dev/null || fail "builder B could not pull $base"
e2e_docker_on b tag "$base" "$E2E_BASE_IMAGE"
[[ $(e2e_docker_on b image inspect -f '{{.Id}}' "$E2E_BASE_IMAGE") == "$base_id" ]] ||
  fail "the base pulled by builder B is not the image builder A built on"
echo "ok: builder B has $E2E_BASE_IMAGE ($base_id) from the registry, and no other image"

step "builder B: build after the app edit, --cache-from $image:cache"
E2E_DAEMON=b e2e_build "$work/gen" "$image:b" "$logs/b-app-edit.log" \
  --cache-from "$image:cache" --build-arg BUILDKIT_INLINE_CACHE=1
seconds_b=$E2E_SECONDS
echo "built in ${seconds_b}s"
steps=$(e2e_steps "$work/gen/Dockerfile" "$logs/b-app-edit.log")
printf '%s\n' "$steps" | awk -F'\t' '{ printf "  %-18s %2s  %-7s %-10s %s\n", $1, $2, $3, $4, $5 }'
# A step of a stage whose result builder B took from the cache as a whole
# (the builder stage behind a cached COPY --from) is not run at all, and
# BuildKit does not list it: MISSING counts as not run, never as run.
awk -F'\t' '$4 ~ /(^|,)(apt|pip|model)(,|$)/ && $3 == "RAN" { print; bad++ } END { exit bad > 0 }' \
  <<<"$steps" || fail "a dependency step ran on builder B (above; log $logs/b-app-edit.log)"
awk -F'\t' '$4 ~ /(^|,)(apt|pip|model)(,|$)/ && $3 == "CACHED" { n++ } END { exit !(n > 0) }' \
  <<<"$steps" || fail "no dependency step was CACHED on builder B (log $logs/b-app-edit.log)"
echo "ok: every apt, pip and model step was CACHED or not needed"
awk -F'\t' '$3 == "RAN" && $4 !~ /(^|,)app(,|$)/ { print; bad++ } END { exit bad > 0 }' <<<"$steps" ||
  fail "a step that is not an app step ran on builder B (above)"
awk -F'\t' '$3 == "RAN" && $4 ~ /(^|,)app(,|$)/ { n++ } END { exit !(n > 0) }' <<<"$steps" ||
  fail "the app edit did not re-run an app step on builder B"
echo "ok: only app steps ran"

step "builder B: the image runs"
e2e_docker_on b run -d --name "$container" --network=host "$image:b" >/dev/null ||
  fail "docker run $image:b failed on builder B"
E2E_DAEMON=b e2e_wait_healthy "$container" 60
echo "ok: the HEALTHCHECK of $image:b turned healthy on builder B"

summary=$(awk -v case="$name" -v a="$seconds_a" -v b="$seconds_b" \
  'BEGIN { printf "%s: builder A cold %.2f s, builder B after an app edit %.2f s (%.1f %% of A)", case, a, b, 100 * b / a }')
printf '%s\n' "$summary" | tee "$E2E_STATE/results/registry-cache-$name.txt"
