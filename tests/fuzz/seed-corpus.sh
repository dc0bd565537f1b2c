#!/usr/bin/env bash
# Adds the repository's own inputs to the fuzzers' committed corpus: every
# spec (samples, golden, negative, e2e and CLI cases) to corpus/spec/, every
# Dockerfile and .dockerignore (samples, golden, score and e2e cases) to
# corpus/dockerfile/, each named by its SHA-1 as libFuzzer names inputs.
# Run it after adding cases, then minimize (README.md) and commit.
# usage: tests/fuzz/seed-corpus.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
shopt -s nullglob globstar

add() {
  local target=$1 file=$2 sum
  sum=$(sha1sum "$file" | cut -d' ' -f1)
  cp "$file" "$here/corpus/$target/$sum"
}

mkdir -p "$here/corpus/spec" "$here/corpus/dockerfile"
for file in samples/*/imageplan.yaml tests/golden/*/imageplan.yaml \
  tests/negative/*/imageplan.yaml tests/e2e/cases/*/imageplan.yaml tests/cli/**/*.yaml; do
  add spec "$file"
done
for file in samples/*/Dockerfile* samples/*/.dockerignore tests/golden/*/Dockerfile \
  tests/golden/*/.dockerignore tests/e2e/cases/*/Dockerfile* tests/score/**/Dockerfile*; do
  add dockerfile "$file"
done
echo "corpus: $(find "$here/corpus/spec" -type f | wc -l) spec and" \
  "$(find "$here/corpus/dockerfile" -type f | wc -l) Dockerfile inputs"
