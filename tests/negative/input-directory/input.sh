#!/usr/bin/env bash
# A directory where the spec should be.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
mkdir imageplan.yaml
