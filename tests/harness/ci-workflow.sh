#!/usr/bin/env bash
# Checks the CI workflow a case generates (gen --emit ci) beside its bake
# file, with check-ci.sh: an independent YAML parser.
# usage: ci-workflow.sh IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

imageplan=$1
case_dir=$2
make_scratch_dir
(cd "$case_dir" && "$imageplan" gen imageplan.yaml --emit ci -o "$scratch/workflow.yml" &&
  "$imageplan" gen imageplan.yaml --emit bake -o "$scratch/docker-bake.hcl") ||
  fail "imageplan gen --emit ci failed for $case_dir"
"$(dirname "${BASH_SOURCE[0]}")/check-ci.sh" "$scratch/workflow.yml" "$scratch/docker-bake.hcl"
