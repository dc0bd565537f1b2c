#!/usr/bin/env bash
# 10,001 entries in app.copy: over the 10,000 items of one list.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp:\n  copy:\n'; seq -f '    - f%g' 1 10001; } >imageplan.yaml
