#!/usr/bin/env bash
# Behaviour tests of the imageplan command line, one case per ctest test:
# exit codes, what goes to stdout and stderr, and what is (not) written.
# usage: cli.sh IMAGEPLAN VERSION CASE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
version=$2
case_name=$3
make_scratch_dir
cd "$scratch"

# Runs imageplan, keeping stdout, stderr and the exit code in out, err and rc.
run() {
  rc=0
  "$imageplan" "$@" >"$scratch/stdout" 2>"$scratch/stderr" || rc=$?
  out=$(cat "$scratch/stdout")
  err=$(cat "$scratch/stderr")
}

expect_rc() {
  [[ $rc == "$1" ]] || fail "expected exit code $1, got $rc; stdout: [$out] stderr: [$err]"
}

expect_contains() { # haystack-name haystack needle
  [[ $2 == *"$3"* ]] || fail "$1 should contain [$3] but is [$2]"
}

# A copy of a fixture folder at $1 (a path under the scratch directory).
copy_fixture() {
  mkdir -p "$1"
  cp -R "$here/$2/." "$1/"
}

mtime() { stat -c %Y "$1"; }

# A message without a source location starts the line with "error:" (or with
# the program name and "error:"), never with a made-up location.
expect_error_line() { # line-pattern (an ERE matched after the prefix)
  local first_line=${err%%$'\n'*}
  [[ $first_line =~ ^(imageplan: )?error:\ $1 ]] ||
    fail "stderr should start with [error: $1]-like text but starts with [$first_line]"
}

case_version() {
  run --version
  expect_rc 0
  [[ $out == "imageplan $version" ]] || fail "--version printed [$out], expected [imageplan $version]"
}

case_help() {
  run --help
  expect_rc 0
  expect_contains stdout "$out" "gen"
  expect_contains stdout "$out" "check"
  run gen --help
  expect_rc 0
  for option in --emit --output-dir --context --write-if-changed --depfile --check --base-image; do
    expect_contains "gen --help" "$out" "$option"
  done
  run check --help
  expect_rc 0
}

case_usage_errors() {
  copy_fixture spec good
  run
  expect_rc 1
  run --no-such-option
  expect_rc 1
  run gen
  expect_rc 1
  [[ $err == "error: gen needs a spec: imageplan gen SPEC (see imageplan gen --help)" ]] ||
    fail "gen without a spec printed [$err]"
  run gen spec/imageplan.yaml --emit no-such-backend
  expect_rc 1
  expect_contains stderr "$err" "unknown backend 'no-such-backend'"
  expect_contains stderr "$err" "dockerfile"
  expect_contains stderr "$err" "dockerignore"
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore
  expect_rc 1
  [[ -z $out ]] || fail "a usage error printed on stdout: [$out]"
}

case_list_backends() {
  run gen --list-backends
  expect_rc 0
  [[ -z $err ]] || fail "--list-backends printed on stderr: [$err]"
  [[ $out == $'dockerfile\tDockerfile\ndockerignore\t.dockerignore\nexplain\texplain.txt\nexplain-json\texplain.json\nbake\tdocker-bake.hcl\nci\timageplan-ci.yml' ]] ||
    fail "--list-backends printed [$out]"
}

case_missing_spec() {
  run gen does-not-exist.yaml
  expect_rc 1
  expect_error_line "cannot read 'does-not-exist.yaml': No such file or directory$"
  [[ -z $out ]] || fail "stdout should be empty, got [$out]"
  run check does-not-exist.yaml
  expect_rc 1
  expect_error_line "cannot read 'does-not-exist.yaml': No such file or directory$"
}

case_check_command() {
  copy_fixture spec good
  run check spec/imageplan.yaml
  expect_rc 0
  [[ -z $out && -z $err ]] || fail "check of a valid spec printed stdout [$out] stderr [$err]"
  copy_fixture bad-spec bad
  run check bad-spec/imageplan.yaml
  expect_rc 1
  expect_contains stderr "$err" "error"
  [[ -z $out ]] || fail "check printed on stdout: [$out]"
}

case_stdout_is_only_output() {
  copy_fixture spec good
  run gen spec/imageplan.yaml -o "$scratch/file"
  expect_rc 0
  run gen spec/imageplan.yaml
  expect_rc 0
  cmp -s "$scratch/stdout" "$scratch/file" || fail "gen to stdout differs from gen -o"
  run gen spec/imageplan.yaml -o -
  expect_rc 0
  cmp -s "$scratch/stdout" "$scratch/file" || fail "gen -o - differs from gen -o FILE"
  [[ -z $err ]] || fail "gen without -v printed on stderr: [$err]"
  run gen -v spec/imageplan.yaml
  expect_rc 0
  cmp -s "$scratch/stdout" "$scratch/file" || fail "with -v, stdout holds more than the output"
  [[ -n $err ]] || fail "-v traced nothing on stderr"
}

case_check_stale() {
  copy_fixture spec good
  run gen spec/imageplan.yaml -o spec/Dockerfile
  expect_rc 0
  cp spec/Dockerfile fresh

  run gen spec/imageplan.yaml --check spec/Dockerfile
  expect_rc 0
  [[ -z $out && -z $err ]] || fail "--check of an up-to-date file printed stdout [$out] stderr [$err]"

  # Make the committed file stale: drop its second line, add a line at the end.
  sed -i '2d' spec/Dockerfile
  echo "# stale" >>spec/Dockerfile
  cp spec/Dockerfile stale
  run gen spec/imageplan.yaml --check spec/Dockerfile
  expect_rc 1
  cmp -s spec/Dockerfile stale || fail "--check modified the file it checks"
  expect_contains "diff" "$out" "--- a/spec/Dockerfile"
  expect_contains "diff" "$out" "+++ b/spec/Dockerfile"
  expect_contains "diff" "$out" "@@ -1"
  expect_contains "diff" "$out" "-# stale"
  expect_error_line "'spec/Dockerfile' is stale; run: imageplan gen "
  [[ $(wc -l <"$scratch/stderr") == 1 ]] || fail "stderr should be one line, got [$err]"

  # The diff is a real one: applied to the stale file it gives the fresh one.
  cp "$scratch/stdout" stale.diff
  # The ceiling keeps git from taking an enclosing repository for the target.
  GIT_CEILING_DIRECTORIES=$(dirname "$scratch") git apply stale.diff ||
    fail "the --check diff does not apply with git apply"
  cmp -s spec/Dockerfile fresh || fail "the applied --check diff does not give the generated file"

  # The suggested command regenerates the file.
  cp stale spec/Dockerfile
  command=${err#*run: imageplan }
  read -r -a words <<<"$command"
  run "${words[@]}"
  expect_rc 0
  cmp -s spec/Dockerfile fresh || fail "the suggested command did not regenerate the file"

  rm spec/Dockerfile
  run gen spec/imageplan.yaml --check spec/Dockerfile
  expect_rc 1
  expect_contains "diff" "$out" "--- /dev/null"
  [[ ! -e spec/Dockerfile ]] || fail "--check created the missing file"
}

case_output_missing_dir() {
  copy_fixture spec good
  run gen spec/imageplan.yaml -o "$scratch/no-such-dir/Dockerfile"
  expect_rc 1
  expect_contains stderr "$err" "no-such-dir/Dockerfile"
  [[ ! -e $scratch/no-such-dir ]] || fail "a failed write created no-such-dir"
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir "$scratch/missing-out"
  expect_rc 1
  [[ ! -e $scratch/missing-out ]] || fail "a failed write created missing-out"
  leftovers=$(find "$scratch" -name '*.tmp*')
  [[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
}

case_write_if_changed() {
  copy_fixture spec good
  mkdir out
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir out
  expect_rc 0
  touch -d '2001-02-03 04:05:06' out/Dockerfile out/.dockerignore
  before=$(mtime out/Dockerfile)
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir out --write-if-changed
  expect_rc 0
  [[ $(mtime out/Dockerfile) == "$before" ]] || fail "--write-if-changed touched an unchanged Dockerfile"
  [[ $(mtime out/.dockerignore) == "$before" ]] || fail "--write-if-changed touched an unchanged .dockerignore"

  echo "# edited" >>out/Dockerfile
  touch -d '2001-02-03 04:05:06' out/Dockerfile
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir out --write-if-changed
  expect_rc 0
  [[ $(mtime out/Dockerfile) != "$before" ]] || fail "--write-if-changed did not rewrite a changed file"
  run gen spec/imageplan.yaml -o expected
  cmp -s out/Dockerfile expected || fail "--write-if-changed wrote the wrong contents"

  touch -d '2001-02-03 04:05:06' out/Dockerfile
  run gen spec/imageplan.yaml -o out/Dockerfile
  expect_rc 0
  [[ $(mtime out/Dockerfile) != "$before" ]] || fail "without --write-if-changed the file was not rewritten"
}

case_depfile() {
  copy_fixture "spec dir" good
  mkdir "out dir"
  run gen "spec dir/imageplan.yaml" -o "out dir/Dockerfile" --depfile "out dir/Dockerfile.d"
  expect_rc 0
  printf '%s\n' 'out\ dir/Dockerfile: spec\ dir/imageplan.yaml spec\ dir/requirements.txt' >expected.d
  if ! cmp -s expected.d "out dir/Dockerfile.d"; then
    show_diff expected.d "out dir/Dockerfile.d" expected actual >&2
    fail "depfile content differs"
  fi

  run gen "spec dir/imageplan.yaml" --emit dockerfile --emit dockerignore --output-dir "out dir" \
    --depfile deps.d --context "spec dir"
  expect_rc 0
  printf '%s\n' 'out\ dir/Dockerfile: spec\ dir/imageplan.yaml spec\ dir/requirements.txt' >expected.d
  if ! cmp -s expected.d deps.d; then
    show_diff expected.d deps.d expected actual >&2
    fail "depfile content differs with --output-dir"
  fi

  run gen "spec dir/imageplan.yaml" --depfile stdout.d
  expect_rc 1
  [[ ! -e stdout.d ]] || fail "a depfile was written for output on stdout"
}

case_bad_spec_writes_nothing() {
  copy_fixture spec bad
  mkdir out
  run gen spec/imageplan.yaml -o out/Dockerfile --depfile out/Dockerfile.d
  expect_rc 1
  expect_contains stderr "$err" "error"
  [[ -z $out ]] || fail "gen of a bad spec printed on stdout: [$out]"
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir out
  expect_rc 1
  [[ -z $(ls -A out) ]] || fail "gen of a bad spec wrote: $(ls -A out)"
}

fn="case_${case_name//-/_}"
declare -F "$fn" >/dev/null || fail "no CLI test case named '$case_name'"
"$fn"
echo "ok: cli $case_name"
