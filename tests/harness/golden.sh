#!/usr/bin/env bash
# Golden test of one case folder: every expected output present there (the
# file of any backend `gen --list-backends` names) must be byte-identical to what `imageplan gen` produces now (`gen --check`, which
# prints a unified diff when it is not).
# usage: golden.sh IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

imageplan=$1
case_dir=$2
cd "$case_dir"

list_backends "$imageplan"

[[ -f Dockerfile ]] ||
  fail "$case_dir has no expected Dockerfile; generate it with scripts/update-golden.sh and review the diff"

status=0
for i in "${!backends[@]}"; do
  backend=${backends[i]}
  file=${backend_files[i]}
  [[ -e $file ]] || continue
  if "$imageplan" gen imageplan.yaml --emit "$backend" --check "$file"; then
    echo "ok: $file"
  else
    echo "FAIL: $file differs from what imageplan generates (diff above: - committed, + generated);" \
      "if the change is intended, run scripts/update-golden.sh and review the diff" >&2
    status=1
  fi
done
# The dependency graph, when the case commits one.
if [[ -e graph.dot ]]; then
  if "$imageplan" graph imageplan.yaml | diff -u graph.dot -; then
    echo "ok: graph.dot"
  else
    echo "FAIL: graph.dot differs from what imageplan graph prints (diff above);" \
      "if the change is intended, run scripts/update-golden.sh and review the diff" >&2
    status=1
  fi
fi
exit "$status"
