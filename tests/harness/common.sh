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

# Copies the negative case $1 to the new folder $2 and, when the case has an
# input.sh, runs it there: it makes inputs that cannot be committed (a FIFO, a
# link to /dev/zero, a file of hundreds of MiB, a spec of 200,000 keys).
prepare_negative_case() {
  local case_dir=$1 dest=$2
  cp -R "$case_dir" "$dest" || fail "cannot copy $case_dir"
  if [[ -f $dest/input.sh ]]; then
    (cd "$dest" && bash ./input.sh) || fail "$case_dir/input.sh failed"
  fi
}

# Puts into the array `negative_args` the imageplan command line of the
# negative case in folder $1: one argument per line of its args.txt, or
# `check imageplan.yaml`.
negative_args() {
  local case_dir=$1 arg
  negative_args=(check imageplan.yaml)
  if [[ -f $case_dir/args.txt ]]; then
    negative_args=()
    while IFS= read -r arg || [[ -n $arg ]]; do negative_args+=("$arg"); done <"$case_dir/args.txt"
  fi
}

# Prints every entry under folder $1 with its type, and the SHA-1 of each
# regular file: two listings differ when anything was written there.
snapshot_tree() {
  (cd "$1" && find . -mindepth 1 -printf '%y %p\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha1sum)
}
