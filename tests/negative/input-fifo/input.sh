#!/usr/bin/env bash
# A FIFO as the spec: must be refused at once, never waited on.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
mkfifo imageplan.yaml
