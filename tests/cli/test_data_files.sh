#!/usr/bin/env bash
# `skillsim validate` on data files of published statistics (docs/calibration.md): the shipped
# file is valid and says what it holds; every problem of a bad file at its line and column.
# Needs SKILLSIM (the binary) and SOURCE_DIR.
set -u
# shellcheck source=../lib/checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/checks.sh"

"$SKILLSIM" validate "$SOURCE_DIR/data/national_statistics.csv" > shipped.out 2> shipped.err
check "the shipped data file is valid (exit 0)" test $? -eq 0
check "it says how many figures of how many indicators" contains shipped.out "national_statistics.csv: valid data file of"

cat > bad.csv <<'CSV'
kind,indicator,year,value,unit,qualifier,quality,source,note
stock,skiled_workers,2015,16700,10k persons,approx,news,x,
stock,skilled_workers,2015,"16,700",10k persons,approx,news,x,
stock,high_skilled_workers,2016,4791,10k persons,about,news,x,
CSV
"$SKILLSIM" validate bad.csv > bad.out 2> bad.err
check "a bad data file is a usage error (exit 2)" test $? -eq 2
check "unknown indicator, with a suggestion" contains bad.err \
  "bad.csv:2:7: indicator: unknown indicator 'skiled_workers'; did you mean 'skilled_workers'?"
check "a number with a thousands separator" contains bad.err "bad.csv:3:28: value: must be a number"
check "an unknown qualifier, with the allowed ones" contains bad.err \
  "bad.csv:4:50: qualifier: unknown qualifier 'about'; allowed: 'exact', 'approx'"
check "the problems counted" contains bad.err "3 problems in bad.csv"

"$SKILLSIM" validate missing.csv 2> missing.err
check "a missing data file (exit 2)" test $? -eq 2
check "says it does not exist" contains missing.err "data file 'missing.csv' does not exist"
finish
