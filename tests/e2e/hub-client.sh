#!/usr/bin/env bash
# End-to-end test of a baked model downloaded by the real huggingface_hub
# library (the model stage's default client), built for real with the
# private dockerd (ctest fixtures e2e_dockerd, e2e_base, e2e_servers and
# e2e_hub_wheels: the index serves huggingface_hub 1.23.0 and its
# dependencies as wheels made from Debian packages, see debwheels.py):
#  1. gen installs huggingface_hub==1.23.0 (the spec's hub_version) from the
#     spec's index and downloads with snapshot_download;
#  2. corrupt bytes from the hub fail the model stage's build with the
#     program's checksum error;
#  3. the build, with the first transfer of the weights cut after 12 of
#     24 MiB, resumes it (huggingface_hub's Range request from the bytes it
#     kept) and succeeds; the image holds exactly the files allow_patterns
#     keep, byte for byte the hub's;
#  4. the repository is private: every hub request carried the token, which
#     came only as the build secret and is nowhere in the image.
# usage: hub-client.sh STATE_DIR IMAGEPLAN
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 2 ]] || fail "usage: hub-client.sh STATE_DIR IMAGEPLAN"
e2e_init "$1"
imageplan=$2
e2e_require_tools
e2e_docker version >/dev/null 2>&1 ||
  fail "the private dockerd is not running on $E2E_SOCK; run this test through ctest"

work=$E2E_STATE/work/hub-client
tag="imageplan-e2e/hub-client:built"
rm -rf "$work"
mkdir -p "$work"
cleanup() {
  local rc=$?
  e2e_hub_control '{"reset": true}' 2>/dev/null || true
  e2e_docker image rm "$tag" >/dev/null 2>&1 || true
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look" >&2; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

hub=http://127.0.0.1:$(e2e_port hub)
repo=$(e2e_hub_root)/e2e-org/hub-model
cp -R "$e2e_dir/hub-client/." "$work/"
sed -i "s|127\\.0\\.0\\.1:3141|127.0.0.1:$(e2e_port index)|" "$work/imageplan.yaml"

step "gen: the model stage installs huggingface_hub 1.23.0 and downloads with it"
(cd "$work" && "$imageplan" gen imageplan.yaml --dialect docker20 -o Dockerfile) || fail "gen failed"
grep -qw "huggingface_hub==1.23.0" "$work/Dockerfile" || fail "the model stage does not install huggingface_hub 1.23.0"
grep -q "IMAGEPLAN_MODEL_CLIENT=huggingface_hub" "$work/Dockerfile" || fail "the download does not use huggingface_hub"
grep -q "id=hf_token" "$work/Dockerfile" || fail "the token is not a build secret"
if grep -q "$(cat "$(e2e_token_file)")" "$work/Dockerfile"; then fail "the token is in the Dockerfile"; fi
echo "ok: huggingface_hub==1.23.0, IMAGEPLAN_MODEL_CLIENT=huggingface_hub, the token as secret hf_token"

step "corrupt bytes fail the download"
# A cache mount left by an earlier run may hold this commit's files: start
# from an empty one, so the download really happens.
e2e_docker builder prune -f --filter type=exec.cachemount >/dev/null
e2e_hub_control '{"reset": true, "corrupt": {"e2e-org/hub-model/weights.bin": 100}}'
rc=0
timeout --kill-after=10 "$E2E_BUILD_TIMEOUT" env DOCKER_HOST="unix://$E2E_SOCK" DOCKER_BUILDKIT=1 \
  "$E2E_DOCKER" build --progress=plain --network=host --no-cache --target model-hub-model \
  --build-arg "HF_ENDPOINT=$hub" \
  --secret "id=hf_token,src=$(e2e_token_file)" "$work" >"$work/corrupt.log" 2>&1 || rc=$?
((rc != 0)) || fail "the build succeeded with corrupt weights (log: $work/corrupt.log)"
grep -q "imageplan: model download failed: .*weights.bin failed verification: sha256 [0-9a-f]\{64\}, expected [0-9a-f]\{64\}" \
  "$work/corrupt.log" || fail "no checksum error in the build log (log: $work/corrupt.log)"
grep -q "GET /simple/huggingface-hub/huggingface_hub-1.23.0-py3-none-any.whl" "$E2E_STATE/servers/index.log" ||
  fail "the package index served no huggingface_hub 1.23.0 wheel"
echo "ok: corrupt weights fail the build with the checksum error"

step "build, with the first transfer of the weights cut half-way"
e2e_docker builder prune -f --filter type=exec.cachemount >/dev/null
e2e_hub_control '{"reset": true, "cut": {"e2e-org/hub-model/weights.bin": 1}}'
e2e_build "$work" "$tag" "$work/build.log"
echo "built in ${E2E_SECONDS}s"
grep -q "Trying to resume download" "$work/build.log" ||
  fail "huggingface_hub did not report a resumed download (log: $work/build.log)"
grep -q "sizes and hashes verified" "$work/build.log" || fail "the download was not verified (log: $work/build.log)"
requests=$(curl -sS "$hub/_control/log")
"$E2E_PYTHON" - "$requests" <<'PY' || fail "the hub's requests are not what a resumed, authorized download makes"
import json, sys
requests = [r for r in json.loads(sys.argv[1]) if not r["path"].startswith("/_control")]
weights = [r for r in requests if r["method"] == "GET" and r["path"].startswith("/cdn/") and "/weights.bin?" in r["path"]]
# The first transfer starts at 0; the resumed one asks for what is missing
# after the 10 MiB chunk huggingface_hub wrote before the cut.
assert [r["range"] for r in weights] == ["", "bytes=10485760-"], weights
assert requests and all(r["authorized"] for r in requests), [r for r in requests if not r["authorized"]]
assert not any("README.md" in r["path"] or "vocab.txt" in r["path"] for r in requests
               if "/resolve/" in r["path"]), "a file allow_patterns leave out was fetched"
print("ok: weights.bin fetched twice, ranges %s; %d hub requests, all with the token"
      % ([r["range"] for r in weights], len(requests)))
PY
listing=$(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$tag")
expected=$(cd "$repo" && for f in config.json weights.bin; do echo "$f $(stat -c %s "$f")"; done)
[[ $listing == "$expected" ]] || fail "the image holds [$listing], expected [$expected]"
diff <(cd "$repo" && sha256sum config.json weights.bin) \
  <(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$tag" \
    sh -c 'cd /models/hub && sha256sum config.json weights.bin') ||
  fail "the model files differ from the hub's"
echo "ok: the image holds exactly config.json and weights.bin, the hub's bytes (no .cache, README.md or tokenizer/)"

step "the hub token is nowhere in the image"
e2e_scan_for_secret "$tag" "$(e2e_token_file)" "$E2E_VOLATILE/scratch/hub-client"
