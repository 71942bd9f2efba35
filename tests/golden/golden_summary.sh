#!/usr/bin/env bash
# golden_summary.sh SKILLSIM DIR: writes the summary of every golden run into DIR, each as
# NAME_summary.txt (3 replicates, seed 1, one thread), without the timing and memory lines and file paths:
#   jincheng_summary.txt       the Jincheng baseline (workers and targets)
#   jincheng_plan_summary.txt  the Jincheng plan (programmes, funds, evaluators, every target
#                              kind): pins the layout of every table of the summary
set -euo pipefail
skillsim=$1
dir=$2
golden() { # golden NAME SCENARIO
  local out="$dir/$1_summary.txt"
  "$skillsim" run "$2" --replicates 3 --seed 1 --threads 1 --force -o "$out.h5" |
    grep -v -e '^Simulated in' -e '^Memory: ' | sed -e "s|([^)]*$2.toml)|($2.toml)|" > "$out"
  rm -f "$out.h5"
}
golden jincheng jincheng_2020_2021
golden jincheng_plan jincheng_plan_2020_2021
