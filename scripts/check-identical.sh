#!/usr/bin/env bash
# Runs every bundled scenario (and a few finer or longer variants) into OUTDIR with fixed seeds;
# with REFDIR, compares each results file bit for bit with the one of the same name there
# (scripts/compare-results.py). For refactorings: run it on the commit before into REFDIR, then
# on the change into OUTDIR. SKILLSIM names the binary (default build/bin/skillsim). The runs are
# short, so few agents die; the "dying" run (a tenth a year) compacts the dead every few months.
#   bash scripts/check-identical.sh /tmp/before
#   bash scripts/check-identical.sh /tmp/after /tmp/before
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: check-identical.sh OUTDIR [REFDIR]}
ref=${2:-}
bin=${SKILLSIM:-$root/build/bin/skillsim}
mkdir -p "$out"
runs=(
  "jincheng_2020_2021 --replicates 3"
  "jincheng_plan_2020_2021 --replicates 3"
  "jincheng_plan_2020_2021 --replicates 2 --set population.scale=1 @jincheng_plan_s1"
  "national_2016 --replicates 3"
  "national_2016 --replicates 2 --set scenario.months=120 @national_2016_120"
  "national_2019_2021 --replicates 3"
  "national_2019_2021 --replicates 1 --set population.scale=200 @national_2019_2021_s200"
  "appointments_2020_2030 --replicates 3"
  "national_2019_2021 --replicates 2 --set demography.mortality_annual=[0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1] @national_2019_2021_dying"
  "$root/tests/data/one_programme.toml --replicates 3 @one_programme"
)
status=0
for run in "${runs[@]}"; do
  read -r -a words <<<"$run"
  name=$(basename "${words[0]}" .toml)
  args=()
  for w in "${words[@]}"; do
    if [[ $w == @* ]]; then name=${w#@}; else args+=("$w"); fi
  done
  for threads in 1 2; do
    file="$out/$name.t$threads.h5"
    "$bin" run "${args[@]}" --threads "$threads" -o "$file" --force >/dev/null
    if [ -n "$ref" ]; then
      python3 "$root/scripts/compare-results.py" "$ref/$name.t$threads.h5" "$file" | tail -n 1 || status=1
    fi
  done
done
exit $status
