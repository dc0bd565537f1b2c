#!/usr/bin/env bash
# /dev/zero as the spec: endless bytes, refused before any is read.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
ln -s /dev/zero imageplan.yaml
