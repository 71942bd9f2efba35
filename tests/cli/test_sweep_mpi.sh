#!/usr/bin/env bash
# `mpirun -n N skillsim sweep` (docs/cluster.md): the same file for 1, 2 and 3 ranks; a failed run
# recorded while the other ranks go on; rank 0's refusal ends every rank with one message; a
# sweep killed under mpirun resumes on another number of ranks to the uninterrupted file.
# Needs SKILLSIM (built with MPI), MPIEXEC, SOURCE_DIR and PYTHON (with h5py, numpy).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"
# shellcheck source=../lib/mpi.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/mpi.sh"

small=(--set population.scale=100 --replicates 2 --quiet)
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = "latin_hypercube"\nsamples = 7\nsampling_seed = 5\n[vary]\n"labour.job_find_multiplier" = { low = 0.8, high = 1.2 }\n"programmes.seats_per_month[key_groups][晋城市]" = { low = 500, high = 5000 }\n' > lhs.toml

"$SKILLSIM" sweep lhs.toml "${small[@]}" --threads 1 -o one.h5
"${mpi[@]}" -n 2 "$SKILLSIM" sweep lhs.toml "${small[@]}" -o two.h5 > two.out 2> two.err
check "2 ranks exit 0" test $? -eq 0
check "1 rank and 2 ranks: the same file" compare one.h5 two.h5
"${mpi[@]}" -n 3 "$SKILLSIM" sweep lhs.toml "${small[@]}" --threads 2 -o three.h5 2> three.err
check "3 ranks of 2 threads: the same file" compare one.h5 three.h5
check "no journal or per-rank file left" bash -c '! ls *.journal *.tmp-* 2>/dev/null'
check "the file says how many ranks made it" "$PYTHON" -c "
import h5py; assert h5py.File('three.h5').attrs['mpi_ranks'] == '3'"

# A failed run: recorded; the other runs finish on the other ranks; exit 1.
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = "list"\n[vary]\n"skills.pass_probability[senior]" = [0.5, 1.5, 0.6, 0.7]\n' > fails.toml
"${mpi[@]}" -n 2 "$SKILLSIM" sweep fails.toml "${small[@]}" -o fails.h5 > fails.out 2> fails.err
check "a failed run under MPI exits 1" test $? -ne 0
check "the failed run is recorded, the others are there" "$PYTHON" - <<'PY'
import h5py, numpy as np
f = h5py.File("fails.h5")
assert f["run_failed"][()].tolist() == [0, 1, 0, 0]
assert "scenario 1:" in f.attrs["failed_runs"]
assert (f["skilled_workers"][[0, 2, 3]] > 0).all()
PY

# Rank 0 refuses (the file exists): every rank ends, with one message.
"${mpi[@]}" -n 2 "$SKILLSIM" sweep lhs.toml "${small[@]}" -o one.h5 > refuse.out 2> refuse.err
check "an existing file is refused under MPI" test $? -ne 0
check "one message" test "$(grep -c 'exists; use --force' refuse.err)" -eq 1

# Killed under mpirun (kill -9 of every rank) once runs are journaled; resumed on 3 ranks.
"${mpi[@]}" -n 2 "$SKILLSIM" sweep lhs.toml "${small[@]}" -o killed.h5 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 300); do [ "$(stat -c %s killed.h5.journal 2> /dev/null || echo 0)" -gt 32 ] && break; sleep 0.02; done
pkill -9 -f "skillsim sweep lhs.toml.*killed.h5"
kill -9 "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
check "the kill left a journal" test -e killed.h5.journal
check "and no results file" test ! -e killed.h5
"${mpi[@]}" -n 3 "$SKILLSIM" sweep lhs.toml "${small[@]}" --resume -o killed.h5
check "resumed on 3 ranks: the uninterrupted file" compare one.h5 killed.h5
# The Slurm job script of docs/cluster.md, with mpirun for srun: the same file; submitted again,
# it finds the sweep complete.
export SKILLSIM SWEEP=lhs.toml OUT=slurm.h5 MPIEXEC="${mpi[*]} -n 2"
bash "$SOURCE_DIR/scripts/cluster/sweep.slurm" "${small[@]}" > slurm.out 2>&1
check "the Slurm script runs the sweep" compare one.h5 slurm.h5
bash "$SOURCE_DIR/scripts/cluster/sweep.slurm" --set population.scale=100 --replicates 2 > slurm2.out 2>&1
check "resubmitted, it finds the sweep complete" contains slurm2.out "is complete"
finish
