#!/usr/bin/env bash
# 100 stages that are one alias of a stage with 5,000 steps: few bytes,
# over a million values once expanded.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\nx-steps: &steps\n'; seq -f '  - {name: s%g, run: "true"}' 1 5000; printf 'x-stage: &stage {name: s, image: node, steps: *steps}\nstages:\n'; for _ in $(seq 100); do printf '  - *stage\n'; done; } >imageplan.yaml
