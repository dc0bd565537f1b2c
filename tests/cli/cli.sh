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
  # Every subcommand that takes a spec says so in one line, not the option
  # parser's text.
  local command
  for command in check explain graph score; do
    run "$command"
    expect_rc 1
    [[ $err == "error: $command needs a spec: imageplan $command SPEC (see imageplan $command --help)" ]] ||
      fail "$command without a spec printed [$err]"
  done
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
  # --output-dir is made, but only for a spec that compiles.
  copy_fixture bad-spec bad
  run gen bad-spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir "$scratch/missing-out"
  expect_rc 1
  [[ ! -e $scratch/missing-out ]] || fail "a failed compile created missing-out"
  leftovers=$(find "$scratch" -name '*.tmp*')
  [[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
}

case_output_dir_created() {
  copy_fixture spec good
  run gen spec/imageplan.yaml --emit dockerfile --emit dockerignore --output-dir out/new
  expect_rc 0
  [[ -z $out && -z $err ]] || fail "gen --output-dir printed stdout [$out] stderr [$err]"
  [[ -f out/new/Dockerfile && -f out/new/.dockerignore ]] || fail "--output-dir did not get both files"
  run gen spec/imageplan.yaml
  cmp -s "$scratch/stdout" out/new/Dockerfile || fail "the Dockerfile in --output-dir differs from gen's"
  touch blocker
  run gen spec/imageplan.yaml --output-dir blocker/out
  expect_rc 1
  expect_error_line "cannot create the output folder 'blocker/out': Not a directory$"
}

# --history N (a space) is --history=N, as with score; --history alone is 500.
case_history_value() {
  copy_fixture spec good
  export GIT_CEILING_DIRECTORIES=$scratch
  run gen spec/imageplan.yaml --history 400
  expect_rc 0
  cp "$scratch/stdout" spaced
  spaced_err=$err
  run gen spec/imageplan.yaml --history=400
  expect_rc 0
  cmp -s "$scratch/stdout" spaced || fail "gen --history 400 and --history=400 differ"
  [[ $err == "$spaced_err" ]] || fail "stderr differs: [$spaced_err] vs [$err]"
  run check --history 400 spec/imageplan.yaml
  expect_rc 0
  run explain spec/imageplan.yaml --history 12
  expect_rc 0
  run gen spec/imageplan.yaml --history 0
  expect_rc 1
  [[ $err == "error: --history takes a number of commits, not '0'" ]] || fail "--history 0 printed [$err]"
}

case_spec_folder() {
  copy_fixture spec good
  run gen spec/imageplan.yaml
  cp "$scratch/stdout" by-file
  run gen spec
  expect_rc 0
  cmp -s "$scratch/stdout" by-file || fail "gen DIR differs from gen DIR/imageplan.yaml"
  run check spec/
  expect_rc 0
  mkdir empty
  run gen empty
  expect_rc 1
  [[ ${err%%$'\n'*} == "error: cannot read 'empty/imageplan.yaml': No such file or directory" ]] ||
    fail "gen of a folder without a spec printed [$err]"
}

case_requirements_did_you_mean() {
  copy_fixture typo good
  sed -i 's/requirements: \[requirements.txt\]/requirements: [requirement.txt]/' typo/imageplan.yaml
  run check typo/imageplan.yaml
  expect_rc 1
  [[ ${err%%$'\n'*} == "typo/imageplan.yaml:11:18: error: requirements file 'requirement.txt' not found in build context 'typo'; did you mean 'requirements.txt'?" ]] ||
    fail "a missing requirements file printed [$err]"
  sed -i 's/requirements: \[requirement.txt\]/requirements: [nothing-like-it.txt]/' typo/imageplan.yaml
  run check typo/imageplan.yaml
  [[ ${err%%$'\n'*} == "typo/imageplan.yaml:11:18: error: requirements file 'nothing-like-it.txt' not found in build context 'typo'" ]] ||
    fail "a file with no near name got a suggestion: [$err]"
}

# A spec in a subfolder that reads ../ is told about --context, and --context
# with paths from there is the fix it names.
case_parent_path_hint() {
  copy_fixture repo good
  mkdir repo/deploy
  sed 's/requirements: \[requirements.txt\]/requirements: [..\/requirements.txt]/' \
    repo/imageplan.yaml >repo/deploy/imageplan.yaml
  run check repo/deploy/imageplan.yaml
  expect_rc 1
  [[ ${err%%$'\n'*} == "repo/deploy/imageplan.yaml:11:18: error: invalid context path '../requirements.txt'; a path may not contain '..', which could leave the build context; to read files outside the spec's folder, give the folder that holds them with --context and write paths from there" ]] ||
    fail "a ../ path printed [$err]"
  sed -i 's/\.\.\/requirements.txt/requirements.txt/' repo/deploy/imageplan.yaml
  run check repo/deploy/imageplan.yaml --context repo
  expect_rc 0
}

case_history_outside_repo() {
  copy_fixture spec good
  export GIT_CEILING_DIRECTORIES=$scratch
  run gen spec/imageplan.yaml --history
  expect_rc 0
  [[ ${err%%$'\n'*} == "warning: cannot read history: the build context 'spec' is not in a git repository; using default change rates" ]] ||
    fail "--history outside a repository printed [$err]"
  run gen spec/imageplan.yaml --history --context "$scratch/spec"
  [[ ${err%%$'\n'*} == "warning: cannot read history: the build context '$scratch/spec' is not in a git repository; using default change rates" ]] ||
    fail "--history with --context printed [$err]"
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
  printf '%s\n' 'out\ dir/Dockerfile: spec\ dir/imageplan.yaml spec\ dir/requirements.txt spec\ dir/imageplan.lock' >expected.d
  if ! cmp -s expected.d "out dir/Dockerfile.d"; then
    show_diff expected.d "out dir/Dockerfile.d" expected actual >&2
    fail "depfile content differs"
  fi

  run gen "spec dir/imageplan.yaml" --emit dockerfile --emit dockerignore --output-dir "out dir" \
    --depfile deps.d --context "spec dir"
  expect_rc 0
  printf '%s\n' 'out\ dir/Dockerfile: spec\ dir/imageplan.yaml spec\ dir/requirements.txt spec\ dir/imageplan.lock' >expected.d
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

# --cache-ref names the bake file's registry cache (over the spec's cache.ref),
# is checked like the spec's repositories, and changes no Dockerfile.
case_cache_ref() {
  copy_fixture spec good
  run gen spec/imageplan.yaml --emit bake --cache-ref registry.example.com/acme/app-cache
  expect_rc 0
  expect_contains stdout "$out" 'default = "registry.example.com/acme/app-cache"'
  # shellcheck disable=SC2016 # the HCL template ${CACHE}, literally
  expect_contains stdout "$out" 'cache-to = ["type=registry,ref=${CACHE}:runtime,mode=max"]'
  run gen spec/imageplan.yaml --emit bake
  expect_rc 0
  [[ $out != *cache-to* ]] || fail "a bake file without a cache reference writes a cache: [$out]"
  run gen spec/imageplan.yaml --emit bake --cache-ref registry.example.com/acme/app:cache
  expect_rc 1
  expect_error_line "invalid --cache-ref 'registry.example.com/acme/app:cache'; expected a repository without a tag"
  [[ -z $out ]] || fail "a bad --cache-ref printed on stdout: [$out]"
  run gen spec/imageplan.yaml -o Dockerfile.with --cache-ref registry.example.com/acme/app-cache
  expect_rc 0
  run gen spec/imageplan.yaml -o Dockerfile.without
  cmp -s Dockerfile.with Dockerfile.without || fail "--cache-ref changed the Dockerfile"
}

fn="case_${case_name//-/_}"
declare -F "$fn" >/dev/null || fail "no CLI test case named '$case_name'"
"$fn"
echo "ok: cli $case_name"
