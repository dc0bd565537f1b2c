#!/usr/bin/env bash
# One byte over the 4 MiB cap of a spec.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\n'; head -c 4194304 /dev/zero | tr '\0' '#'; } >imageplan.yaml
