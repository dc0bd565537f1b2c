#!/usr/bin/env bash
# Shows that the test harness itself can fail: each checker is run on inputs
# that must fail it (and on ones that must pass). A checker that passes
# everything would turn its whole suite into a no-op.
# usage: selftest.sh SHELLCHECK DOCKERFILE_UTILS
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=common.sh
source "$here/common.sh"

shellcheck=$1
dockerfile_utils=$2
require_tool shellcheck "$shellcheck"
require_tool dockerfile-utils "$dockerfile_utils"
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

# Layering: a clean tree passes, each forbidden include fails.
make_tree() {
  local root=$scratch/tree-$1
  mkdir -p "$root/dsl" "$root/planner" "$root/backends"
  echo '#include "dsl/Spec.h"' >"$root/dsl/Parser.cpp"
  echo '#include "dsl/Spec.h"' >"$root/planner/Planner.cpp"
  echo '#include "planner/Plan.h"' >"$root/backends/Dockerfile.cpp"
  echo "$root"
}
expect pass "layering of a clean tree" "$here/layering.sh" "$(make_tree clean)"
tree=$(make_tree backend-dsl)
echo '#include "dsl/Spec.h"' >>"$tree/backends/Dockerfile.cpp"
expect fail "layering: backends/ including dsl/" "$here/layering.sh" "$tree"
tree=$(make_tree backend-planner)
echo '#include <planner/Planner.h>' >>"$tree/backends/Registry.cpp"
expect fail "layering: backends/ including planner/Planner.h" "$here/layering.sh" "$tree"
tree=$(make_tree dsl-planner)
echo '  #  include "../planner/Plan.h"' >>"$tree/dsl/Check.cpp"
expect fail "layering: dsl/ including planner/" "$here/layering.sh" "$tree"
tree=$(make_tree planner-backends)
echo '#include "backends/Backend.h"' >>"$tree/planner/Planner.cpp"
expect fail "layering: planner/ including backends/" "$here/layering.sh" "$tree"

# Negative cases: the exit code, stdout and stderr are all checked.
case_dir=$scratch/negative-case
mkdir "$case_dir"
echo "imageplan: 1" >"$case_dir/imageplan.yaml"
printf 'imageplan.yaml:1:1: error: the expected error\n1 error generated.\n' >"$case_dir/expected.txt"
expect pass "negative case as expected" env FAKE_IMAGEPLAN_MODE=good "$here/negative.sh" "$fake" "$case_dir"
expect fail "negative case exiting 0" env FAKE_IMAGEPLAN_MODE=exit0 "$here/negative.sh" "$fake" "$case_dir"
expect fail "negative case printing on stdout" env FAKE_IMAGEPLAN_MODE=stdout "$here/negative.sh" "$fake" "$case_dir"
echo "a different message" >"$case_dir/expected.txt"
expect fail "negative case with other diagnostics" env FAKE_IMAGEPLAN_MODE=good "$here/negative.sh" "$fake" "$case_dir"
rm "$case_dir/expected.txt"
expect fail "negative case without expected.txt" env FAKE_IMAGEPLAN_MODE=good "$here/negative.sh" "$fake" "$case_dir"

# Determinism: output depending on the cwd, the clock or the environment fails.
mkdir "$scratch/repo"
expect pass "determinism of stable output" \
  env FAKE_IMAGEPLAN_MODE=good "$here/determinism.sh" "$fake" "$case_dir" "$scratch/repo"
for mode in cwd date env; do
  expect fail "determinism of output depending on $mode" \
    env FAKE_IMAGEPLAN_MODE=$mode "$here/determinism.sh" "$fake" "$case_dir" "$scratch/repo"
done

exit "$status"
