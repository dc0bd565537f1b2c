#!/usr/bin/env bash
# A directory where the spec should be: `check DIR` reads DIR/imageplan.yaml,
# and that is a directory too.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
mkdir -p imageplan.yaml/imageplan.yaml
