# Helpers shared by the end-to-end tests (tests/e2e/*.sh) and the comparison
# benchmark (bench/compare-handwritten.sh): a private dockerd, the local Debian
# base image, the local package index and model hub, builds, and reading
# BuildKit's --progress=plain output. The base image is made in base-image.sh,
# the servers (package index, model hub, registry) are in lib-servers.sh, both
# sourced from here. Sourced, never run.
# shellcheck shell=bash

e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../harness/common.sh
source "$e2e_dir/../harness/common.sh"
# shellcheck source=base-image.sh
source "$e2e_dir/base-image.sh"

# Debian's docker.io (20.10, BuildKit built in): the docker first on PATH may
# be another CLI that refuses BuildKit builds without buildx.
readonly E2E_DOCKER=/usr/bin/docker
# Debian's python3 builds the wheels and runs the servers, not a pyenv one.
readonly E2E_PYTHON=/usr/bin/python3
# What the specs and hand-written Dockerfiles name as their base; made here
# with debootstrap since no registry is reachable.
readonly E2E_BASE_IMAGE=debian:bookworm-slim
readonly E2E_SUITE=bookworm
# Seconds any one build may take before it counts as hung.
readonly E2E_BUILD_TIMEOUT=${E2E_BUILD_TIMEOUT:-600}

# e2e_init STATE_DIR: sets the paths every helper uses. STATE_DIR holds what
# lasts between runs (the base image tarball) and each run's logs; what a run
# builds (daemon data, buildah storage, scratch) goes to STATE_DIR/volatile, a
# tmpfs when there is memory to spare (see e2e_volatile_mount). Sockets live
# in a short folder under /tmp named after STATE_DIR, since a unix socket path
# may not exceed 107 bytes.
e2e_init() {
  mkdir -p "$1"
  E2E_STATE=$(cd "$1" && pwd -P)
  E2E_VOLATILE=$E2E_STATE/volatile
  local key
  key=$(printf '%s' "$E2E_STATE" | cksum | cut -d' ' -f1)
  E2E_RUN=${TMPDIR:-/tmp}/imageplan-e2e-$key
  E2E_SOCK=$E2E_RUN/docker.sock
  mkdir -p "$E2E_RUN" "$E2E_STATE/docker" "$E2E_STATE/base" "$E2E_STATE/servers"
}

# Makes $E2E_VOLATILE: a tmpfs when at least 8 GiB of memory are available
# (removing a run's layers from disk can take a minute on VMs whose disks
# discard on delete; unmounting a tmpfs takes none), else a plain folder.
# Keeps one that is already mounted.
e2e_volatile_mount() {
  local available
  mkdir -p "$E2E_VOLATILE"
  mountpoint -q "$E2E_VOLATILE" && return 0
  available=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
  if ((available >= 8)) && mount -t tmpfs -o size=50%,mode=0755 imageplan-e2e "$E2E_VOLATILE"; then
    echo "e2e: $E2E_VOLATILE is a tmpfs (${available} GiB of memory available)"
  else
    echo "e2e: $E2E_VOLATILE is on disk (${available} GiB of memory available)"
  fi
}

# Removes $E2E_VOLATILE and everything mounted in it.
e2e_volatile_release() {
  e2e_unmount_under "$E2E_VOLATILE"
  if mountpoint -q "$E2E_VOLATILE"; then umount "$E2E_VOLATILE" || umount -l "$E2E_VOLATILE"; fi
  rm -rf "$E2E_VOLATILE"
}

# The docker CLI, talking to the private daemon of the e2e fixture (or the
# one E2E_DAEMON names).
e2e_docker() { e2e_docker_on "${E2E_DAEMON:-}" "$@"; }

e2e_require_tools() {
  local tool
  ((EUID == 0)) || fail "the e2e tests start a dockerd, mount a tmpfs and run debootstrap: run them as root"
  for tool in "$E2E_DOCKER" /usr/sbin/dockerd /usr/sbin/debootstrap "$E2E_PYTHON"; do
    [[ -x $tool ]] || fail "$tool is missing; run 'scripts/setup.sh --test'"
  done
}

# Prints the pid in FILE when that process is alive.
e2e_live_pid() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

# e2e_stop_pid FILE [NAME]: stops the process whose pid FILE holds (TERM, then
# KILL after 20 s) and removes FILE.
e2e_stop_pid() {
  local file=$1 name=${2:-process} pid i
  if pid=$(e2e_live_pid "$file"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "e2e: $name ($pid) ignored TERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# Unmounts whatever a killed daemon left mounted under a folder.
e2e_unmount_under() {
  local target
  findmnt -rn -o TARGET | awk -v root="$1" 'index($0, root "/") == 1' | LC_ALL=C sort -r |
    while IFS= read -r target; do umount -l "$target" 2>/dev/null || true; done
}

# The paths of the private daemon NAME: "" for the one the e2e fixture
# starts, another name ("b") for a second one, as a new CI runner would be:
# its socket, data root, exec root, pid file, log and containerd namespace.
e2e_daemon_sock() { printf '%s\n' "$E2E_RUN/docker${1:+-$1}.sock"; }
e2e_daemon_data() { printf '%s\n' "$E2E_VOLATILE/docker${1:+-$1}"; }
e2e_daemon_exec() { printf '%s\n' "$E2E_RUN/exec${1:+-$1}"; }
e2e_daemon_pidfile() { printf '%s\n' "$E2E_STATE/docker/dockerd${1:+-$1}.pid"; }

# The docker CLI, talking to the private daemon NAME.
e2e_docker_on() {
  local sock
  sock=$(e2e_daemon_sock "$1")
  shift
  DOCKER_HOST=unix://$sock DOCKER_BUILDKIT=1 "$E2E_DOCKER" "$@"
}

# e2e_dockerd_start [NAME]: starts a private dockerd on a fresh data root (so
# every run builds cold and reads no layer of an earlier one), stopping one
# left by an interrupted run. Its own containerd namespaces keep it apart
# from a system dockerd, and from the other private daemon, should they
# share a system containerd.
e2e_dockerd_start() {
  local name=${1:-}
  e2e_dockerd_stop "$name"
  e2e_volatile_mount
  local data exec pidfile sock log=$E2E_STATE/docker/dockerd${name:+-$name}.log i
  data=$(e2e_daemon_data "$name") exec=$(e2e_daemon_exec "$name")
  pidfile=$(e2e_daemon_pidfile "$name") sock=$(e2e_daemon_sock "$name")
  e2e_unmount_under "$data"
  rm -rf "$data"
  mkdir -p "$data"
  setsid /usr/sbin/dockerd --data-root "$data" --exec-root "$exec" \
    --pidfile "$pidfile" -H "unix://$sock" \
    --storage-driver=overlay2 --iptables=false --ip6tables=false --bridge=none --ip-masq=false \
    --containerd-namespace="imageplan-e2e${name:+-$name}" \
    --containerd-plugins-namespace="imageplan-e2e${name:+-$name}-plugins" \
    </dev/null >"$log" 2>&1 &
  local pid=$!
  for ((i = 0; i < 300; i++)); do
    if e2e_docker_on "$name" version >/dev/null 2>&1; then
      echo "e2e: dockerd up on $sock (data root $data)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 30 "$log" >&2
  fail "dockerd did not answer on $sock (log above: $log)"
}

# e2e_dockerd_stop [NAME]: stops the private dockerd, and the containerd it
# started if it outlived it.
e2e_dockerd_stop() {
  local name=${1:-} sock exec pidfile
  sock=$(e2e_daemon_sock "$name") exec=$(e2e_daemon_exec "$name")
  pidfile=$(e2e_daemon_pidfile "$name")
  if e2e_live_pid "$pidfile" >/dev/null; then
    e2e_docker_on "$name" ps -aq 2>/dev/null | xargs -r timeout 30 env DOCKER_HOST="unix://$sock" \
      "$E2E_DOCKER" rm -f >/dev/null 2>&1 || true
  fi
  e2e_stop_pid "$pidfile" "dockerd${name:+ $name}"
  e2e_stop_pid "$exec/containerd/containerd.pid" containerd
  e2e_unmount_under "$exec"
  rm -rf "$exec"
  e2e_unmount_under "$(e2e_daemon_data "$name")"
  # A second daemon's data goes with it; the fixture's stays for a look.
  [[ -z $name ]] || rm -rf "$(e2e_daemon_data "$name")"
}

# e2e_steps DOCKERFILE PROGRESS_LOG: one line per build step (every RUN, COPY,
# ADD and WORKDIR, the instructions BuildKit numbers after FROM), tab-separated:
#   stage  number  status  kinds  what
# status is CACHED or RAN as BuildKit's --progress=plain output reports it
# (MISSING when the step is not in the log); kinds says what the instruction
# does, from its text: apt (apt-get install), pip (pip install or pip wheel),
# model (downloads a model or copies one from a model stage), app (copies
# context files), joined by commas, or -; `what` is the generated Dockerfile's
# "# <what> (changes ...)" comment above the step or the group of steps it
# belongs to (- if none).
# BuildKit names a step "[<stage> <n>/<total>]", FROM being 1 (a FROM of an
# earlier stage, or of a stage a build argument names, is no step: its first
# instruction is 1); an unnamed single stage shows as "[<n>/<total>]" and is
# "-" here.
e2e_steps() {
  awk '
    function flush(text,   word, name, from) {
      word = toupper(text); sub(/[[:space:]].*/, "", word)
      if (word == "FROM") {
        name = "-"
        if (match(text, /[[:space:]][Aa][Ss][[:space:]]+[^[:space:]]+/)) {
          name = substr(text, RSTART, RLENGTH); sub(/^[[:space:]]+[Aa][Ss][[:space:]]+/, "", name)
        }
        from = text; sub(/^[^[:space:]]+[[:space:]]+/, "", from)
        while (from ~ /^--/) sub(/^[^[:space:]]+[[:space:]]+/, "", from)
        sub(/[[:space:]].*/, "", from)
        stage = name; count[stage] = (from in named || from ~ /\$/) ? 0 : 1; what = "-"
        named[name] = 1
        return
      }
      if (word == "RUN" || word == "COPY" || word == "ADD" || word == "WORKDIR") {
        n = ++count[stage]
        steps++; step_stage[steps] = stage; step_number[steps] = n
        kinds = ""
        if (text ~ /apt-get( -[^ ]+)* install/) kinds = kinds ",apt"
        if (text ~ /pip (install|wheel)/) kinds = kinds ",pip"
        if (text ~ /--from=model-|IMAGEPLAN_MODEL_REPO|download_model/) kinds = kinds ",model"
        if (word == "COPY" && text !~ /--from=/ || word == "ADD") kinds = kinds ",app"
        step_kinds[steps] = kinds == "" ? "-" : substr(kinds, 2)
        step_what[steps] = what
      }
    }
    FNR == NR {
      line = $0
      if (pending != "") {
        if (line ~ /^[[:space:]]*(#.*)?$/) next
        pending = pending " " line
      } else {
        if (line ~ /^#.*\(changes [^()]*\)$/) {
          what = line; sub(/^#[[:space:]]*/, "", what); sub(/[[:space:]]*\(changes [^()]*\)$/, "", what)
          next
        }
        if (line ~ /^[[:space:]]*(#.*)?$/) next
        pending = line
      }
      if (pending ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", pending); next }
      flush(pending); pending = ""
      next
    }
    match($0, /^#[0-9]+ \[[^]]*[0-9]+\/[0-9]+\] /) {
      id = $1; head = substr($0, RSTART, RLENGTH)
      sub(/^#[0-9]+ \[/, "", head); sub(/\/[0-9]+\] $/, "", head)
      name = "-"
      # BuildKit pads the number ("[runtime  2/10]") when the total has more digits.
      if (head ~ / /) { name = head; sub(/ +[0-9]+$/, "", name); sub(/^.* /, "", head) }
      vertex[name SUBSEP head] = id
      next
    }
    $2 == "CACHED" { cached[$1] = 1; next }
    $2 == "DONE" { done[$1] = 1; next }
    END {
      for (i = 1; i <= steps; i++) {
        key = step_stage[i] SUBSEP step_number[i]
        status = "MISSING"
        if (key in vertex) status = (vertex[key] in cached) ? "CACHED" : "RAN"
        printf "%s\t%d\t%s\t%s\t%s\n", step_stage[i], step_number[i], status, step_kinds[i], step_what[i]
      }
    }' "$1" "$2"
}

# e2e_prepare_case IMAGEPLAN CASE_DIR WORK DIALECT: makes two copies of the
# case's project in WORK: gen/ with the Dockerfile and .dockerignore imageplan
# generates from its spec (in DIALECT), and hand/ with Dockerfile.handwritten
# as its Dockerfile and no .dockerignore. The spec's local addresses (index
# 127.0.0.1:3141, app port 8000) become the ports of this run.
e2e_prepare_case() {
  local imageplan=$1 case_dir=$2 work=$3 dialect=$4 index_port app_port
  index_port=$(e2e_port index)
  app_port=${E2E_APP_PORT:-8000}
  rm -rf "$work"
  mkdir -p "$work"
  cp -R "$case_dir" "$work/gen"
  cp -R "$case_dir" "$work/hand"
  rm "$work/gen/Dockerfile.handwritten" "$work/hand/imageplan.yaml"
  mv "$work/hand/Dockerfile.handwritten" "$work/hand/Dockerfile"
  sed -i -e "s/127\\.0\\.0\\.1:3141/127.0.0.1:$index_port/g" -e "s/\\b8000\\b/$app_port/g" \
    "$work/gen/imageplan.yaml" "$work/hand/Dockerfile"
  (cd "$work/gen" && "$imageplan" gen imageplan.yaml --dialect "$dialect" \
    --emit dockerfile --emit dockerignore --output-dir .) || fail "imageplan gen failed for $case_dir"
}

# e2e_build CONTEXT TAG LOG [DOCKER_BUILD_ARGS...]: builds CONTEXT/Dockerfile
# with the private daemon (E2E_DAEMON names another one) under a timeout,
# --progress=plain into LOG, with
# what every case needs: host network (the index and the hub are on
# loopback), the hub endpoint, the index for hand-written pip installs, and
# the hub token as a build secret. Sets E2E_SECONDS to the wall time.
e2e_build() {
  local context=$1 tag=$2 log=$3 start end rc=0 sock
  shift 3
  sock=$(e2e_daemon_sock "${E2E_DAEMON:-}")
  start=$(date +%s.%N)
  timeout --kill-after=10 "$E2E_BUILD_TIMEOUT" \
    env DOCKER_HOST="unix://$sock" DOCKER_BUILDKIT=1 "$E2E_DOCKER" build \
    --progress=plain --network=host \
    --build-arg "HF_ENDPOINT=http://127.0.0.1:$(e2e_port hub)" \
    --build-arg "PIP_INDEX_URL=http://127.0.0.1:$(e2e_port index)/simple/" \
    --secret "id=hf_token,src=$(e2e_token_file)" \
    -t "$tag" "$@" "$context" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  # shellcheck disable=SC2034 # read by the callers
  E2E_SECONDS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  if ((rc != 0)); then
    tail -n 60 "$log" >&2
    fail "docker build of $context exited with $rc$( ((rc == 124)) && echo " (timed out after ${E2E_BUILD_TIMEOUT}s)") (log: $log)"
  fi
}

e2e_image_size() { e2e_docker image inspect -f '{{.Size}}' "$1"; }
e2e_layer_count() { e2e_docker image inspect -f '{{len .RootFS.Layers}}' "$1"; }

# The bytes of the build context BuildKit sends for CONTEXT, after its
# .dockerignore if it has one: measured by the daemon itself, as the size of
# a scratch image holding a copy of the context.
e2e_context_bytes() {
  local tag=imageplan-e2e-context:measure
  printf 'FROM scratch\nCOPY . /context/\n' |
    timeout --kill-after=10 120 env DOCKER_HOST="unix://$E2E_SOCK" DOCKER_BUILDKIT=1 \
      "$E2E_DOCKER" build -q -f - -t "$tag" "$1" >/dev/null || fail "measuring the context of $1 failed"
  e2e_image_size "$tag"
  e2e_docker image rm "$tag" >/dev/null
}

# e2e_wait_healthy CONTAINER SECONDS: waits until the container's HEALTHCHECK
# reports healthy; fails (with the health log) on unhealthy, exit or timeout.
e2e_wait_healthy() {
  local container=$1 seconds=$2 status i
  for ((i = 0; i < seconds * 2; i++)); do
    status=$(e2e_docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' \
      "$container")
    case $status in
    "running healthy") return 0 ;;
    *" none") fail "container $container has no HEALTHCHECK" ;;
    *" unhealthy" | exited* | dead*)
      break
      ;;
    esac
    sleep 0.5
  done
  e2e_docker inspect -f '{{json .State}}' "$container" >&2 || true
  e2e_docker logs "$container" >&2 || true
  fail "container $container did not turn healthy within ${seconds}s (state: $status)"
}

# e2e_scan_for_secret IMAGE SECRET_FILE SCRATCH: fails if the secret's text is
# anywhere in the image: its configuration (ENV, labels, history), and every
# file of `docker save`, tar archives inside it extracted, nested ones too.
e2e_scan_for_secret() {
  local image=$1 secret scratch=$3 config history found count
  secret=$(<"$2")
  [[ ${#secret} -ge 16 ]] || fail "the secret in $2 is too short to search for"
  # Captured first: grep -q in a pipeline could end it early under pipefail.
  config=$(e2e_docker image inspect "$image") || fail "docker image inspect $image failed"
  history=$(e2e_docker history --no-trunc --format '{{.CreatedBy}} {{.Comment}}' "$image") ||
    fail "docker history $image failed"
  [[ $config != *"$secret"* ]] ||
    fail "the secret is in the configuration of $image (docker image inspect: ENV, labels or command)"
  [[ $history != *"$secret"* ]] || fail "the secret is in the history of $image"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  e2e_docker save -o "$scratch/image.tar" "$image" || fail "docker save $image failed"
  found=$(e2e_files_holding "$secret" "$scratch/image.tar" "$scratch/image")
  if [[ -n $found ]]; then
    printf '%s\n' "$found" >&2
    fail "the secret is in the saved image $image, in the files above"
  fi
  count=$(find "$scratch/image" -type f | wc -l)
  echo "ok: the secret is in no ENV, label or history entry of $image, nor in any of the $count files of its saved layers"
}

# e2e_files_holding TEXT ARCHIVE DIR: extracts the tar ARCHIVE into DIR,
# then every tar archive in it (layers, and tarballs inside layers) into a
# folder beside it, to a depth of four, and prints every file, the archives
# included, that holds TEXT.
e2e_files_holding() {
  local text=$1 archive=$2 dir=$3 depth file
  mkdir -p "$dir"
  tar -xf "$archive" -C "$dir" 2>/dev/null || fail "cannot extract $archive"
  for ((depth = 0; depth < 4; depth++)); do
    local extracted=0
    while IFS= read -r -d '' file; do
      [[ -e $file.x ]] && continue
      if tar -tf "$file" >/dev/null 2>&1; then
        mkdir "$file.x"
        tar -xf "$file" -C "$file.x" 2>/dev/null || true
        extracted=1
      fi
    done < <(find "$dir" -type f \( -name '*.tar' -o -name '*.tar.gz' -o -name '*.tgz' \) -print0)
    ((extracted)) || break
  done
  grep -rlaF -- "$text" "$archive" "$dir" || true
}

# shellcheck source=lib-servers.sh
source "$e2e_dir/lib-servers.sh"
