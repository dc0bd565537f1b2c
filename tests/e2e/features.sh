#!/usr/bin/env bash
# End-to-end test of one spec-feature case, tests/e2e/features/<case>/, built
# for real with the private dockerd of the e2e fixtures (docs/spec.md has the
# features; tests/README.md the suite). What a case needs from outside is
# made here, on loopback, for this run only:
#  - local base images: imageplan-e2e/nobash (Debian without bash),
#    imageplan-e2e/pyenv (a Python environment at /opt/conda on PATH, as a
#    conda image has), imageplan-e2e/marked (Debian with a marker file);
#  - a static file server: two apt repositories (a flat one and one with a
#    suite) of a .deb each, signed by a key made now; an asset file and a
#    zip; a second package index holding one wheel the main index lacks;
#  - a git daemon serving a repository with one commit.
# The spec's @NAME@ placeholders become those addresses, checksums, the key's
# fingerprint and the commit; then the Dockerfile is generated (docker20
# dialect), built, and check_<case> below runs the image and says what it
# must show.
# usage: features.sh STATE_DIR IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 3 ]] || fail "usage: features.sh STATE_DIR IMAGEPLAN CASE_DIR"
e2e_init "$1"
imageplan=$2
case_dir=$(cd "$3" && pwd -P)
name=$(basename "$case_dir")
e2e_require_tools
e2e_docker version >/dev/null 2>&1 ||
  fail "the private dockerd is not running on $E2E_SOCK; run this test through ctest (fixture e2e_dockerd)"

work=$E2E_STATE/work/features-$name
logs=$work/logs
files=$work/files
container=imageplan-e2e-features-$name
tag=imageplan-e2e/features-$name:generated
git_pid_file=$work/git-daemon.pid
cleanup() {
  local rc=$?
  e2e_docker rm -f "$container" >/dev/null 2>&1 || true
  e2e_stop_pid "$E2E_STATE/servers/files.pid" "file server"
  e2e_stop_pid "$git_pid_file" "git daemon"
  if [[ -d $work/gnupg ]]; then gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || true; fi
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look (logs/)" >&2; fi
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$logs" "$files"

step() { printf '\n== %s\n' "$*"; }

# e2e_docker run --rm of IMAGE with ARGS, under a timeout, no network.
run_in() {
  local image=$1
  shift
  timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$image" "$@"
}

# --- What the cases reach --------------------------------------------------------
# local_image TAG DOCKERFILE_TEXT: builds a base image from debian:bookworm-slim.
local_image() {
  printf '%s\n' "$2" | timeout --kill-after=10 "$E2E_BUILD_TIMEOUT" \
    env DOCKER_HOST="unix://$E2E_SOCK" DOCKER_BUILDKIT=1 "$E2E_DOCKER" build --progress=plain \
    --network=host -t "$1" - >"$logs/image-${1//[\/:]/-}.log" 2>&1 ||
    { tail -n 30 "$logs/image-${1//[\/:]/-}.log" >&2; fail "building the local image $1 failed"; }
}

make_local_images() {
  local_image imageplan-e2e/nobash:latest 'FROM debian:bookworm-slim
RUN rm -f /usr/bin/bash /bin/bash /usr/bin/rbash && ! command -v bash'
  # shellcheck disable=SC2016 # $PATH is the Dockerfile's to expand
  local_image imageplan-e2e/pyenv:latest 'FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/* && python3 -m venv /opt/conda
ENV PATH=/opt/conda/bin:$PATH'
  local_image imageplan-e2e/marked:latest 'FROM debian:bookworm-slim
RUN echo marked > /etc/e2e-marked'
}

# A .deb named $1 whose /usr/bin/$1 prints "hello from $1".
make_deb() {
  local package=$1 out=$2 root=$work/deb/$1
  mkdir -p "$root/DEBIAN" "$root/usr/bin"
  printf 'Package: %s\nVersion: 1.0\nArchitecture: all\nMaintainer: imageplan e2e <e2e@invalid>\nDescription: e2e test package\n' \
    "$package" >"$root/DEBIAN/control"
  printf '#!/bin/sh\necho "hello from %s"\n' "$package" >"$root/usr/bin/$package"
  chmod 0755 "$root/usr/bin/$package"
  dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
}

# release DIR FILES...: a Release file over FILES (relative to DIR), clearsigned.
release() {
  local dir=$1 file
  shift
  {
    printf 'Origin: imageplan-e2e\nLabel: imageplan-e2e\nArchitectures: %s all\nDate: %s\nSHA256:\n' \
      "$(dpkg --print-architecture)" "$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
    for file in "$@"; do
      printf ' %s %s %s\n' "$(sha256sum "$dir/$file" | cut -d' ' -f1)" "$(stat -c %s "$dir/$file")" "$file"
    done
  } >"$dir/Release"
  gpg --homedir "$work/gnupg" --batch --yes --pinentry-mode loopback --passphrase '' \
    --clearsign -o "$dir/InRelease" "$dir/Release"
}

# Two apt repositories signed by a key made for this run: apt-a is flat
# (Suites: ./), apt-b has the suite "stable" with component "main".
make_apt_repositories() {
  mkdir -m 0700 "$work/gnupg"
  gpg --homedir "$work/gnupg" --batch --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'imageplan e2e <e2e@invalid>' ed25519 sign never 2>"$logs/gpg.log"
  gpg --homedir "$work/gnupg" --batch --armor --export >"$files/apt-key.asc"
  KEY_FINGERPRINT=$(gpg --homedir "$work/gnupg" --batch --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }')
  local arch
  arch=$(dpkg --print-architecture)
  mkdir -p "$files/apt-a" "$files/apt-b/pool" "$files/apt-b/dists/stable/main/binary-$arch"
  make_deb e2e-hello-a "$files/apt-a/e2e-hello-a_1.0_all.deb"
  (cd "$files/apt-a" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages)
  release "$files/apt-a" Packages
  make_deb e2e-hello-b "$files/apt-b/pool/e2e-hello-b_1.0_all.deb"
  (cd "$files/apt-b" && dpkg-scanpackages --multiversion pool /dev/null 2>/dev/null \
    >"dists/stable/main/binary-$arch/Packages")
  release "$files/apt-b/dists/stable" "main/binary-$arch/Packages"
}

make_assets() {
  mkdir -p "$files/assets" "$work/bundle/data"
  echo "greetings from an asset" >"$files/assets/greeting.txt"
  echo "one" >"$work/bundle/data/one.txt"
  echo "two" >"$work/bundle/two.txt"
  (cd "$work/bundle" && "$E2E_PYTHON" -m zipfile -c "$files/assets/bundle.zip" data two.txt)
}

# A second index holding e2e-special, a wheel the main index lacks.
make_extra_index() {
  local source=$work/e2e-special
  mkdir -p "$source/e2e_special" "$files/extra-index/e2e-special"
  printf 'from setuptools import setup\n\nsetup(name="e2e-special", version="1.0", packages=["e2e_special"])\n' \
    >"$source/setup.py"
  echo 'WHERE = "extra index"' >"$source/e2e_special/__init__.py"
  "$E2E_PYTHON" -m pip wheel -q --no-build-isolation --no-deps --no-index \
    -w "$files/extra-index/e2e-special" "$source" >"$logs/e2e-special.log" 2>&1 ||
    { cat "$logs/e2e-special.log" >&2; fail "building the e2e-special wheel failed"; }
}

# A repository with one commit, served by git daemon on a free port.
start_git_daemon() {
  local repo=$work/git/weights.git i
  git init -q --bare "$repo"
  git -C "$repo" config uploadpack.allowAnySHA1InWant true
  git init -q "$work/weights"
  echo "weights v1" >"$work/weights/weights.bin"
  git -C "$work/weights" add weights.bin
  git -C "$work/weights" -c user.name=e2e -c user.email=e2e@invalid commit -q -m weights
  git -C "$work/weights" push -q "$repo" HEAD:refs/heads/main
  WEIGHTS_COMMIT=$(git -C "$work/weights" rev-parse HEAD)
  GIT_PORT=$(e2e_free_port)
  setsid git daemon --reuseaddr --export-all --listen=127.0.0.1 --port="$GIT_PORT" \
    --base-path="$work/git" "$work/git" </dev/null >"$logs/git-daemon.log" 2>&1 &
  echo "$!" >"$git_pid_file"
  for ((i = 0; i < 100; i++)); do
    git ls-remote "git://127.0.0.1:$GIT_PORT/weights.git" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$logs/git-daemon.log" >&2
  fail "git daemon did not answer on 127.0.0.1:$GIT_PORT"
}

# --- Checks of each case's image ----------------------------------------------
check_shells_users_copies() {
  local body ids dockerfile=$work/gen/Dockerfile
  run_in imageplan-e2e/nobash:latest sh -c '! command -v bash' || fail "imageplan-e2e/nobash has bash"
  grep -q '^SHELL' <(sed -n '/^FROM imageplan-e2e\/nobash/,/^FROM /p' "$dockerfile" | sed '$d') &&
    fail "the stage on the image without bash has a SHELL line"
  [[ $(run_in "$tag" cat /opt/e2e/report.txt) == "made without bash" ]] || fail "the nobash stage's export is missing"
  [[ $(run_in "$tag" cat /opt/e2e/shell.txt) != *bash* ]] || fail "the nobash stage's script ran under bash"
  echo "ok: the stage without bash ran its script under $(run_in "$tag" cat /opt/e2e/shell.txt)"
  ids=$(run_in "$tag" id)
  [[ $ids == "uid=1234(worker) gid=2345(worker) groups=2345(worker),"*"(video),"*"(e2e-extra)" ]] ||
    fail "the app user is '$ids'"
  echo "ok: $ids"
  [[ $(run_in "$tag" cat /etc/e2e/settings.toml) == 'mode = "e2e"' ]] || fail "/etc/e2e/settings.toml is missing"
  [[ $(run_in "$tag" /srv/app/bin/hello.sh) == "hello from the copied script" ]] ||
    fail "bin/hello.sh was not copied under the workdir"
  echo "ok: copies to /etc/e2e/settings.toml and /srv/app/bin/hello.sh"
  e2e_docker rm -f "$container" >/dev/null 2>&1 || true
  e2e_docker run -d --name "$container" --network=host -e SUFFIX=e2e "$tag" >/dev/null
  e2e_wait_healthy "$container" 60
  body=$("$E2E_PYTHON" -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' "http://127.0.0.1:$E2E_APP_PORT/health")
  [[ $body == *'"greeting": "hello, e2e"'* ]] || fail "the shell-form cmd did not expand its variables: $body"
  echo "ok: the shell-form cmd expanded \${PORT}, \${GREETING} and \${SUFFIX:-world}: $body"
  e2e_docker rm -f "$container" >/dev/null
  awk '/^# fetch-tool / { tool = NR } /^# requirements\.txt / { req = NR } END { exit !(tool && req && tool < req) }' \
    "$dockerfile" || fail "the step that needs no Python is not before requirements.txt"
  echo "ok: fetch-tool comes before requirements.txt"
  local stamp
  stamp=$(run_in "$tag" cat /opt/tool/stamp)
  echo 'textstats==1.0' >>"$work/gen/requirements.txt"
  e2e_build "$work/gen" "$tag" "$logs/requirements-edit.log"
  e2e_steps "$dockerfile" "$logs/requirements-edit.log" |
    awk -F'\t' '$5 == "fetch-tool" { t = $3 } $5 ~ /requirements\.txt/ { r = $3 } END { exit !(t == "CACHED" && r == "RAN") }' ||
    fail "after a requirements edit fetch-tool should be CACHED and requirements.txt re-run (log $logs/requirements-edit.log)"
  [[ $(run_in "$tag" cat /opt/tool/stamp) == "$stamp" ]] || fail "fetch-tool ran again"
  echo "ok: a requirements edit re-ran requirements.txt and not fetch-tool"
}

check_base_env_project() {
  local out
  grep -q 'VIRTUAL_ENV\|/opt/venv' "$work/gen/Dockerfile" && fail "the Dockerfile makes a venv"
  run_in "$tag" test ! -e /opt/venv || fail "the image has /opt/venv"
  out=$(run_in "$tag" e2e-service) || fail "e2e-service failed"
  echo "e2e-service: $out"
  [[ $out == *'"prefix": "/opt/conda"'* && $out == *'"special": "/opt/conda/lib/'* &&
    $out == *'"microweb": "/opt/conda/lib/'* && $out == *'"textstats": "/opt/conda/lib/'* ]] ||
    fail "the packages are not in the base image's environment /opt/conda"
  echo "ok: the declared dependencies, the web extra and e2e-special are in /opt/conda"
  grep -q 'does-not-exist' "$work/gen/Dockerfile" && fail "the gpu extra (not asked for) is installed"
  echo "ok: only the asked-for extra is installed"
}

check_apt_assets() {
  [[ $(run_in "$tag" e2e-hello-a) == "hello from e2e-hello-a" ]] || fail "e2e-hello-a (sha256-pinned repository) is missing"
  [[ $(run_in "$tag" e2e-hello-b) == "hello from e2e-hello-b" ]] || fail "e2e-hello-b (fingerprint-pinned repository) is missing"
  echo "ok: packages from both repositories are installed"
  run_in "$tag" test -s /etc/apt/keyrings/e2e-fpr.gpg || fail "the fingerprint keyring is missing"
  [[ $(run_in "$tag" cat /opt/assets/greeting.txt) == "greetings from an asset" ]] || fail "the greeting asset is missing"
  [[ $(run_in "$tag" cat /opt/assets/bundle/data/one.txt /opt/assets/bundle/two.txt) == $'one\ntwo' ]] ||
    fail "the zip asset was not unpacked into /opt/assets/bundle"
  [[ $(run_in "$tag" cat /opt/assets/weights/weights.bin) == "weights v1" ]] || fail "the git asset is missing"
  run_in "$tag" test ! -e /opt/assets/weights/.git || fail "the git asset kept its .git"
  echo "ok: the file, the unpacked zip and the git checkout are in the image"
  for asset in greeting bundle weights; do
    grep -q "^FROM .* AS asset-$asset\$" "$work/gen/Dockerfile" || fail "asset $asset has no stage of its own"
  done
  echo "ok: each asset has a stage of its own"
  # A key that is not the pinned one fails the build.
  cp -R "$work/gen" "$work/bad"
  sed -i "s/$KEY_SHA256/$(printf '%064d' 0)/" "$work/bad/imageplan.yaml"
  (cd "$work/bad" && "$imageplan" gen imageplan.yaml --dialect docker20 --output-dir .) ||
    fail "gen of the bad-key spec failed"
  # In a subshell: e2e_build fails (exits) when the build does.
  if (e2e_build "$work/bad" imageplan-e2e/features-bad-key "$logs/bad-key.log") 2>/dev/null; then
    fail "a key with another sha256 did not fail the build"
  fi
  grep -q 'e2e-sha.asc: FAILED' "$logs/bad-key.log" || fail "the bad-key build did not fail on the checksum"
  echo "ok: a key with another sha256 fails the build"
}

check_variants() {
  local out
  out=$(run_in "$tag" python -m app)
  [[ $out == '{"microweb": true, "marker": false}' ]] || fail "the default variants give $out"
  echo "ok: the defaults (FLAVOR=plain, EXTRA=web): $out"
  e2e_build "$work/gen" "$tag" "$logs/extra-stats.log" --build-arg EXTRA=stats
  out=$(run_in "$tag" python -m app)
  [[ $out == '{"microweb": false, "marker": false}' ]] || fail "EXTRA=stats gives $out"
  e2e_steps "$work/gen/Dockerfile" "$logs/extra-stats.log" |
    awk -F'\t' '$1 == "runtime" { if ($5 ~ /python packages by EXTRA/) v = $3; if ($4 ~ /apt/) a = a $3 } END { exit !(v == "RAN" && a !~ /RAN/ && a != "") }' ||
    fail "EXTRA=stats should re-run the EXTRA layer and reuse the apt layers (log $logs/extra-stats.log)"
  echo "ok: EXTRA=stats re-ran its layer, the apt layers were CACHED: $out"
  e2e_build "$work/gen" "$tag" "$logs/flavor-marked.log" --build-arg FLAVOR=marked
  out=$(run_in "$tag" python -m app)
  [[ $out == '{"microweb": true, "marker": true}' ]] || fail "FLAVOR=marked gives $out"
  echo "ok: FLAVOR=marked built on imageplan-e2e/marked: $out"
  if (e2e_build "$work/gen" imageplan-e2e/features-bad-extra "$logs/extra-bad.log" --build-arg EXTRA=gpu) 2>/dev/null; then
    fail "an unknown EXTRA value did not fail the build"
  fi
  grep -q 'EXTRA must be one of web, stats' "$logs/extra-bad.log" || fail "an unknown EXTRA did not say the values"
  echo "ok: EXTRA=gpu fails with 'EXTRA must be one of web, stats'"
}

# --- The test ------------------------------------------------------------------
step "$name: what the case reaches"
make_local_images
make_apt_repositories
make_assets
make_extra_index
start_git_daemon
e2e_serve files --root "$files"
E2E_APP_PORT=$(e2e_free_port)
KEY_SHA256=$(sha256sum "$files/apt-key.asc" | cut -d' ' -f1)

cp -R "$case_dir" "$work/gen"
sed -i -e "s/@INDEX@/127.0.0.1:$(e2e_port index)/g" -e "s/@FILES@/127.0.0.1:$(e2e_port files)/g" \
  -e "s/@GIT@/127.0.0.1:$GIT_PORT/g" -e "s/@APP_PORT@/$E2E_APP_PORT/g" \
  -e "s/@KEY_SHA256@/$KEY_SHA256/g" -e "s/@KEY_FINGERPRINT@/$KEY_FINGERPRINT/g" \
  -e "s/@GREETING_SHA256@/$(sha256sum "$files/assets/greeting.txt" | cut -d' ' -f1)/g" \
  -e "s/@BUNDLE_SHA256@/$(sha256sum "$files/assets/bundle.zip" | cut -d' ' -f1)/g" \
  -e "s/@WEIGHTS_COMMIT@/$WEIGHTS_COMMIT/g" "$work/gen/imageplan.yaml"
(cd "$work/gen" && "$imageplan" gen imageplan.yaml --dialect docker20 \
  --emit dockerfile --emit dockerignore --output-dir .) || fail "imageplan gen failed for $case_dir"

step "$name: build"
e2e_build "$work/gen" "$tag" "$logs/cold.log"
echo "built in ${E2E_SECONDS}s"

step "$name: checks"
"check_${name//-/_}"
