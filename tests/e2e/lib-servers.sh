# The e2e servers, sourced by lib.sh: the local package index and model hub
# (servers.py), their faults, and Debian's docker-registry on loopback, each
# started once as a ctest fixture (fixture.sh) and stopped after the last
# case. Sourced, never run.
# shellcheck shell=bash
# shellcheck disable=SC2154 # e2e_dir and the E2E_* paths are set by lib.sh

# Builds the local wheelhouse in $E2E_STATE/servers/wheelhouse, laid out as a
# "simple" index: every tests/e2e/packages/<name>/ with Debian's python3, as a
# source distribution when it has C sources (installing it compiles them),
# else as a wheel; plus Debian's setuptools and wheel wheels, which pip needs
# to build those sources.
e2e_wheelhouse() {
  local house=$E2E_STATE/servers/wheelhouse work=$E2E_STATE/servers/packages package name whl
  rm -rf "$house" "$work"
  mkdir -p "$house/simple" "$work"
  for package in "$e2e_dir"/packages/*/; do
    name=$(basename "$package")
    cp -R "$package" "$work/$name" # builds write into the source folder
    mkdir -p "$house/simple/$name"
    if [[ -n $(find "$work/$name" -name '*.c' -print -quit) ]]; then
      (cd "$work/$name" && "$E2E_PYTHON" setup.py -q sdist -d "$house/simple/$name") \
        >"$work/$name.log" 2>&1 || { cat "$work/$name.log" >&2; fail "sdist of $name failed"; }
    else
      "$E2E_PYTHON" -m pip wheel -q --no-build-isolation --no-deps --no-index \
        -w "$house/simple/$name" "$work/$name" >"$work/$name.log" 2>&1 ||
        { cat "$work/$name.log" >&2; fail "wheel of $name failed"; }
    fi
  done
  for name in setuptools wheel; do
    whl=$(find /usr/share/python-wheels -name "$name-*.whl" -print -quit)
    [[ -n $whl ]] || fail "no $name wheel in /usr/share/python-wheels; run 'scripts/setup.sh --test'"
    mkdir -p "$house/simple/$name"
    cp "$whl" "$house/simple/$name/"
  done
  rm -rf "$work"
}

# e2e_serve KIND ARGS...: starts tests/e2e/servers.py KIND in the background
# and waits for the port it listens on.
e2e_serve() {
  local kind=$1 dir=$E2E_STATE/servers i
  shift
  rm -f "$dir/$kind.port"
  setsid "$E2E_PYTHON" "$e2e_dir/servers.py" "$kind" --port-file "$dir/$kind.port" "$@" \
    </dev/null >"$dir/$kind.log" 2>&1 &
  echo "$!" >"$dir/$kind.pid"
  for ((i = 0; i < 100; i++)); do
    if [[ -s $dir/$kind.port ]]; then
      echo "e2e: $kind server on 127.0.0.1:$(<"$dir/$kind.port")"
      return 0
    fi
    e2e_live_pid "$dir/$kind.pid" >/dev/null || break
    sleep 0.1
  done
  cat "$dir/$kind.log" >&2
  fail "the $kind server did not start (log above)"
}

# Starts the package index (on a fresh wheelhouse) and the model hub, with a
# new random token for the hub's private repository.
e2e_servers_start() {
  e2e_servers_stop
  local dir=$E2E_STATE/servers
  e2e_wheelhouse
  (umask 077 && printf 'hf_e2e_%s\n' "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$dir/hf_token")
  e2e_serve index --root "$dir/wheelhouse"
  e2e_hub_copy "$dir/hub"
  e2e_serve hub --root "$dir/hub" --private e2e-org/tiny-model --private e2e-org/hub-model \
    --token-file "$dir/hf_token"
}

# Adds huggingface_hub and every wheel it needs to the running index's
# wheelhouse (debwheels.py: made from Debian packages, the sid .debs checked
# with gpgv and their SHA256, the bookworm ones installed on this host). The
# downloads are kept in $E2E_STATE/debian-wheels, like the base image tarball.
e2e_hub_wheels() {
  local dir=$E2E_STATE/debian-wheels
  mkdir -p "$dir"
  [[ -d $E2E_STATE/servers/wheelhouse/simple ]] || fail "no wheelhouse; run the e2e_servers fixture first"
  timeout --kill-after=10 600 "$E2E_PYTHON" "$e2e_dir/debwheels.py" --mirror "$(e2e_debian_mirror)" \
    --cache "$dir" --out "$E2E_STATE/servers/wheelhouse/simple" >"$dir/debwheels.log" 2>&1 ||
    { cat "$dir/debwheels.log" >&2; fail "making the huggingface_hub wheelhouse failed (log above)"; }
  grep -v ' -> simple/' "$dir/debwheels.log"
}

# e2e_hub_copy DIR: the hub's repositories (e2e/hub) in DIR, plus a weights
# file in LFS made now for each, of deterministic bytes, so no binary is
# committed and a download can be cut half-way: 3 MiB for tiny-model, 24 MiB
# for hub-model (a copy of tiny-model otherwise), whose cut falls after the
# first 10 MiB chunk huggingface_hub writes, so its resume has bytes to keep.
e2e_hub_copy() {
  rm -rf "$1"
  mkdir -p "$1"
  cp -R "$e2e_dir/hub/." "$1/"
  cp -R "$1/e2e-org/tiny-model" "$1/e2e-org/hub-model"
  "$E2E_PYTHON" - "$1/e2e-org/tiny-model/weights.bin" 3 "$1/e2e-org/hub-model/weights.bin" 24 <<'PY'
import hashlib, sys
for path, mib in zip(sys.argv[1::2], sys.argv[2::2]):
    out, block = bytearray(), b"imageplan"
    while len(out) < int(mib) * 1024 * 1024:
        block = hashlib.sha256(block).digest()
        out += block
    open(path, "wb").write(bytes(out))
PY
}

# The repositories the running hub serves.
e2e_hub_root() { printf '%s\n' "$E2E_STATE/servers/hub"; }

# e2e_hub_control JSON: sets the hub's faults (servers.py, POST /_control).
e2e_hub_control() {
  curl -sS -X POST --data "$1" "http://127.0.0.1:$(e2e_port hub)/_control" >/dev/null ||
    fail "cannot reach the hub's /_control"
}

# Starts Debian's docker-registry (distribution 2.8) on a free loopback port,
# its storage in the volatile folder. The private dockerd pushes to it over
# plain HTTP: Docker treats registries on 127.0.0.0/8 as insecure by default.
e2e_registry_start() {
  e2e_registry_stop
  local dir=$E2E_STATE/registry port i
  [[ -x /usr/bin/docker-registry ]] || fail "docker-registry is missing; run 'scripts/setup.sh --test'"
  mkdir -p "$dir" "$E2E_VOLATILE/registry"
  port=$(e2e_free_port)
  cat >"$dir/config.yml" <<CONFIG
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $E2E_VOLATILE/registry}
  delete: {enabled: true}
http: {addr: "127.0.0.1:$port"}
CONFIG
  setsid /usr/bin/docker-registry serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
  echo "$!" >"$dir/registry.pid"
  for ((i = 0; i < 100; i++)); do
    if curl -sf "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
      echo "$port" >"$dir/registry.port"
      echo "e2e: docker-registry on 127.0.0.1:$port"
      return 0
    fi
    e2e_live_pid "$dir/registry.pid" >/dev/null || break
    sleep 0.1
  done
  cat "$dir/registry.log" >&2
  fail "docker-registry did not start (log above)"
}

e2e_registry_stop() {
  e2e_stop_pid "$E2E_STATE/registry/registry.pid" "docker-registry"
  rm -f "$E2E_STATE/registry/registry.port"
}

# The port of the running registry, or a failure saying the fixture is missing.
e2e_registry_port() {
  local file=$E2E_STATE/registry/registry.port
  if ! e2e_live_pid "$E2E_STATE/registry/registry.pid" >/dev/null || [[ ! -s $file ]]; then
    fail "docker-registry is not running; run the e2e fixtures (ctest -L e2e) first"
  fi
  cat "$file"
}

e2e_servers_stop() {
  local kind
  for kind in index hub; do
    e2e_stop_pid "$E2E_STATE/servers/$kind.pid" "$kind server"
    rm -f "$E2E_STATE/servers/$kind.port"
  done
}

# The port a running server listens on, or a failure saying the fixture is missing.
e2e_port() {
  local file=$E2E_STATE/servers/$1.port
  if ! e2e_live_pid "$E2E_STATE/servers/$1.pid" >/dev/null || [[ ! -s $file ]]; then
    fail "the $1 server is not running; run the e2e fixtures (ctest -L e2e) first"
  fi
  cat "$file"
}

e2e_token_file() { printf '%s\n' "$E2E_STATE/servers/hf_token"; }

# A TCP port free on 127.0.0.1 right now.
e2e_free_port() {
  "$E2E_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
