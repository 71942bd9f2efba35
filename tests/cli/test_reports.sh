#!/usr/bin/env bash
# End-to-end tests of what the command line reports: the run summary's money figures and its
# columns with large figures and long labels, the appointments section, and `skillsim pathways`
# (reasons for unreachable levels, --at, expected times beyond a working life).
# Needs SKILLSIM (the binary), SOURCE_DIR and PYTHON.
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

# 1. Money in the summary is rounded to the nearest 1,000 yuan, like the persons' figures end in
# the scale's zeros (the 专账's 33,333,333,333 a year used to show as 23,2xx,xxx,499). Figures
# far larger than the columns' usual widths (a 2-billion pool, trillions of yuan) and long labels
# widen their columns: every column still lines up, with space between cells.
"$SKILLSIM" run national_2019_2021 --replicates 1 -o big.h5 --force \
  --set population.size=2_000_000_000 --set population.scale=3000 \
  --set 'funds.annual_envelope=[33_333_333_333_333, 6_000_000_000_000, 1_000_000_000]' \
  --set 'funds.labels=["职业技能提升行动专账和另外一个很长很长很长很长的名字", "就业补助资金", "职工教育经费"]' > big.out
check "large-figure run exits 0" test $? -eq 0
money_rounded() { # every figure of the Funds rows is 0 or ends in ,000
  sed -n '/^Funds /,/^(/p' big.out | grep '^  ' | grep -oE '[0-9][0-9,]*' > funds.figures || return 1
  test "$(wc -l < funds.figures)" -eq 6 || { cat big.out; return 1; }
  ! grep -vE '^(0|[0-9,]*,000)$' funds.figures || { echo "--- not rounded:"; cat big.out; return 1; }
}
check "money to the nearest 1,000 yuan" money_rounded
check "the rule is stated" contains big.out "money to the nearest 1,000 yuan"
check "large figures: columns line up" "$PYTHON" "$SOURCE_DIR/tests/cli/check_summary_columns.py" big.out

# 2. Appointments: the appointments scenario's quotas open by schedule in 2022 (0 at the start);
# its summary shows what was appointed and what was left unfilled (首席技师 need 36 months as
# 特级技师 first, so the early places go unfilled), and the results file has the variables. A
# scenario without quotas (Jincheng) has no such section.
"$SKILLSIM" run appointments_2020_2030 --replicates 1 -o app.h5 > app.out
check "appointments run exits 0" test $? -eq 0
check "appointments section" contains app.out "Appointments (totals over the run)             appointed   unfilled"
appointed() { # appointed LEVEL_LABEL: prints the row's two figures without separators
  grep -E "^  $1 " app.out | awk '{gsub(",", ""); print $(NF-1), $NF}'
}
check "特级技师 appointed, all places filled" test "$(appointed '特级技师 principal_technician')" = "800 0"
check "首席技师: some appointed, some places unfilled" \
  bash -c 'read -r a u <<< "$0"; test "$a" -gt 0 && test "$u" -gt 0' "$(appointed '首席技师 chief_technician')"
check "appointments: columns line up" "$PYTHON" "$SOURCE_DIR/tests/cli/check_summary_columns.py" app.out
"$SKILLSIM" info app.h5 > app_info.out
check "results have appointments" contains app_info.out "appointments_unfilled"
"$SKILLSIM" run jincheng_2020_2021 --set population.scale=50 --replicates 1 -o jc.h5 > jc.out
check "no appointments section without quotas" lacks jc.out "Appointments"

# 3. pathways: in the appointments scenario the quotas are 0 at the start and open by schedule in
# 2022. The report says why 特级技师 and 首席技师 are out of reach at the start and from when they
# are not; --at shows the routes then. Expected times beyond a working life are marked.
"$SKILLSIM" pathways appointments_2020_2030 > paths.out
check "pathways exits 0" test $? -eq 0
check "why 特级技师 is unreachable, and from when it is not" contains paths.out \
  "特级技师: unreachable at 2020-01-01 (skills.principal_technician_quota_per_year is 0; no programme has target_level 7); reachable from 2022-01-01 with --at 2022-01-01"
check "why 首席技师 is unreachable" contains paths.out \
  "首席技师: unreachable at 2020-01-01 (skills.chief_technician_quota_per_year is 0; no programme has target_level 8); reachable from 2022-01-01"
check "the date is named" contains paths.out "under the parameters in force on 2020-01-01."
check "55.6 years is marked beyond a working life" contains paths.out "666.7    55.6*     56%  无证 -(apprenticeship)-> 学徒工"
check "the mark is explained" contains paths.out "* expected beyond a working life (45 years)."
"$SKILLSIM" pathways appointments_2020_2030 --at 2022-01-01 > paths_2022.out
check "pathways --at exits 0" test $? -eq 0
check "--at: the date is named" contains paths_2022.out "under the parameters in force on 2022-01-01."
check "--at: 特级技师 reached by appointment" contains paths_2022.out \
  "-(assessment)-> 高级技师 -(appointment within quota)-> 特级技师"
check "--at: nothing unreachable" lacks paths_2022.out "Unreachable levels"
"$SKILLSIM" pathways jincheng_2020_2021 > paths_jc.out
check "quotas 0 for the whole run: no date to open" lacks paths_jc.out "reachable from"
check "pathways --help shows --at" bash -c '"$0" pathways --help | grep -qF -- "--at DATE"' "$SKILLSIM"
at_refused() { # at_refused DATE MESSAGE: exit 2 and the message on stderr
  "$SKILLSIM" pathways appointments_2020_2030 --at "$1" > /dev/null 2> at.err
  local status=$?
  test $status -eq 2 || { echo "--- --at $1 exited $status"; return 1; }
  contains at.err "$2"
}
check "--at mid-month refused" at_refused 2023-06-15 "skillsim: --at: dates must be the first day of a month, got 2023-06-15"
check "--at outside the run refused" at_refused 2035-01-01 \
  "skillsim: --at: 2035-01-01 is not a month of the run (2020-01-01 to 2029-12-01)"
check "--at not a date refused" at_refused soon "skillsim: --at: expects a date YYYY-MM-DD, got 'soon'"

# 4. Competitions: the plan's city competition is a route of the graph, with its waiting rule.
"$SKILLSIM" pathways jincheng_plan_2020_2021 > paths_plan.out
check "pathways: the competition route and its waiting rule" contains paths_plan.out \
  "技师     -> 高级技师  competition  city competition (wait none)"

finish
