#!/usr/bin/env bash
# Checkpoints end to end (docs/checkpoints.md): a branch from a checkpoint with no --set equals
# the original run; a run killed with kill -9 and resumed equals the uninterrupted run (resumed
# on 2 threads, the original on 1); the messages for every way of getting it wrong.
# Needs SKILLSIM (the binary), PYTHON (with h5py) and SOURCE_DIR.
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

same() { # same A.h5 B.h5: every variable bit for bit
  "$PYTHON" "$SOURCE_DIR/scripts/compare-results.py" "$1" "$2" > compare.out 2>&1 || { cat compare.out; return 1; }
}
status() { # status EXPECTED COMMAND...: the command's exit status (its stderr in err.out)
  local expected=$1; shift
  "$@" > out.out 2> err.out
  local got=$?
  [ "$got" -eq "$expected" ] || { echo "--- exit $got, expected $expected: $*"; cat err.out; return 1; }
}

# One programme and one fund, 24 months.
sed 's/^months = 6/months = 24/' "$SOURCE_DIR/tests/data/one_programme.toml" > s.toml

# --- A branch: 12 months saved, continued to 24 by the same scenario.
"$SKILLSIM" run s.toml --replicates 2 --quiet -o full.h5
check "the original run (exit 0)" test $? -eq 0
"$SKILLSIM" run s.toml --replicates 2 --set scenario.months=12 --checkpoint w.h5 --quiet -o short.h5
check "a run with --checkpoint (exit 0)" test $? -eq 0
check "its final checkpoint stays" test -f w.h5
"$SKILLSIM" info w.h5 > info.out
check "info describes a finished checkpoint" contains info.out "finished: branch from it"
check "... with its --set" contains info.out "Checkpoint of:   s.toml --set scenario.months=12"
"$SKILLSIM" run s.toml --from-checkpoint w.h5 -o branch.h5 > branch.out
check "a branch (exit 0)" test $? -eq 0
check "a branch with no --set equals the original run" same full.h5 branch.h5
check "a branch prints the summary" contains branch.out "Results: branch.h5"
"$SKILLSIM" run s.toml --from-checkpoint w.h5 --set 'programmes.seats_per_month=[[150]]' -o policy.h5 --quiet
check "a branch with another policy (exit 0)" test $? -eq 0
check "it shares the saved months and differs after them" "$PYTHON" -c '
import h5py, sys
a, b = h5py.File("full.h5", "r")["enrolments"][()], h5py.File("policy.h5", "r")["enrolments"][()]
sys.exit(0 if (a[:, :13] == b[:, :13]).all() and (a[:, 13:] != b[:, 13:]).any() else 1)'

# --- A branch from a run shortened before a schedule entry: the 12-month run of the employers'
# scenario leaves out its switch to matching by level (2021-01), and with it employer_seekers and
# employer_matches; the branch under the whole file declares them (0 in the months it took over)
# and equals the 30-month run made in one go.
emp="$SOURCE_DIR/tests/data/split_employers.toml"
"$SKILLSIM" run "$emp" --quiet -o emp_full.h5
"$SKILLSIM" run "$emp" --set scenario.months=12 --checkpoint emp12.ckpt --quiet -o emp12.h5 2> emp12.err
check "the shortened run leaves the schedule entry out" contains emp12.err "these schedule entries, dated after it, are left out"
check "... and its employer_seekers" "$PYTHON" -c 'import h5py, sys; sys.exit("employer_seekers" in h5py.File("emp12.h5", "r"))'
check "a branch from the shortened run (exit 0)" status 0 "$SKILLSIM" run "$emp" --from-checkpoint emp12.ckpt --quiet -o emp_branch.h5
check "... equals the run made in one go, employer_seekers included" same emp_full.h5 emp_branch.h5

# --- Killed with kill -9 while checkpointing every 3 months, then resumed.
sed 's/^size = 20_000/size = 60_000/; s/^school_leavers_per_year = 330/school_leavers_per_year = 990/;
     s/^technical_school_graduates_per_year = 22/technical_school_graduates_per_year = 66/' s.toml > big.toml
"$SKILLSIM" run big.toml --replicates 3 --threads 1 --quiet -o uninterrupted.h5
"$SKILLSIM" run big.toml --replicates 3 --threads 1 --checkpoint k.h5 --checkpoint-every 3 --quiet -o resumed.h5 &
pid=$!
for _ in $(seq 1 3000); do [ -e k.h5 ] && break; sleep 0.01; done
kill -9 "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
check "a checkpoint was written before the kill" test -f k.h5
check "no results file from the killed run" test ! -e resumed.h5
"$SKILLSIM" info k.h5 > killed.out
grep -E "Position|State" killed.out # in the log: where it was killed
"$SKILLSIM" run --resume k.h5 --threads 2 > resume.out 2> resume.err
check "resumed (exit 0)" test $? -eq 0
check "the resumed run (2 threads) equals the uninterrupted one (1 thread)" same uninterrupted.h5 resumed.h5
check "no temporary file is left" test -z "$(find . -name '*.tmp-*')"
check "the summary names the checkpoint" contains resume.out "Checkpoint: k.h5"

# --- Interrupted (Ctrl-C) after a checkpoint: the message says how to continue.
"$SKILLSIM" run big.toml --replicates 3 --checkpoint i.h5 --checkpoint-every 3 --quiet -o interrupted.h5 2> int.err &
pid=$!
for _ in $(seq 1 3000); do [ -e i.h5 ] && break; sleep 0.01; done
kill -INT "$pid"
wait "$pid"
check "interrupted (exit 130)" test $? -eq 130
check "... says how to continue" contains int.err "the checkpoint i.h5 holds the run so far; continue it with: skillsim run --resume i.h5"

# --- Mistakes.
check "--resume with a SCENARIO (exit 2)" status 2 "$SKILLSIM" run s.toml --resume k.h5
check "... says to give none" contains err.out "--resume continues the run saved in the checkpoint, which holds its scenario: give no SCENARIO"
check "--resume with --set (exit 2)" status 2 "$SKILLSIM" run --resume k.h5 --set scenario.months=3
check "... says the checkpoint holds the run" contains err.out "--resume takes no --set: the checkpoint holds the run"
check "--checkpoint-every alone (exit 2)" status 2 "$SKILLSIM" run s.toml --checkpoint-every 3
check "... needs --checkpoint" contains err.out "--checkpoint-every needs --checkpoint FILE"
check "--from-checkpoint without SCENARIO (exit 2)" status 2 "$SKILLSIM" run --from-checkpoint w.h5
check "... needs one" contains err.out "--from-checkpoint needs a SCENARIO"
check "--from-checkpoint with --seed (exit 2)" status 2 "$SKILLSIM" run s.toml --from-checkpoint w.h5 --seed 4
check "a missing checkpoint (exit 1)" status 1 "$SKILLSIM" run --resume nothere.h5
check "... is named" contains err.out "skillsim: checkpoint file 'nothere.h5': no such file"
check "a results file as a checkpoint (exit 1)" status 1 "$SKILLSIM" run --resume full.h5
check "... is told apart" contains err.out "'full.h5' is a skillsim results file, not a checkpoint"
check "an existing checkpoint file (exit 1)" status 1 "$SKILLSIM" run s.toml --checkpoint w.h5 -o other.h5
check "... is not overwritten without --force" contains err.out "checkpoint file 'w.h5' exists; use --resume 'w.h5' to continue its run, --force to overwrite it"

cp w.h5 old.h5
"$PYTHON" -c 'import h5py; h5py.File("old.h5", "r+").attrs["engine_version"] = "0.0.1"'
check "another engine version (exit 1)" status 1 "$SKILLSIM" run s.toml --from-checkpoint old.h5 -o x.h5
check "... names both versions" contains err.out "checkpoint file 'old.h5': written by skillsim 0.0.1 (checkpoint format 7); this is skillsim "

cp w.h5 unfinished.h5 # replicate 2 of 2 not started
"$PYTHON" -c '
import h5py
f = h5py.File("unfinished.h5", "r+")
del f["replicates/1"]
f.attrs["replicate"] = 0'
check "a branch from an unfinished run (exit 2)" status 2 "$SKILLSIM" run s.toml --from-checkpoint unfinished.h5 -o x.h5
check "... says to finish it first" contains err.out "cannot branch from checkpoint unfinished.h5: its run is unfinished (replicate 1 of 2 at month 12 of 12); finish it first with: skillsim run --resume unfinished.h5"

check "an incompatible branch (exit 2)" status 2 "$SKILLSIM" run s.toml --set scenario.start=2019-01-01 --set scenario.months=6 --from-checkpoint w.h5 -o x.h5
check "... names what differs" contains err.out "s.toml cannot continue the run saved in w.h5 (s.toml, 12 months):"
check "... the start" contains err.out "scenario.start is 2019-01-01, the saved run's 2020-01-01"
check "... the months" contains err.out "scenario.months is 6, fewer than the 12 months the saved run simulated"
check "a branch that declares employers (exit 2)" status 2 "$SKILLSIM" run s.toml --from-checkpoint w.h5 -o x.h5 --set 'employers.size_classes=["all"]' --set 'employers.labels=["全部"]' --set 'employers.size_shares=[[1, 1, 1]]'
check "... names the optional column and its key" contains err.out "the saved population lacks the 'employer' column, which this scenario needs (employers.size_classes); its run had none"
check "a branch checkpointing onto its origin (exit 2)" status 2 "$SKILLSIM" run s.toml --from-checkpoint w.h5 --checkpoint ./w.h5 -o x.h5
check "... is refused" contains err.out "is the checkpoint branched from: choose another file"
check "nothing was written by the refused runs" test ! -e x.h5 -a ! -e other.h5

finish
