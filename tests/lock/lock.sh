#!/usr/bin/env bash
# imageplan lock and tune on repositories the test scripts itself (one case
# per run): rates measured into the lock and used by gen, byte-identical
# across runs and checkouts; gen --check on stale rates and stale pins; the
# warnings gen gives without a lock; a model commit resolved from the
# stand-in hub (tests/e2e/servers.py) on loopback. Registries are the e2e
# suite's (e2e.pins); here images are pinned with --pin.
# usage: lock.sh IMAGEPLAN PYTHON CASE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

[[ $# == 3 ]] || fail "usage: lock.sh IMAGEPLAN PYTHON CASE"
imageplan=$1
python=$2
case_name=$3
make_scratch_dir
repo=$scratch/repo
digest=sha256:$(printf '%064d' 7)

# git with a fixed identity and dates, so the repository is the same every run.
g() {
  GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
    GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git -C "$repo" "$@"
}

# A service with three requirement files, declared most-edited first:
# requirements.txt changes in 12 of 30 commits, requirements-serve.txt in 6,
# requirements-gpu.txt in 2 (the first commit counts); app/ in all of them.
make_repo() {
  mkdir -p "$repo/app"
  git init -q "$repo"
  cat >"$repo/imageplan.yaml" <<'SPEC'
imageplan: 1
name: tuned
base: {image: "python:3.11-slim"}
python:
  requirements: [requirements.txt, requirements-serve.txt, requirements-gpu.txt]
app: {copy: [app/]}
SPEC
  for f in requirements.txt requirements-serve.txt requirements-gpu.txt; do echo "# $f" >"$repo/$f"; done
  echo "print('hi')" >"$repo/app/main.py"
  g add -A
  g commit -qm initial
  for i in $(seq 1 29); do
    echo "# change $i" >>"$repo/app/main.py"
    if ((i % 5 == 0 || i % 7 == 0 || i == 2 || i == 3)); then echo "x$i" >>"$repo/requirements.txt"; fi
    if ((i % 5 == 0)); then echo "y$i" >>"$repo/requirements-serve.txt"; fi
    if ((i == 11)); then echo "z$i" >>"$repo/requirements-gpu.txt"; fi
    g add -A
    g commit -qm "change $i"
  done
}

# The requirement files in the order the runtime stage installs them.
requirement_order() {
  grep -o 'target=/tmp/imageplan/requirements[a-z-]*\.txt' | sed 's|.*/||' | paste -sd ' '
}

run() { # run DIR ARGS...: imageplan in DIR; stdout, stderr, rc
  local dir=$1
  shift
  rc=0
  (cd "$dir" && "$imageplan" "$@") >"$scratch/out" 2>"$scratch/err" || rc=$?
}
expect_rc() {
  [[ $rc == "$1" ]] || fail "expected exit $1, got $rc; stderr: $(cat "$scratch/err")"
}
expect_err() {
  grep -qF -- "$1" "$scratch/err" || fail "expected [$1] on stderr, got: $(cat "$scratch/err")"
}

case $case_name in
tune-orders)
  make_repo
  run "$repo" gen imageplan.yaml --no-lock
  expect_rc 0
  [[ $(requirement_order <"$scratch/out") == "requirements.txt requirements-serve.txt requirements-gpu.txt" ]] ||
    fail "without rates the declared order should stay: $(requirement_order <"$scratch/out")"
  run "$repo" tune --history=100
  expect_rc 0
  grep -q '^  commits: 30$' "$repo/imageplan.lock" || fail "lock: $(cat "$repo/imageplan.lock")"
  grep -A1 'paths: \[requirements.txt\]' "$repo/imageplan.lock" | grep -q 'changed: 12  # rate 0.400' ||
    fail "requirements.txt rate: $(cat "$repo/imageplan.lock")"
  grep -A1 'paths: \[requirements-gpu.txt\]' "$repo/imageplan.lock" | grep -q 'changed: 2  # rate 0.067' ||
    fail "requirements-gpu.txt rate: $(cat "$repo/imageplan.lock")"
  # tune again on the same history writes the same bytes.
  cp "$repo/imageplan.lock" "$scratch/first.lock"
  run "$repo" tune --history=100
  cmp -s "$repo/imageplan.lock" "$scratch/first.lock" || fail "a second tune wrote other bytes"
  run "$repo" gen imageplan.yaml
  expect_rc 0
  cp "$scratch/out" "$scratch/first.Dockerfile"
  [[ $(requirement_order <"$scratch/first.Dockerfile") == "requirements-gpu.txt requirements-serve.txt requirements.txt" ]] ||
    fail "with the lock the rarest file should come first: $(requirement_order <"$scratch/first.Dockerfile")"
  run "$repo" explain imageplan.yaml
  grep -q 'lock' "$scratch/out" || fail "explain names no rate from the lock"
  # The same bytes again, and from a clone of depth 1 (one commit of history),
  # and from an export without .git at all.
  g add imageplan.lock
  g commit -qm "lock the rates"
  run "$repo" gen imageplan.yaml
  cmp -s "$scratch/out" "$scratch/first.Dockerfile" || fail "a second gen differs"
  git clone -q --depth 1 "file://$repo" "$scratch/clone"
  run "$scratch/clone" gen imageplan.yaml
  expect_rc 0
  cmp -s "$scratch/out" "$scratch/first.Dockerfile" || fail "gen in a shallow clone differs"
  mkdir "$scratch/export"
  g archive HEAD | tar -x -C "$scratch/export"
  run "$scratch/export" gen imageplan.yaml
  expect_rc 0
  cmp -s "$scratch/out" "$scratch/first.Dockerfile" || fail "gen in an export without git differs"
  ;;
check-stale-rates)
  make_repo
  run "$repo" tune --history=100
  expect_rc 0
  run "$repo" gen imageplan.yaml -o Dockerfile
  run "$repo" gen imageplan.yaml --check Dockerfile
  expect_rc 0
  # requirements-gpu.txt now changes in every commit.
  for i in $(seq 1 10); do
    echo "g$i" >>"$repo/requirements-gpu.txt"
    g add -A
    g commit -qm "gpu $i"
  done
  run "$repo" gen imageplan.yaml --check Dockerfile
  expect_rc 1
  expect_err "error: 'imageplan.lock' is stale: requirements-gpu.txt changed in 0.300 (12 of 40 commits), the lock says 0.067 (2 of 30 commits), more than the tolerance of 0.05; run 'imageplan tune'"
  # A shallow clone cannot tell: a warning, no failure.
  g add -A
  g commit -qm "keep the lock" --allow-empty
  git clone -q --depth 1 "file://$repo" "$scratch/clone"
  run "$scratch/clone" gen imageplan.yaml --check Dockerfile
  expect_err "warning: the repository has 1 of the 30 commits the rates were measured over (a shallow clone?); not checking them"
  run "$repo" tune --history=100
  run "$repo" gen imageplan.yaml -o Dockerfile
  run "$repo" gen imageplan.yaml --check Dockerfile
  expect_rc 0
  # A new requirements file has no rate: stale.
  echo "# new" >"$repo/requirements-test.txt"
  sed -i 's/requirements-gpu.txt\]/requirements-gpu.txt, requirements-test.txt]/' "$repo/imageplan.yaml"
  run "$repo" gen imageplan.yaml --check Dockerfile
  expect_rc 1
  expect_err "is stale: it has no measured rate for requirements-test.txt; run 'imageplan tune'"
  ;;
pins)
  mkdir -p "$repo/app"
  cat >"$repo/imageplan.yaml" <<'SPEC'
imageplan: 1
name: pinned
base: {image: "python:3.11-slim"}
artifacts:
  - {image: "mwader/static-ffmpeg:6.1.1", from: /ffmpeg, to: /usr/local/bin/ffmpeg}
app: {copy: [app/], cmd: [python, app/main.py]}
SPEC
  echo "print('hi')" >"$repo/app/main.py"
  # Without a lock: a warning per image, at the line that names it.
  run "$repo" gen imageplan.yaml
  expect_rc 0
  expect_err "imageplan.yaml:3:15: warning: image 'python:3.11-slim' is not pinned by digest; run 'imageplan lock' to record what it resolves to"
  expect_err "imageplan.yaml:5:13: warning: image 'mwader/static-ffmpeg:6.1.1' is not pinned by digest"
  # --resolver none with pins: nothing resolved, everything given.
  run "$repo" lock --resolver none --pin "python:3.11-slim=$digest"
  expect_rc 1
  expect_err "cannot resolve image 'mwader/static-ffmpeg:6.1.1': no resolver (--resolver none); give its digest with --pin mwader/static-ffmpeg:6.1.1=sha256:..."
  [[ ! -e $repo/imageplan.lock ]] || fail "a failed lock wrote a file"
  run "$repo" lock --resolver none --pin "python:3.11-slim=$digest" --pin "mwader/static-ffmpeg:6.1.1=$digest"
  expect_rc 0
  run "$repo" gen imageplan.yaml -o Dockerfile
  expect_rc 0
  [[ ! -s $scratch/err ]] || fail "gen with a complete lock warned: $(cat "$scratch/err")"
  grep -qx "FROM python:3.11-slim@$digest AS runtime" "$repo/Dockerfile" || fail "FROM not pinned: $(cat "$repo/Dockerfile")"
  grep -q "COPY --link --from=mwader/static-ffmpeg:6.1.1@$digest /ffmpeg /usr/local/bin/ffmpeg" "$repo/Dockerfile" ||
    fail "artifact not pinned: $(cat "$repo/Dockerfile")"
  grep -q "org.opencontainers.image.base.digest=$digest" "$repo/Dockerfile" || fail "no base digest label"
  # Pins given by the user survive a re-lock without --pin.
  run "$repo" lock --resolver none
  expect_rc 0
  grep -c 'source: user' "$repo/imageplan.lock" | grep -qx 2 || fail "user pins were dropped: $(cat "$repo/imageplan.lock")"
  run "$repo" gen imageplan.yaml --check Dockerfile
  expect_rc 0
  # Another base: the lock has no digest for it and pins one the spec dropped.
  sed -i 's/python:3.11-slim/python:3.12-slim/' "$repo/imageplan.yaml"
  run "$repo" gen imageplan.yaml --check Dockerfile
  expect_rc 1
  expect_err "imageplan.yaml:3:15: error: 'imageplan.lock' is stale: it has no digest for image 'python:3.12-slim'; run 'imageplan lock'"
  expect_err "imageplan.lock:9:12: error: 'imageplan.lock' is stale: it pins image 'python:3.11-slim', which the spec does not use; run 'imageplan lock'"
  run "$repo" gen imageplan.yaml
  expect_rc 0
  expect_err "warning: the lock pins image 'python:3.11-slim', which the spec does not use"
  ;;
model-from-hub)
  mkdir -p "$repo/app" "$scratch/hub"
  cp -R "$here/../e2e/hub/." "$scratch/hub/"
  "$python" "$here/../e2e/servers.py" hub --root "$scratch/hub" --port-file "$scratch/port" 2>"$scratch/hub.log" &
  hub_pid=$!
  trap 'kill "$hub_pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
  for _ in $(seq 100); do [[ -s $scratch/port ]] && break; sleep 0.1; done
  endpoint=http://127.0.0.1:$(cat "$scratch/port")
  cat >"$repo/imageplan.yaml" <<'SPEC'
imageplan: 1
name: with-model
base: {image: "python:3.11-slim"}
models:
  - {id: e2e-org/tiny-model, path: /models/tiny, bake: true, downloader: urllib}
app: {copy: [app/]}
SPEC
  echo "print('hi')" >"$repo/app/main.py"
  run "$repo" gen imageplan.yaml
  expect_err "imageplan.yaml:5:10: warning: model 'e2e-org/tiny-model' follows revision 'main', which can move while the cached layer keeps the old files; run 'imageplan lock' to pin its commit"
  grep -q "IMAGEPLAN_MODEL_REVISION=main" "$scratch/out" || fail "unpinned download not at main"
  run "$repo" lock --resolver none --pin "python:3.11-slim=$digest" --hub-endpoint "$endpoint"
  expect_rc 0
  commit=$(curl -sS "$endpoint/api/models/e2e-org/tiny-model" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["sha"])')
  grep -q "commit: \"$commit\"" "$repo/imageplan.lock" || fail "lock: $(cat "$repo/imageplan.lock")"
  run "$repo" gen imageplan.yaml
  expect_rc 0
  [[ ! -s $scratch/err ]] || fail "gen with a complete lock warned: $(cat "$scratch/err")"
  grep -q "IMAGEPLAN_MODEL_REVISION=$commit" "$scratch/out" || fail "download not at the locked commit"
  # The hub moves main: lock writes the new commit, gen follows.
  echo "changed" >>"$scratch/hub/e2e-org/tiny-model/README.md"
  run "$repo" lock --resolver none --hub-endpoint "$endpoint"
  expect_rc 0
  moved=$(curl -sS "$endpoint/api/models/e2e-org/tiny-model" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["sha"])')
  [[ $moved != "$commit" ]] || fail "the hub's commit did not move"
  grep -q "commit: \"$moved\"" "$repo/imageplan.lock" || fail "the new commit was not locked"
  # A model the hub does not have: the error names the --pin that settles it.
  sed -i 's|e2e-org/tiny-model|e2e-org/no-such-model|' "$repo/imageplan.yaml"
  run "$repo" lock --resolver none --hub-endpoint "$endpoint"
  expect_rc 1
  expect_err "cannot resolve model 'e2e-org/no-such-model' at 'main': $endpoint/api/models/e2e-org/no-such-model/revision/main answered 404: Repository not found; give its commit with --pin e2e-org/no-such-model@main=<commit>"
  ;;
*) fail "unknown case '$case_name'" ;;
esac
echo "ok: $case_name"
