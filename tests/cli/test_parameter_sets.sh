#!/usr/bin/env bash
# run.parameter_sets end to end: `skillsim run` records which set each replicate ran under, the
# sets' values and the file's text; `skillsim validate` lists every problem of a bad sets file.
# Needs SKILLSIM (the binary), SOURCE_DIR and PYTHON (with h5py).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

mkdir plan
cat > plan/plan.toml <<'TOML'
[scenario]
name = "sets"
start = 2020-01-01
months = 3

[run]
parameter_sets = "sets.csv"

[population]
size = 20000
TOML
cat > plan/sets.csv <<'CSV'
skills.pass_probability[senior],labour.job_loss_rate
0.2,0.01
0.9,0.02
CSV
"$SKILLSIM" validate plan/plan.toml > valid.out 2>&1
check "a scenario with a good sets file is valid (exit 0)" test $? -eq 0
"$SKILLSIM" run plan/plan.toml --replicates 3 --quiet -o sets.h5 > run.out 2>&1
check "it runs (exit 0)" test $? -eq 0
check "the file holds the set of each replicate, the values and the sets file" "$PYTHON" - sets.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
assert list(f["parameter_set"][...]) == [0, 1, 0], f["parameter_set"][...]
assert np.array_equal(f["skills.pass_probability[senior]"][...], [0.2, 0.9, 0.2])
assert np.array_equal(f["labour.job_loss_rate"][...], [0.01, 0.02, 0.01])
text = f.attrs["parameter_sets"]
text = text.decode() if isinstance(text, bytes) else text
assert text.startswith("skills.pass_probability[senior],labour.job_loss_rate\n"), text
assert "workers_stats" in f
PY

# A branch from a checkpoint continues each replicate under its set: 2 months saved, continued to
# 3, equals the run of 3 months.
"$SKILLSIM" run plan/plan.toml --replicates 3 --set scenario.months=2 --checkpoint w.ckpt --quiet -o short.h5
check "a run with --checkpoint (exit 0)" test $? -eq 0
"$SKILLSIM" run plan/plan.toml --from-checkpoint w.ckpt --quiet -o branch.h5
check "a branch (exit 0)" test $? -eq 0
check "the branch equals the uninterrupted run" "$PYTHON" "$SOURCE_DIR/scripts/compare-results.py" sets.h5 branch.h5
# A resumed run reads the sets file again: it must not have changed.
printf 'skills.pass_probability[senior],labour.job_loss_rate\n0.2,0.01\n0.9,0.03\n' > plan/sets.csv
"$SKILLSIM" run --resume w.ckpt --quiet -o resumed.h5 > resume.out 2> resume.err
check "a resume with a changed sets file is refused (exit 2)" test $? -eq 2
check "says the sets file has changed" contains resume.err "run.parameter_sets: the parameter sets file"
check "... since the run started" contains resume.err "has changed since the checkpointed run started"

# run.parameter_set_columns: only the listed columns are used (an unlisted level share that would
# break the margins and a text column are ignored); the results say which; a resume works.
mkdir cols
sed 's/^parameter_sets = "sets.csv"$/&\nparameter_set_columns = ["labour.job_loss_rate"]/' plan/plan.toml > cols/plan.toml
printf 'population.level_shares[none],labour.job_loss_rate,note\n2,0.01,first\n2,0.02,second\n' > cols/sets.csv
"$SKILLSIM" run cols/plan.toml --replicates 3 --checkpoint cols.ckpt --quiet -o cols.h5 > cols.out 2>&1
check "a run with parameter_set_columns (exit 0)" test $? -eq 0
check "only the listed columns are recorded, and which they are" "$PYTHON" - cols.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
assert np.array_equal(f["labour.job_loss_rate"][...], [0.01, 0.02, 0.01])
assert "population.level_shares[none]" not in f and "note" not in f
columns = f.attrs["parameter_set_columns"]
assert (columns.decode() if isinstance(columns, bytes) else columns) == "labour.job_loss_rate", columns
text = f.attrs["parameter_sets"]
assert (text.decode() if isinstance(text, bytes) else text).startswith("population.level_shares[none],"), text
PY
"$SKILLSIM" run --resume cols.ckpt --quiet -o cols-resumed.h5 > cols-resume.out 2>&1
check "a resume of it (exit 0)" test $? -eq 0
check "... gives the same results" "$PYTHON" "$SOURCE_DIR/scripts/compare-results.py" cols.h5 cols-resumed.h5
sed 's/"labour.job_loss_rate"\]$/"labour.job_los_rate"]/' cols/plan.toml > cols/bad.toml
"$SKILLSIM" validate cols/bad.toml > cols-bad.out 2> cols-bad.err
check "a listed column not in the file is a usage error (exit 2)" test $? -eq 2
check "... reported at the list, with a suggestion" contains cols-bad.err \
  "cols/bad.toml:8:26: run.parameter_set_columns[0]: 'labour.job_los_rate' is not a column of the parameter sets file cols/sets.csv; did you mean 'labour.job_loss_rate'?"

cat > plan/sets.csv <<'CSV'
skills.pass_probabilty[senior],run.seed,labour.job_loss_rate,labour.job_loss_rate
0.2,1,x,0.01
0.9,1
CSV
"$SKILLSIM" validate plan/plan.toml > bad.out 2> bad.err
check "a bad sets file is a usage error (exit 2)" test $? -eq 2
check "unknown key, with a suggestion" contains bad.err \
  "plan/sets.csv:1:1: skills.pass_probabilty[senior]: unknown parameter; did you mean skills.pass_probability?"
check "a key every replicate shares" contains bad.err "plan/sets.csv:1:32: run.seed: cannot differ between parameter sets"
check "a key twice" contains bad.err "plan/sets.csv:1:62: labour.job_loss_rate: given twice"
check "a value that is no number" contains bad.err "plan/sets.csv:2:7: labour.job_loss_rate: 'x' is not a finite number"
check "a row of the wrong length" contains bad.err "plan/sets.csv:3:1: expected 4 values"

cat > plan/sets.csv <<'CSV'
skills.pass_probability[senior]
0.5
1.5
CSV
"$SKILLSIM" validate plan/plan.toml > refused.out 2> refused.err
check "a set the checks refuse (exit 2)" test $? -eq 2
check "names the row and the check" contains refused.err \
  "plan/sets.csv:3:1: skills.pass_probability[4]: set 1 (0-based row) is refused by the parameters' checks"
"$SKILLSIM" run plan/plan.toml --quiet -o refused.h5 > refused-run.out 2>&1
check "run refuses it too (exit 2)" test $? -eq 2
# A sweep over a base with parameter sets: every run's replicate r under set r; a key both varied
# and in the sets is refused.
mkdir swept
cp plan/plan.toml swept/plan.toml
printf 'skills.pass_probability[senior],labour.job_loss_rate\n0.2,0.01\n0.9,0.02\n' > swept/sets.csv
printf '[sweep]\nbase = "plan.toml"\ndesign = "list"\n[vary]\n"labour.job_find_multiplier" = [0.9, 1.1]\n' > swept/sweep.toml
"$SKILLSIM" sweep swept/sweep.toml --replicates 3 --quiet -o sweep.h5 > sweep.out 2>&1
check "a sweep over a base with sets runs (exit 0)" test $? -eq 0
check "each run's replicates ran under their sets" "$PYTHON" - sweep.h5 <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
assert f["parameter_set"].shape == (2, 3) and (f["parameter_set"][...] == [0, 1, 0]).all()
assert np.array_equal(f["labour.job_loss_rate"][1], [0.01, 0.02, 0.01])
PY
printf '[sweep]\nbase = "plan.toml"\ndesign = "list"\n[vary]\n"labour.job_loss_rate" = [0.01, 0.03]\n' > swept/clash.toml
"$SKILLSIM" sweep swept/clash.toml --replicates 3 --quiet -o clash.h5 > clash.out 2> clash.err
check "a key both varied and in the sets is refused (exit 2)" test $? -eq 2
check "says where and why" contains clash.err \
  "clash.toml:5:1: vary.labour.job_loss_rate: is also in the base's parameter sets"
finish
