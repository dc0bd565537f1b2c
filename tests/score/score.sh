#!/usr/bin/env bash
# imageplan score on a repository the test scripts itself: tests/score/project
# and 40 commits after it, app code changing in most, README.md in every
# fifth, requirements.txt in every tenth, lib/ once. Each case compares the
# output with tests/score/expected/ byte for byte, and the key numbers are
# asserted on their own so that a regenerated expected file cannot hide a
# regression of the model.
# usage: score.sh IMAGEPLAN CASE [--update]   (--update rewrites the expected file)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

imageplan=$1
case_name=$2
update=${3:-}
make_scratch_dir
repo=$scratch/repo

# git with a fixed identity and dates, so the repository is the same every run.
g() {
  GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
    GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git -C "$repo" -c commit.gpgsign=false "$@"
}

make_repo() {
  cp -R "$here/project" "$repo"
  git init -q "$repo" 2>/dev/null
  g add -A
  g commit -qm initial
  local i
  for i in $(seq 1 40); do
    if ((i % 5 != 0)); then echo "# change $i" >>"$repo/app/__main__.py"; fi
    if ((i % 5 == 0)); then echo "change $i" >>"$repo/README.md"; fi
    if ((i % 10 == 0)); then echo "# pin $i" >>"$repo/requirements.txt"; fi
    if ((i == 17)); then echo "Y = $i" >>"$repo/lib/util.py"; fi
    g add -A
    g commit -qm "change $i"
  done
}

# samples/alpine-apk and 30 commits after it: app code in most, only tests/
# (which its app.exclude leaves out) in every fifth, requirements.txt as well
# in every tenth.
make_alpine_repo() {
  cp -R "$here/../../samples/alpine-apk" "$repo"
  git init -q "$repo" 2>/dev/null
  g add -A
  g commit -qm initial
  local i
  for i in $(seq 1 30); do
    if ((i % 5 != 0)); then echo "# change $i" >>"$repo/app/api.py"; fi
    if ((i % 5 == 0)); then echo "# test $i" >>"$repo/tests/test_api.py"; fi
    if ((i % 10 == 0)); then echo "# pin $i" >>"$repo/requirements.txt"; fi
    g add -A
    g commit -qm "change $i"
  done
}

# The "rebuilt" column (k/n) of the generated plan's line for instruction $1.
rebuilt_of() {
  awk -v what="$1" 'index($0, what) { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) { print $i; exit } }' \
    "$scratch/out"
}

# Compares the file $2 with expected/$1, or rewrites expected/$1 with --update.
expect_file() {
  local name=$1 actual=$2 expected=$here/expected/$1
  if [[ $update == --update ]]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    return
  fi
  [[ -f $expected ]] || fail "missing $expected; run: $0 IMAGEPLAN $case_name --update"
  if ! cmp -s "$expected" "$actual"; then
    show_diff "$expected" "$actual" "expected/$name" "actual"
    fail "$case_name: output differs from expected/$name"
  fi
}

# Runs imageplan in the repository; stdout to $scratch/out, stderr to
# $scratch/err; the exit status in $rc.
run() {
  rc=0
  (cd "$repo" && "$imageplan" "$@") >"$scratch/out" 2>"$scratch/err" || rc=$?
}

# The number after "$1" on a line of the summary of $scratch/out.
summary_number() {
  sed -n '/^Expected rebuild seconds per commit$/,$p' "$scratch/out" |
    awk -v label="$1" 'index($0, "  " label "  ") == 1 { print $NF }'
}

expect_number() { # what expected actual
  [[ $2 == "$3" ]] || fail "$case_name: $1 is '$3', expected '$2'"
}

case $case_name in
naive)
  make_repo
  run score imageplan.yaml --dockerfile Dockerfile.naive
  [[ $rc == 0 ]] || fail "score failed ($rc): $(cat "$scratch/err")"
  [[ ! -s $scratch/err ]] || fail "unexpected stderr: $(cat "$scratch/err")"
  expect_file naive.txt "$scratch/out"
  # 41 commits; the generated .dockerignore keeps README.md out. Generated:
  # requirements (65 s) rebuilds in its own 5 (the first commit, 4 pins);
  # lib/ (2 s) in those and commit 17; app/ (2 s) in its own 33 and the 4
  # pins: (65*5 + 2*6 + 2*37) / 41 = 411/41.
  expect_number "generated" 10.024 "$(summary_number 'generated from imageplan.yaml')"
  # Naive: no .dockerignore, so COPY . . and the install after it rebuild in
  # all 41: 2 + 65.
  expect_number "naive" 67.000 "$(summary_number Dockerfile.naive)"
  # Each step only for its own inputs: (65*5 + 2*2 + 2*33) / 41 = 395/41.
  expect_number "lower bound" 9.634 "$(summary_number 'lower bound')"
  grep -qx '  Dockerfile.naive / generated: 6.68' "$scratch/out" || fail "ratio line missing"
  ;;
json)
  make_repo
  run score imageplan.yaml --dockerfile=Dockerfile.naive --history=20 --format=json
  [[ $rc == 0 ]] || fail "score failed ($rc): $(cat "$scratch/err")"
  expect_file json.json "$scratch/out"
  grep -q '^  "commits": 20,$' "$scratch/out" || fail "not 20 commits"
  ;;
multistage)
  make_repo
  run score imageplan.yaml --dockerfile Dockerfile.multistage
  [[ $rc == 0 ]] || fail "score failed ($rc): $(cat "$scratch/err")"
  expect_file multistage.txt "$scratch/out"
  # The test stage is not built for the last stage. deps: COPY (2 s) and
  # install (65 s) in 5; the last stage: COPY --from (5 s) in those 5, lib/
  # (2 s) in 6, COPY . . (2 s) in 37: 446/41.
  expect_number "multistage" 10.878 "$(summary_number Dockerfile.multistage)"
  # COPY . . rebuilds in the 37 commits that change more than README.md,
  # which the Dockerfile's own .dockerignore leaves out.
  copy_all='      22  COPY . -> .  '
  grep -q "^$copy_all.* 37/41 " "$scratch/out" || fail "COPY . . with its .dockerignore"
  rm "$repo/Dockerfile.multistage.dockerignore"
  run score imageplan.yaml --dockerfile Dockerfile.multistage
  grep -q "^$copy_all.* 41/41 " "$scratch/out" || fail "COPY . . without a .dockerignore"
  ;;
paths)
  # The spec outside the context, every path absolute, another working
  # directory and environment: the same numbers as case naive.
  make_repo
  mkdir -p "$scratch/specs" "$scratch/elsewhere"
  cp "$repo/imageplan.yaml" "$scratch/specs/"
  out=$(cd "$scratch/elsewhere" && TZ=Asia/Tokyo LC_ALL=C HOME=/nonexistent "$imageplan" score \
    "$scratch/specs/imageplan.yaml" --context "$repo" --dockerfile "$repo/Dockerfile.naive")
  printf '%s\n' "$out" >"$scratch/out"
  expect_number "generated" 10.024 "$(summary_number 'generated from imageplan.yaml')"
  expect_number "naive" 67.000 "$(summary_number "$repo/Dockerfile.naive")"
  run score imageplan.yaml --dockerfile Dockerfile.naive
  again=$(cat "$scratch/out")
  run score imageplan.yaml --dockerfile Dockerfile.naive
  [[ $again == "$(cat "$scratch/out")" ]] || fail "two runs printed different bytes"
  ;;
make-install)
  # `make install` costs what its recipe runs (pip install -r, 65 s, as in
  # Dockerfile.naive), not a flat 10 s; a make whose Makefile the context
  # does not hold costs 90 s, with a note saying so.
  make_repo
  run score imageplan.yaml --dockerfile Dockerfile.make
  [[ $rc == 0 ]] || fail "score failed ($rc): $(cat "$scratch/err")"
  expect_file make-install.txt "$scratch/out"
  grep -q '^       6  RUN make install: pip install -r requirements.txt  .* 41/41      65.0 ' "$scratch/out" ||
    fail "make install is not priced by its recipe"
  grep -q '^       7  RUN make  .* 41/41      90.0 ' "$scratch/out" || fail "an unread make is not 90 s"
  grep -qx '  note: line 7: make: no Makefile from the build context in /opt/tool; priced like a dependency install (90 s)' \
    "$scratch/out" || fail "the note on line 7 is missing"
  # COPY . . (2 s), make install (65 s) and make (90 s) in all 41.
  expect_number "Dockerfile.make" 157.000 "$(summary_number Dockerfile.make)"
  run score imageplan.yaml --dockerfile Dockerfile.make --format json
  grep -q '"notes": \[' "$scratch/out" || fail "the JSON has no notes"
  ;;
malformed)
  make_repo
  run score imageplan.yaml --dockerfile Dockerfile.broken
  [[ $rc == 1 ]] || fail "a malformed Dockerfile must exit 1, got $rc"
  [[ ! -s $scratch/out ]] || fail "nothing may go to stdout: $(cat "$scratch/out")"
  expect_file malformed.txt "$scratch/err"
  ;;
alpine-sample)
  # The apk sample: a code edit rebuilds no dependency layer, a requirements
  # edit no system-package layer, and an edit of an excluded file nothing.
  make_alpine_repo
  run score imageplan.yaml
  [[ $rc == 0 ]] || fail "score failed ($rc): $(cat "$scratch/err")"
  expect_file alpine-sample.txt "$scratch/out"
  # 31 commits, the initial one adding every file. The builder's and the
  # runtime's apk layers: never rebuilt.
  [[ $(grep -c 'RUN apk add' "$scratch/out") == 2 ]] || fail "two apk layers expected"
  while read -r line; do
    [[ $line == *" 0/31 "* ]] || fail "an apk layer rebuilt: $line"
  done < <(grep 'RUN apk add' "$scratch/out")
  # requirements.txt: the initial commit and its own 3 (10, 20, 30), never
  # for code.
  expect_number "requirements layer" 4/31 "$(rebuilt_of 'pip install -r requirements.txt')"
  # COPY . -> /srv/: the initial commit, the 24 code commits and the 3
  # requirements commits; the 3 that change only tests/ rebuild nothing.
  expect_number "app copy" 28/31 "$(rebuilt_of 'COPY . -> /srv/')"
  ;;
not-a-repo)
  cp -R "$here/project" "$repo"
  run score imageplan.yaml --dockerfile Dockerfile.naive
  [[ $rc == 1 ]] || fail "outside a repository score must exit 1, got $rc"
  [[ ! -s $scratch/out ]] || fail "nothing may go to stdout: $(cat "$scratch/out")"
  grep -q "^error: cannot read history: .*; score replays the history of the git repository" \
    "$scratch/err" || fail "unexpected stderr: $(cat "$scratch/err")"
  ;;
*)
  fail "unknown case $case_name"
  ;;
esac
echo "ok: $case_name"
