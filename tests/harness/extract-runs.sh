#!/usr/bin/env bash
# Extracts the shell text of every shell-form RUN in a Dockerfile into its own
# script, as the engine would run it: `\`-continued lines joined (comment lines
# inside them dropped), RUN flags such as --mount=... removed. Exec-form RUNs
# (`RUN [...]`) run no shell and are skipped. Each script gets the shebang of
# the shell its stage runs RUN with: /bin/sh (Docker's default) unless a SHELL
# instruction chose bash; a stage built FROM another stage inherits its SHELL.
# Prints one line per script: "<script path> <sh|bash> <Dockerfile line>".
# usage: extract-runs.sh DOCKERFILE OUT_DIR
set -euo pipefail

dockerfile=$1
out_dir=$2
mkdir -p "$out_dir"

declare -A stage_shell=() # stage name -> shell dialect
current_shell="sh"
count=0

# Handles one complete (joined) instruction that started on line $2.
instruction() {
  local text=$1 line=$2 rest
  if [[ $text =~ ^[[:space:]]*[Ff][Rr][Oo][Mm][[:space:]]+(.*)$ ]]; then
    rest=${BASH_REMATCH[1]}
    while [[ $rest =~ ^--[^[:space:]]+[[:space:]]+(.*)$ ]]; do rest=${BASH_REMATCH[1]}; done
    local from=${rest%%[[:space:]]*}
    current_shell=${stage_shell[$from]:-sh}
    if [[ $rest =~ [[:space:]][Aa][Ss][[:space:]]+([^[:space:]]+) ]]; then
      stage_name=${BASH_REMATCH[1]}
    else
      stage_name=""
    fi
    [[ -z $stage_name ]] || stage_shell[$stage_name]=$current_shell
    return
  fi
  if [[ $text =~ ^[[:space:]]*[Ss][Hh][Ee][Ll][Ll][[:space:]]+(.*)$ ]]; then
    if [[ ${BASH_REMATCH[1]} =~ ^\[[[:space:]]*\"([^\"]*)\" ]] && [[ ${BASH_REMATCH[1]##*/} == bash ]]; then
      current_shell=bash
    else
      current_shell="sh"
    fi
    [[ -z ${stage_name:-} ]] || stage_shell[$stage_name]=$current_shell
    return
  fi
  [[ $text =~ ^[[:space:]]*[Rr][Uu][Nn][[:space:]]+(.*)$ ]] || return 0
  rest=${BASH_REMATCH[1]}
  while [[ $rest =~ ^--[A-Za-z-]+(=[^[:space:]]*)?[[:space:]]+(.*)$ ]]; do
    rest=${BASH_REMATCH[2]}
  done
  [[ $rest == \[* ]] && return 0 # exec form: no shell
  count=$((count + 1))
  local script
  script=$(printf '%s/run-%03d.sh' "$out_dir" "$count")
  {
    printf '#!/bin/%s\n' "$current_shell"
    printf '# RUN from %s line %s\n' "${dockerfile##*/}" "$line"
    printf '%s\n' "$rest"
  } >"$script"
  printf '%s %s %s\n' "$script" "$current_shell" "$line"
}

pending=""
pending_line=0
line_number=0
while IFS= read -r line || [[ -n $line ]]; do
  line_number=$((line_number + 1))
  if [[ -n $pending ]]; then
    # Inside a continued instruction the engine drops comment and blank lines.
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    pending+=$line
  else
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    pending=$line
    pending_line=$line_number
  fi
  if [[ $pending =~ ^(.*)\\[[:space:]]*$ ]]; then
    pending=${BASH_REMATCH[1]}
    continue
  fi
  instruction "$pending" "$pending_line"
  pending=""
done <"$dockerfile"
[[ -z $pending ]] || instruction "$pending" "$pending_line"
