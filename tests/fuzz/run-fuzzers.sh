#!/usr/bin/env bash
# A bounded fuzzing run of one libFuzzer target over its committed corpus
# (tests/fuzz/corpus/<target>/), the way CI runs it (ctest -L fuzz): every
# corpus input first, then new inputs for SECONDS. New inputs go to a scratch
# folder, never into the checkout; a crash, leak, timeout or property failure
# leaves its input in build*/fuzz-artifacts/ and fails the run.
# usage: run-fuzzers.sh FUZZER_BINARY spec|dockerfile SECONDS
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

binary=$1
target=$2
seconds=$3
corpus=$here/corpus/$target
[[ -d $corpus ]] || { echo "FAIL: no corpus folder $corpus" >&2; exit 1; }
artifacts=$(dirname "$binary")/../../fuzz-artifacts/$target
mkdir -p "$artifacts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imageplan-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The options of every run (docs/security.md): 64 KiB inputs at most, 10 s per
# input, 2 GiB of memory; a dictionary of the spec's keys for the spec target.
options=(-max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048
  -print_final_stats=1 -artifact_prefix="$artifacts/")
[[ ! -f $here/$target.dict ]] || options+=(-dict="$here/$target.dict")
"$binary" "${options[@]}" "$scratch" "$corpus" 2>&1 | tail -n 40
