#!/usr/bin/env bash
# --history on a repository the test scripts itself: app code changes in every
# commit, requirements in a few, lib/ once. The measured rates must reorder
# the runtime stage, exactly as asserted, wherever the spec and context sit.
# usage: history.sh IMAGEPLAN CASE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
case_name=$2
make_scratch_dir
repo=$scratch/repo

# git with a fixed identity and dates, so the repository is the same every run.
g() {
  GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
    GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git -C "$repo" "$@"
}

# A service at $1 inside the repository, with 20 commits after the first.
make_repo() {
  local svc=$repo/$1
  mkdir -p "$svc/app" "$svc/lib"
  g init -q 2>/dev/null || git init -q "$repo"
  cat >"$svc/imageplan.yaml" <<'SPEC'
imageplan: 1
name: hist
base: {image: "python:3.11-slim"}
python: {requirements: [requirements.txt]}
app: {copy: [lib/, app/]}
SPEC
  echo "flask==3.0.3" >"$svc/requirements.txt"
  echo "print('hi')" >"$svc/app/main.py"
  echo "X = 1" >"$svc/lib/util.py"
  echo "# notes" >"$repo/NOTES.md"
  g add -A
  g commit -qm initial
  for i in $(seq 1 20); do
    echo "# change $i" >>"$svc/app/main.py"
    if ((i % 8 == 0)); then echo "# pin $i" >>"$svc/requirements.txt"; fi
    if ((i == 5)); then echo "# outside the context" >>"$repo/NOTES.md"; fi
    g add -A
    g commit -qm "change $i"
  done
}

# The layer comment lines of the runtime stage, one per line.
layers() {
  sed -n '/^FROM .* AS runtime$/,$p' | grep '^# ' | sed 's/ (changes .*)$//'
}

expect_layers() { # name expected actual
  [[ $2 == "$3" ]] || fail "$1: expected layers
$2
got
$3"
}

without_history='# user app, python venv
# requirements.txt
# workdir /app
# app lib/
# app app/'
# lib/ changed only in the first commit, which rebuilds everything anyway: on
# the replayed commits it costs nothing to put it before the requirements.
with_history='# user app, python venv
# workdir /app
# app lib/
# requirements.txt
# app app/'

case $case_name in
reorders)
  make_repo .
  cd "$repo"
  expect_layers "without --history" "$without_history" "$("$imageplan" gen imageplan.yaml | layers)"
  expect_layers "with --history" "$with_history" "$("$imageplan" gen --history imageplan.yaml | layers)"
  # The explanation says where each rate came from and what it measured:
  # 21 commits; app/ in all of them, requirements.txt in 3, lib/ in 1.
  explain=$("$imageplan" explain --history=500 imageplan.yaml)
  grep -q '0.1429 per commit (history)' <<<"$explain" || fail "requirements rate: $explain"
  grep -q '0.0476 per commit (history)' <<<"$explain" || fail "lib/ rate: $explain"
  grep -q '1.0000 per commit (history)' <<<"$explain" || fail "app/ rate: $explain"
  ;;
last-n)
  make_repo .
  cd "$repo"
  # The last 4 commits never touch lib/ or requirements.txt: the requirements
  # move up to the venv's (a RUN of their own: a requirements file costs
  # minutes, docs/planner.md), lib/ goes before the user.
  expect_layers "--history=4" '# python venv
# requirements.txt
# workdir /app
# app lib/
# user app
# app app/' "$("$imageplan" gen --history=4 imageplan.yaml | layers)"
  "$imageplan" explain --history=4 imageplan.yaml | grep -q '0.0000 per commit (history)' ||
    fail "rates over the last 4 commits"
  ;;
subfolder)
  make_repo services/ocr
  cd "$scratch"
  expect_layers "spec in a subfolder" "$with_history" \
    "$("$imageplan" gen --history repo/services/ocr/imageplan.yaml | layers)"
  ;;
context-elsewhere)
  make_repo services/ocr
  mkdir -p "$scratch/specs"
  cp "$repo/services/ocr/imageplan.yaml" "$scratch/specs/imageplan.yaml"
  cd "$scratch/specs"
  expect_layers "context other than the spec's folder" "$with_history" \
    "$("$imageplan" gen --history --context "$repo/services/ocr" imageplan.yaml | layers)"
  ;;
spec-option)
  make_repo .
  cd "$repo"
  printf 'history: 500\n' >>imageplan.yaml
  expect_layers "history: in the spec" "$with_history" "$("$imageplan" gen imageplan.yaml | layers)"
  ;;
not-a-repo)
  mkdir -p "$scratch/plain/app" "$scratch/plain/lib"
  make_repo .
  cp "$repo/imageplan.yaml" "$repo/requirements.txt" "$scratch/plain/"
  cd "$scratch/plain"
  rc=0
  out=$("$imageplan" gen --history imageplan.yaml 2>"$scratch/stderr") || rc=$?
  [[ $rc == 0 ]] || fail "outside a repository gen must still succeed, exit $rc"
  expect_layers "defaults outside a repository" "$without_history" "$(layers <<<"$out")"
  grep -q "warning: cannot read history" "$scratch/stderr" ||
    fail "expected a warning, got: $(cat "$scratch/stderr")"
  ;;
*)
  fail "unknown case $case_name"
  ;;
esac
echo "ok: $case_name"
