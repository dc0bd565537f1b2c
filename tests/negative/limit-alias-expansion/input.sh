#!/usr/bin/env bash
# A stage of 5,000 steps and 99 aliases of it: few bytes, half a million steps
# once expanded, refused when the values read pass 200,000.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{
  printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\n'
  printf 'stages:\n  - &stage\n    name: s\n    image: node\n    steps:\n'
  seq -f '      - {name: s%g, run: "true"}' 1 5000
  for _ in $(seq 99); do printf '  - *stage\n'; done
} >imageplan.yaml
