#!/usr/bin/env bash
# A 100 KiB run script: over the 64 KiB limit for one string.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\nsteps:\n  - name: big\n    run: "'; head -c 102400 /dev/zero | tr '\0' 'x'; printf '"\n'; } >imageplan.yaml
