# The loopback registry of the end-to-end tests (Debian's docker-registry):
# the two-builder cache tests push to it and pull from it. Part of lib.sh,
# which sources it; never run.
# shellcheck shell=bash

# Starts Debian's docker-registry (the distribution registry, 2.8) on a free
# loopback port, storing into $E2E_VOLATILE/registry: Docker trusts registries
# on 127.0.0.0/8 over plain HTTP. The port is the one it reports listening on.
e2e_registry_start() {
  e2e_registry_stop
  local dir=$E2E_STATE/registry storage=$E2E_VOLATILE/registry port i
  [[ -x /usr/bin/docker-registry ]] || fail "/usr/bin/docker-registry is missing; run 'scripts/setup.sh --test'"
  e2e_volatile_mount
  rm -rf "$storage"
  mkdir -p "$dir" "$storage"
  cat >"$dir/config.yml" <<CONF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
CONF
  setsid /usr/bin/docker-registry serve "$dir/config.yml" </dev/null >"$dir/registry.log" 2>&1 &
  echo "$!" >"$dir/registry.pid"
  for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$dir/registry.log" | head -n 1)
    if [[ -n $port ]]; then
      echo "$port" >"$dir/registry.port"
      echo "e2e: docker-registry on 127.0.0.1:$port (storage $storage)"
      return 0
    fi
    e2e_live_pid "$dir/registry.pid" >/dev/null || break
    sleep 0.1
  done
  cat "$dir/registry.log" >&2
  fail "docker-registry did not start (log above)"
}

e2e_registry_stop() {
  e2e_stop_pid "$E2E_STATE/registry/registry.pid" docker-registry
  rm -f "$E2E_STATE/registry/registry.port"
  rm -rf "$E2E_VOLATILE/registry"
}

# The registry's address, 127.0.0.1:PORT, or a failure saying the fixture is missing.
e2e_registry() {
  local file=$E2E_STATE/registry/registry.port
  if ! e2e_live_pid "$E2E_STATE/registry/registry.pid" >/dev/null || [[ ! -s $file ]]; then
    fail "the registry is not running; run the e2e fixtures (ctest -L e2e) first"
  fi
  printf '127.0.0.1:%s\n' "$(<"$file")"
}
