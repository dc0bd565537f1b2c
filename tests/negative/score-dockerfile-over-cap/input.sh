#!/usr/bin/env bash
# A Dockerfile over the --max-file-size given.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ echo "FROM scratch"; seq -f "RUN echo %g" 1 1000; } >Dockerfile
