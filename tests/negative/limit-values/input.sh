#!/usr/bin/env bash
# 21 lists of 10,000 numbers: more than 200,000 values in all.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\n'; for i in $(seq 21); do printf 'x%d:\n' "$i"; seq -f '  - %g' 1 10000; done; } >imageplan.yaml
