#!/usr/bin/env bash
# Shows that the test harness itself can fail: each checker is run on inputs
# that must fail it (and on ones that must pass). A checker that passes
# everything would turn its whole suite into a no-op.
# usage: selftest.sh SHELLCHECK DOCKERFILE_UTILS NODE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=common.sh
source "$here/common.sh"

shellcheck=$1
dockerfile_utils=$2
node=$3
require_tool shellcheck "$shellcheck"
require_tool dockerfile-utils "$dockerfile_utils"
require_tool node "$node"
make_scratch_dir
fixtures=$here/fixtures
fake=$fixtures/fake-imageplan.sh
status=0

# expect pass|fail DESCRIPTION COMMAND...
expect() {
  local want=$1 what=$2 rc=0
  shift 2
  "$@" >"$scratch/log" 2>&1 || rc=$?
  if [[ $want == pass && $rc == 0 ]] || [[ $want == fail && $rc != 0 ]]; then
    echo "ok: $what (${want}ed)"
  else
    echo "FAIL: $what should $want but exited with $rc; its output:" >&2
    cat "$scratch/log" >&2
    status=1
  fi
}

# extract-runs.sh produces exactly the scripts the engine would run.
"$here/extract-runs.sh" "$fixtures/runs.Dockerfile" "$scratch/runs" >"$scratch/list"
while read -r script dialect line; do
  printf '== %s %s\n' "$dialect" "$line"
  cat "$script"
done <"$scratch/list" >"$scratch/runs.actual"
if cmp -s "$fixtures/runs.expected" "$scratch/runs.actual"; then
  echo "ok: extract-runs.sh output matches runs.expected"
else
  echo "FAIL: extract-runs.sh output differs from runs.expected:" >&2
  show_diff "$fixtures/runs.expected" "$scratch/runs.actual" expected actual >&2
  status=1
fi

expect pass "shellcheck of clean RUNs" \
  "$here/shellcheck-dockerfile.sh" "$shellcheck" "$fixtures/runs.Dockerfile"
expect fail "shellcheck of an unquoted RUN" \
  "$here/shellcheck-dockerfile.sh" "$shellcheck" "$fixtures/unquoted.Dockerfile"
expect fail "shellcheck of a bashism run by /bin/sh" \
  "$here/shellcheck-dockerfile.sh" "$shellcheck" "$fixtures/bashism.Dockerfile"

expect pass "dockerfile-utils lint of a valid Dockerfile" \
  "$here/lint-dockerfile.sh" "$dockerfile_utils" "$fixtures/runs.Dockerfile"
expect fail "dockerfile-utils lint of an invalid Dockerfile" \
  "$here/lint-dockerfile.sh" "$dockerfile_utils" "$fixtures/lint-error.Dockerfile"
expect fail "a missing checker" "$here/lint-dockerfile.sh" missing "$fixtures/runs.Dockerfile"

# The bake file checker: HCL that does not parse, or a target building a
# stage the Dockerfile lacks, fails it.
expect pass "bake check of a valid bake file" \
  "$here/check-bake.sh" "$node" "$fixtures/bake-good.hcl" "$fixtures/bake.Dockerfile"
expect fail "bake check of a bake file with a syntax error" \
  "$here/check-bake.sh" "$node" "$fixtures/bake-syntax.hcl" "$fixtures/bake.Dockerfile"
expect fail "bake check of a target building no stage of the Dockerfile" \
  "$here/check-bake.sh" "$node" "$fixtures/bake-no-stage.hcl" "$fixtures/bake.Dockerfile"
sed 's/"org.opencontainers.image.version"/"org.opencontainers.image.title"/' \
  "$fixtures/bake-good.hcl" >"$scratch/bake-no-version.hcl"
expect fail "bake check of a target without the OCI version label" \
  "$here/check-bake.sh" "$node" "$scratch/bake-no-version.hcl" "$fixtures/bake.Dockerfile"

# The CI workflow checker: a workflow without the bake step, or one that
# does not pass a build secret the bake file names, fails it.
expect pass "ci check of a valid workflow" \
  "$here/check-ci.sh" "$fixtures/ci-good.yml" "$fixtures/bake-good.hcl"
grep -v 'bake-action' "$fixtures/ci-good.yml" >"$scratch/ci-no-bake.yml"
expect fail "ci check of a workflow without docker/bake-action" \
  "$here/check-ci.sh" "$scratch/ci-no-bake.yml" "$fixtures/bake-good.hcl"
sed 's/^  tags = /  secret = ["id=hf_token,env=HF_TOKEN"]\n  tags = /' "$fixtures/bake-good.hcl" \
  >"$scratch/bake-secret.hcl"
expect fail "ci check of a workflow missing a secret of the bake file" \
  "$here/check-ci.sh" "$fixtures/ci-good.yml" "$scratch/bake-secret.hcl"

# Negative cases: the exit code, stdout and stderr of check and of gen, the
# output gen must not write, and the case folder, which must not change.
case_dir=$scratch/negative-case
mkdir "$case_dir"
echo "imageplan: 1" >"$case_dir/imageplan.yaml"
printf 'imageplan.yaml:1:1: error: the expected error\n1 error generated.\n' >"$case_dir/expected.txt"
# shellcheck disable=SC2317 # run through expect
negative() { env FAKE_IMAGEPLAN_REJECTS=1 FAKE_IMAGEPLAN_MODE="$1" "$here/negative.sh" "$fake" "$case_dir"; }
expect pass "negative case as expected" negative good
expect fail "negative case exiting 0" negative exit0
expect fail "negative case printing on stdout" negative stdout
expect fail "negative case whose gen writes -o" negative writes
expect fail "negative case changing its folder" negative touches
expect fail "negative case whose gen succeeds" \
  env FAKE_IMAGEPLAN_MODE=good "$here/negative.sh" "$fake" "$case_dir"
printf '#!/usr/bin/env bash\nrm imageplan.yaml\nmkfifo imageplan.yaml\n' >"$case_dir/input.sh"
expect pass "negative case made by input.sh" negative good
rm "$case_dir/input.sh"
echo "a different message" >"$case_dir/expected.txt"
expect fail "negative case with other diagnostics" negative good
rm "$case_dir/expected.txt"
expect fail "negative case without expected.txt" negative good

# Determinism: output depending on the cwd, the clock or the environment fails.
mkdir "$scratch/repo"
expect pass "determinism of stable output" \
  env FAKE_IMAGEPLAN_MODE=good "$here/determinism.sh" "$fake" "$case_dir" "$scratch/repo"
for mode in cwd date env; do
  expect fail "determinism of output depending on $mode" \
    env FAKE_IMAGEPLAN_MODE=$mode "$here/determinism.sh" "$fake" "$case_dir" "$scratch/repo"
done

# Layering: a tree that follows the rules passes; each kind of forbidden
# include fails it.
layered_tree() {
  local root=$1 folder
  rm -rf "$root"
  for folder in readers dsl planner backends analysis tools tools/init tools/lock bench; do
    mkdir -p "$root/$folder"
    printf '// empty\n' >"$root/$folder/Empty.cpp"
  done
  printf '#include "readers/Diagnostics.h"\n' >"$root/dsl/Uses.cpp"
  printf '#include "planner/Plan.h"\n' >"$root/backends/Uses.cpp"
  printf '// the plan type\n' >"$root/planner/Plan.h"
  printf '#include "planner/Plan.h"\n' >"$root/planner/Plan.cpp"
  printf '#include "backends/Backend.h"\n#include "tools/init/ProjectScan.h"\n' >"$root/tools/Uses.cpp"
  printf '#include "planner/StageNodes.h"\n' >"$root/tools/init/Uses.cpp"
}
layered_tree "$scratch/layers"
expect pass "layering of a tree that follows the rules" "$here/layering.sh" "$scratch/layers"
for bad in "readers/Bad.cpp:dsl/Spec.h" "dsl/Bad.cpp:planner/Graph.h" \
  "planner/Bad.cpp:backends/Backend.h" "planner/Plan.h:dsl/Spec.h" \
  "backends/Bad.h:planner/Graph.h" "backends/Bad.cpp:dsl/Spec.h" \
  "analysis/Bad.cpp:backends/Backend.h" "tools/init/Bad.cpp:analysis/Score.h" \
  "tools/lock/Bad.cpp:backends/Backend.h" "bench/Bad.cpp:tools/Compile.h" \
  "tools/Bad.cpp:backends/RunBuilder.h" "tools/Bad.cpp:planner/StageNodes.h" \
  "bench/Bad.cpp:dsl/SpecParser.h"; do
  layered_tree "$scratch/layers"
  printf '#include "%s"\n' "${bad#*:}" >"$scratch/layers/${bad%%:*}"
  expect fail "layering with ${bad%%:*} including ${bad#*:}" "$here/layering.sh" "$scratch/layers"
done
# Other spellings of an include count too.
for line in '#include <planner/Graph.h>' '  #  include "../planner/Graph.h"'; do
  layered_tree "$scratch/layers"
  printf '%s\n' "$line" >"$scratch/layers/backends/Bad.cpp"
  expect fail "layering with backends/ writing [$line]" "$here/layering.sh" "$scratch/layers"
done

exit "$status"
