#!/usr/bin/env bash
# `mpirun -n N skillsim run SCENARIO --split-agents` (docs/cluster.md, "One run over ranks"): each
# replicate's agents split over N ranks give the same results file, bit for bit, as one process,
# for 1, 2 and 4 ranks; what is not split yet is refused, naming the key or option; a launcher
# without --split-agents is refused. Scenarios that run in seconds and exercise programmes with
# binding seats and money, quotas of appointments, migration between regions, groups, entrants,
# technical schools and compaction of the dead.
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
# Quotas of 特级技师/首席技师 (from 2022 by schedule), ten years: deaths reach 1/32 of the agents,
# so the dead are compacted during the run.
same appointments appointments_2020_2030 --set population.scale=200
# Three regions with migration, programmes with seats by region and a fund that runs short, quotas.
same split "$SOURCE_DIR/tests/data/split_ranks.toml" --replicates 2
# Technical schools (initial students on the last rank), entrants, groups with time limits.
same schools "$SOURCE_DIR/tests/data/schools.toml" --set scenario.months=24
same national national_2016 --set population.scale=20000 --set scenario.months=24
# Evaluators (completers and ordinary candidates queued), skills competitions, master studios.
same plan jincheng_plan_2020_2021 --set population.scale=40 --replicates 1
# Evaluators with four programmes, schools and groups, nationally.
same national3 national_2019_2021 --set population.scale=10000 --replicates 1

check "the binding seats and money were exercised" "$PYTHON" - <<'PY'
import h5py
f = h5py.File("jincheng.4.h5")
assert f["seats_binding"][()].sum() > 0, "no seats bound"
a = h5py.File("appointments.2.h5")
assert a["appointments"][()].sum() > 0, "nobody appointed"
# Deaths pass 1/32 of the agents: the dead were compacted during the run (on every rank at once).
assert a["exits"][()].sum() / a["workers"][0, 0].sum() > 1 / 32
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
PY

# What is not split yet: refused on rank 0 with the key, nothing written.
employers=(--set 'employers.size_classes=["large", "small"]' --set 'employers.labels=["大型企业", "中小企业"]'
  --set 'employers.size_shares=[[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]]')
"${mpi[@]}" -n 2 "$SKILLSIM" run "$SOURCE_DIR/tests/data/one_programme.toml" "${employers[@]}" --split-agents \
  -o employers.h5 > employers.out 2> employers.err
check "unsupported: exit 2" test $? -eq 2
check "unsupported: names employers.size_classes" contains employers.err "employers.size_classes"
check "unsupported: said once (rank 0)" test "$(grep -c 'does not do yet' employers.err)" -eq 1
check "unsupported: nothing written" test ! -e employers.h5
"$SKILLSIM" validate "$SOURCE_DIR/tests/data/one_programme.toml" "${employers[@]}" --ranks 4 > validate.out
check "validate --ranks: the memory per rank and the refusal" \
  bash -c 'grep -q "per rank of 4" validate.out && grep -q "employers.size_classes" validate.out'
"${mpi[@]}" -n 2 "$SKILLSIM" run jincheng_2020_2021 --split-agents --checkpoint c.h5 -o c.out.h5 > cp.out 2> cp.err
check "checkpoints refused, naming the option" contains cp.err "--split-agents cannot be combined with --checkpoint"
"${mpi[@]}" -n 2 "$SKILLSIM" run jincheng_2020_2021 --set population.scale=100 -o nosplit.h5 > ns.out 2> ns.err
check "a launcher without --split-agents: refused" contains ns.err "add --split-agents"
check "a launcher without --split-agents: nothing written" test ! -e nosplit.h5

finish
