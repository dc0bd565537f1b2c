#!/usr/bin/env bash
# Runs shellcheck on the shell text of every RUN in the Dockerfile a case
# generates (see shellcheck-dockerfile.sh); any finding fails the test.
# usage: shellcheck-runs.sh SHELLCHECK IMAGEPLAN CASE_DIR
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=common.sh
source "$here/common.sh"

shellcheck=$1
imageplan=$2
case_dir=$3
require_tool shellcheck "$shellcheck"
make_scratch_dir

generate_dockerfile "$imageplan" "$case_dir" "$scratch/Dockerfile"
"$here/shellcheck-dockerfile.sh" "$shellcheck" "$scratch/Dockerfile"
