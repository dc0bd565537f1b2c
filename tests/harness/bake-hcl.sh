#!/usr/bin/env bash
# Checks the docker-bake.hcl a case generates (gen --emit bake) against the
# Dockerfile it generates, with check-bake.sh: an independent HCL parser.
# usage: bake-hcl.sh NODE IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

node=$1
imageplan=$2
case_dir=$3
make_scratch_dir
generate_dockerfile "$imageplan" "$case_dir" "$scratch/Dockerfile"
(cd "$case_dir" && "$imageplan" gen imageplan.yaml --emit bake -o "$scratch/docker-bake.hcl") ||
  fail "imageplan gen --emit bake failed for $case_dir"
"$(dirname "${BASH_SOURCE[0]}")/check-bake.sh" "$node" "$scratch/docker-bake.hcl" "$scratch/Dockerfile"
