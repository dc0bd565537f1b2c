#!/usr/bin/env bash
# Times hostile inputs through the imageplan binary, with the default limits
# and a 256 KiB stack (ulimit -s), and prints wall time, peak RSS and the
# first line of what imageplan said (docs/performance.md, "Hostile input"):
# a FIFO and /dev/zero as the spec and as score's Dockerfile, a 200 MiB
# scalar, a 4 MiB string, 200,000 labels, 200,000 values, nesting 100,000
# deep, 100 aliases of a 5,000-step stage, and score over Dockerfiles of 20,000 and 200,000
# stages, each copying from the one before. Measurements, not assertions.
# usage: bench/hostile-input.sh [IMAGEPLAN]   (default build/tools/imageplan)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
imageplan=$(realpath "${1:-build/tools/imageplan}")
[[ -x $imageplan ]] || { echo "no imageplan at $imageplan; run scripts/build.sh" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imageplan-hostile.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

head_spec() { printf 'imageplan: 1\nname: x\nbase: {image: "python:3.12-slim"}\napp: {}\n'; }

mkfifo fifo.yaml fifo.Dockerfile
head_spec >spec.yaml
{ head_spec; printf 'labels: {a: "'; } >huge-scalar.yaml
truncate -s 200M huge-scalar.yaml
{ head_spec; printf 'labels: {a: "'; head -c 4100000 /dev/zero | tr '\0' x; printf '"}\n'; } >big-string.yaml
{ head_spec; printf 'labels:\n'; seq -f '  l%g: v' 1 200000; } >labels.yaml
{ head_spec; for i in $(seq 21); do printf 'x%d:\n' "$i"; seq -f '  - %g' 1 10000; done; } >values.yaml
{ head_spec; printf 'labels: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } >deep.yaml
{ # a stage of 5,000 steps, then 99 aliases of it
  head_spec
  printf 'stages:\n  - &stage\n    name: s\n    image: node\n    steps:\n'
  seq -f '      - {name: s%g, run: make}' 1 5000
  for _ in $(seq 99); do printf '  - *stage\n'; done
} >alias-bomb.yaml
chain() { # a Dockerfile of $1 stages, each copying from the one before
  printf 'FROM alpine:3.20 AS s0\nCOPY app/ /app/\n'
  seq 1 $(($1 - 1)) | awk '{ printf "FROM alpine:3.20 AS s%d\nCOPY --from=s%d /app /app\n", $1, $1 - 1 }'
}
chain 20000 >chain-20k.Dockerfile
chain 200000 >chain-200k.Dockerfile
git init -q . && git add spec.yaml && git -c user.name=b -c user.email=b@b commit -qm spec

# One measurement: label, then the command. Runs with a 256 KiB stack.
measure() {
  local label=$1 status
  shift
  status=0
  (ulimit -s 256 && /usr/bin/time -f '%e %U %S %M' -o time.txt "$@" >out.txt 2>err.txt) ||
    status=$?
  # time(1) puts "Command exited with non-zero status N" first.
  read -r seconds user system kib < <(tail -n 1 time.txt)
  printf '| %s | %s s | %s s | %.1f MiB | %s | %s |\n' "$label" "$seconds" \
    "$(bc -l <<<"$user + $system")" "$(bc -l <<<"$kib / 1024")" "$status" \
    "$(head -n 1 err.txt | cut -c1-90 | sed 's/|/\\|/g')"
}

echo "| input | wall time | CPU time | peak RSS | exit | first line of stderr |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
measure "spec is a FIFO" "$imageplan" check fifo.yaml
measure "spec is /dev/zero" "$imageplan" check /dev/zero
measure "200 MiB scalar (a 200 MiB spec)" "$imageplan" check huge-scalar.yaml
measure "4 MB string in a 4 MB spec" "$imageplan" check big-string.yaml
measure "200,000 labels (2.6 MB)" "$imageplan" check labels.yaml
measure "210,000 values" "$imageplan" check values.yaml
measure "100,000 levels of [" "$imageplan" check deep.yaml
measure "alias bomb (500,000 steps expanded)" "$imageplan" check alias-bomb.yaml
measure "score --dockerfile FIFO" "$imageplan" score spec.yaml --dockerfile fifo.Dockerfile
measure "score --dockerfile /dev/zero" "$imageplan" score spec.yaml --dockerfile /dev/zero
measure "score, 20,000-stage COPY --from chain" \
  "$imageplan" score spec.yaml --dockerfile chain-20k.Dockerfile --history 10
measure "score, 200,000-stage COPY --from chain ($(du -h chain-200k.Dockerfile | cut -f1))" \
  "$imageplan" score spec.yaml --dockerfile chain-200k.Dockerfile --history 10
