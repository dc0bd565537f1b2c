#!/usr/bin/env bash
# Determinism test of one case folder: generating twice, the second time from
# another working directory with an absolute spec path, --context, and another
# time zone, locale, SOURCE_DATE_EPOCH and HOME, must give the same bytes; and
# the output must hold no path of this machine and no timestamp.
# usage: determinism.sh IMAGEPLAN CASE_DIR REPO_ROOT
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

imageplan=$1
case_dir=$(cd "$2" && pwd -P)
repo_root=$(cd "$3" && pwd -P)
make_scratch_dir
scratch=$(cd "$scratch" && pwd -P)
mkdir "$scratch/first" "$scratch/second" "$scratch/elsewhere" "$scratch/home"

# Every backend, each written to its own file.
list_backends "$imageplan"
emit=()
for backend in "${backends[@]}"; do emit+=(--emit "$backend"); done

(cd "$case_dir" &&
  env -u SOURCE_DATE_EPOCH TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    "$imageplan" gen imageplan.yaml "${emit[@]}" --output-dir "$scratch/first") ||
  fail "first generation failed"

(cd "$scratch/elsewhere" &&
  env TZ=Pacific/Kiritimati LANG=tr_TR.UTF-8 LC_ALL=tr_TR.UTF-8 SOURCE_DATE_EPOCH=1234567890 \
    HOME="$scratch/home" \
    "$imageplan" gen "$case_dir/imageplan.yaml" --context "$case_dir" "${emit[@]}" \
    --output-dir "$scratch/second") ||
  fail "second generation (absolute spec path, --context, other environment) failed"

status=0
first_files=$(cd "$scratch/first" && find . -type f | LC_ALL=C sort)
second_files=$(cd "$scratch/second" && find . -type f | LC_ALL=C sort)
if [[ $first_files != "$second_files" ]]; then
  echo "FAIL: the two runs wrote different files:" >&2
  echo "first: $first_files" >&2
  echo "second: $second_files" >&2
  status=1
fi
[[ -n $first_files ]] || fail "the generation wrote no file"

# Strings that must never reach generated text: this machine's paths, and
# anything shaped like a date or a time of day.
forbidden_paths=("$repo_root" "$case_dir" "$scratch" "${TMPDIR:-/tmp}/imageplan-test.")
date_pattern='(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]|[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'

while IFS= read -r file; do
  file=${file#./}
  if ! cmp -s "$scratch/first/$file" "$scratch/second/$file"; then
    echo "FAIL: $file differs between the two runs:" >&2
    show_diff "$scratch/first/$file" "$scratch/second/$file" "first/$file" "second/$file" >&2
    status=1
  fi
  for run in first second; do
    for path in "${forbidden_paths[@]}"; do
      if grep -nF -- "$path" "$scratch/$run/$file" >&2; then
        echo "FAIL: $run/$file contains the machine path '$path' (lines above)" >&2
        status=1
      fi
    done
    if grep -nE -- "$date_pattern" "$scratch/$run/$file" >&2; then
      echo "FAIL: $run/$file contains a date or time (lines above)" >&2
      status=1
    fi
  done
  if ((status == 0)); then echo "ok: $file is identical in both runs and machine-independent"; fi
done <<<"$first_files"
exit "$status"
