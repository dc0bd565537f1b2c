#!/usr/bin/env bash
# End-to-end test of imageplan lock and of a baked model's download, built for
# real with the private dockerd (ctest fixtures e2e_dockerd, e2e_base,
# e2e_servers, e2e_registry):
#  1. the e2e base image is pushed to Debian's docker-registry on loopback;
#     `imageplan lock` pins its digest with skopeo and with the registry's
#     HTTP API (curl): both write the same lock, holding the digest the push
#     reported, and the model's commit from the stand-in hub;
#  2. gen writes FROM <registry>/...@sha256:... and downloads at the commit;
#  3. corrupt bytes from the hub fail the model stage's build with the
#     checksum error, and nothing bad is left in the cache to reuse;
#  4. the build, with the first transfer of the weights cut half-way,
#     resumes it (a Range request) and succeeds; the image holds exactly the
#     files allow_patterns keep, byte for byte the hub's;
#  5. the tag moves: gen's output does not, lock's does, and the new digest
#     builds; gen --check calls the lock stale when the spec outgrows it.
# usage: pins.sh STATE_DIR IMAGEPLAN
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 2 ]] || fail "usage: pins.sh STATE_DIR IMAGEPLAN"
e2e_init "$1"
imageplan=$2
e2e_require_tools
e2e_docker version >/dev/null 2>&1 ||
  fail "the private dockerd is not running on $E2E_SOCK; run this test through ctest"
command -v skopeo >/dev/null || fail "skopeo is missing; run 'scripts/setup.sh --test'"

work=$E2E_STATE/work/pins
rm -rf "$work"
mkdir -p "$work"
cleanup() {
  local rc=$?
  e2e_hub_control '{"reset": true}' 2>/dev/null || true
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look" >&2; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

registry=127.0.0.1:$(e2e_registry_port)
hub=http://127.0.0.1:$(e2e_port hub)
ref=$registry/e2e/debian:bookworm-slim
cp -R "$e2e_dir/pins/." "$work/"
sed -i "s|127.0.0.1:5999|$registry|" "$work/imageplan.yaml"

step "push the base image to the loopback registry"
e2e_docker tag "$E2E_BASE_IMAGE" "$ref"
pushed=$(e2e_docker push "$ref" | sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p')
[[ -n $pushed ]] || fail "docker push reported no digest"
echo "pushed $ref as $pushed"

step "lock with skopeo, and with the registry API"
(cd "$work" && "$imageplan" lock --resolver skopeo --hub-endpoint "$hub" \
  --hub-token-file "$(e2e_token_file)") || fail "imageplan lock (skopeo) failed"
cat "$work/imageplan.lock"
(cd "$work" && "$imageplan" lock --resolver registry --hub-endpoint "$hub" \
  --hub-token-file "$(e2e_token_file)" -o registry.lock) || fail "imageplan lock (registry) failed"
cmp "$work/imageplan.lock" "$work/registry.lock" || fail "skopeo and the registry API disagree"
grep -qx "    digest: $pushed" "$work/imageplan.lock" || fail "the lock does not hold the pushed digest $pushed"
commit=$(curl -sS -H "Authorization: Bearer $(cat "$(e2e_token_file)")" \
  "$hub/api/models/e2e-org/tiny-model" | "$E2E_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["sha"])')
grep -q "commit: \"$commit\"" "$work/imageplan.lock" || fail "the lock does not hold the hub's commit $commit"
echo "ok: the lock pins $ref to $pushed and the model to $commit"

step "gen uses the lock"
(cd "$work" && "$imageplan" gen imageplan.yaml --dialect docker20 -o Dockerfile 2>"$work/gen.err") ||
  fail "gen failed: $(cat "$work/gen.err")"
[[ ! -s $work/gen.err ]] || fail "gen with a complete lock warned: $(cat "$work/gen.err")"
# Every FROM of the base image carries the digest, and the runtime and the
# model stage start from it, directly or through a stage of the file that
# does (runtime-base, which installs python for both once).
grep -q "^FROM $ref@$pushed AS " "$work/Dockerfile" || fail "no FROM pins $ref to $pushed"
! grep "^FROM $ref" "$work/Dockerfile" | grep -vq "^FROM $ref@$pushed AS " ||
  fail "a FROM names $ref without the digest"
stage_from() { awk -v stage="$1" '$1 == "FROM" && $NF == stage { print $2 }' "$work/Dockerfile"; }
starts_pinned() { # STAGE [DIGEST]
  local from hops=0 digest=${2:-$pushed}
  from=$(stage_from "$1")
  while [[ $from != "$ref@$digest" ]]; do
    [[ -n $from && $from != *[/:@]* ]] && ((++hops < 10)) || return 1
    from=$(stage_from "$from")
  done
}
starts_pinned runtime || fail "the runtime does not start from the pinned image"
starts_pinned model-tiny-model || fail "the model stage does not start from the pinned image"
grep -q "IMAGEPLAN_MODEL_REVISION=$commit" "$work/Dockerfile" || fail "the download is not at the locked commit"
(cd "$work" && "$imageplan" gen imageplan.yaml --dialect docker20 --check Dockerfile) ||
  fail "gen --check of a fresh lock failed"
echo "ok: FROM $ref@$pushed, model at $commit"

step "corrupt bytes fail the download"
# An earlier case may have left this commit's files in the model cache mount:
# start from an empty one, so the download really happens.
e2e_docker builder prune -f --filter type=exec.cachemount >/dev/null
e2e_hub_control '{"reset": true, "corrupt": {"e2e-org/tiny-model/weights.bin": 100}}'
rc=0
timeout --kill-after=10 "$E2E_BUILD_TIMEOUT" env DOCKER_HOST="unix://$E2E_SOCK" DOCKER_BUILDKIT=1 \
  "$E2E_DOCKER" build --progress=plain --network=host --no-cache --target model-tiny-model \
  --build-arg "HF_ENDPOINT=$hub" \
  --secret "id=hf_token,src=$(e2e_token_file)" "$work" >"$work/corrupt.log" 2>&1 || rc=$?
((rc != 0)) || fail "the build succeeded with corrupt weights (log: $work/corrupt.log)"
grep -q "weights.bin failed verification: sha256 [0-9a-f]\{64\}, expected [0-9a-f]\{64\}" "$work/corrupt.log" ||
  fail "no checksum error in the build log (log: $work/corrupt.log)"
echo "ok: corrupt weights fail the build with the checksum error"
e2e_hub_control '{"reset": true}'

step "build, with the first transfer of the weights cut half-way"
e2e_docker image rm "$ref" >/dev/null # the build pulls it from the registry, by digest
e2e_hub_control '{"reset": true, "cut": {"e2e-org/tiny-model/weights.bin": 1}}'
e2e_build "$work" imageplan-e2e/pins:locked "$work/build.log"
grep -q "resuming weights.bin at byte 1572864 of 3145728" "$work/build.log" ||
  fail "the build log shows no resumed download (log: $work/build.log)"
curl -sS "$hub/_control/log" | grep -q '"range": "bytes=1572864-"' ||
  fail "the hub saw no Range request"
grep -q "$ref@$pushed" "$work/build.log" || fail "the build did not resolve the pinned base"
echo "ok: the cut download resumed at byte 1572864"
listing=$(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none \
  imageplan-e2e/pins:locked)
expected=$(cd "$(e2e_hub_root)/e2e-org/tiny-model" && for f in config.json weights.bin; do echo "$f $(stat -c %s "$f")"; done)
[[ $listing == "$expected" ]] || fail "the image holds [$listing], expected [$expected]"
diff <(cd "$(e2e_hub_root)/e2e-org/tiny-model" && sha256sum config.json weights.bin) \
  <(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none \
    imageplan-e2e/pins:locked sh -c 'cd /models/tiny && sha256sum config.json weights.bin') ||
  fail "the model files differ from the hub's"
echo "ok: the image holds exactly config.json and weights.bin, the hub's bytes"

step "the tag moves"
cp "$work/Dockerfile" "$work/Dockerfile.before"
mkdir -p "$work/moved"
printf 'FROM %s@%s\nRUN echo moved > /etc/moved\n' "$ref" "$pushed" >"$work/moved/Dockerfile"
e2e_docker build --network=host -q -t "$ref" "$work/moved" >/dev/null
moved=$(e2e_docker push "$ref" | sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p')
[[ -n $moved && $moved != "$pushed" ]] || fail "the moved tag has no new digest"
(cd "$work" && "$imageplan" gen imageplan.yaml --dialect docker20 --check Dockerfile) ||
  fail "gen's output moved with the tag"
(cd "$work" && "$imageplan" lock --resolver skopeo --hub-endpoint "$hub" \
  --hub-token-file "$(e2e_token_file)") || fail "relock failed"
grep -qx "    digest: $moved" "$work/imageplan.lock" || fail "lock did not follow the tag to $moved"
(cd "$work" && "$imageplan" gen imageplan.yaml --dialect docker20 -o Dockerfile)
starts_pinned runtime "$moved" || fail "gen does not use the new digest"
e2e_build "$work" imageplan-e2e/pins:moved "$work/build-moved.log"
timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none \
  imageplan-e2e/pins:moved cat /etc/moved | grep -qx moved || fail "the new digest was not built on"
echo "ok: the lock follows the tag only when asked, and the build uses what it pins"

step "gen --check calls an outgrown lock stale"
sed -i 's|path: /models/tiny,|path: /models/tiny, revision: v2,|' "$work/imageplan.yaml"
rc=0
(cd "$work" && "$imageplan" gen imageplan.yaml --dialect docker20 --check Dockerfile) 2>"$work/stale.err" || rc=$?
((rc == 1)) || fail "gen --check passed with a stale lock"
grep -q "is stale: it has no commit for model 'e2e-org/tiny-model' at 'v2'; run 'imageplan lock'" "$work/stale.err" ||
  fail "unexpected: $(cat "$work/stale.err")"
grep -q "is stale: it pins model 'e2e-org/tiny-model' at 'main', which the spec does not use" "$work/stale.err" ||
  fail "unexpected: $(cat "$work/stale.err")"
echo "ok: gen --check reports the stale lock"
e2e_docker image rm imageplan-e2e/pins:locked imageplan-e2e/pins:moved >/dev/null 2>&1 || true
