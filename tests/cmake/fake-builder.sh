#!/bin/bash
# Stands in for docker, podman or buildah (its file name says which) in
# cmake-package.sh, so that the image build command can be checked without a
# daemon. It answers the probes add_container_image() makes at configure time
# as the marker files beside it say: `buildx` (docker buildx works) and
# `no-buildkit` (the CLI refuses DOCKER_BUILDKIT=1, like a newer docker without
# buildx). A build writes its arguments and DOCKER_BUILDKIT to <name>.log
# beside it, and the build context's file list to <name>.context.
# Probes run with PATH set to the fake's folder alone: they use builtins only.
set -euo pipefail
here=${0%/*}
name=${0##*/}

if [[ $name == docker && $* == "buildx version" ]]; then
  if [[ -e $here/buildx ]]; then
    echo "github.com/docker/buildx v0.0.0 fake"
    exit 0
  fi
  echo "docker: 'buildx' is not a docker command." >&2
  exit 1
fi
if [[ $* == "build --help" ]]; then
  if [[ -e $here/no-buildkit && ${DOCKER_BUILDKIT:-} == 1 ]]; then
    echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2
    exit 1
  fi
  echo "Usage: $name build [OPTIONS] PATH"
  exit 0
fi

context=${!#}
dockerfile=""
previous=""
for arg in "$@"; do
  [[ $previous == --file ]] && dockerfile=$arg
  previous=$arg
done
{
  printf 'DOCKER_BUILDKIT=%s\n' "${DOCKER_BUILDKIT-<unset>}"
  printf 'arg: %s\n' "$@"
  if [[ -f $dockerfile ]]; then echo "the --file Dockerfile exists"; fi
  if [[ -f $dockerfile.dockerignore ]]; then echo "its .dockerignore exists beside it"; fi
} >"$here/$name.log"
(cd "$context" && find . -type f | LC_ALL=C sort) >"$here/$name.context"
