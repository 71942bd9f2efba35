#!/usr/bin/env bash
# `skillsim sweep` (docs/sweeps.md): one results file with a `scenario` dimension; each run equal
# to the single run with its values set; common random numbers; 1 and 2 threads identical; a
# failed run recorded while the others finish; the journal: resume after kill -9 at random
# moments gives the uninterrupted file, and the final name never holds a partial file.
# Needs SKILLSIM (the binary), SOURCE_DIR and PYTHON (with h5py, numpy, xarray, h5netcdf).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"
# shellcheck source=../lib/terminal.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/terminal.sh"
compare() { "$PYTHON" "$SOURCE_DIR/scripts/compare-results.py" "$@" > /dev/null; }

small=(--set population.scale=100 --replicates 2 --quiet)
cat > grid.toml <<'TOML'
[sweep]
base = "jincheng_plan_2020_2021"
design = "grid"

[vary]
"funds.annual_envelope[upgrading_account]" = [40e6, 70e6]
"labour.job_find_multiplier" = [0.8, 1.0, 1.2]
TOML

# 1. One file, the scenario dimension first, the varied keys as coordinates on it.
"$SKILLSIM" sweep grid.toml "${small[@]}" --threads 2 > /dev/null 2> grid.err
check "a sweep exits 0" test $? -eq 0
check "the default output is <sweep>.h5" test -f grid.h5
check "no journal or temporary file left" bash -c '! ls grid.h5.journal grid.h5.tmp-* 2>/dev/null'
check "xarray reads the sweep" "$PYTHON" - <<'PY'
import xarray as xr
ds = xr.open_dataset("grid.h5", engine="h5netcdf")
assert ds.skilled_workers.dims == ("scenario", "replicate", "time"), ds.skilled_workers.dims
assert ds.sizes["scenario"] == 6
env = ds["funds.annual_envelope[upgrading_account]"]
assert "funds.annual_envelope[upgrading_account]" in ds.coords, list(ds.coords)
# The grid: the last key fastest.
assert env.values.tolist() == [40e6] * 3 + [70e6] * 3, env.values
assert ds["labour.job_find_multiplier"].values.tolist() == [0.8, 1.0, 1.2] * 2
assert ds.where(env > 5e7, drop=True).sizes["scenario"] == 3
assert (ds.run_failed == 0).all()
assert "[vary]" in ds.attrs["sweep"] and "[scenario]" in ds.attrs["scenario"]
assert ds.attrs["sweep_design"] == "grid"
PY

# On a terminal: a progress bar by runs, to the end.
on_terminal bar.log "$SKILLSIM" sweep grid.toml --set population.scale=100 --replicates 2 -o bar.h5
check "a sweep on a terminal exits 0" test $? -eq 0
check "bar: runs" contains bar.log "grid  run 1/6  ["
check "bar: the end" contains bar.log "grid  run 6/6  [####################]  100%"

# 2. Run k of the sweep is the single run with run k's values, bit for bit.
"$SKILLSIM" run jincheng_plan_2020_2021 "${small[@]}" --set "funds.annual_envelope=[70e6, 45e6]" \
  --set labour.job_find_multiplier=1.2 -o single.h5
check "run 5 of the sweep equals the single run with its values" "$PYTHON" - <<'PY'
import h5py, numpy as np
sweep, single = h5py.File("grid.h5"), h5py.File("single.h5")
checked = 0
for name, d in single.items():
    if isinstance(d, h5py.Dataset) and name in sweep and sweep[name].ndim == d.ndim + 1:  # over scenario
        assert np.array_equal(sweep[name][5], d[()], equal_nan=True), name
        checked += 1
assert checked > 30, checked
PY

# 3. The same file on 1 and 2 threads.
"$SKILLSIM" sweep grid.toml "${small[@]}" --threads 1 -o grid1.h5
check "1 and 2 threads: the same sweep file" compare grid.h5 grid1.h5

# 4. Common random numbers: evaluation.max_wait_months is first used when a candidate has waited
# longer than it (a queue forms at once: little capacity); runs that differ only in it are
# identical before month 4 and differ after.
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = "list"\n[vary]\n"evaluation.max_wait_months" = [3, 6]\n' > crn.toml
"$SKILLSIM" sweep crn.toml "${small[@]}" --set 'evaluation.capacity_per_month=[[300],[600],[100]]'
check "common random numbers: identical before the parameter is used" "$PYTHON" - <<'PY'
import h5py, numpy as np
f = h5py.File("crn.h5")
compared, differ = 0, False
for name, d in f.items():
    if not isinstance(d, h5py.Dataset) or d.ndim < 3 or d.dims[2][0].name != "/time":
        continue
    a, b = d[0], d[1]
    assert np.array_equal(a[:, :4], b[:, :4], equal_nan=True), name
    differ |= not np.array_equal(a, b, equal_nan=True)
    compared += 1
assert compared > 30 and differ, (compared, differ)
PY

# 5. A failed run is recorded with its message; the others finish; exit status 1.
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = "list"\n[vary]\n"skills.pass_probability[senior]" = [0.5, 1.5, 0.6]\n' > fails.toml
"$SKILLSIM" sweep fails.toml "${small[@]}" > fails.out 2> fails.err
check "a sweep with a failed run exits 1" test $? -eq 1
check "the failed run is in the file" "$PYTHON" - <<'PY'
import xarray as xr, numpy as np
ds = xr.open_dataset("fails.h5", engine="h5netcdf")
assert ds.run_failed.values.tolist() == [0, 1, 0]
assert "scenario 1: " in ds.attrs["failed_runs"] and "pass_probability" in ds.attrs["failed_runs"], ds.attrs["failed_runs"]
sw = ds.skilled_workers
assert np.isnan(sw.sel(scenario=1)).all() and not np.isnan(sw.sel(scenario=[0, 2])).any()
PY

"$SKILLSIM" info fails.h5 > fails.info
check "info says the sweep and its failed run" contains fails.info "Sweep:           list of 3 runs (fails.toml), 1 failed"
check "info gives the failed run's values and why" contains fails.info \
  "failed: scenario 1: its values (skills.pass_probability[senior] = 1.5) are refused: skills.pass_probability[4]: must be in [0, 1], got 1.5"

# 6. The journal: a sweep stopped with kill -9 at random moments, resumed each time, gives the
# uninterrupted file; the final name never holds a partial file.
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = "sobol"\nsamples = 16\n[vary]\n"labour.job_find_multiplier" = { low = 0.8, high = 1.2 }\n"funds.annual_envelope[upgrading_account]" = { low = 3e7, high = 8e7 }\n' > kill.toml
"$SKILLSIM" sweep kill.toml "${small[@]}" -o whole.h5
# start_and_kill OUT ARGS...: a sweep into OUT, killed with kill -9 once its journal holds a run.
# The wait for the first run has no fixed poll count: under the sanitizers on a loaded machine it
# can take many seconds, and a kill before it leaves an empty journal that the next sweep ignores.
# Should the whole sweep finish between two polls, its file is removed and it is started again.
start_and_kill() {
  local out=$1; shift
  local attempt pid deadline
  for attempt in $(seq 5); do
    rm -f "$out" "$out.journal"
    "$SKILLSIM" sweep "$@" --quiet -o "$out" > /dev/null 2>&1 &
    pid=$!
    deadline=$((SECONDS + 300))
    while [ "$(stat -c %s "$out.journal" 2> /dev/null || echo 0)" -le 32 ] && [ $SECONDS -lt $deadline ] \
      && kill -0 "$pid" 2> /dev/null; do
      sleep 0.01
    done
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    [ "$(stat -c %s "$out.journal" 2> /dev/null || echo 0)" -gt 32 ] && [ ! -e "$out" ] && return 0
    echo "start_and_kill: attempt $attempt did not stop the sweep mid-way; again" >&2
  done
  return 1
}
start_and_kill killed.h5 kill.toml --set population.scale=100 --replicates 2
check "a sweep killed mid-way leaves its journal" test $? -eq 0
"$SKILLSIM" sweep kill.toml "${small[@]}" -o killed.h5 > resume.out 2> resume.err
check "without --resume, a journal is refused" contains resume.err "add --resume to continue it"
partial=0
for attempt in 1 2 3 4 5; do
  "$SKILLSIM" sweep kill.toml "${small[@]}" --resume -o killed.h5 > /dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  if [ -e killed.h5 ] && ! "$SKILLSIM" info killed.h5 > /dev/null 2>&1; then partial=1; fi
done
check "never a partial file under the final name" test $partial -eq 0
"$SKILLSIM" sweep kill.toml "${small[@]}" --resume -o killed.h5
check "resumed after kill -9: the uninterrupted file" compare whole.h5 killed.h5
check "the journal is gone" test ! -e killed.h5.journal
"$SKILLSIM" sweep kill.toml --set population.scale=100 --replicates 2 --resume -o killed.h5 > again.out
check "resuming a complete sweep does nothing" contains again.out "is complete"

# 7. A journal of another sweep is refused.
start_and_kill other.h5 kill.toml --set population.scale=100 --replicates 2
check "the second sweep killed mid-way leaves its journal" test $? -eq 0
"$SKILLSIM" sweep grid.toml "${small[@]}" --resume -o other.h5 2> other.err
check "another sweep's journal is refused" contains other.err "belongs to another sweep"

# 8. Usage: a missing sweep file.
"$SKILLSIM" sweep missing.toml 2> missing.err
check "a missing sweep file is a usage error (exit 2)" test $? -eq 2
check "says the sweep file does not exist" contains missing.err "sweep file 'missing.toml' does not exist"
finish
