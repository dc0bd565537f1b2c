# Helpers shared by the test scripts under tests/; sourced, never run.
# shellcheck shell=bash

# Prints a failure message and exits non-zero.
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# A tool found at configure time, or a failure that says how to get it: a
# missing checker must fail the suite, never skip it silently.
require_tool() {
  local name=$1 path=$2
  if [[ -z $path || $path == *NOTFOUND || $path == missing || ! -x $path ]]; then
    fail "$name was not found when CMake configured the build;" \
      "run 'scripts/setup.sh --test', then re-run cmake (or scripts/test.sh)"
  fi
}

# Makes a temporary directory, removed when the script exits, and puts its
# path in $scratch.
make_scratch_dir() {
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/imageplan-test.XXXXXX")
  # shellcheck disable=SC2064 # expand now: the path is fixed
  trap "rm -rf '$scratch'" EXIT
}

# Shows how two files differ (old first), labelled for the reader.
show_diff() {
  local old=$1 new=$2 old_label=$3 new_label=$4
  diff -u --label "$old_label" --label "$new_label" "$old" "$new" || true
}

# Puts every backend `imageplan gen --emit` takes into the array `backends`
# and the file `--output-dir` writes it to into `backend_files` (same order),
# as `gen --list-backends` prints them: no backend list is kept here.
list_backends() {
  local imageplan=$1 name file
  backends=()
  backend_files=()
  while IFS=$'\t' read -r name file; do
    backends+=("$name")
    backend_files+=("$file")
  done < <("$imageplan" gen --list-backends) || fail "imageplan gen --list-backends failed"
  ((${#backends[@]} > 0)) || fail "imageplan gen --list-backends listed no backend"
}

# Generates the case's Dockerfile (as `gen --emit dockerfile` prints it) into
# the file $3, running in the case folder like the golden test does.
generate_dockerfile() {
  local imageplan=$1 case_dir=$2 out=$3
  (cd "$case_dir" && "$imageplan" gen imageplan.yaml --emit dockerfile -o "$out") ||
    fail "imageplan gen failed for $case_dir"
}
