#!/usr/bin/env bash
# Two stages of 5,001 steps: over the 10,000 steps of a spec.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\nstages:\n'; for s in a b; do printf '  - name: %s\n    image: node\n    steps:\n' "$s"; seq -f "      - {name: $s%g, run: make}" 1 5001; done; } >imageplan.yaml
