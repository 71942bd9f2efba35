#!/usr/bin/env python3
"""Compares two skillsim results files variable by variable, bit for bit.

Usage: scripts/compare-results.py BEFORE.h5 AFTER.h5

Every dataset (variables and coordinates) must have the same dimensions, dtype and bytes;
attributes that record the run rather than its results (git_commit, created, command_line,
threads, scenario_source, parameter_sets_source, a sweep's mpi_ranks) are ignored: the two
sources are paths, and the scenario's text and the sets' text and values are compared. Exit 0 if
identical, 1 with the differences listed otherwise, 2 on unreadable input. Used to check that a
refactoring changes no result (docs/architecture.md).
"""
import sys

import h5py
import numpy as np

RUN_ATTRIBUTES = {
    "git_commit",
    "created",
    "command_line",
    "threads",
    "scenario_source",
    "parameter_sets_source",
    "mpi_ranks",
}


def datasets(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        a, b = h5py.File(argv[1], "r"), h5py.File(argv[2], "r")
    except OSError as e:
        print(f"compare-results: cannot open: {e}", file=sys.stderr)
        return 2
    problems = []
    da, db = datasets(a), datasets(b)
    for name in sorted(set(da) ^ set(db)):
        problems.append(f"{name}: only in {argv[1] if name in da else argv[2]}")
    for name in sorted(set(da) & set(db)):
        x, y = da[name], db[name]
        if x.shape != y.shape or x.dtype != y.dtype:
            problems.append(f"{name}: shape/dtype {x.shape} {x.dtype} vs {y.shape} {y.dtype}")
            continue
        xv, yv = x[()], y[()]
        if isinstance(xv, np.ndarray) and xv.dtype.kind in "iufb":
            if xv.tobytes() != yv.tobytes():
                diff = np.flatnonzero(xv.reshape(-1) != yv.reshape(-1))
                problems.append(f"{name}: {diff.size} of {xv.size} values differ (first at flat index {diff[:1].tolist()})")
        elif not np.array_equal(np.asarray(xv), np.asarray(yv)):
            problems.append(f"{name}: values differ")
    for key in sorted((set(a.attrs) | set(b.attrs)) - RUN_ATTRIBUTES):
        if key not in a.attrs or key not in b.attrs:
            problems.append(f"attribute {key}: only in one file")
        elif not np.array_equal(np.asarray(a.attrs[key]), np.asarray(b.attrs[key])):
            problems.append(f"attribute {key}: differs")
    for line in problems:
        print(line)
    print(f"{argv[1]} vs {argv[2]}: " + ("identical" if not problems else f"{len(problems)} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
