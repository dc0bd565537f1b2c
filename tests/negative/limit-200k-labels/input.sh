#!/usr/bin/env bash
# 200,000 labels (2.6 MB, under the size cap): refused at the 10,001st key.
# Run by tests/harness/negative.sh in a copy of this folder.
set -euo pipefail
{ printf 'imageplan: 1\nname: x\nbase: {image: python}\napp: {}\nlabels:\n'; seq -f '  l%g: v' 1 200000; } >imageplan.yaml
