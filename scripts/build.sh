#!/usr/bin/env bash
# Installs missing build dependencies, then configures and builds imageplan in
# build/ (Ninja, RelWithDebInfo). Works from any directory.
# usage: scripts/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
