#!/usr/bin/env bash
# imageplan's CMake package and add_container_image(), one case per run:
# samples/cmake-consumer against the installed package, the build tree and
# add_subdirectory; dependency tracking through the depfile with Ninja and make;
# the exact image build command, with fake builders (fake-builder.sh) instead of
# a daemon; builder detection; and the configure-time errors of wrong calls.
# Every project is configured and built in a scratch folder whose path has a
# space in it.
# usage: cmake-package.sh CMAKE NINJA MAKE IMAGEPLAN_BUILD_DIR REPO_ROOT CASE
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$here/../harness/common.sh"

cmake=$1
ninja=$2
make=$3
build_dir=$(cd "$4" && pwd -P)
repo=$(cd "$5" && pwd -P)
case_name=$6
require_tool cmake "$cmake"
require_tool ninja "$ninja"
imageplan=$build_dir/tools/imageplan
consumer=$repo/samples/cmake-consumer

make_scratch_dir
work=$(cd "$scratch" && pwd -P)/"with space"
mkdir -p "$work"
fixture=$work/fixture
cp -R "$here/fixture" "$fixture"
# The environment must not pick a builder or BuildKit for the tests.
unset DOCKER_BUILDKIT IMAGEPLAN_IMAGE_BUILDER

# configure SOURCE BINARY GENERATOR ARGS...: cmake's output goes to BINARY.log.
configure() {
  local source=$1 binary=$2 generator=$3
  shift 3
  local program=$ninja
  [[ $generator == Ninja ]] || program=$make
  "$cmake" -S "$source" -B "$binary" -G "$generator" -DCMAKE_MAKE_PROGRAM="$program" "$@" \
    >"$binary.log" 2>&1
}

configure_or_fail() {
  configure "$@" || {
    cat "$2.log" >&2
    fail "configuring $1 failed (output above)"
  }
}

# build BINARY [TARGET]: the build tool's output goes to $built.
build() {
  local target=()
  [[ -z ${2:-} ]] || target=(--target "$2")
  if ! built=$("$cmake" --build "$1" "${target[@]}" 2>&1); then
    printf '%s\n' "$built" >&2
    fail "building ${2:-all} in $1 failed (output above)"
  fi
}

# Text with CMake's line wrapping undone, for messages that CMake reflows.
joined() { tr -s ' \n' ' ' <"$1"; }

expect_in() { # what text description
  [[ $2 == *"$1"* ]] || fail "$3: expected to find
$1
in
$2"
}

expect_not_in() { # what text description
  [[ $2 != *"$1"* ]] || fail "$3: did not expect
$1
in
$2"
}

expect_same_file() { # expected actual description
  cmp -s "$1" "$2" || {
    show_diff "$1" "$2" expected actual >&2
    fail "$3"
  }
}

# The commands ninja would run for a target, with the double quotes it puts
# around paths with a space removed.
ninja_commands() { # binary target
  local commands
  commands=$("$ninja" -C "$1" -t commands "$2") || fail "ninja -t commands $2 failed"
  printf '%s\n' "${commands//\"/}"
}

# Nanosecond modification time of a file.
mtime() { stat -c %y "$1"; }

# make_fake_builder DIR NAME [MARKER...]: fake-builder.sh as DIR/NAME.
make_fake_builder() {
  local dir=$1 name=$2
  shift 2
  mkdir -p "$dir"
  cp "$here/fake-builder.sh" "$dir/$name"
  chmod +x "$dir/$name"
  local marker
  for marker in "$@"; do touch "$dir/$marker"; done
}

# The generated Dockerfile and ignore file in DIR must be what imageplan itself
# generates from SPEC with CONTEXT.
expect_generated() { # imageplan spec context dir
  "$1" gen "$2" --context "$3" --emit dockerfile -o "$work/expected.Dockerfile"
  "$1" gen "$2" --context "$3" --emit dockerignore -o "$work/expected.dockerignore"
  expect_same_file "$work/expected.Dockerfile" "$4/Dockerfile" \
    "$4/Dockerfile is not what imageplan gen writes (diff above)"
  expect_same_file "$work/expected.dockerignore" "$4/Dockerfile.dockerignore" \
    "$4/Dockerfile.dockerignore is not what imageplan gen writes (diff above)"
}

readonly generating="imageplan: generating Dockerfile, Dockerfile.dockerignore for"

# --- samples/cmake-consumer ---------------------------------------------------

# The program built, the Dockerfile generated from it, and the image build
# (fake docker with buildx) getting the program in its context.
check_consumer_build() { # binary imageplan
  local b=$1
  build "$b"
  expect_in "$generating hello-container" "$built" "building all"
  [[ $("$b/image-context/bin/hello") == "hello from a CMake-built program in an imageplan image" ]] ||
    fail "the consumer's program did not run as expected"
  expect_generated "$2" "$consumer/image/imageplan.yaml" "$b/image-context" "$b"
  build "$b" hello-container-image
  expect_in "imageplan: building image cmake-consumer/hello:1.0 for hello-container" "$built" \
    "building hello-container-image"
  local expected
  expected=$(printf '%s\n' "DOCKER_BUILDKIT=<unset>" "arg: buildx" "arg: build" "arg: --load" \
    "arg: --tag" "arg: cmake-consumer/hello:1.0" "arg: --file" "arg: $b/Dockerfile" \
    "arg: $b/image-context" "the --file Dockerfile exists" "its .dockerignore exists beside it")
  [[ $(<"$work/fake/docker.log") == "$expected" ]] ||
    fail "the builder got
$(<"$work/fake/docker.log")
expected
$expected"
  [[ $(<"$work/fake/docker.context") == "./bin/hello" ]] ||
    fail "the build context held $(<"$work/fake/docker.context"), not ./bin/hello alone"
}

case_consumer_installed() {
  local prefix=$work/prefix b=$work/consumer
  "$cmake" --install "$build_dir" --prefix "$prefix" >"$work/install.log" ||
    fail "cmake --install failed: $(<"$work/install.log")"
  local file
  for file in bin/imageplan lib/cmake/imageplan/imageplanConfig.cmake \
    lib/cmake/imageplan/imageplanConfigVersion.cmake lib/cmake/imageplan/imageplanTargets.cmake \
    lib/cmake/imageplan/imageplanAddContainerImage.cmake; do
    [[ -f $prefix/$file ]] || fail "cmake --install did not install $file"
  done
  if grep -rlF "$build_dir" "$prefix/lib/cmake"; then
    fail "the installed package names the build tree (files above): it is not relocatable"
  fi
  make_fake_builder "$work/fake" docker buildx
  configure_or_fail "$consumer" "$b" Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DIMAGEPLAN_IMAGE_BUILDER="$work/fake/docker"
  expect_in "imageplan_DIR:PATH=$prefix/lib/cmake/imageplan" "$(<"$b/CMakeCache.txt")" \
    "find_package(imageplan) must find the installed package"
  expect_in "$prefix/bin/imageplan gen" "$(ninja_commands "$b" hello-container)" \
    "the generation must run the installed imageplan"
  check_consumer_build "$b" "$prefix/bin/imageplan"
}

case_consumer_build_tree() {
  local b=$work/consumer
  require_tool make "$make"
  make_fake_builder "$work/fake" docker buildx
  configure_or_fail "$consumer" "$b" "Unix Makefiles" -Dimageplan_DIR="$build_dir" \
    -DIMAGEPLAN_IMAGE_BUILDER="$work/fake/docker"
  expect_in "$imageplan gen" "$(cat "$b/CMakeFiles/hello-container.dir/build.make")" \
    "the generation must run the build tree's imageplan"
  check_consumer_build "$b" "$imageplan"
}

# Configured only: building would compile imageplan itself, which takes
# minutes. The generation command must run the subproject's imageplan.
case_consumer_add_subdirectory() {
  local b=$work/consumer
  make_fake_builder "$work/fake" docker buildx
  configure_or_fail "$consumer" "$b" Ninja -DIMAGEPLAN_SOURCE_DIR="$repo" -DBUILD_TESTING=OFF \
    -DIMAGEPLAN_IMAGE_BUILDER="$work/fake/docker"
  local commands
  commands=$(ninja_commands "$b" hello-container-image)
  expect_in "$b/imageplan/tools/imageplan gen $consumer/image/imageplan.yaml" "$commands" \
    "the generation must run the imageplan built as a subproject"
  expect_in "$work/fake/docker buildx build --load --tag cmake-consumer/hello:1.0" "$commands" \
    "the image target"
}

# --- Dependency tracking -------------------------------------------------------

# Regenerates (or not) on the next build, as the build tool itself says.
expect_regenerated() { # why
  build "$b"
  expect_in "$generating deps-image" "$built" "$1: the Dockerfile must be regenerated"
}
expect_nothing_done() { # why
  build "$b"
  expect_not_in "$generating" "$built" "$1: nothing may be regenerated"
  if [[ $generator == Ninja ]]; then
    expect_in "ninja: no work to do." "$built" "$1: ninja must have nothing to do"
  fi
}
# The build tool's dry run must name the imageplan run (Ninja: and why).
expect_dry_run_regenerates() { # why file
  local dry
  if [[ $generator == Ninja ]]; then
    dry=$("$ninja" -C "$b" -n -d explain 2>&1)
    expect_in "older than most recent input $2" "$dry" "$1: ninja -n -d explain"
  else
    dry=$("$make" -C "$b" -n 2>&1)
    expect_in "$imageplan gen" "$dry" "$1: make -n"
  fi
}
expect_dry_run_idle() { # why
  local dry
  if [[ $generator == Ninja ]]; then
    dry=$("$ninja" -C "$b" -n -d explain 2>&1)
  else
    dry=$("$make" -C "$b" -n 2>&1)
  fi
  expect_not_in "imageplan gen" "$dry" "$1: the dry run"
  expect_not_in "$generating" "$dry" "$1: the dry run"
}

# touch FILE, making sure it is newer than the Dockerfile.
touch_newer() {
  touch "$1"
  [[ $1 -nt $b/image/Dockerfile ]] ||
    fail "precondition: touching $1 did not make it newer than the Dockerfile"
}

check_dependency_tracking() {
  generator=$1
  b=$work/deps
  [[ $generator == Ninja ]] || require_tool make "$make"
  configure_or_fail "$fixture" "$b" "$generator" -DCASE=deps -Dimageplan_DIR="$imageplan_dir"

  local report
  report=$(printf '%s\n' \
    "OUTPUT_VARIABLE=$b/image/Dockerfile;$b/image/Dockerfile.dockerignore" \
    "IMAGEPLAN_SPEC=$fixture/imageplan.yaml" \
    "IMAGEPLAN_CONTEXT=$fixture" \
    "IMAGEPLAN_OUTPUT_DIR=$b/image" \
    "IMAGEPLAN_OUTPUTS=$b/image/Dockerfile;$b/image/Dockerfile.dockerignore" \
    "IMAGEPLAN_DOCKERFILE=$b/image/Dockerfile" \
    "IMAGEPLAN_DOCKERIGNORE=$b/image/Dockerfile.dockerignore" \
    "IMAGEPLAN_IMAGE_TARGET=")
  [[ $(<"$b/report.txt") == "$report" ]] ||
    fail "OUTPUT_VARIABLE and target properties:
$(<"$b/report.txt")
expected
$report"

  expect_regenerated "first build"
  expect_generated "$imageplan" "$fixture/imageplan.yaml" "$fixture" "$b/image"
  if grep -rl --include=build.ninja --include=build.make -e --history "$b"; then
    fail "without HISTORY, imageplan must not get --history (build files above)"
  fi
  expect_dry_run_idle "after a build"
  expect_nothing_done "nothing touched"

  local before
  before=$(mtime "$b/image/Dockerfile")
  touch_newer "$fixture/requirements.txt"
  expect_dry_run_regenerates "requirements.txt touched" "$fixture/requirements.txt"
  expect_regenerated "requirements.txt touched"
  [[ $(mtime "$b/image/Dockerfile") == "$before" ]] ||
    fail "an unchanged Dockerfile was rewritten (its mtime changed): --write-if-changed is lost"
  expect_dry_run_idle "after regenerating"
  expect_nothing_done "nothing touched since regenerating"

  touch_newer "$fixture/extra-input.txt"
  expect_regenerated "extra-input.txt (DEPENDS) touched"
  expect_nothing_done "nothing touched since"

  # A requirements file the spec starts to read is tracked from then on.
  sed -i 's/requirements: \[requirements.txt\]/requirements: [requirements.txt, more-requirements.txt]/' \
    "$fixture/imageplan.yaml"
  echo "gunicorn==22.0.0" >"$fixture/more-requirements.txt"
  expect_regenerated "the spec edited"
  expect_in "more-requirements.txt" "$(<"$b/image/Dockerfile")" "the regenerated Dockerfile"
  expect_generated "$imageplan" "$fixture/imageplan.yaml" "$fixture" "$b/image"
  expect_nothing_done "nothing touched since the spec edit"
  touch_newer "$fixture/more-requirements.txt"
  expect_regenerated "the new requirements file touched"
  expect_nothing_done "nothing touched at last"
}

case_deps_ninja() {
  imageplan_dir=$build_dir
  check_dependency_tracking Ninja
}

case_deps_make() {
  imageplan_dir=$build_dir
  check_dependency_tracking "Unix Makefiles"
}

# Every option reaches imageplan as its flag: the exact command line.
case_options() {
  local b=$work/options
  configure_or_fail "$fixture" "$b" Ninja -DCASE=options -Dimageplan_DIR="$build_dir"
  local common="--context $fixture --dialect docker20 --history --write-if-changed"
  local expected
  expected="cd $b && $cmake -E make_directory $b/out $b/CMakeFiles/imageplan/options-image"
  expected+=" && $imageplan gen $fixture/imageplan.yaml $common --emit dockerfile"
  expected+=" -o $b/out/Dockerfile --depfile $b/CMakeFiles/imageplan/options-image.d"
  expected+=" && $imageplan gen $fixture/imageplan.yaml $common --emit explain"
  expected+=" -o $b/out/explain.txt"
  local actual
  actual=$(ninja_commands "$b" options-image | tail -n 1)
  # What CMake appends to apply the depfile is its own business.
  actual=${actual%% && "$cmake" -E cmake_transform_depfile *}
  [[ $actual == "$expected" ]] || fail "the generation command is
$actual
expected
$expected"
  build "$b"
  [[ -f $b/out/Dockerfile && -f $b/out/explain.txt && ! -e $b/out/Dockerfile.dockerignore ]] ||
    fail "EMIT dockerfile explain must write Dockerfile and explain.txt, and nothing else"
}

# --- The image build command -------------------------------------------------

# configure the builder fixture with BUILDER, build fixture-image and compare
# the fake's log with the expected lines.
check_builder() { # builder-program expected-line...
  local program=$1 b=$work/builder
  shift
  configure_or_fail "$fixture" "$b" Ninja -DCASE=builder -Dimageplan_DIR="$build_dir" \
    -DIMAGEPLAN_IMAGE_BUILDER="$program"
  build "$b" fixture-image
  local expected
  expected=$(printf '%s\n' "$@" "the --file Dockerfile exists" "its .dockerignore exists beside it")
  [[ $(<"$program.log") == "$expected" ]] || fail "the builder got
$(<"$program.log")
expected
$expected"
}

b_file() { printf 'arg: %s\n' --file "$work/builder/image/Dockerfile"; }

case_builder_buildx() {
  make_fake_builder "$work/fake" docker buildx
  mapfile -t file < <(b_file)
  check_builder "$work/fake/docker" "DOCKER_BUILDKIT=<unset>" "arg: buildx" "arg: build" \
    "arg: --load" "arg: --tag" "arg: example.test/fixture:1.0" "arg: --target" "arg: runtime" \
    "${file[@]}" "arg: --cache-from" "arg: type=registry,ref=example.test/fixture-cache" \
    "arg: --cache-to" "arg: type=registry,ref=example.test/fixture-cache,mode=max" \
    "arg: --network=host" "arg: --progress=plain" "arg: $fixture"
  expect_in "add_container_image: image builder: buildx ($work/fake/docker)" \
    "$(<"$work/builder.log")" "the configure message"
}

case_builder_docker_buildkit() {
  make_fake_builder "$work/fake" docker
  mapfile -t file < <(b_file)
  check_builder "$work/fake/docker" "DOCKER_BUILDKIT=1" "arg: build" \
    "arg: --tag" "arg: example.test/fixture:1.0" "arg: --target" "arg: runtime" \
    "${file[@]}" "arg: --cache-from" "arg: example.test/fixture-cache" \
    "arg: --build-arg" "arg: BUILDKIT_INLINE_CACHE=1" \
    "arg: --network=host" "arg: --progress=plain" "arg: $fixture"
}

case_builder_podman() {
  make_fake_builder "$work/fake" podman
  mapfile -t file < <(b_file)
  check_builder "$work/fake/podman" "DOCKER_BUILDKIT=<unset>" "arg: build" "arg: --format" \
    "arg: docker" "arg: --tag" "arg: example.test/fixture:1.0" "arg: --target" "arg: runtime" \
    "${file[@]}" "arg: --ignorefile" "arg: $work/builder/image/Dockerfile.dockerignore" \
    "arg: --cache-from" "arg: example.test/fixture-cache" \
    "arg: --cache-to" "arg: example.test/fixture-cache" \
    "arg: --network=host" "arg: --progress=plain" "arg: $fixture"
}

case_builder_buildah() {
  make_fake_builder "$work/fake" buildah
  mapfile -t file < <(b_file)
  check_builder "$work/fake/buildah" "DOCKER_BUILDKIT=<unset>" "arg: build" "arg: --format" \
    "arg: docker" "arg: --layers" "arg: --tag" "arg: example.test/fixture:1.0" \
    "arg: --target" "arg: runtime" \
    "${file[@]}" "arg: --ignorefile" "arg: $work/builder/image/Dockerfile.dockerignore" \
    "arg: --cache-from" "arg: example.test/fixture-cache" \
    "arg: --cache-to" "arg: example.test/fixture-cache" \
    "arg: --network=host" "arg: --progress=plain" "arg: $fixture"
}

# No usable builder: configuring succeeds with a message, and there is no
# fixture-image target.
expect_no_image_target() { # binary message
  local log
  log=$(joined "$1.log")
  expect_in "CMake Warning" "$log" "the configure output"
  expect_in "add_container_image(fixture): BUILD: $2; target 'fixture-image' is not added." \
    "$log" "the configure message"
  local targets
  targets=$("$ninja" -C "$1" -t targets all)
  expect_not_in $'\nfixture-image:' $'\n'"$targets" "ninja -t targets all (fixture-image without a builder)"
  expect_in $'\nfixture:' $'\n'"$targets" "ninja -t targets all"
}

case_builder_refuses_buildkit() {
  make_fake_builder "$work/fake" docker no-buildkit
  configure_or_fail "$fixture" "$work/builder" Ninja -DCASE=builder -Dimageplan_DIR="$build_dir" \
    -DIMAGEPLAN_IMAGE_BUILDER="$work/fake/docker"
  expect_no_image_target "$work/builder" "IMAGEPLAN_IMAGE_BUILDER='$work/fake/docker' is not a \
docker CLI that can build with BuildKit (buildx, or DOCKER_BUILDKIT=1 docker build), a podman or \
a buildah program"
}

# Detection from PATH alone (CMake's system folders are not searched, so the
# machine's real builders stay out): the first usable builder, in order.
detect() { # name path-dir
  configure "$fixture" "$work/$1" Ninja -DCASE=builder -Dimageplan_DIR="$build_dir" \
    -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF ||
    fail "configuring with PATH=$2 failed: $(<"$work/$1.log")"
}
detect_with_path() { # name path-dir
  PATH=$2 detect "$@"
}

case_builder_detection() {
  make_fake_builder "$work/all" docker buildx
  make_fake_builder "$work/all" podman
  make_fake_builder "$work/all" buildah
  detect_with_path all "$work/all"
  expect_in "image builder: buildx ($work/all/docker)" "$(<"$work/all.log")" "docker with buildx first"

  make_fake_builder "$work/no-buildx" docker
  make_fake_builder "$work/no-buildx" podman
  detect_with_path no-buildx "$work/no-buildx"
  expect_in "image builder: buildkit ($work/no-buildx/docker)" "$(<"$work/no-buildx.log")" \
    "docker build with BuildKit before podman"

  make_fake_builder "$work/old-docker" docker no-buildkit
  make_fake_builder "$work/old-docker" podman
  make_fake_builder "$work/old-docker" buildah
  detect_with_path old-docker "$work/old-docker"
  expect_in "image builder: podman ($work/old-docker/podman)" "$(<"$work/old-docker.log")" \
    "a docker that cannot build with BuildKit is skipped for podman"

  make_fake_builder "$work/buildah-only" buildah
  detect_with_path buildah-only "$work/buildah-only"
  expect_in "image builder: buildah ($work/buildah-only/buildah)" "$(<"$work/buildah-only.log")" \
    "buildah last"

  mkdir "$work/nothing"
  detect_with_path nothing "$work/nothing"
  expect_no_image_target "$work/nothing" "no image builder found: looked for docker buildx build, \
docker build with BuildKit, podman build and buildah build"

  make_fake_builder "$work/refusing" docker no-buildkit
  detect_with_path refusing "$work/refusing"
  expect_no_image_target "$work/refusing" "no image builder found: looked for docker buildx \
build, docker build with BuildKit, podman build and buildah build ($work/refusing/docker cannot \
build with BuildKit: it has no buildx plugin and refuses DOCKER_BUILDKIT=1)"

  configure_or_fail "$fixture" "$work/none" Ninja -DCASE=builder -Dimageplan_DIR="$build_dir" \
    -DIMAGEPLAN_IMAGE_BUILDER=NONE
  expect_no_image_target "$work/none" "IMAGEPLAN_IMAGE_BUILDER is NONE"
}

# --- Wrong calls fail at configure time, naming the function and argument ----

expect_configure_error() { # case expected-line
  local b=$work/error
  if configure "$fixture" "$b" Ninja -DCASE="$1" -Dimageplan_DIR="$build_dir"; then
    fail "configuring CASE=$1 succeeded; it must fail"
  fi
  local log
  log=$(<"$b.log")
  expect_in "CMake Error at" "$log" "the configure output"
  expect_in "$(printf '\n   %s\n' "$2")" "$log" "the configure output"
  expect_in "CMakeLists.txt:" "$log" "the call site"
}

case_error_missing_spec() {
  expect_configure_error missing-spec "add_container_image(bad): SPEC <file> is required"
}
case_error_spec_without_value() {
  expect_configure_error spec-without-value "add_container_image(bad): SPEC needs a value"
}
case_error_spec_not_found() {
  expect_configure_error spec-not-found \
    "add_container_image(bad): SPEC file '$fixture/no-such-spec.yaml' does not exist"
}
case_error_unknown_keyword() {
  expect_configure_error unknown-keyword "add_container_image(bad): unknown argument 'TAGS' \
(keywords: BUILD, HISTORY, SPEC, CONTEXT, OUTPUT_DIR, DIALECT, OUTPUT_VARIABLE, TAG, TARGET_STAGE, \
CACHE_REF, EMIT, DEPENDS, BUILDER_OPTIONS)"
}
case_error_unknown_backend() {
  expect_configure_error unknown-backend "add_container_image(bad): EMIT 'docker-ignore' is not \
a backend (valid: dockerfile, dockerignore, explain, explain-json)"
}
case_error_unknown_dialect() {
  expect_configure_error unknown-dialect "add_container_image(bad): DIALECT 'docker19' is not a \
dialect (valid: buildkit, docker20, buildah, legacy)"
}
case_error_build_option_without_build() {
  expect_configure_error build-option-without-build \
    "add_container_image(bad): CACHE_REF only applies to the image build: add BUILD"
}
case_error_output_dir_taken() {
  expect_configure_error output-dir-taken "add_container_image(bad): OUTPUT_DIR \
'$work/error' already holds the output of add_container_image(first); give each image its own \
OUTPUT_DIR"
}

fn=case_${case_name//-/_}
declare -F "$fn" >/dev/null || fail "unknown case '$case_name'"
"$fn"
echo "ok: $case_name"
