#!/usr/bin/env bash
# golden_summary.sh SKILLSIM OUT: the summary of the golden run (the bundled Jincheng scenario,
# 3 replicates, seed 1, one thread), without the timing line and file paths.
set -euo pipefail
skillsim=$1
out=$2
"$skillsim" run jincheng_2020_2021 --replicates 3 --seed 1 --threads 1 --force -o "$out.h5" |
  grep -v '^Simulated in' | sed -e 's|([^)]*jincheng_2020_2021.toml)|(jincheng_2020_2021.toml)|' > "$out"
