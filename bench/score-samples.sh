#!/usr/bin/env bash
# Expected rebuild work of each sample's generated Dockerfile against the
# hand-written equivalent committed beside it (samples/<sample>/
# Dockerfile.handwritten), on a synthetic history: `imageplan score` replays
# it over both and this prints the Markdown table docs/performance.md records.
# The history is scripted with fixed dates, so the table is the same on every
# machine.
# usage: bench/score-samples.sh [IMAGEPLAN] [COMMITS]   (default build/tools/imageplan, 100)
# KEEP_SCRATCH=1 keeps the scripted repositories and each score report (the
# folder is named on stderr) to read the per-instruction breakdown.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
imageplan=${1:-$root/build/tools/imageplan}
commits=${2:-100}
if [[ ! -x $imageplan ]]; then
  echo "error: no imageplan at $imageplan; run scripts/build.sh first" >&2
  exit 1
fi
imageplan=$(cd "$(dirname "$imageplan")" && pwd -P)/$(basename "$imageplan")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imageplan-score.XXXXXX")
trap '[[ -n ${KEEP_SCRATCH:-} ]] && echo "kept $scratch" >&2 || rm -rf "$scratch"' EXIT

# What the synthetic history edits in each sample. app: source files, one of
# them in 9 commits out of 10; rare: dependency manifests, one every 20th
# commit; sometimes: other inputs, every 7th commit. README.md (outside every
# image) changes every 5th commit.
app=() rare=() sometimes=()
files_of() {
  rare=(requirements.txt)
  sometimes=()
  case $1 in
  deepseek-ocr) app=(app/main.py app/__init__.py) ;;
  flask-cpu) app=(service/__init__.py wsgi.py) ;;
  custom-steps)
    app=(app/__main__.py app/__init__.py)
    rare=(requirements.txt vocab.txt)
    sometimes=(native/resize.cpp)
    ;;
  multi-target)
    app=(api/server.py api/webui.py)
    rare=(requirements.txt frontend/package.json frontend/package-lock.json)
    sometimes=(frontend/src/index.html)
    ;;
  vendored-sources) app=(app/__main__.py app/__init__.py) ;;
  fastapi-react)
    app=(backend/main.py backend/__init__.py)
    rare=(requirements.txt web/package.json web/package-lock.json)
    sometimes=(web/src/main.jsx web/index.html)
    ;;
  *)
    echo "error: no synthetic history for sample '$1'; add it to files_of()" >&2
    exit 1
    ;;
  esac
}

# Appends a line to $1 that its language allows, naming commit $2.
edit() {
  case $1 in
  *.json) printf '\n' >>"$1" ;; # trailing whitespace keeps JSON valid
  *.cpp | *.c | *.h) echo "// change $2" >>"$1" ;;
  *.html) echo "<!-- change $2 -->" >>"$1" ;;
  *.js | *.jsx | *.ts | *.tsx) echo "// change $2" >>"$1" ;;
  *) echo "# change $2" >>"$1" ;;
  esac
}

g() {
  GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench \
    GIT_COMMITTER_EMAIL=bench@example.com GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
    GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git -c commit.gpgsign=false "$@"
}

# A repository holding the sample and $commits scripted commits after it.
make_repo() {
  local sample=$1 repo=$2 i
  cp -R "$root/samples/$sample" "$repo"
  echo "# $sample" >"$repo/README.md"
  git init -q "$repo" 2>/dev/null
  (
    cd "$repo"
    g add -A
    g commit -qm initial
    for ((i = 1; i <= commits; i++)); do
      if ((i % 10 != 0)); then edit "${app[i % ${#app[@]}]}" "$i"; fi
      if ((i % 20 == 0)); then edit "${rare[i / 20 % ${#rare[@]}]}" "$i"; fi
      if ((i % 7 == 0 && ${#sometimes[@]} > 0)); then
        edit "${sometimes[i / 7 % ${#sometimes[@]}]}" "$i"
      fi
      if ((i % 5 == 0)); then edit README.md "$i"; fi
      g add -A
      g commit -q --allow-empty -m "change $i"
    done
  )
}

# The number on the summary line labelled $1 of the score in file $2.
summary() {
  sed -n '/^Expected rebuild seconds per commit$/,$p' "$2" |
    awk -v label="$1" 'index($0, "  " label) == 1 { print $NF }'
}

echo "| sample | generated, s/commit | hand-written, s/commit | lower bound, s/commit | hand-written / generated |"
echo "| --- | ---: | ---: | ---: | ---: |"
for dir in "$root"/samples/*/; do
  sample=$(basename "$dir")
  [[ -f $dir/imageplan.yaml && -f $dir/Dockerfile.handwritten ]] || continue
  files_of "$sample"
  repo=$scratch/$sample
  make_repo "$sample" "$repo"
  (cd "$repo" && "$imageplan" score imageplan.yaml --dockerfile Dockerfile.handwritten \
    --history "$commits") >"$scratch/$sample.txt"
  echo "| $sample | $(summary 'generated from imageplan.yaml  ' "$scratch/$sample.txt") |" \
    "$(summary 'Dockerfile.handwritten  ' "$scratch/$sample.txt") |" \
    "$(summary 'lower bound  ' "$scratch/$sample.txt") |" \
    "$(summary 'Dockerfile.handwritten / generated:' "$scratch/$sample.txt") |"
done
