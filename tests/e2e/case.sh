#!/usr/bin/env bash
# End-to-end test of one case, tests/e2e/cases/<case>/, built for real with
# the private dockerd of the e2e fixtures:
#  1. generate its Dockerfile and .dockerignore (dialect docker20, which must
#     use nothing Docker 20.10 lacks) and build it cold;
#  2. run the image: its HEALTHCHECK must turn healthy, and the case's own
#     checks pass (check_case_<case> below: the web app answers /health over
#     loopback; the model is in the image; the runtime has no compiler);
#  3. the hub token, passed as a build secret, is nowhere in the image;
#  4. edit an app file and rebuild: every apt, pip and model step is CACHED
#     and only app steps re-run; edit requirements.txt and rebuild: the pip
#     requirements step re-runs, apt and model steps are CACHED;
#  5. build the hand-written Dockerfile beside it: the generated image is no
#     larger, and strictly smaller when it has a builder stage.
# usage: case.sh STATE_DIR IMAGEPLAN CASE_DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 3 ]] || fail "usage: case.sh STATE_DIR IMAGEPLAN CASE_DIR"
e2e_init "$1"
imageplan=$2
case_dir=$(cd "$3" && pwd -P)
name=$(basename "$case_dir")
e2e_require_tools
e2e_docker version >/dev/null 2>&1 ||
  fail "the private dockerd is not running on $E2E_SOCK; run this test through ctest (fixture e2e_dockerd)"

work=$E2E_STATE/work/$name
logs=$work/logs
container=imageplan-e2e-$name
tag_gen=imageplan-e2e/$name:generated
tag_hand=imageplan-e2e/$name:handwritten
cleanup() {
  local rc=$?
  e2e_docker rm -f "$container" >/dev/null 2>&1 || true
  if ((rc == 0)); then rm -rf "$work"; else echo "e2e: kept $work for a look (logs/)" >&2; fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# e2e_assert_steps LOG CONDITION...: prints the steps of the generated
# Dockerfile with their status in LOG, then checks each CONDITION
# ("KIND STATUS": every step of that kind has that status; "KIND ran-some":
# at least one step of that kind ran; "only KIND ran").
assert_steps() {
  local log=$1 condition kind want steps
  shift
  steps=$(e2e_steps "$work/gen/Dockerfile" "$log")
  printf '%s\n' "$steps" | awk -F'\t' '{ printf "  %-18s %2s  %-7s %-10s %s\n", $1, $2, $3, $4, $5 }'
  if grep -q $'\tMISSING\t' <<<"$steps"; then fail "steps missing from the build log $log"; fi
  for condition in "$@"; do
    read -r kind want <<<"$condition"
    case $want in
    CACHED)
      # Every step of the kind (and there must be some) was CACHED.
      awk -F'\t' -v k="$kind" '(","$4",") ~ ","k"," { n++; if ($3 != "CACHED") bad++ } END { exit !(n > 0 && bad == 0) }' \
        <<<"$steps" || fail "not every '$kind' step was CACHED (steps above, log $log)"
      ;;
    ran-some)
      awk -F'\t' -v k="$kind" '(","$4",") ~ ","k"," && $3 == "RAN" { n++ } END { exit !(n > 0) }' <<<"$steps" ||
        fail "no '$kind' step re-ran (steps above, log $log)"
      ;;
    only-ran)
      awk -F'\t' -v k="$kind" '$3 == "RAN" && (","$4",") !~ ","k"," { bad++ } END { exit bad > 0 }' <<<"$steps" ||
        fail "a step that is not '$kind' re-ran (steps above, log $log)"
      ;;
    *) fail "bad condition '$condition'" ;;
    esac
    echo "ok: $kind $want"
  done
}

# A step whose comment names the requirements file re-ran.
assert_requirements_ran() {
  e2e_steps "$work/gen/Dockerfile" "$1" |
    awk -F'\t' '$5 ~ /requirements\.txt/ { n++; if ($3 == "RAN") ran++ } END { exit !(n > 0 && ran == n) }' ||
    fail "the requirements.txt step did not re-run (log $1)"
  echo "ok: the requirements.txt step re-ran"
}

# --- Checks of one case's running image -------------------------------------
check_case_webapp() {
  local image=$1 body files hub
  hub=$(e2e_hub_root)/e2e-org/tiny-model
  # What the spec's allow_patterns keep of the repository (README.md and
  # .gitattributes are left out).
  local kept=(config.json tokenizer/vocab.txt weights.bin)
  body=$("$E2E_PYTHON" -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
    "http://127.0.0.1:$E2E_APP_PORT/health") || fail "GET /health on 127.0.0.1:$E2E_APP_PORT failed"
  echo "GET /health: $body"
  files=$(printf '%s\n' "${kept[@]}" | "$E2E_PYTHON" -c 'import json, sys
print(json.dumps(sys.stdin.read().split()))')
  [[ $body == *"\"model_files\": $files"* && $body == *'"status": "ok"'* ]] ||
    fail "/health does not list exactly the model files $files"
  # The files are the hub's, byte for byte, at the spec's path, and only those.
  diff <(cd "$hub" && sha256sum "${kept[@]}" | sed 's|  |  ./|') \
    <(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$image" \
      sh -c 'cd /models/tiny-model && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum') ||
    fail "the model files in the image differ from the hub's kept files (diff above: - hub, + image)"
  echo "ok: /models/tiny-model holds the hub's files that allow_patterns keep, and no other"
  grep -q 'GET /e2e-org/tiny-model/resolve/.* 200' "$E2E_STATE/servers/hub.log" ||
    fail "the hub log shows no authorized download"
  echo "ok: the private repository was downloaded with the token"
}

check_case_native_ext() {
  local image=$1 out
  out=$(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$image" \
    python -m app 1 2 39) || fail "python -m app failed in $image"
  [[ $out == '{"total": 42, "words": 3}' ]] || fail "python -m app 1 2 39 printed '$out'"
  echo "ok: the C extension runs: $out"
  # Packages the builder stage installs, and compilers by any name.
  # shellcheck disable=SC2016 # expanded by the container's shell
  out=$(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$image" \
    sh -c 'for p in gcc python3-dev libpython3.11-dev; do
        dpkg-query -W -f "\${db:Status-Status} \${Package}\n" "$p" 2>/dev/null | grep "^installed"
      done; command -v gcc cc c99; true') || fail "looking for a compiler in $image failed"
  [[ -z $out ]] || fail "the runtime image has build tools: $out"
  echo "ok: no compiler in the runtime image"
}

check_case_pinned_venv() {
  local image=$1 out
  out=$(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$image" \
    python -m app 1 2 39) || fail "python -m app failed in $image"
  [[ $out == '{"torch": "2.0.1", "total": 42, "words": 3}' ]] || fail "python -m app 1 2 39 printed '$out'"
  echo "ok: the pinned torch, the C extension and the requirement are in one venv: $out"
  # The venv came in two layers and works as one; the build tools stayed in
  # the builder (wheel is in no venv python3 -m venv makes).
  out=$(timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$image" \
    sh -c 'python -m pip check && ! python -c "import wheel" 2>/dev/null && ! test -e /opt/imageplan && echo clean') ||
    fail "pip check failed, or build tools are in the runtime image of $image"
  [[ $out == *clean ]] || fail "unexpected output: $out"
  echo "ok: pip check passes and no build tool reached the runtime"
}

# A split venv: after a requirements edit the pins' install in the builder
# and the runtime's copy of them are CACHED, and what installs after them ran.
assert_pins_cached() {
  local log=$1 steps
  steps=$(e2e_steps "$work/gen/Dockerfile" "$log")
  awk -F'\t' '$1 == "builder" && $5 == "python packages" { n++; if ($3 == "CACHED") c++ }
    $1 == "runtime" && $5 == "python packages from builder" { m++; if ($3 == "CACHED") d++ }
    $1 == "runtime" && $5 ~ /beyond the pins/ && $3 == "RAN" { r++ }
    END { exit !(n == 1 && c == 1 && m == 1 && d == 1 && r == 1) }' <<<"$steps" ||
    fail "the pins were rebuilt or re-copied, or the rest was not (log $log)"
  echo "ok: the pins and their copy are CACHED, the rest of the venv was copied again"
}

# Runs the image with host networking, waits for its HEALTHCHECK, then runs
# the case's checks.
check_image() {
  local image=$1 check=check_case_${name//-/_}
  declare -F "$check" >/dev/null || fail "case.sh has no $check for the case $name"
  e2e_docker rm -f "$container" >/dev/null 2>&1 || true
  e2e_docker run -d --name "$container" --network=host "$image" >/dev/null || fail "docker run $image failed"
  e2e_wait_healthy "$container" 60
  echo "ok: the HEALTHCHECK of $image turned healthy"
  "$check" "$image"
  e2e_docker rm -f "$container" >/dev/null
}

# --- The test ------------------------------------------------------------------
E2E_APP_PORT=$(e2e_free_port)
export E2E_APP_PORT
e2e_prepare_case "$imageplan" "$case_dir" "$work" docker20
mkdir -p "$logs"
[[ -f $work/gen/app/__main__.py && -f $work/gen/requirements.txt ]] ||
  fail "a case needs app/__main__.py (edited) and requirements.txt"

step "$name: the docker20 Dockerfile uses nothing Docker 20.10 lacks"
if grep -nE '^# *syntax=|--link|<<' "$work/gen/Dockerfile"; then
  fail "imageplan --dialect docker20 wrote a syntax line, COPY --link or a heredoc (above)"
fi
echo "ok"

step "$name: cold build of the generated Dockerfile"
e2e_build "$work/gen" "$tag_gen" "$logs/generated-cold.log"
echo "built in ${E2E_SECONDS}s"
check_image "$tag_gen"

step "$name: the hub token is nowhere in the image"
e2e_scan_for_secret "$tag_gen" "$(e2e_token_file)" "$E2E_VOLATILE/scratch/$name"
rm -rf "$E2E_VOLATILE/scratch/$name"

step "$name: app edit, rebuild"
printf '\n# edited by tests/e2e (%s)\n' "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" >>"$work/gen/app/__main__.py"
e2e_build "$work/gen" "$tag_gen" "$logs/generated-app-edit.log"
echo "rebuilt in ${E2E_SECONDS}s"
assert_steps "$logs/generated-app-edit.log" "apt CACHED" "pip CACHED" "app ran-some" "app only-ran"
if grep -q 'IMAGEPLAN_MODEL_REPO' "$work/gen/Dockerfile"; then
  assert_steps "$logs/generated-app-edit.log" "model CACHED" >/dev/null
  echo "ok: model CACHED"
fi

step "$name: requirements edit, rebuild"
added=""
for package in microweb textstats; do
  grep -q "^$package" "$work/gen/requirements.txt" && continue
  added=$package
  printf '%s==1.0\n' "$package" >>"$work/gen/requirements.txt"
  break
done
[[ -n $added ]] || fail "the case already requires every package of the wheelhouse"
e2e_build "$work/gen" "$tag_gen" "$logs/generated-requirements-edit.log"
echo "rebuilt in ${E2E_SECONDS}s"
assert_steps "$logs/generated-requirements-edit.log" "apt CACHED"
assert_requirements_ran "$logs/generated-requirements-edit.log"
if grep -q '^FROM builder AS builder-venv$' "$work/gen/Dockerfile"; then
  assert_pins_cached "$logs/generated-requirements-edit.log"
fi
if grep -q 'IMAGEPLAN_MODEL_REPO' "$work/gen/Dockerfile"; then
  assert_steps "$logs/generated-requirements-edit.log" "model CACHED" >/dev/null
  echo "ok: model CACHED"
fi
timeout 60 env DOCKER_HOST="unix://$E2E_SOCK" "$E2E_DOCKER" run --rm --network=none "$tag_gen" \
  python -c "import $added" || fail "$added, added to requirements.txt, is not importable"
echo "ok: $added is installed"

step "$name: the hand-written Dockerfile, cold"
e2e_build "$work/hand" "$tag_hand" "$logs/handwritten-cold.log"
echo "built in ${E2E_SECONDS}s"
size_gen=$(e2e_image_size "$tag_gen")
size_hand=$(e2e_image_size "$tag_hand")
echo "image size: generated $size_gen bytes ($(e2e_layer_count "$tag_gen") layers)," \
  "hand-written $size_hand bytes ($(e2e_layer_count "$tag_hand") layers)"
for tag in "$tag_gen" "$tag_hand"; do
  echo "layers of $tag (docker history):"
  e2e_docker history --no-trunc --format '{{.Size}}	{{.CreatedBy}}' "$tag" | cut -c1-110 | sed 's/^/  /'
done
if grep -q '^FROM .* AS builder$' "$work/gen/Dockerfile"; then
  ((size_gen < size_hand)) || fail "with a builder stage the generated image must be smaller than the hand-written one"
  echo "ok: the generated image (with a builder stage) is smaller"
else
  ((size_gen <= size_hand)) || fail "the generated image is larger than the hand-written one"
  echo "ok: the generated image is no larger"
fi
