#!/usr/bin/env bash
# pyproject.toml links to a file outside the build context (here the
# environment of the process): imageplan must not quote it in a message.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
ln -s /proc/self/environ pyproject.toml
