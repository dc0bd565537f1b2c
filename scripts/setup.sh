#!/usr/bin/env bash
# Installs what building imageplan needs on Debian 12 and, with --test, what its
# test suites need too (shellcheck, Node.js with npm, dockerfile-utils, the HCL
# parser @cdktf/hcl2json, python3-yaml; Clang 14 with its sanitizer and
# libFuzzer runtimes for the asan preset and the fuzzers; for the end-to-end
# builds Docker 20.10, debootstrap, buildah, and Debian's python3 with pip,
# setuptools and wheel, whose wheels also go into the local index; for
# `imageplan lock` and the two-builder cache test, docker-registry, skopeo
# and curl).
# Only what is missing is installed, so running it again does nothing.
# usage: scripts/setup.sh [--test]
set -euo pipefail

readonly DOCKERFILE_UTILS_VERSION=0.16.3
# HashiCorp's HCL parser compiled to WebAssembly: checks the bake files.
readonly HCL2JSON_VERSION=0.21.0
# Hugging Face's JS hub client: tests/hub checks the stand-in hub with it.
readonly HF_HUB_JS_VERSION=2.17.5

with_tests=0
case "${1:-}" in
"") ;;
--test) with_tests=1 ;;
*)
  echo "usage: scripts/setup.sh [--test]" >&2
  exit 2
  ;;
esac

# Runs a command as root (directly when we are root).
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup.sh: must run as root to do: $*" >&2
    exit 1
  fi
}

is_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

packages=(cmake ninja-build g++ llvm-dev libyaml-cpp-dev libtomlplusplus-dev libboost-graph-dev libspdlog-dev libgtest-dev libbenchmark-dev)
if ((with_tests)); then
  packages+=(shellcheck)
  # The asan preset (CMakePresets.json) and tests/fuzz: Clang 14, and the
  # compiler-rt runtimes of AddressSanitizer, UBSan and libFuzzer.
  packages+=(clang-14 libclang-rt-14-dev)
  # tests/e2e: build images for real with a private dockerd (docker.io brings
  # containerd and runc) on a debootstrap base, and with buildah; build the
  # wheelhouse with /usr/bin/python3.
  packages+=(docker.io debootstrap buildah python3 python3-pip python3-setuptools python3-wheel
    python3-setuptools-whl python3-wheel-whl)
  # python3-yaml reads the generated CI workflows.
  packages+=(python3-yaml)
  # imageplan lock and the two-builder cache test: a real registry on
  # loopback (lock resolves digests from it with skopeo; curl, for the
  # registry and hub APIs, too).
  packages+=(docker-registry skopeo curl)
  # tests/e2e/debwheels.py: huggingface_hub's dependencies from Debian 12,
  # repacked as wheels for the e2e index, and gpgv with Debian's keyring to
  # check the unstable .debs it fetches.
  packages+=(python3-httpx python3-httpcore python3-anyio python3-sniffio python3-idna
    python3-certifi python3-h11 python3-rfc3986 python3-tqdm python3-typing-extensions
    python3-packaging python3-yaml gpgv debian-archive-keyring)
  # tests/e2e/features.sh: a signed apt repository (dpkg-dev, gpg) and a git
  # daemon on loopback.
  packages+=(dpkg-dev gpg git)
  # Node.js may come from another Debian repository whose nodejs package bundles
  # npm (and conflicts with Debian's npm): ask apt only for what is not there.
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  is_installed "$package" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "setup.sh: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The version of the dockerfile-utils found on PATH, or nothing.
dockerfile_utils_version() {
  local bin package_json
  bin=$(command -v dockerfile-utils 2>/dev/null) || return 0
  bin=$(readlink -f "$bin")
  package_json="$(dirname "$(dirname "$bin")")/package.json"
  [[ -f $package_json ]] || return 0
  node -p 'require(process.argv[1]).version' "$package_json" 2>/dev/null || true
}

if ((with_tests)); then
  installed=$(dockerfile_utils_version)
  if [[ $installed != "$DOCKERFILE_UTILS_VERSION" ]]; then
    echo "setup.sh: installing dockerfile-utils@$DOCKERFILE_UTILS_VERSION (npm, global)" \
      "${installed:+replacing $installed}"
    as_root npm install -g --no-audit --no-fund --loglevel=error \
      "dockerfile-utils@$DOCKERFILE_UTILS_VERSION" >/dev/null
    installed=$(dockerfile_utils_version)
    if [[ $installed != "$DOCKERFILE_UTILS_VERSION" ]]; then
      echo "setup.sh: dockerfile-utils $DOCKERFILE_UTILS_VERSION is still not on PATH" \
        "(npm's global bin folder: $(npm prefix -g)/bin)" >&2
      exit 1
    fi
  fi
fi

# The version of the global npm package $1, or nothing.
npm_global_version() {
  local package_json
  package_json="$(npm root -g 2>/dev/null)/$1/package.json"
  [[ -f $package_json ]] || return 0
  node -p 'require(process.argv[1]).version' "$package_json" 2>/dev/null || true
}

if ((with_tests)); then
  installed=$(npm_global_version @huggingface/hub)
  if [[ $installed != "$HF_HUB_JS_VERSION" ]]; then
    echo "setup.sh: installing @huggingface/hub@$HF_HUB_JS_VERSION (npm, global)"
    as_root npm install -g --no-audit --no-fund --loglevel=error \
      "@huggingface/hub@$HF_HUB_JS_VERSION" >/dev/null
  fi
  installed=$(npm_global_version @cdktf/hcl2json)
  if [[ $installed != "$HCL2JSON_VERSION" ]]; then
    echo "setup.sh: installing @cdktf/hcl2json@$HCL2JSON_VERSION (npm, global)" \
      "${installed:+replacing $installed}"
    as_root npm install -g --no-audit --no-fund --loglevel=error \
      "@cdktf/hcl2json@$HCL2JSON_VERSION" >/dev/null
  fi
fi

if ((${#missing[@]} == 0)); then
  echo "setup.sh: all $( ((with_tests)) && echo "build and test" || echo build) dependencies present"
fi
