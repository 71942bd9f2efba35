#!/usr/bin/env bash
# End-to-end tests of `skillsim project` (the expected-value twin, docs/twin.md): the results file
# (float64 expectations, one replicate, the twin's attribute) read by `skillsim info` and xarray,
# the summary, and the refusals that name the keys the twin does not model yet.
# Needs SKILLSIM (the binary), SOURCE_DIR and PYTHON (with xarray, h5netcdf).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"
# shellcheck source=../lib/terminal.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/terminal.sh"

# 1. A scenario the twin models (national_2016 with its technical schools): a file, a summary
# that says what it is.
"$SKILLSIM" project national_2016 --set scenario.months=24 -o twin.h5 > twin.out 2> twin.err
check "project exits 0" test $? -eq 0
check "the summary says it is the twin" contains twin.out "Expected-value twin (skillsim project)"
check "the summary has the stocks" contains twin.out "skilled workers (初级工+)"
check "the summary gives the time" contains twin.out "Projected in"
check "the summary has the schools" contains twin.out "Technical schools (totals over the run)"
check "no percentiles of a single expectation" lacks twin.out "p5 - p95"
check "a target is met or not by the expectation, not in 0/1 replicates" grep -Eq "  (not )?met by the expectation$" twin.out
check "the twin's summary: columns line up" "$PYTHON" "$SOURCE_DIR/tests/cli/check_summary_columns.py" --no-programmes twin.out
"$SKILLSIM" info twin.h5 > info.out
check "info exits 0" test $? -eq 0
check "info says it is the twin" contains info.out "Twin:            expected-value twin (skillsim project)"
check "info: one replicate" contains info.out "replicate              size 1"

# 2. xarray opens it: the same variables as a run, float64 counts, the attribute.
check "xarray reads the twin's file" "$PYTHON" - twin.h5 <<'PY'
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
assert ds.attrs["skillsim_twin"] == "1", ds.attrs
assert ds.sizes["replicate"] == 1 and ds.sizes["time"] == 25, dict(ds.sizes)
for name in ["skilled_workers", "workers", "workers_by_group", "promotions", "exits_by_level", "appointments"]:
    assert ds[name].dtype == "float64", (name, ds[name].dtype)
    assert ds[name].dims[:2] == ("replicate", "time"), ds[name].dims
skilled = float(ds["skilled_workers"].isel(replicate=0, time=-1))
assert 1.5e8 < skilled < 2e8, skilled
# Expectations, not whole agents: some stock is not a multiple of the scale (1000).
assert any(float(v) % 1000 != 0 for v in ds["workers"].values.ravel()), "every stock a whole number of agents"
# The technical schools, as a run writes them: students by route and region, the month's flows.
for name in ["school_students", "school_enrolments", "school_graduates", "school_dropouts", "school_no_place"]:
    assert ds[name].dtype == "float64", (name, ds[name].dtype)
    assert ds[name].dims == ("replicate", "time", "school_route", "region"), (name, ds[name].dims)
students = ds["school_students"].isel(replicate=0).sum(["school_route", "region"]).values
# 3.31 million at the start (schools.initial_students); graduates leave over the year, the plan
# enrols 1.27 million each September.
assert 3.3e6 < students[0] < 3.32e6 and 2.5e6 < students.min() and students.max() < 4.5e6, students
graduates = float(ds["school_graduates"].sum())
assert 1.0e6 < graduates < 3.0e6, graduates
assert float(ds["school_no_place"].sum()) == 0  # national_2016's capacity does not bind
PY

# 3. The same file again is refused without --force, and nothing is overwritten.
"$SKILLSIM" project national_2016 --set scenario.months=24 -o twin.h5 > again.out 2> again.err
check "an existing file: exit 1" test $? -eq 1
check "an existing file: says so" contains again.err "results file 'twin.h5' exists; use --force to overwrite; nothing was projected"

# 4. national_2019_2021 is projected (2 months here; the whole run takes some 3 minutes of CPU
# and 9 GB, docs/twin.md "Speed"). The apprenticeship's maximum age (45) excludes older workers:
# modelled (a band of the state over it, docs/twin.md "Age limits as crossings"). The completers
# its cohorts take across it while followed up would need a column each per programme and later
# month a window ends in, 4 + 7 x 6 vectors side by side: too many with its 42 group states, so
# they are moved in proportion, and the file and `info` say so. Its programmes' minimum age (16,
# the same for all), which its schools' youngest leavers (from 15) are under, is modelled (the
# age classes); so are its evaluators and schools.
"$SKILLSIM" project national_2019_2021 --set scenario.months=2 -o national.h5 > national.out 2> national.err
check "national_2019_2021 projected: exit 0" test $? -eq 0
check "national_2019_2021 projected: nothing refused" lacks national.err "does not model"
check "national_2019_2021 projected: the summary names the approximation" contains national.out \
  "Approximated: the completers followed up of the cohorts reaching the programmes' maximum age moved across it in proportion"
check "national_2016: the summary names none" lacks twin.out "Approximated:"
"$SKILLSIM" info national.h5 > national_info.out
check "national_2019_2021: info says its followed completers crossed the maximum age in proportion" \
  contains national_info.out "Twin, approx.:   the completers followed up of the cohorts reaching the programmes' maximum age moved across it in proportion to their share of each cell"
check "national_2016: no approximation named" lacks info.out "Twin, approx."
# Refusals: every key the twin does not model, named; exit 2; no file.
"$SKILLSIM" project national_2019_2021 --set 'programmes.job_find_factor=[1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]' \
  -o refused.h5 > refused.out 2> refused.err
check "refused: exit 2" test $? -eq 2
check "refused with job-finding factors: the catalogue is too large for the twin's state yet" contains refused.err \
  "programmes.names: the twin does not model this many programme months yet: its state holds a copy of every cell per programme month (and month waited for an evaluator) and follow-up month of a programme with a job_find_factor other than 1, ((1 + 34 programme months and months waited for an ordinary assessment) x (1 + 7 such programmes x 6 follow-up months) + 133 (month waited for a certificate, follow-up month) pairs) x 2 (the band over the maximum age) = 3276 copies, more than 1024"
check "refused: the maximum age is not" lacks refused.err "programmes.max_age"
check "refused: the minimum age is not" lacks refused.err "programmes.min_age"
check "refused: evaluators are not (the twin holds the queue for them)" lacks refused.err "evaluation.evaluators"
check "refused: schools are not (the twin holds the students apart)" lacks refused.err "schools.routes"
check "refused: nothing projected" contains refused.err "skillsim: nothing was projected"
check "refused: no file" test ! -e refused.h5
# The Jincheng plan (its evaluators, competition and master studios; one parameter set, without
# its insurance rule for speed) is projected, studios and all.
"$SKILLSIM" project jincheng_plan_2020_2021 --replicates 1 --set 'programmes.min_contribution_months=[0, 0, 0, 0]' \
  -o plan.h5 > plan.out 2> plan.err
check "plan projected: exit 0" test $? -eq 0
check "plan projected: its studios in the summary" contains plan.out "Master studios (in the last month)"
check "plan projected: nothing refused" lacks plan.err "does not model"
"$SKILLSIM" project national_2016 --set 'skills.assessment_factor_by_age_band=[1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5]' \
  -o refused.h5 > /dev/null 2> age.err
check "refused by age band: exit 2" test $? -eq 2
check "refused by age band: named" contains age.err "skills.assessment_factor_by_age_band: the twin does not model"

# 4a. A minimum age above the youngest school leavers' (national_2010: every programme from 16,
# dropouts from 15) is projected: those under it are held by age class (docs/twin.md).
"$SKILLSIM" project national_2010 --set scenario.months=24 -o minage.h5 > minage.out 2> minage.err
check "a minimum age above the youngest leavers': exit 0" test $? -eq 0
check "a minimum age above the youngest leavers': a file" test -e minage.h5

# 4b. Parameter sets: the twin's replicates, each under its set (the Jincheng baseline with its
# insurance rule, two replicates: sets 0 and 1).
"$SKILLSIM" project jincheng_2020_2021 --replicates 2 -o sets.h5 > sets.out 2> sets.err
check "parameter sets: exit 0" test $? -eq 0
check "parameter sets: the summary says what the replicates are" contains sets.out \
  "the expectation under each of 2 replicates' parameter sets (no sampling, no seed)"
check "parameter sets: targets met in k of the sets" grep -Eq "met in [0-2]/2$" sets.out
check "parameter sets: the spread is parameter uncertainty" contains sets.out "parameter uncertainty alone"
check "xarray reads the sets' replicates" "$PYTHON" - sets.h5 <<'PY'
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
assert ds.attrs["skillsim_twin"] == "1", ds.attrs
assert ds.sizes["replicate"] == 2, dict(ds.sizes)
assert list(ds["parameter_set"].values) == [0, 1], ds["parameter_set"].values
end = ds["skilled_workers"].isel(time=-1).values
assert end[0] != end[1], end  # two sets, two expectations
PY
# The sets projected side by side, one a thread: the same file on 1 and 2 threads.
for t in 1 2; do
  "$SKILLSIM" project jincheng_2020_2021 --replicates 3 --set scenario.months=6 --threads "$t" -o "sets_$t.h5" \
    > "sets_$t.out" 2> "sets_$t.err"
  check "parameter sets on $t thread(s): exit 0" test $? -eq 0
  check "parameter sets on $t thread(s): the summary says so" contains "sets_$t.out" "on $t thread(s). Results:"
done
check "parameter sets: the same on 1 and 2 threads" "$PYTHON" "$SOURCE_DIR/scripts/compare-results.py" sets_1.h5 sets_2.h5
"$SKILLSIM" project national_2016 --replicates 2 -o refused.h5 > /dev/null 2> replicates.err
check "replicates without sets: exit 2" test $? -eq 2
check "replicates without sets: says why" contains replicates.err \
  "--replicates: the twin's replicates are its parameter sets (run.parameter_sets), and the scenario declares none"

# 5. Programmes and funds: the summary's programme and fund tables, the binding months, the
# programme variables in the file as float64 expectations.
"$SKILLSIM" project "$SOURCE_DIR/tests/data/one_programme.toml" -o programme.h5 > programme.out 2> programme.err
check "a programme scenario: exit 0" test $? -eq 0
check "a programme scenario: the programme's line" grep -Eq "就业技能培训 employment_skills +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9,]+ +[1-9][0-9]* / [1-9]" programme.out
check "a programme scenario: the fund's line" contains programme.out "职业技能提升行动专账"
check "xarray reads the twin's programmes" "$PYTHON" - programme.h5 <<'PY'
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
for name in ["trainees", "enrolments", "certificates", "spending", "fund_remaining", "seats_binding"]:
    assert ds[name].dtype == "float64", (name, ds[name].dtype)
assert float(ds["enrolments"].sum()) > 100, float(ds["enrolments"].sum())
assert float(ds["fund_remaining"].min()) >= -1e-6, float(ds["fund_remaining"].min())
PY

# 5b. Ctrl-C stops a projection within a month (of a set): exit 130, no file (the 20 sets of
# the Jincheng baseline take a minute on one thread).
"$SKILLSIM" project jincheng_2020_2021 --threads 1 --quiet -o interrupted.h5 > /dev/null 2> interrupted.err &
pid=$!
sleep 2
kill -INT $pid
wait $pid
check "an interrupted projection exits 130" test $? -eq 130
check "an interrupted projection says so" contains interrupted.err "interrupted; no results file was written"
check "no file after the interrupt" test ! -e interrupted.h5
check "no temporary after the interrupt" bash -c '! ls interrupted.h5.tmp-* 2>/dev/null'

# 5c. The progress bar on a terminal: the sets' months (a set per "replicate"), to the end.
bar=(project jincheng_2020_2021 --replicates 2 --threads 1 --set 'programmes.min_contribution_months=[0,0,0,0]' -o bar.h5)
on_terminal bar.log "$SKILLSIM" "${bar[@]}"
check "project on a terminal exits 0" test $? -eq 0
check "bar: the sets' months" contains bar.log "jincheng_2020_2021  replicate 1/2  month 1/24  ["
check "bar: the end" contains bar.log "replicate 2/2  month 24/24  [####################]  100%"
on_terminal quiet.log "$SKILLSIM" "${bar[@]}" --force --quiet
check "no bar with --quiet" test ! -s quiet.log

# 6. The help names the command.
"$SKILLSIM" --help > help.out
check "help lists project" contains help.out "project"
"$SKILLSIM" project --help > project_help.out
check "project --help explains the refusals" contains project_help.out "refused (exit status 2)"
finish
