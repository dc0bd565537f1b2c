#!/usr/bin/env bash
# Installs missing build and test dependencies, builds imageplan, and runs every
# test suite (unit, golden, negative, determinism, lint, CLI, layering).
# usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh --test
scripts/build.sh
ctest --test-dir build --output-on-failure -j2
