#!/usr/bin/env bash
# imageplan diff. A case folder tests/diff/cases/<case>/ holds old.yaml,
# new.yaml, the requirement files they read, and the expected output of
# `imageplan diff old.yaml new.yaml` as text (expected.txt) and Markdown
# (expected.md). The cases git, git-bad-spec and bad-revision build a
# repository with a scripted history and diff against a revision of it
# (expected files in tests/diff/expected/).
# usage: diff.sh IMAGEPLAN CASE [--update]   (--update rewrites the expected files)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
case_name=$2
update=${3:-}
make_scratch_dir

# Compares the file $2 with the expected file $1, or rewrites $1 with --update.
expect_file() {
  local expected=$1 actual=$2
  if [[ $update == --update ]]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    return
  fi
  [[ -f $expected ]] || fail "missing $expected; run: $0 IMAGEPLAN $case_name --update"
  if ! cmp -s "$expected" "$actual"; then
    show_diff "$expected" "$actual" "${expected#"$here/"}" "actual"
    fail "$case_name: output differs from ${expected#"$here/"}"
  fi
}

# Runs imageplan in folder $1 with the other arguments; stdout to
# $scratch/out, stderr to $scratch/err, the exit status in $rc.
run_in() {
  local dir=$1
  shift
  rc=0
  (cd "$dir" && "$imageplan" "$@") >"$scratch/out" 2>"$scratch/err" || rc=$?
}

expect_success() {
  [[ $rc == 0 ]] || fail "$case_name: exit $rc: $(cat "$scratch/err")"
  [[ ! -s $scratch/err ]] || fail "$case_name: unexpected stderr: $(cat "$scratch/err")"
}

repo=$scratch/repo
spec=services/api/imageplan.yaml
# git with a fixed identity and dates, so the repository is the same every run.
g() {
  GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
    GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git -C "$repo" -c commit.gpgsign=false "$@"
}

# Three revisions of $spec: a typo (HEAD~2), the add-dependencies case's old
# spec (HEAD~1), its new spec (HEAD); the working tree also drops curl.
make_repo() {
  local cases=$here/cases/add-dependencies
  mkdir -p "$repo/services/api"
  git init -q "$repo" 2>/dev/null
  cp "$cases/requirements.txt" "$repo/services/api/"
  sed 's/^python:/pyton:/' "$cases/old.yaml" >"$repo/$spec"
  g add -A
  g commit -qm typo
  cp "$cases/old.yaml" "$repo/$spec"
  g commit -qam fixed
  cp "$cases/new.yaml" "$repo/$spec"
  g commit -qam dependencies
  sed -i 's/system: {packages: \[curl\]}/system: {packages: []}/' "$repo/$spec"
}

case $case_name in
git)
  make_repo
  run_in "$repo" diff --git HEAD~1 "$spec"
  expect_success
  expect_file "$here/expected/git.txt" "$scratch/out"
  run_in "$repo/services" diff --format=markdown --git=HEAD api/imageplan.yaml
  expect_success
  expect_file "$here/expected/git.md" "$scratch/out"
  # The old spec at HEAD~1 is the case add-dependencies' old.yaml, the new
  # one at HEAD its new.yaml: the same layers change as in that case.
  g checkout -q -- "$spec"
  run_in "$repo" diff --git HEAD~1 "$spec"
  expect_success
  sed -n '/^stage/,$p' "$scratch/out" >"$scratch/from-git"
  sed -n '/^stage/,$p' "$here/cases/add-dependencies/expected.txt" >"$scratch/from-files"
  cmp -s "$scratch/from-files" "$scratch/from-git" ||
    fail "git: HEAD~1..HEAD differs from the add-dependencies case: $(cat "$scratch/out")"
  ;;
git-bad-spec)
  make_repo
  run_in "$repo" diff --git HEAD~2 "$spec"
  [[ $rc == 1 ]] || fail "a bad old spec must exit 1, got $rc"
  [[ ! -s $scratch/out ]] || fail "nothing may go to stdout: $(cat "$scratch/out")"
  expect_file "$here/expected/git-bad-spec.txt" "$scratch/err"
  ;;
bad-revision)
  make_repo
  run_in "$repo" diff --git no-such-revision "$spec"
  [[ $rc == 1 ]] || fail "an unknown revision must exit 1, got $rc"
  [[ ! -s $scratch/out ]] || fail "nothing may go to stdout: $(cat "$scratch/out")"
  grep -q "^error: cannot read 'services/api/imageplan.yaml' at revision 'no-such-revision': " \
    "$scratch/err" || fail "unexpected stderr: $(cat "$scratch/err")"
  ;;
usage)
  run_in "$here/cases/unchanged" diff old.yaml
  [[ $rc == 1 ]] || fail "one spec without --git must exit 1, got $rc"
  grep -qx "error: diff takes two specs (OLD NEW), or one spec with --git REV" "$scratch/err" ||
    fail "unexpected stderr: $(cat "$scratch/err")"
  run_in "$here/cases/unchanged" diff --format=html old.yaml new.yaml
  [[ $rc == 1 ]] || fail "an unknown format must exit 1, got $rc"
  grep -qx "error: unknown format 'html'; expected text or markdown" "$scratch/err" ||
    fail "unexpected stderr: $(cat "$scratch/err")"
  ;;
*)
  dir=$here/cases/$case_name
  [[ -f $dir/old.yaml && -f $dir/new.yaml ]] || fail "unknown case $case_name"
  run_in "$dir" diff old.yaml new.yaml
  expect_success
  expect_file "$dir/expected.txt" "$scratch/out"
  run_in "$dir" diff --format=markdown old.yaml new.yaml
  expect_success
  expect_file "$dir/expected.md" "$scratch/out"
  # Swapped, the diff must still succeed (and say the opposite).
  run_in "$dir" diff new.yaml old.yaml
  expect_success
  ;;
esac
echo "ok: $case_name"
