#!/usr/bin/env bash
# Checks the Dockerfile a case generates with an independent parser, npm's
# dockerfile-utils: `dockerfile-utils lint` must exit 0 and report no error.
# usage: dockerfile-lint.sh DOCKERFILE_UTILS IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

dockerfile_utils=$1
imageplan=$2
case_dir=$3
require_tool dockerfile-utils "$dockerfile_utils"
make_scratch_dir

generate_dockerfile "$imageplan" "$case_dir" "$scratch/Dockerfile"
"$(dirname "${BASH_SOURCE[0]}")/lint-dockerfile.sh" "$dockerfile_utils" "$scratch/Dockerfile"
