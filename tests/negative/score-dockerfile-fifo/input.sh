#!/usr/bin/env bash
# score --dockerfile of a FIFO: refused at once.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
mkfifo Dockerfile
