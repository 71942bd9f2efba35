#!/usr/bin/env bash
# `skillsim validate` on sweep files (docs/sweeps.md): a valid one says how many runs of which
# base; a mistake in the file, in a varied key or in the base is reported at its place.
# Needs SKILLSIM (the binary).
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

cat > grid.toml <<'TOML'
[sweep]
base = "jincheng_plan_2020_2021"
design = "grid"

[vary]
"funds.annual_envelope[upgrading_account]" = [40e6, 52e6, 70e6]
"labour.job_find_multiplier" = [0.8, 1.0]
TOML
"$SKILLSIM" validate grid.toml > grid.out 2> grid.err
check "a valid sweep (exit 0)" test $? -eq 0
check "a valid sweep says its runs and base" contains grid.out "grid.toml: valid sweep of 6 runs of"

# A base next to the sweep file is found there before the bundled ones.
printf '[scenario]\nname = "mine"\nstart = 2020-01-01\nmonths = 6\n' > mine.toml
printf '[sweep]\nbase = "mine.toml"\ndesign = "sobol"\nsamples = 16\n[vary]\n"labour.job_find_multiplier" = { low = 0.5, high = 1.5 }\n' > beside.toml
"$SKILLSIM" validate beside.toml > beside.out 2> beside.err
check "a base beside the sweep file (exit 0)" test $? -eq 0
check "the base is the file beside it" contains beside.out "valid sweep of 16 runs of mine.toml"

printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesing = "grid"\n[vary]\n"labour.job_find_multiplier" = [1]\n' > typo.toml
"$SKILLSIM" validate typo.toml 2> typo.err
check "a sweep-file mistake (exit 2)" test $? -eq 2
check "the mistake is located, with a suggestion" contains typo.err "typo.toml:3:1: sweep.desing: unknown key (did you mean design?)"
check "the count names the file" contains typo.err "1 problem in typo.toml"

printf '[sweep]\nbase = "jincheng_plan_2020_2021"\n[vary]\n"funds.annual_envelope[upgrading]" = [1]\n' > row.toml
"$SKILLSIM" validate row.toml 2> row.err
check "an unknown row name (exit 2)" test $? -eq 2
check "the row names there are" contains row.err "row.toml:4:1: vary.funds.annual_envelope[upgrading]: 'upgrading' is not a fund"
check "... listed" contains row.err "one of: upgrading_account, employment_subsidy"

# A parameter every run shares cannot vary: it says why and what to do instead.
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\n[vary]\n"labour.job_find_rate" = [0.1]\n"scenario.months" = [12, 24]\n' > months.toml
"$SKILLSIM" validate months.toml 2> months.err
check "a key every run shares (exit 2)" test $? -eq 2
check "... refused with the reason" contains months.err "months.toml:5:1: vary.scenario.months: cannot vary in a sweep: every run shares the time axis; run sweeps of different lengths separately"

# A syntax error is the sweep file's, worded as in scenarios.
printf '[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = grid\n[vary]\n"labour.job_find_rate" = [0.1]\n' > syntax.toml
"$SKILLSIM" validate syntax.toml 2> syntax.err
check "a syntax error (exit 2)" test $? -eq 2
check "... located and in plain words" contains syntax.err "syntax.toml:3:10: sweep.design: expected a string, got 'grid' (write text in quotes: \"grid\")"
check "... counted as the file's" contains syntax.err "1 problem in syntax.toml"

printf '[sweep]\nbase = "jincheng_plan_2021"\n[vary]\n"labour.job_find_rate" = [1]\n' > nobase.toml
"$SKILLSIM" validate nobase.toml 2> nobase.err
check "a base that does not exist (exit 2)" test $? -eq 2
check "the missing base is named as the sweep's" contains nobase.err "nobase.toml: sweep.base: no scenario named 'jincheng_plan_2021'"

printf '[sweep]\nbase = "mine.toml"\n[vary]\n"labour.job_find_rate" = [0.1]\n' > setbase.toml
"$SKILLSIM" validate setbase.toml --set scenario.months=ten 2> setbase.err
check "--set problems of the base are reported (exit 2)" test $? -eq 2
check "... as --set" contains setbase.err "1 problem in --set"

finish
