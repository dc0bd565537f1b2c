#!/usr/bin/env bash
# Installs what building imageplan needs on Debian 12 and, with --test, what its
# test suites need too (shellcheck, Node.js with npm, dockerfile-utils, the HCL
# parser @cdktf/hcl2json, python3-yaml; for the end-to-end builds Docker 20.10,
# debootstrap, buildah, docker-registry, and Debian's python3 with pip,
# setuptools and wheel, whose wheels also go into the local index).
# Only what is missing is installed, so running it again does nothing.
# usage: scripts/setup.sh [--test]
set -euo pipefail

readonly DOCKERFILE_UTILS_VERSION=0.16.3
# HashiCorp's HCL parser compiled to WebAssembly: checks the bake files.
readonly HCL2JSON_VERSION=0.21.0

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
  # tests/e2e: build images for real with a private dockerd (docker.io brings
  # containerd and runc) on a debootstrap base, and with buildah; build the
  # wheelhouse with /usr/bin/python3.
  # docker-registry: the loopback registry of the two-builder cache test;
  # python3-yaml reads the generated CI workflows.
  packages+=(docker.io debootstrap buildah docker-registry python3 python3-pip python3-setuptools
    python3-wheel python3-setuptools-whl python3-wheel-whl python3-yaml)
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
  hcl2json=$(node -p 'require(process.argv[1] + "/@cdktf/hcl2json/package.json").version' \
    "$(npm root -g)" 2>/dev/null || true)
  if [[ $hcl2json != "$HCL2JSON_VERSION" ]]; then
    echo "setup.sh: installing @cdktf/hcl2json@$HCL2JSON_VERSION (npm, global)" \
      "${hcl2json:+replacing $hcl2json}"
    as_root npm install -g --no-audit --no-fund --loglevel=error \
      "@cdktf/hcl2json@$HCL2JSON_VERSION" >/dev/null
  fi
fi

if ((${#missing[@]} == 0)); then
  echo "setup.sh: all $( ((with_tests)) && echo "build and test" || echo build) dependencies present"
fi
