#!/usr/bin/env bash
# The model download program (backends/model_download.py, the text every
# model stage runs) against the stand-in hub (tests/e2e/servers.py) on
# loopback, without an engine: one case per run. It exercises the program's
# own logic with its standard-library client (`downloader: urllib`):
# listing from the hub's metadata, allow/ignore patterns, verification of
# sizes and hashes, retries with backoff, resume with Range requests within
# a run and from the cache across runs, the token only to the hub, and
# revisions. huggingface_hub itself is not installable here (not in Debian
# 12, and PyPI is out of reach), so its client is not run (docs/lock.md).
# The case js-client runs Hugging Face's own JS client (@huggingface/hub,
# installed from npm by scripts/setup.sh --test) against the same hub.
# usage: hub.sh PYTHON CASE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# The e2e helpers: common.sh, and e2e_hub_copy (the hub's repositories).
# shellcheck source=../e2e/lib.sh
source "$here/../e2e/lib.sh"

[[ $# == 2 ]] || fail "usage: hub.sh PYTHON CASE"
python=$1
case=$2
program=$here/../../backends/model_download.py
servers=$here/../e2e/servers.py
make_scratch_dir
repo=e2e-org/tiny-model

# The hub's repositories, as the e2e fixture serves them: with a 3 MiB
# weights file in LFS.
e2e_hub_copy "$scratch/hub"
printf 'hf_test_%s\n' "$RANDOM$RANDOM" >"$scratch/token"
"$python" "$servers" hub --root "$scratch/hub" --port-file "$scratch/port" \
  --private "$repo" --token-file "$scratch/token" 2>"$scratch/hub.log" &
hub_pid=$!
trap 'kill "$hub_pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do [[ -s $scratch/port ]] && break; sleep 0.1; done
[[ -s $scratch/port ]] || fail "the stand-in hub did not start: $(cat "$scratch/hub.log")"
endpoint=http://127.0.0.1:$(cat "$scratch/port")

control() { curl -sS -X POST --data "$1" "$endpoint/_control" >/dev/null; }

# download [ENV=VALUE...]: runs the program into $scratch/out, output in
# $scratch/run.log; sets rc.
download() {
  rc=0
  env -i PATH="$PATH" HF_ENDPOINT="$endpoint" IMAGEPLAN_MODEL_REPO="$repo" \
    IMAGEPLAN_MODEL_REVISION=main IMAGEPLAN_MODEL_DIR="$scratch/out" \
    IMAGEPLAN_MODEL_CLIENT=urllib IMAGEPLAN_TOKEN_FILE="$scratch/token" \
    IMAGEPLAN_MODEL_BACKOFF=0.05 "$@" "$python" "$program" >"$scratch/run.log" 2>&1 || rc=$?
}

expect_ok() { ((rc == 0)) || fail "the download failed: $(cat "$scratch/run.log")"; }
expect_failed() {
  ((rc == 1)) || fail "the download should have failed with 1, got $rc: $(cat "$scratch/run.log")"
  grep -qF "$1" "$scratch/run.log" || fail "expected [$1] in: $(cat "$scratch/run.log")"
}

# The files under $scratch/out, sorted, one per line.
files_out() { (cd "$scratch/out" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); }

# Every file of $scratch/out equals the hub's copy.
same_as_hub() {
  local name
  while IFS= read -r name; do
    cmp -s "$scratch/out/$name" "$scratch/hub/$repo/$name" || fail "$name differs from the hub's"
  done < <(files_out)
}

hub_log() { curl -sS "$endpoint/_control/log"; }

case $case in
download)
  download
  expect_ok
  [[ $(files_out) == $'.gitattributes\nREADME.md\nconfig.json\ntokenizer/vocab.txt\nweights.bin' ]] ||
    fail "unexpected files: $(files_out)"
  same_as_hub
  grep -q "5 files (.* bytes) of $repo at [0-9a-f]\{40\} in .*, sizes and hashes verified" \
    "$scratch/run.log" || fail "no summary: $(cat "$scratch/run.log")"
  # The weights came through the CDN redirect, without the token.
  hub_log | "$python" -c '
import json, sys
log = json.load(sys.stdin)
cdn = [r for r in log if r["path"].startswith("/cdn/")]
assert cdn and not any(r["authorized"] for r in cdn), cdn
api = [r for r in log if r["path"].startswith("/api/")]
assert api and all(r["authorized"] for r in api), api
assert all("?blobs=true" in r["path"] for r in api), api
' || fail "the token went where it should not, or the metadata was not asked for"
  ;;
patterns)
  download IMAGEPLAN_MODEL_ALLOW='["*.json", "tokenizer/", "*.bin"]' \
    IMAGEPLAN_MODEL_IGNORE='["weights.*"]'
  expect_ok
  [[ $(files_out) == $'config.json\ntokenizer/vocab.txt' ]] || fail "unexpected files: $(files_out)"
  same_as_hub
  # Only what was kept was downloaded.
  hub_log | grep -q 'README.md' && fail "README.md was downloaded"
  download IMAGEPLAN_MODEL_ALLOW='["*.onnx"]'
  expect_failed "no file of $repo matches allow_patterns [\"*.onnx\"]"
  ;;
resume)
  # The first download of the weights stops half-way: the retry asks for the rest.
  control '{"cut": {"'"$repo"'/weights.bin": 1}}'
  download
  expect_ok
  same_as_hub
  grep -q "resuming weights.bin at byte 1572864 of 3145728" "$scratch/run.log" ||
    fail "no resume: $(cat "$scratch/run.log")"
  hub_log | grep -q '"range": "bytes=1572864-"' || fail "no Range request in the hub log"
  ;;
resume-across-runs)
  # Every try of the first run is cut: it fails, leaving the partial file in
  # the cache; the next run (a rebuild with the same cache mount) resumes it.
  control '{"cut": {"'"$repo"'/weights.bin": 100}}'
  download IMAGEPLAN_MODEL_CACHE="$scratch/cache" IMAGEPLAN_MODEL_RETRIES=2
  expect_failed "failed 2 times, last: weights.bin: connection closed after"
  [[ ! -e $scratch/out/weights.bin ]] || fail "a partial file reached the model folder"
  partial=$(find "$scratch/cache" -name 'weights.bin.incomplete')
  [[ -n $partial && $(stat -c %s "$partial") -gt 0 ]] || fail "no partial download in the cache"
  control '{"reset": true}'
  download IMAGEPLAN_MODEL_CACHE="$scratch/cache"
  expect_ok
  same_as_hub
  grep -q "resuming weights.bin at byte" "$scratch/run.log" || fail "no resume: $(cat "$scratch/run.log")"
  hub_log | grep -q '"range": "bytes=[1-9][0-9]*-"' || fail "no Range request in the hub log"
  # A third run finds every file verified in the cache and downloads nothing.
  control '{"reset": true}'
  rm -rf "$scratch/out"
  download IMAGEPLAN_MODEL_CACHE="$scratch/cache"
  expect_ok
  same_as_hub
  hub_log | grep -q '/resolve/' && fail "files were downloaded again from a complete cache"
  ;;
checksum)
  control '{"corrupt": {"'"$repo"'/weights.bin": 100, "'"$repo"'/config.json": 1}}'
  download IMAGEPLAN_MODEL_RETRIES=3
  expect_failed "weights.bin failed verification: sha256 "
  grep -q "config.json failed verification: git blob id" "$scratch/run.log" ||
    fail "the corrupt small file was not caught: $(cat "$scratch/run.log")"
  [[ ! -e $scratch/out/weights.bin ]] || fail "a corrupt file was left in the model folder"
  ;;
transient)
  control '{"fail": {"'"$repo"'/config.json": 2}}'
  download
  expect_ok
  same_as_hub
  [[ $(grep -c "answered 503" "$scratch/run.log") == 2 ]] || fail "expected two retries: $(cat "$scratch/run.log")"
  ;;
private)
  download IMAGEPLAN_TOKEN_FILE=
  expect_failed "answered 401"
  [[ ! -e $scratch/out ]] || fail "something was written without the token"
  grep -q "$(cat "$scratch/token")" "$scratch/run.log" && fail "the token was printed"
  download
  expect_ok
  ;;
revision)
  commit=$("$python" -c 'import json,sys,urllib.request; r=urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + open(sys.argv[2]).read().strip()}); print(json.load(urllib.request.urlopen(r))["sha"])' \
    "$endpoint/api/models/$repo" "$scratch/token")
  download IMAGEPLAN_MODEL_REVISION="$commit"
  expect_ok
  download IMAGEPLAN_MODEL_REVISION=0000000000000000000000000000000000000000
  expect_failed "answered 404"
  ;;
js-client)
  node_path=$(npm root -g 2>/dev/null || true)
  [[ -f $node_path/@huggingface/hub/package.json ]] ||
    fail "@huggingface/hub is not installed; run 'scripts/setup.sh --test'"
  NODE_PATH=$node_path node "$here/hf-js-client.cjs" "$endpoint" "$scratch/token" "$scratch/cache" \
    >"$scratch/run.log" 2>&1 || fail "the JS client failed: $(cat "$scratch/run.log")"
  cat "$scratch/run.log"
  sha256=$(sha256sum "$scratch/hub/$repo/weights.bin" | cut -d' ' -f1)
  grep -qx "  weights.bin 3145728 lfs $sha256" "$scratch/run.log" || fail "listFiles did not see the LFS file"
  grep -qx "fileDownloadInfo weights.bin: size 3145728 etag \"$sha256\"" "$scratch/run.log" ||
    fail "fileDownloadInfo did not read the size and etag"
  grep -qx "without the token: 401" "$scratch/run.log" || fail "the private repository was not refused"
  snapshot=$(sed -n 's/^snapshotDownload: //p' "$scratch/run.log")
  (cd "$scratch/hub/$repo" && find . -type f | LC_ALL=C sort) | while IFS= read -r name; do
    cmp -s "$snapshot/$name" "$scratch/hub/$repo/$name" || fail "$name differs in the JS client's snapshot"
  done
  ;;
*) fail "unknown case '$case'" ;;
esac
echo "ok: $case"
