#!/usr/bin/env bash
# Installs missing build and test dependencies, builds imageplan, and runs every
# test suite (unit, golden, negative, determinism, lint, CLI, layering, e2e).
# With --sanitizers it then builds the asan preset (Clang 14, AddressSanitizer
# and UBSan), runs every suite but e2e under it, and runs each fuzzer for a
# bounded time over its committed corpus (tests/fuzz/README.md). CI (.ci/run)
# runs it without --sanitizers until that run is shown green on a clean clone.
# usage: scripts/test.sh [--sanitizers]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sanitizers=0
for arg in "$@"; do
  case $arg in
  --sanitizers) sanitizers=1 ;;
  *)
    echo "usage: scripts/test.sh [--sanitizers]" >&2
    exit 2
    ;;
  esac
done

scripts/setup.sh --test
scripts/build.sh
ctest --test-dir build --output-on-failure -j2

if ((sanitizers)); then
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  ctest --preset asan
  ctest --preset fuzz
fi
