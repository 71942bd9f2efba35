"""check_summary_columns.py [--no-programmes] SUMMARY...: the columns of `skillsim run`'s summary line up on a
terminal. For every table it finds, the display column (汉字 and other East Asian wide
characters count two, as a terminal shows them) at which each number column ends must be the
same on every row and at the end of the column's heading; the target rows must agree with the
first target row. A summary without worker, programme or target rows fails, so that one whose
tables the patterns no longer recognise cannot pass unchecked."""

from __future__ import annotations

import re
import sys
import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def end_columns(line: str, match: re.Match, groups: range) -> list[int]:
    return [width(line[: match.end(g)]) for g in groups]


NUMBER = r"([-+]?[\d,]+)"
# (a table's heading, with its column names as groups; a row, with its numbers as groups)
TABLES = [
    # (the percentiles only with more than one replicate)
    (re.compile(r"^ +(\d{4}-\d\d-\d\d) +(\d{4}-\d\d-\d\d) +(change)(   p5 - p95 at end)?$"),
     re.compile(rf"^\S.*?\s{NUMBER}\s+{NUMBER}\s+{NUMBER}(   [\d,]+ - [\d,]+)?$")),
    (re.compile(r"^Programmes \(totals over the run\) +(enrolled) +(certified) +(no seat) +(no money)   "),
     re.compile(rf"^  .*?\s{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}   \d+ / \d+$")),
    (re.compile(r"^Funds +(spent \(yuan\)) +(left at end)$"), re.compile(rf"^  .*?\s{NUMBER}\s+{NUMBER}$")),
    (re.compile(r"^Evaluation \(totals over the run\) +(held) +(months bound)$"),
     re.compile(rf"^  .*?\s{NUMBER}\s+(\d+)$")),
    (re.compile(r"^Appointments \(totals over the run\) +(appointed) +(unfilled)$"),
     re.compile(rf"^  .*?\s{NUMBER}\s+{NUMBER}$")),
]
TARGET = re.compile(r"^  .*? (target)\s+(\S+)  (attained)\s+(\S+) \(")


def check(path: str, programmes: bool = True) -> list[str]:
    lines = open(path, encoding="utf-8").read().splitlines()
    problems = []
    rows = [0] * len(TABLES)
    for t, (heading, row) in enumerate(TABLES):
        for i, line in enumerate(lines):
            h = heading.match(line)
            if not h:
                continue
            expected = end_columns(line, h, range(1, 4)) if t == 0 else end_columns(line, h, range(1, heading.groups + 1))
            for rest in lines[i + 1 :]:
                m = row.match(rest)
                if not m:
                    break
                rows[t] += 1
                if t == 0 and (m.group(4) is None) != (h.group(4) is None):
                    problems.append(f"{path}: percentiles in the heading or the row but not both: {rest!r}")
                got = end_columns(rest, m, range(1, 4)) if t == 0 else end_columns(rest, m, range(1, row.groups + 1))
                if got != expected:
                    problems.append(f"{path}: columns end at {got}, the heading's at {expected}: {rest!r}")
            if rows[t] == 0:
                problems.append(f"{path}: no rows under {line!r}")
    targets = [(line, m) for line in lines if (m := TARGET.match(line))]
    for line, m in targets:
        got = end_columns(line, m, range(1, 5))
        first = end_columns(*targets[0], range(1, 5))
        if got != first:
            problems.append(f"{path}: target columns end at {got}, the first row's at {first}: {line!r}")
    if rows[0] == 0 or (rows[1] == 0 and programmes):
        problems.append(f"{path}: no worker or programme rows found")
    if not targets:
        problems.append(f"{path}: no target rows found")
    return problems


if __name__ == "__main__":
    # --no-programmes: the summaries need no programme table (a scenario without programmes).
    args = sys.argv[1:]
    programmes = "--no-programmes" not in args
    problems = [p for path in args if path != "--no-programmes" for p in check(path, programmes)]
    print("\n".join(problems) or "summary columns line up")
    sys.exit(1 if problems else 0)
