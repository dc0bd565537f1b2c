#!/usr/bin/env bash
# Shows that the e2e checkers can fail, on recorded inputs and without an
# engine: the step parser (e2e_steps) against BuildKit --progress=plain logs of
# a generated and a hand-written Dockerfile (fixtures/), and the secret scan
# (e2e_files_holding) finding a token in a tarball nested three deep.
# usage: selftest.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=lib.sh
source "$here/lib.sh"
make_scratch_dir
status=0

for kind in generated handwritten; do
  e2e_steps "$here/fixtures/$kind.Dockerfile" "$here/fixtures/$kind.progress" >"$scratch/$kind.actual"
  if cmp -s "$here/fixtures/$kind.expected" "$scratch/$kind.actual"; then
    echo "ok: e2e_steps on fixtures/$kind.*"
  else
    echo "FAIL: e2e_steps on fixtures/$kind.* (- expected, + actual):" >&2
    show_diff "$here/fixtures/$kind.expected" "$scratch/$kind.actual" expected actual >&2
    status=1
  fi
done

# An image-like tarball: a layer tar holding a .tar.gz holding the token.
token=hf_selftest_0123456789abcdef
mkdir -p "$scratch/inner/etc" "$scratch/layer/opt" "$scratch/image/0123"
printf 'token=%s\n' "$token" >"$scratch/inner/etc/config"
tar -czf "$scratch/layer/opt/bundle.tar.gz" -C "$scratch/inner" .
tar -cf "$scratch/image/0123/layer.tar" -C "$scratch/layer" .
tar -cf "$scratch/image.tar" -C "$scratch/image" .
found=$(e2e_files_holding "$token" "$scratch/image.tar" "$scratch/scan-1")
if [[ $found == *bundle.tar.gz.x/etc/config* ]]; then
  echo "ok: the scan finds a token in a tarball inside a layer"
else
  echo "FAIL: the scan missed the token nested in image.tar; it found: ${found:-nothing}" >&2
  status=1
fi
found=$(e2e_files_holding hf_not_there_0123456789 "$scratch/image.tar" "$scratch/scan-2")
if [[ -z $found ]]; then
  echo "ok: the scan finds no token that is not there"
else
  echo "FAIL: the scan found a token that is not there: $found" >&2
  status=1
fi
exit "$status"
