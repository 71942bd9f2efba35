#!/usr/bin/env bash
# End-to-end tests of the command line: run, validate, info, overwrite protection, thread-count
# independence of the file contents, usage errors and --help, the summary's alignment,
# interruption, and the results file read by xarray; then first contact: unknown scenarios, an
# output path checked before the run, the files of a run killed with kill -9, running out of
# memory, and the progress bar on a terminal.
# Needs SKILLSIM (the binary), SOURCE_DIR and PYTHON (with xarray, h5netcdf, h5py); SANITIZED=1
# for a sanitizer build.
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"
# shellcheck source=../lib/terminal.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/terminal.sh"

small=(--set population.scale=50 --replicates 2 --quiet)

# 1. The default scenario runs and writes <name>.h5 with a summary naming the targets.
"$SKILLSIM" run --replicates 2 > run.out 2> run.err
check "run exits 0" test $? -eq 0
check "default output file" test -f jincheng_2020_2021.h5
check "summary has skilled workers" contains run.out "skilled workers (初级工+)"
check "summary has the 40万 target" contains run.out "技能劳动者 40万 by end of 2021"
check "no temporary file left" bash -c '! ls *.tmp-* 2>/dev/null'

# 1b. With employer cells and posts for 特级技师 (employers, issue 15) the summary has the posts
# table and the line of unfilled posts at the end of the run.
"$SKILLSIM" run --set population.scale=50 --replicates 2 --force -o employers.h5 \
  --set 'employers.size_classes=["large", "small"]' --set 'employers.labels=["大型企业", "中小企业"]' \
  --set 'employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]' \
  --set 'employers.posts_per_1000=[[0, 0, 0, 0, 0, 0, 0, 2, 0], [0, 0, 0, 0, 0, 0, 0, 1, 0]]' > employers.out 2>&1
check "run with employers exits 0" test $? -eq 0
check "employers: the posts table" contains employers.out "Employers (posts at the end of the run)"
check "employers: the posts of 特级技师" contains employers.out "特级技师 principal_technician"
check "employers: unfilled posts at the end" contains employers.out "unfilled posts at 2022-01-01: "

# 1c. 以工代训 paid to employers from the city's training fund: its line in the summary, and the
# fund's outlay in the Funds table counts the subsidies (the fund runs out: nothing left, and spent
# = the grants of 302 million yuan less what is still committed to trainees at the end, a median
# of at most 100,000 yuan at this scale; which it is depends on the draws).
"$SKILLSIM" run --set population.scale=50 --replicates 2 --force -o wbt.h5 \
  --set 'employers.size_classes=["large", "small"]' --set 'employers.labels=["大型企业", "中小企业"]' \
  --set 'employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]' --set 'work_based_training.fund="training_funds"' \
  --set work_based_training.retention_subsidy_per_month=50 --set work_based_training.hire_subsidy=500 > wbt.out 2>&1
check "run with 以工代训 exits 0" test $? -eq 0
check "以工代训: its line" contains wbt.out "以工代训 paid to employers (totals over the run): "
check "以工代训: the fund's outlay counts the subsidies" grep -qE ' 30(2,000|1,9[0-9][0-9]),000 +0$' wbt.out

# 1d. Self-evaluation (企业自主评价) by the large employers of the national scenario: the summary's
# table gives, per size class with capacity, the assessments held and the capacity over the run,
# the same figures as the results file (one replicate: no medians to take).
"$SKILLSIM" run national_2019_2021 --set population.scale=20000 --replicates 1 --force -o self.h5 \
  --set 'employers.size_classes=["large", "small"]' --set 'employers.labels=["大型企业", "中小企业"]' \
  --set 'employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]' \
  --set 'employers.self_evaluation_per_1000=[5, 0]' --set 'employers.self_evaluator="enterprise"' > self.out 2>&1
check "run with self-evaluation exits 0" test $? -eq 0
check "self-evaluation: its table" contains self.out "Self-evaluation (企业自主评价)"
check "self-evaluation: the small class (no capacity) has no row" bash -c '! grep -q "中小企业 small" self.out'
check "self-evaluation: the figures are the file's totals" "$PYTHON" - self.h5 self.out <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
held = int(f["employer_self_evaluations"][0, ..., 0].sum())
capacity = int(f["employer_self_capacity"][0, ..., 0].sum())
assert held > 0 and capacity > held, (held, capacity)
row = next(line for line in open(sys.argv[2], encoding="utf-8") if "大型企业 large" in line)
assert row.split()[-2:] == [f"{held:,}", f"{capacity:,}"], (row, held, capacity)
PY

# 1e. Apprenticeship places offered by employers (one a month per 1000 employees of the large
# class, none in the small) and co-funding of the apprenticeship (30% by the employer): the
# Programmes table is followed by the applicants refused for want of a place, the Funds table by
# what employers paid; both figures are the file's totals.
"$SKILLSIM" run national_2019_2021 --set population.scale=20000 --replicates 1 --force -o places.h5 \
  --set 'employers.size_classes=["large", "small"]' --set 'employers.labels=["大型企业", "中小企业"]' \
  --set 'employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]' --set 'employers.apprentice_places_per_1000=[1, 0]' \
  --set 'programmes.employer_share=[0, 0, 0, 0, 0, 0.3, 0]' > places.out 2>&1
check "run with apprenticeship places and co-funding exits 0" test $? -eq 0
check "places and co-funding: the summary's figures are the file's totals" "$PYTHON" - places.h5 places.out <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
refused = int(f["apprenticeship_no_place"][0, :, 5].sum())
paid = int(f["employer_funding"][0].sum())
assert refused > 0 and paid > 0, (refused, paid)
text = open(sys.argv[2], encoding="utf-8").read()
assert f"new_apprenticeship: {refused:,} refused for want of an apprenticeship place" in text, refused
row = next(line for line in text.splitlines() if "paid by employers" in line)
money = (paid + 500) // 1000 * 1000
assert row.split()[-2] == f"{money:,}", (row, paid)
PY

# 2. An existing file is not overwritten without --force.
before=$(md5sum jincheng_2020_2021.h5)
"$SKILLSIM" run "${small[@]}" > /dev/null 2> refuse.err
check "refuses to overwrite (exit 1)" test $? -eq 1
check "says to use --force" contains refuse.err "exists; use --force"
check "file unchanged" test "$before" = "$(md5sum jincheng_2020_2021.h5)"
"$SKILLSIM" run "${small[@]}" --force
check "--force overwrites" test "$before" != "$(md5sum jincheng_2020_2021.h5)"

# 3. Same seed, 1 and 2 threads: identical variables, counts and reals (the statistics over
# replicates) bit for bit (attributes differ: threads, time).
"$SKILLSIM" run national_2016 "${small[@]}" --set population.scale=2000 --threads 1 -o t1.h5
"$SKILLSIM" run national_2016 "${small[@]}" --set population.scale=2000 --threads 2 -o t2.h5
check "1 and 2 threads give identical data" "$PYTHON" - t1.h5 t2.h5 <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
names = [k for k in a.keys() if a[k].dtype.kind == "i"]
assert len(names) > 10, names
for k in names:
    assert np.array_equal(a[k][...], b[k][...]), k
reals = [k for k in a.keys() if a[k].dtype.kind == "f"]
assert "skilled_workers_stats" in reals, reals
for k in reals:
    assert np.array_equal(a[k][...].view(np.uint64), b[k][...].view(np.uint64)), k
assert a.attrs["threads"] == 1 and b.attrs["threads"] == 2
PY
"$SKILLSIM" run national_2016 "${small[@]}" --set population.scale=2000 --seed 7 -o t3.h5
check "another seed gives other data" "$PYTHON" -c "
import h5py, numpy as np
assert not np.array_equal(h5py.File('t1.h5')['workers'][...], h5py.File('t3.h5')['workers'][...])"

# 4. xarray opens the file with named dimensions and decoded times.
check "xarray reads the file" "$PYTHON" "$SOURCE_DIR/tests/io/check_xarray.py" jincheng_2020_2021.h5 \
  --expect-dims replicate,time,level,status,group,region,sector,statistic \
  --expect-vars skilled_workers,high_skilled_workers,workers,entries,exits,promotions,job_finds,job_losses,skilled_workers_stats,workers_stats
check "results carry seeds, version and scenario" "$PYTHON" - jincheng_2020_2021.h5 "$SOURCE_DIR/scenarios/jincheng_2020_2021.toml" <<'PY'
import sys, xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
assert ds.attrs["scenario"] == open(sys.argv[2], encoding="utf-8").read(), "scenario text verbatim"
assert ds.attrs["seed"] == 20200101
assert list(ds.attrs["replicate_seeds"]) == [0, 1]
assert ds.attrs["engine_version"] and ds.attrs["git_commit"] and ds.attrs["created"]
assert str(ds.time.values[0])[:10] == "2020-01-01" and str(ds.time.values[-1])[:10] == "2022-01-01"
assert list(ds.level_zh.values)[4] == "高级工"
# skilled = workers at level >= 初级工, not retired, in persons
w = ds.workers.sel(level=ds.level[2:]).drop_sel(status="retired").sum(("level", "status"))
assert (w == ds.skilled_workers).all()
assert int(ds.skilled_workers.isel(replicate=0, time=0)) == 284000
PY

# 4b. A scenario with a programme and a fund: the training results, the ledger and the summary.
"$SKILLSIM" run "$SOURCE_DIR/tests/data/one_programme.toml" --replicates 2 -o programme.h5 > programme.out
check "programme run exits 0" test $? -eq 0
check "summary lists the programme" contains programme.out "就业技能培训 employment_skills"
check "summary lists the fund" contains programme.out "职业技能提升行动专账"
check "xarray reads the training results" "$PYTHON" "$SOURCE_DIR/tests/io/check_xarray.py" programme.h5 \
  --expect-dims replicate,time,programme,fund,region \
  --expect-vars enrolments,turned_away_no_seat,turned_away_no_money,certificates,programme_assessments,spending,fund_remaining,fund_committed,seats_binding,money_binding
check "programme assessments lie between certificates and completions" "$PYTHON" - programme.h5 <<'PY'
import sys, xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
pa = ds.programme_assessments
assert pa.dims == ("replicate", "time", "programme", "level"), pa.dims
sat = pa.sum(("time", "level"))
assert (ds.certificates.sum("time") <= sat).all() and (sat <= ds.completions.sum("time")).all()
assert "programme_assessments_stats" in ds
PY
"$SKILLSIM" info programme.h5 > programme_info.out
check "info lists the programme assessments" contains programme_info.out "programme_assessments"
check "ledger identity in the file" "$PYTHON" - programme.h5 <<'PY'
import sys, xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
granted = 300_000  # one envelope: the run stays within 2020
paid = ds.spending.sum("programme").cumsum("time")
lhs = paid + ds.fund_committed + ds.fund_remaining
assert (lhs.isel(time=slice(1, None)) == granted).all(), lhs.values
assert ds.spending.attrs["units"] == "yuan"
PY

# 5. info describes the file.
"$SKILLSIM" info jincheng_2020_2021.h5 > info.out
check "info exits 0" test $? -eq 0
check "info names the scenario" contains info.out "jincheng_2020_2021"
check "info lists variables" contains info.out "skilled_workers"
check "info lists the statistics over replicates" contains info.out "Statistics over replicates (mean, se, p5, p25, p50, p75, p95)"
echo "not hdf5" > bogus.h5
"$SKILLSIM" info bogus.h5 > /dev/null 2> info.err
check "info on a non-HDF5 file fails (exit 1)" test $? -eq 1
check "info names the bad file" contains info.err "bogus.h5"

# 6. validate reports every problem with file, line and key.
cat > bad.toml <<'TOML'
[scenario]
months = 12.5
[labour]
job_los_rate = 0.1
job_find_rate = 1.5
[[schedule]]
date = 2016-05-01
set = { "labour.job_loss_multiplier" = 2.0 }
[[schedule]]
date = 2016-03-01
set = { "labour.job_loss_multiplier" = 1.0 }
[[schedule]]
date = 2016-04-01
set = { "labour.no_such" = 1.0 }
TOML
"$SKILLSIM" validate bad.toml > /dev/null 2> validate.err
check "validate exits 2 on a bad file" test $? -eq 2
check "validate: wrong type with line" contains validate.err "bad.toml:2:"
check "validate: did you mean" contains validate.err "did you mean 'labour.job_loss_rate'"
check "validate: probability range" contains validate.err "job_find_rate: must be in [0, 1], got 1.5"
check "validate: dates out of order" contains validate.err "dates out of order"
check "validate: unknown scheduled parameter" contains validate.err "no parameter named 'labour.no_such'"
"$SKILLSIM" run bad.toml -o never.h5 > /dev/null 2> run_bad.err
check "run refuses a bad scenario (exit 2)" test $? -eq 2
check "run names the problem" contains run_bad.err "did you mean 'labour.job_loss_rate'"
check "no file from a bad scenario" test ! -e never.h5
# A run shortened by --set leaves out the schedule and targets dated after it, and says which.
"$SKILLSIM" run jincheng_plan_2020_2021 --set scenario.months=3 --set population.scale=400 --replicates 1 \
  -o short.h5 > short.out 2> short.err
check "a shortened run exits 0" test $? -eq 0
check "a shortened run notes the schedule left out" contains short.err \
  "scenario.months=3 ends the run at 2020-03-01 (the file runs to 2021-12-01), so these schedule entries, dated after it, are left out: schedule[1], schedule[2], schedule[3], schedule[4], schedule[5]"
check "a shortened run notes the targets left out" contains short.err "targets[0] (技能劳动者 40万 by end of 2021)"
check "the shortened run's file has 3 months (4 instants) and no targets" "$PYTHON" - short.h5 <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    assert f["time"].shape == (4,), f["time"].shape
    assert "target_met" not in f, list(f)
PY
for scenario in "$SOURCE_DIR"/scenarios/*.toml "$SOURCE_DIR"/tests/data/*.toml; do
  "$SKILLSIM" validate "$scenario" > valid.out
  check "$(basename "$scenario") is valid" contains valid.out "valid"
done

# 7. Command-line errors are clear and exit 2; every command's --help exits 0 and lists its options.
"$SKILLSIM" run --replicates zero > /dev/null 2> args.err
check "bad integer exits 2" test $? -eq 2
check "bad integer message" contains args.err "--replicates: expects an integer, got 'zero'"
check "bad integer shows the usage" contains args.err "Usage: skillsim run [OPTIONS] [SCENARIO]"
"$SKILLSIM" run --seed -1 > /dev/null 2> args.err
check "negative seed exits 2" test $? -eq 2
check "negative seed message" contains args.err "--seed: must be at least 0, got -1"
"$SKILLSIM" run --threads 1.5 > /dev/null 2> args.err
check "fractional threads exits 2" test $? -eq 2
check "fractional threads message" contains args.err "--threads: expects an integer, got '1.5'"
"$SKILLSIM" run --frobnicate > /dev/null 2> args2.err
check "unknown option exits 2" test $? -eq 2
check "unknown option message" contains args2.err "unknown option '--frobnicate' for run"
"$SKILLSIM" validate "$SOURCE_DIR/scenarios/national_2016.toml" --frobnicate > /dev/null 2> args2.err
check "unknown validate option exits 2" test $? -eq 2
check "unknown validate option message" contains args2.err "unknown option '--frobnicate' for validate"
"$SKILLSIM" frobnicate > /dev/null 2> args3.err
check "unknown command exits 2" test $? -eq 2
check "unknown command message" contains args3.err "unknown command 'frobnicate'"
for command in calibrate:calibration backtest:calibration compare:report report:report plan:planning; do # the Python package's
  doc=${command#*:}
  command=${command%:*}
  "$SKILLSIM" $command --cutoff 2013 > python_command.out 2> python_command.err
  check "$command exits 2" test $? -eq 2
  check "$command says it is the Python package's" contains python_command.err \
    "skillsim $command is part of the Python package: install it (pip install . ; see docs/$doc.md) and run \`skillsim $command\` from its environment, or \`python -m skillsim $command\`"
  check "$command prints nothing on stdout" test ! -s python_command.out
done
"$SKILLSIM" run national_2016 jincheng_2020_2021 > /dev/null 2> args4.err
check "second scenario exits 2" test $? -eq 2
check "second scenario message" contains args4.err "unexpected argument 'jincheng_2020_2021' for run"
"$SKILLSIM" validate > /dev/null 2> args5.err
check "validate without a scenario exits 2" test $? -eq 2
check "validate without a scenario message" contains args5.err "SCENARIO is required"
"$SKILLSIM" run --replicates > /dev/null 2> args6.err
check "option without its value exits 2" test $? -eq 2
check "option without its value names it" contains args6.err "--replicates"
"$SKILLSIM" > none.out 2>&1
check "no command exits 2" test $? -eq 2
check "no command shows the commands" contains none.out "validate"
"$SKILLSIM" --version > version.out
check "--version exits 0" test $? -eq 0
check "--version prints the version" grep -qE '^skillsim [0-9]+\.[0-9]+\.[0-9]+ \(' version.out
help_lists() { # help_lists COMMAND WORD...: `skillsim COMMAND --help` exits 0 and names every WORD
  local command=$1; shift
  # shellcheck disable=SC2086 # COMMAND is empty for the top-level help
  "$SKILLSIM" $command --help > help.out 2>&1 || { echo "--- skillsim $command --help exited $?"; return 1; }
  for word in "$@"; do contains help.out "$word" || return 1; done
}
check "skillsim --help" help_lists "" run validate pathways info schema --version "Exit status" calibrate
check "run --help" help_lists run "[SCENARIO]" -o,--output --replicates --seed --threads --set --force --quiet \
  jincheng_2020_2021
check "validate --help" help_lists validate SCENARIO --set
check "pathways --help" help_lists pathways SCENARIO --set docs/pathways.md
check "info --help" help_lists info RESULTS
check "schema --help" help_lists schema "Usage: skillsim schema"
"$SKILLSIM" validate --set labour.job_loss_rate=0.01 --set=labour.job_find_rate=0.2 national_2016 > set.out
check "--set before the scenario, both spellings" contains set.out "national_2016.toml: valid"
"$SKILLSIM" run --set labour.job_loss_rate=2 -o never.h5 > /dev/null 2> set.err
check "bad --set names --set" contains set.err "--set: labour.job_loss_rate: must be in [0, 1], got 2"

# 8. The summary's columns line up on a terminal (汉字 take two columns), for the plan's tables and
# with labels far longer than the columns' usual width.
"$SKILLSIM" run jincheng_plan_2020_2021 --replicates 2 -o plan.h5 > plan.out
check "plan run exits 0" test $? -eq 0
sed -e 's/^label = "高技能人才 12万 by end of 2021"$/label = "高技能人才 12万 by end of 2021, a target label longer than its column"/' \
  -e "s|^parameter_sets = \"|parameter_sets = \"$SOURCE_DIR/scenarios/|" \
  "$SOURCE_DIR/scenarios/jincheng_plan_2020_2021.toml" > plan_long.toml
"$SKILLSIM" run plan_long.toml --replicates 1 -o plan_long.h5 > plan_long.out \
  --set 'programmes.labels=["岗位技能提升培训(初级)", "一个名称很长很长很长很长很长很长的培训项目", "岗位技能提升培训(高级)", "x"]' \
  --set 'evaluation.labels=["企业自主评价", "社会培训评价组织和另外一个很长很长很长的名字", "技工院校"]' \
  --set 'funds.labels=["职业技能提升行动专账和另外一个很长很长很长很长的名字", "就业补助资金"]'
check "long-label run exits 0" test $? -eq 0
check "long label shown whole" contains plan_long.out "一个名称很长很长很长很长很长很长的培训项目 upgrading_intermediate"
check "long target label shown whole" contains plan_long.out "a target label longer than its column"
check "summary columns line up" "$PYTHON" "$SOURCE_DIR/tests/cli/check_summary_columns.py" plan.out plan_long.out

# 9. An interrupted run leaves no results file.
"$SKILLSIM" run national_2016 --set population.scale=20 --replicates 50 --quiet -o killed.h5 &
pid=$!
sleep 2
kill -INT $pid
wait $pid
status=$?
check "interrupted run exits 130" test $status -eq 130
check "no file after interrupt" test ! -e killed.h5
check "no temporary after interrupt" bash -c '! ls killed.h5.tmp-* 2>/dev/null'

# 10. An unknown scenario name lists the bundled scenarios and the nearest name; a path that does
# not exist says so, once (not also "the scenario is invalid").
"$SKILLSIM" run jincheng_2020 > /dev/null 2> unknown.err
check "unknown scenario exits 2" test $? -eq 2
check "unknown scenario named" contains unknown.err "no scenario named 'jincheng_2020': neither a file here nor a bundled scenario"
check "unknown scenario: nearest name" contains unknown.err "did you mean 'jincheng_2020_2021'?"
check "unknown scenario: the bundled ones" contains unknown.err \
  "bundled scenarios: appointments_2020_2030, jincheng_2020_2021, jincheng_plan_2020_2021, national_2010, national_2016"
check "unknown scenario: no read error" bash -c '! grep -q "cannot read\|invalid" unknown.err'
"$SKILLSIM" pathways nothing_like_it > /dev/null 2> unknown2.err
check "a name far from all: no suggestion" bash -c '! grep -q "did you mean" unknown2.err'
for command in run validate pathways; do
  "$SKILLSIM" $command no/such/city.toml > /dev/null 2> nofile.err
  check "$command: missing file exits 2" test $? -eq 2
  check "$command: missing file said once" test "$(cat nofile.err)" = "skillsim: scenario file 'no/such/city.toml' does not exist"
done

# 11. An output path that cannot be written is refused before the run, not after it: a missing
# directory, a directory on the way that is a file (permission bits, which root ignores, are
# tested in tests/io). 100 replicates of national_2016 would take minutes.
long=(national_2016 --replicates 100 --quiet)
timeout 30 "$SKILLSIM" run "${long[@]}" -o no/such/dir/out.h5 > /dev/null 2> nodir.err
check "missing directory: exit 1 before the run" test $? -eq 1
check "missing directory: says so and what to do" contains nodir.err \
  "cannot write results file 'no/such/dir/out.h5': directory 'no/such/dir' does not exist; create it first (mkdir -p 'no/such/dir') or choose another path; nothing was run"
echo x > plain
timeout 30 "$SKILLSIM" run "${long[@]}" -o plain/sub/out.h5 > /dev/null 2> notdir.err
check "file on the way: exit 1 before the run" test $? -eq 1
check "file on the way: names it" contains notdir.err \
  "cannot write results file 'plain/sub/out.h5': 'plain' is not a directory; choose another path; nothing was run"
check "nothing written beside the file" test "$(ls -d plain*)" = plain

# 12. kill -9 while the results file is written leaves NAME.tmp-PID-HEX. `info` explains it; the
# next run on the same file removes it, in one line, but not the temporary file of a process
# that is still running. The run is quick to simulate and slow to write (90 agents, 40 x 1200
# months: about 0.5 s of writing); it is killed once its temporary file has data.
"$SKILLSIM" run national_2016 --set population.scale=10000000 --set scenario.months=1200 --replicates 40 \
  --threads 1 --quiet -o nine.h5 &
pid=$!
orphan=""
for _ in $(seq 3000); do # at most 30 s
  for f in nine.h5.tmp-"$pid"-*; do [ -s "$f" ] && orphan=$f; done
  if [ -n "$orphan" ]; then kill -9 "$pid"; break; fi
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.01
done
wait "$pid" 2> /dev/null
check "killed while writing (kill -9)" test -n "$orphan"
check "the killed run left its temporary file" test -f "$orphan"
check "and no results file" test ! -e nine.h5
"$SKILLSIM" info "$orphan" > /dev/null 2> orphan.err
check "info on the orphan exits 1" test $? -eq 1
check "info explains the orphan" contains orphan.err \
  "is an unfinished results file left by process $pid, which is no longer running; it is not a valid results file"
check "info on the orphan: no HDF5 error" bash -c '! grep -qi "hdf5" orphan.err'
live="nine.h5.tmp-$$-0123456789ab" # named after this shell, which is running
echo x > "$live"
"$SKILLSIM" info "$live" > /dev/null 2> live.err
check "info on a running process's temporary file" contains live.err \
  "left by process $$, which is still running; it is not a valid results file"
"$SKILLSIM" run "${small[@]}" -o nine.h5 2> nine.err
check "the next run succeeds" test $? -eq 0
check "the next run says it removed the orphan, in one line" test "$(cat nine.err)" = \
  "skillsim: removed $orphan, an unfinished results file left by process $pid, which is no longer running"
check "the orphan is gone" test ! -e "$orphan"
check "a running process's temporary file stays" test -e "$live"

# 13. Out of memory: where (synthesis), how much and what to do, never a bare std::bad_alloc.
# 400 MB of address space (ulimit -v) cannot hold national_2016's 900 million agents at scale 1:
# synthesis fails at once, before any OpenMP thread starts. AddressSanitizer reserves terabytes
# of address space and cannot start under ulimit -v. --no-memory-check: the estimate made before
# allocating would refuse the run first (tests/cli/test_memory.sh); this is the fallback.
if [ "${SANITIZED:-0}" != 1 ]; then
  (ulimit -v 400000 && exec "$SKILLSIM" run national_2016 --set population.scale=1 --no-memory-check -o oom.h5) \
    > /dev/null 2> oom.err
  check "out of memory exits 1" test $? -eq 1
  check "out of memory: phase, size and what to do" contains oom.err \
    "skillsim: out of memory while synthesising replicate 1 of 4: 900,000,000 agents (population.size 900,000,000 / population.scale 1), about"
  check "out of memory: what to do" contains oom.err "raise population.scale or run on a machine with more memory"
  check "out of memory: no bare std::bad_alloc" bash -c '! grep -q "bad_alloc" oom.err'
  check "out of memory: no file" test ! -e oom.h5
fi

# 14. The progress bar, on a terminal only: replicates and months apart, percent done.
bar=(run --set population.scale=50 --replicates 2 --force -o bar.h5)
on_terminal bar.log "$SKILLSIM" "${bar[@]}"
check "run on a terminal exits 0" test $? -eq 0
check "bar: replicate and month apart" contains bar.log "jincheng_2020_2021  replicate 1/2  month 1/24  ["
check "bar: the end" contains bar.log "replicate 2/2  month 24/24  [####################]  100%"
on_terminal quiet.log "$SKILLSIM" "${bar[@]}" --quiet
check "no bar with --quiet" test ! -s quiet.log
"$SKILLSIM" "${bar[@]}" > /dev/null 2> bar.err
check "no bar when stderr is not a terminal" test ! -s bar.err

finish
