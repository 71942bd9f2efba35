#!/usr/bin/env bash
# The command line on first contact with scenario files: an empty file is refused (and writes no
# default.h5), and a --set value that is no value says what the key takes, not what the TOML
# parser was doing. Needs SKILLSIM (the binary).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

# An empty file (a byte-order mark and a comment) names no scenario and no start.
printf '\xef\xbb\xbf# to do\n' > empty.toml
"$SKILLSIM" validate empty.toml > validate.out 2> validate.err
check "validate refuses an empty file (exit 2)" test $? -eq 2
check "validate says what is missing" contains validate.err \
  'empty.toml: the scenario has no [scenario] table: add [scenario] with name = "..." and start = YYYY-MM-01'
check "validate does not call it valid" lacks validate.out "valid"
"$SKILLSIM" run empty.toml --replicates 1 --quiet > run.out 2> run.err
check "run refuses an empty file (exit 2)" test $? -eq 2
check "run says what is missing" contains run.err "the scenario has no [scenario] table"
check "no default.h5" test ! -e default.h5

# A [scenario] table without start: that key is named, at the table's line.
printf '# c\n[scenario]\nname = "x"\n' > nostart.toml
"$SKILLSIM" validate nostart.toml 2> nostart.err
check "missing start (exit 2)" test $? -eq 2
check "missing start is located" contains nostart.err "nostart.toml:2:1: scenario.start: missing: add start = YYYY-MM-01"

# --set with text that is no value: the key's kind and unit, and the text.
printf '[scenario]\nname = "x"\nstart = 2020-01-01\n' > ok.toml
"$SKILLSIM" validate ok.toml --set scenario.months=ten 2> set.err
check "bad --set (exit 2)" test $? -eq 2
check "bad --set says what was expected" contains set.err "--set: scenario.months: expected an integer (months), got 'ten'"
check "no parser internals" lacks set.err "Error while parsing"
check "the count names --set, not the file" contains set.err "1 problem in --set"
"$SKILLSIM" run ok.toml --quiet --set scenario.months=ten 2> run_set.err
check "run counts the --set problem too" contains run_set.err "the scenario is invalid (1 problem in --set)"
"$SKILLSIM" validate ok.toml --set scenario.name=x --set scenario.start=2020-01-01 > ok.out
check "a file with name and start is valid" contains ok.out "ok.toml: valid"
finish
