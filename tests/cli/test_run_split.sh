#!/usr/bin/env bash
# `mpirun -n N skillsim run SCENARIO --split-agents` (docs/cluster.md, "One run over ranks"): each
# replicate's agents split over N ranks give the same results file, bit for bit, as one process,
# for 1, 2 and 4 ranks; its checkpoints are one process's and continue on any number of ranks; a
# launcher without --split-agents is refused; errors are said once, by rank 0 or by the rank that
# alone met them, and every rank exits non-zero. Scenarios that run in seconds and exercise programmes
# with binding seats and money, quotas of appointments, migration between regions, groups, entrants,
# technical schools, employer cells and compaction of the dead.
# Needs SKILLSIM (built with MPI), MPIEXEC, SOURCE_DIR and PYTHON (with h5py, numpy).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"
# shellcheck source=../lib/mpi.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/mpi.sh"

# same NAME SCENARIO ARGS...: one process, then 2 and 4 ranks (1 thread each), the same file.
same() {
  local name=$1 scenario=$2
  shift 2
  "$SKILLSIM" run "$scenario" "$@" --quiet --threads 2 -o "$name.h5"
  check "$name: one process exits 0" test $? -eq 0
  "${mpi[@]}" -n 1 "$SKILLSIM" run "$scenario" "$@" --quiet --threads 1 --split-agents -o "$name.1.h5"
  check "$name: 1 rank, the same file" compare "$name.h5" "$name.1.h5"
  for n in 2 4; do
    "${mpi[@]}" -n $n "$SKILLSIM" run "$scenario" "$@" --quiet --threads 1 --split-agents -o "$name.$n.h5" \
      > "$name.$n.out" 2> "$name.$n.err"
    check "$name: $n ranks exit 0" test $? -eq 0
    check "$name: $n ranks, the same file" compare "$name.h5" "$name.$n.h5"
  done
}

# Programmes with binding seats and money (the Jincheng subsidies), replicates.
same jincheng jincheng_2020_2021 --set population.scale=100 --replicates 2
# Quotas of 特级技师/首席技师 (from 2022 by schedule), ten years, with a twentieth dying a year
# (its own rates never take the dead to 1/32 of the agents): the dead are compacted several times,
# by 2 threads in one process and by every rank at once.
same appointments appointments_2020_2030 --set population.scale=200 \
  --set "demography.mortality_annual=[$(printf '0.05,%.0s' {1..17})0.05]"
# Three regions with migration, programmes with seats by region and a fund that runs short, quotas.
same split "$SOURCE_DIR/tests/data/split_ranks.toml" --replicates 2
# Technical schools (initial students on the last rank), entrants, groups with time limits.
same schools "$SOURCE_DIR/tests/data/schools.toml" --set scenario.months=24
same national national_2016 --set population.scale=20000 --set scenario.months=24
# Evaluators (completers and ordinary candidates queued), skills competitions, master studios.
same plan jincheng_plan_2020_2021 --set population.scale=40 --replicates 1
# Evaluators with four programmes, schools and groups, nationally.
same national3 national_2019_2021 --set population.scale=10000 --replicates 1
# Employer cells: matching per region, then per region x level; posts that appointments need;
# apprenticeship places; self-evaluation; 以工代训 with a cap of months; co-funding; migration.
same employers "$SOURCE_DIR/tests/data/split_employers.toml" --replicates 2

check "the binding seats and money were exercised" "$PYTHON" - <<'PY'
import h5py
f = h5py.File("jincheng.4.h5")
assert f["seats_binding"][()].sum() > 0, "no seats bound"
a = h5py.File("appointments.2.h5")
assert a["appointments"][()].sum() > 0, "nobody appointed"
# The dead pass 1/32 of the agents (the living, students and retired included, and the dead not
# yet compacted) in some month, the condition of ReplicateState::step: they were compacted.
living = a["workers"][0].sum(axis=(1, 2))
dead = a["exits"][0].cumsum()
assert (dead * 32 > living + dead).any(), "the dead were never compacted"
p = h5py.File("split.4.h5")
assert p["migrations"][()].sum() > 0, "nobody moved"
assert p["seats_binding"][()].sum() > 0 and p["money_binding"][()].sum() > 0, "nothing bound"
assert p["appointments"][()].sum() > 0, "nobody appointed"
s = h5py.File("schools.4.h5")
assert s["school_enrolments"][()].sum() > 0 and s["school_graduates"][()].sum() > 0
assert h5py.File("jincheng.2.h5").attrs["mpi_ranks"] == "2"
q = h5py.File("plan.4.h5")
for v in ["evaluations", "evaluation_queue", "competition_entrants", "competition_winners", "mentored"]:
    assert q[v][()].sum() > 0, v
assert h5py.File("national3.4.h5")["evaluations"][()].sum() > 0
e = h5py.File("employers.4.h5")
for v in ["employer_hires", "appointments", "appointments_no_post", "apprenticeship_no_place",
          "employer_self_evaluations", "work_based_training_retained", "work_based_training_unpaid",
          "employer_funding", "employer_matches", "migrations"]:
    assert e[v][()].sum() > 0, v
PY

# Checkpoints of a split run: rank 0 writes every rank's agents, gathered in agent order, so the
# checkpoint is the one a process writes (every dataset the same) and continues on any number of
# ranks, or on one process, to the uninterrupted run's file.
emp="$SOURCE_DIR/tests/data/split_employers.toml"
"$SKILLSIM" run "$emp" --replicates 2 --quiet --threads 1 --checkpoint one.ckpt --checkpoint-every 6 -o one.h5
"${mpi[@]}" -n 2 "$SKILLSIM" run "$emp" --replicates 2 --quiet --threads 1 --split-agents --checkpoint two.ckpt \
  --checkpoint-every 6 -o two.h5 > two.out 2> two.err
check "checkpoints on 2 ranks: exit 0" test $? -eq 0
check "checkpoints on 2 ranks: the results file is one process's" compare employers.h5 two.h5
check "checkpoints on 2 ranks: the checkpoint is one process's" "$PYTHON" - <<'PY'
import h5py, numpy as np
a, b = h5py.File("one.ckpt", "r"), h5py.File("two.ckpt", "r")
names = []
a.visititems(lambda name, item: names.append(name) if isinstance(item, h5py.Dataset) else None)
assert any("population/id" in n for n in names)
for n in names:
    assert np.array_equal(a[n][()], b[n][()]), n
for k in ["replicate", "month", "replicates", "months"]:
    assert a.attrs[k] == b.attrs[k], k
PY
check "no temporary file is left" test -z "$(find . -name '*.tmp-*')"
# A branch from month 18 of a split run (2 ranks), on 4 ranks and on 3: the 30-month run (after
# the switch to matching by level in month 13, which a shorter run would leave out).
"${mpi[@]}" -n 2 "$SKILLSIM" run "$emp" --set scenario.months=18 --replicates 2 --quiet --threads 1 --split-agents \
  --checkpoint w18.ckpt -o w18.h5 > w18.out 2> w18.err
check "a split run of 18 months with a checkpoint: exit 0" test $? -eq 0
for n in 4 3; do
  "${mpi[@]}" -n $n "$SKILLSIM" run "$emp" --from-checkpoint w18.ckpt --quiet --threads 1 --split-agents \
    -o branch.$n.h5 > branch.$n.out 2> branch.$n.err
  check "a branch on $n ranks: exit 0" test $? -eq 0
  check "a branch on $n ranks: the uninterrupted run's file" compare employers.h5 branch.$n.h5
done
# --resume of a run stopped after its first replicate, on 3 ranks and on one process.
cp two.ckpt stopped.ckpt
"$PYTHON" -c '
import h5py
f = h5py.File("stopped.ckpt", "r+")
del f["replicates/1"]
f.attrs["replicate"] = 0'
cp stopped.ckpt stopped1.ckpt
"${mpi[@]}" -n 3 "$SKILLSIM" run --resume stopped.ckpt --quiet --threads 1 --split-agents -o resumed.3.h5 \
  > resumed.out 2> resumed.err
check "resumed on 3 ranks: exit 0" test $? -eq 0
check "resumed on 3 ranks: the uninterrupted run's file" compare employers.h5 resumed.3.h5
"$SKILLSIM" run --resume stopped1.ckpt --quiet --threads 2 -o resumed.1.h5
check "resumed on one process: the uninterrupted run's file" compare employers.h5 resumed.1.h5
"$SKILLSIM" validate "$emp" --ranks 4 > validate.out
check "validate --ranks: the memory per rank, nothing refused" \
  bash -c 'grep -q "per rank of 4" validate.out && ! grep -q "does not do yet" validate.out'
# With checkpoints, rank 0's memory check and summary count every rank's agents, which it gathers
# to write one (docs/cluster.md, "Checkpoints of a split run"); without, they do not.
"${mpi[@]}" -n 2 "$SKILLSIM" run "$emp" --set scenario.months=2 --threads 1 --split-agents --checkpoint mem.ckpt \
  -o mem.h5 > mem.out 2> mem.err
check "a split run with a checkpoint: exit 0" test $? -eq 0
check "a split run with a checkpoint: rank 0's estimate counts the agents gathered" \
  contains mem.out "every rank's agents gathered on rank 0 at a checkpoint"
"${mpi[@]}" -n 2 "$SKILLSIM" run "$emp" --set scenario.months=2 --threads 1 --split-agents -o nockpt.h5 \
  > nockpt.out 2> nockpt.err
check "a split run without checkpoints: exit 0" test $? -eq 0
check "a split run without checkpoints: nothing gathered" lacks nockpt.out "gathered"
"${mpi[@]}" -n 2 "$SKILLSIM" run jincheng_2020_2021 --set population.scale=100 -o nosplit.h5 > ns.out 2> ns.err
check "a launcher without --split-agents: refused" contains ns.err "add --split-agents"
check "a launcher without --split-agents: nothing written" test ! -e nosplit.h5

# Errors are said once (docs/cluster.md, "Errors are said once"), and every rank exits non-zero.
# count FILE TEXT N: TEXT is on exactly N lines of FILE.
count() { local n; n=$(grep -cF -- "$2" "$1"); [ "$n" -eq "$3" ] || { echo "--- $1 has '$2' $n times, not $3:"; cat "$1"; return 1; }; }
sr="$SOURCE_DIR/tests/data/split_ranks.toml"
# An invalid --set and a missing scenario, met by every rank: rank 0 says them.
"${mpi[@]}" -n 2 "$SKILLSIM" run "$sr" --split-agents --set no.such.key=1 -o bad.h5 > bad.out 2> bad.err
check "an invalid --set on 2 ranks: exit status 2" test $? -eq 2
check "... said once" count bad.err "skillsim: the scenario is invalid" 1
check "... naming the key once" count bad.err "no.such.key" 1
"${mpi[@]}" -n 3 "$SKILLSIM" run nothere.toml --split-agents -o bad.h5 > bad.out 2> bad.err
check "a missing scenario on 3 ranks: exit status 2" test $? -eq 2
check "... said once" count bad.err "nothere.toml" 1
"${mpi[@]}" -n 2 "$SKILLSIM" run --resume x.ckpt --set a=1 --split-agents > bad.out 2> bad.err
check "a usage error on 2 ranks: exit status 2" test $? -eq 2
check "... said once" count bad.err "--resume takes no --set" 1
check "a launcher without --split-agents: said once" count ns.err "add --split-agents" 1
# An error every rank meets during the run (a checkpoint whose results lack a variable, resumed):
# rank 0 says it and ends the run.
"$SKILLSIM" run "$sr" --replicates 2 --quiet --threads 1 --checkpoint err.ckpt -o err.h5
"$PYTHON" - <<'PY'
import shutil, h5py
for name, lacks in [("good.ckpt", None), ("bad.ckpt", "results/workers")]:
    shutil.copy("err.ckpt", name)
    f = h5py.File(name, "r+")
    del f["replicates/1"]  # replicate 2 not started: the run goes on
    f.attrs["replicate"] = 0
    if lacks:
        del f[lacks]
PY
"${mpi[@]}" -n 2 "$SKILLSIM" run --resume bad.ckpt --quiet --split-agents -o bad.h5 > bad.out 2> bad.err
check "an error in the run on every rank: exit non-zero" test $? -ne 0
check "... said once" count bad.err "the saved results lack the variable 'workers'" 1
check "... by rank 0" lacks bad.err "skillsim: rank 1 of 2"
check "... nothing written" test ! -e bad.h5
# Errors only rank 1 meets (its command line differs: an MPMD launch): said by rank 1, before the
# run (a scenario its node would not see) and during it (a saved state only it reads).
"${mpi[@]}" -n 1 "$SKILLSIM" run "$sr" --split-agents -o local.h5 : -n 1 "$SKILLSIM" run nothere.toml --split-agents \
  -o local.h5 > local.out 2> local.err
check "an error of rank 1 alone before the run: exit non-zero" test $? -ne 0
check "... said by rank 1" count local.err "skillsim: rank 1 of 2:" 1
check "... naming the file" count local.err "nothere.toml" 1
"${mpi[@]}" -n 1 "$SKILLSIM" run --resume good.ckpt --quiet --split-agents -o local.h5 : \
  -n 1 "$SKILLSIM" run --resume bad.ckpt --quiet --split-agents -o local.h5 > local.out 2> local.err
check "an error of rank 1 alone in the run: exit non-zero" test $? -ne 0
check "... said by rank 1" count local.err "skillsim: rank 1 of 2:" 1
check "... once" count local.err "the saved results lack the variable 'workers'" 1
check "... nothing written" test ! -e local.h5

finish
