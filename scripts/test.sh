#!/usr/bin/env bash
# Installs missing build and test dependencies, builds imageplan, and runs every
# test suite (unit, golden, negative, determinism, lint, CLI, layering, e2e);
# then builds the asan preset (Clang 14, AddressSanitizer and UBSan), runs
# every suite but e2e under it, and runs each fuzzer for 60 s over its
# committed corpus (ctest --preset fuzz, tests/fuzz/README.md).
# usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if (($# != 0)); then
  echo "usage: scripts/test.sh" >&2
  exit 2
fi

scripts/setup.sh --test
scripts/build.sh
ctest --test-dir build --output-on-failure -j2

cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan
ctest --preset fuzz
