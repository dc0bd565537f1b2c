#!/usr/bin/env bash
# The end-to-end tests' fixtures (ctest FIXTURES_SETUP/CLEANUP, see
# CMakeLists.txt), each a subcommand:
#   volatile-mount  STATE_DIR/volatile, where a run's images and buildah
#                   storage go: a tmpfs when memory allows (lib.sh)
#   volatile-release  unmounts and removes it, after stopping what uses it
#   dockerd-start   a private dockerd on a fresh data root in it
#   dockerd-stop    stops it (by pid), and everything it runs
#   base-image      debian:bookworm-slim in it, from a debootstrap rootfs
#                   kept in STATE_DIR (made once)
#   servers-start   the local package index (wheelhouse built now) and the
#                   fake model hub, each on a free port, with a new token
#   servers-stop    stops both (by pid)
#   hub-wheels      adds huggingface_hub and its dependencies, as wheels made
#                   from Debian packages (debwheels.py), to the index's wheelhouse
#   registry-start  Debian's docker-registry on a free loopback port
#   registry-stop   stops it (by pid)
# usage: fixture.sh STATE_DIR SUBCOMMAND
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# == 2 ]] || fail "usage: fixture.sh STATE_DIR volatile-mount|volatile-release|dockerd-start|dockerd-stop|base-image|servers-start|servers-stop|hub-wheels|registry-start|registry-stop"
e2e_init "$1"
case $2 in
volatile-mount)
  e2e_dockerd_stop "" # one left by an interrupted run
  e2e_volatile_release
  e2e_volatile_mount
  ;;
volatile-release)
  e2e_dockerd_stop ""
  e2e_volatile_release
  ;;
dockerd-start)
  e2e_require_tools
  e2e_dockerd_start ""
  ;;
dockerd-stop) e2e_dockerd_stop "" ;;
base-image)
  e2e_require_tools
  e2e_base_image
  ;;
servers-start)
  e2e_require_tools
  e2e_servers_start
  ;;
servers-stop) e2e_servers_stop ;;
hub-wheels) e2e_hub_wheels ;;
registry-start) e2e_registry_start ;;
registry-stop) e2e_registry_stop ;;
*) fail "unknown subcommand '$2'" ;;
esac
