#!/usr/bin/env bash
# A 200 MiB scalar (a sparse file): refused by the 4 MiB cap before reading.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\nlabels: {a: "' >imageplan.yaml
truncate -s 200M imageplan.yaml
