#!/usr/bin/env python3
"""The expected-value twin against an agent ensemble of the same scenario (docs/twin.md, "How
close twin and agents are on the bundled scenarios").

    build-venv/bin/python scripts/twin-vs-agents.py                      # every bundled scenario the twin projects
    build-venv/bin/python scripts/twin-vs-agents.py national_2016 --replicates 40 --set scenario.months=24
    build-venv/bin/python scripts/twin-vs-agents.py jincheng_2020_2021 -o gaps.json

For each scenario it runs the agents (`skillsim.run`, `--replicates` replicates) and projects the
twin (`skillsim.project`, with parameter sets one expectation per replicate's set, so replicate r
of both is under the same set), then compares, year by year, every level's stock (workers summed
over status), the skilled and high-skilled stocks, each group's stock, and the year's flows:
promotions and assessments by level, job losses and finds, retirements, entries, exits, and
where present enrolments and certificates by programme and evaluations by evaluator; with more
than one region, workers by region and level, entries and exits by region, and the migrations
(origin x destination, in and out by region). Each cell's
gap is paired by replicate (agents_r - twin_r, so the parameter sets' spread cancels): its mean,
standard error over the replicates and z = mean / standard error. The twin is the agents'
expectation exactly where the rules are linear; where a capacity binds (seats, money, evaluators:
`seats_binding`, `money_binding`, `evaluation_binding`) the agents' mean may differ from it
(docs/twin.md, "Where twin and agent model differ"), so the months in which anything binds are
listed beside the gaps.

It prints, per scenario, the cells compared, those beyond 4 standard errors (each with its
relative gap) and the largest |z|, and writes everything to `-o` (JSON). It exits 0 whatever
the gaps: it measures, it does not judge (the tests hold the twin to the agents where nothing
binds: tests/core/test_twin*.cpp). The agents' population is the scenario's (`population.scale`;
`--set` to change it); the twin does not depend on it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

import skillsim

#: The bundled scenarios the twin projects whole, with what keeps their agents' ensemble and
#: projection within minutes (national_2010 and national_forecast_2016 are projected for their
#: first 60 months: the twin's cost grows with the square of the months; national_2019_2021's
#: 36 months take some 3 minutes and 9 GB).
DEFAULT_SCENARIOS = {
    "national_2016": [],
    "jincheng_2020_2021": [],
    "jincheng_plan_2020_2021": [],
    "national_2010": ["scenario.months=60"],
    "national_forecast_2016": ["scenario.months=60"],
    "national_2019_2021": [],
}
#: Stocks compared at each year's end: variable -> the dimensions kept (None: a scalar), summed
#: over every other dimension but replicate and time.
STOCKS = {"workers": "level", "skilled_workers": None, "high_skilled_workers": None, "workers_by_group": "group",
          "workers_by_region": ("region", "level")}
#: Flows compared as sums over each year.
FLOWS = {
    "promotions": "level",
    "assessments": "level",
    "job_losses": None,
    "job_finds": None,
    "retirements": None,
    "entries": None,
    "exits": None,
    "enrolments": "programme",
    "certificates": "programme",
    "evaluations": "evaluator",
    "entries_by_region": "region",
    "exits_by_region": "region",
    "migrations": ("region", "to_region"),
    "migration_in": "region",
    "migration_out": "region",
}
BINDING = ("seats_binding", "money_binding", "evaluation_binding")


def dims_kept(dim: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return () if dim is None else (dim,) if isinstance(dim, str) else dim


def keep(results: skillsim.Results, name: str, dim: str | tuple[str, ...] | None) -> np.ndarray:
    """The variable as (replicate, time, cell), summed over its dimensions but replicate, time and
    `dim`; the cells are `dim`'s (or their product's, the first dimension outermost)."""
    data = np.asarray(results[name], dtype=float)
    dims = results.dims_of(name)
    kept = dims_kept(dim)
    axes = tuple(i for i, d in enumerate(dims) if d not in ("replicate", "time") + kept)
    data = data.sum(axis=axes) if axes else data
    left = [d for d in dims if d in ("replicate", "time") + kept]
    data = np.moveaxis(data, [left.index(d) for d in ("replicate", "time") + kept], range(2 + len(kept)))
    return data.reshape(data.shape[0], data.shape[1], -1)


def labels_of(results: skillsim.Results, dim: str | tuple[str, ...] | None) -> list[str]:
    """The cells' labels: "a/b" for a product of dimensions."""
    labels = [""]
    for d in dims_kept(dim):
        labels = [f"{a}/{b}" if a else str(b) for a in labels for b in results.coords(d)]
    return labels


def year_ends(times: int) -> list[int]:
    """Time indices at each year's end (12, 24, ...) and the last."""
    ends = list(range(12, times, 12))
    if not ends or ends[-1] != times - 1:
        ends.append(times - 1)
    return ends


def gap_z(mean: float, se: float, expected: float, scale: float) -> float:
    """The gap's mean in standard errors. Without spread (the entrants, a quota filled every time;
    a spread at rounding's size, 1e-9 of the cell, is none) a gap within one agent (`scale`
    persons) is the agents' rounding to whole agents, z = 0, and a larger one is infinite (with
    the gap's sign)."""
    if se > 1e-9 * max(abs(mean), abs(expected), 1.0):
        return mean / se
    return 0.0 if abs(mean) <= scale else math.copysign(math.inf, mean)


def compare(scenario_name: str, overrides: list[str], replicates: int, threads: int | None) -> dict:
    scenario = skillsim.Scenario.load(scenario_name, overrides)
    # The twin first: a scenario it refuses is reported before any agent runs.
    with_sets = scenario.get("run.parameter_sets") not in (None, "")
    started = time.perf_counter()
    twin = skillsim.project(scenario, replicates=replicates if with_sets else None, threads=threads,
                            progress=False)
    twin_s = time.perf_counter() - started
    started = time.perf_counter()
    agents = skillsim.run(scenario, replicates=replicates, threads=threads, progress=False)
    agents_s = time.perf_counter() - started
    scale = float(scenario.get("population.scale"))  # persons an agent stands for
    times = agents.dims["time"]
    ends = year_ends(times)
    cells = []
    for name, dim in list(STOCKS.items()) + list(FLOWS.items()):
        if name not in agents or any(agents.dims.get(d, 0) == 0 for d in dims_kept(dim)):
            continue
        # With one region a regional variable repeats the totals.
        if "region" in dims_kept(dim) and agents.dims["region"] < 2:
            continue
        a, t = keep(agents, name, dim), keep(twin, name, dim)
        labels = labels_of(agents, dim)
        start = 0
        for end in ends:
            if name in STOCKS:
                a_cell, t_cell = a[:, end], t[:, end]
            else:  # the flows of months start + 1 .. end (a flow at time t is the month ending at t)
                a_cell, t_cell = a[:, start + 1:end + 1].sum(axis=1), t[:, start + 1:end + 1].sum(axis=1)
            start = end
            gap = a_cell - t_cell  # (replicates, cells); the twin's single replicate broadcasts
            mean = gap.mean(axis=0)
            se = gap.std(axis=0, ddof=1) / math.sqrt(gap.shape[0]) if gap.shape[0] > 1 else np.full_like(mean, np.nan)
            for k, label in enumerate(labels):
                expected = float(t_cell[:, k].mean())
                z = gap_z(float(mean[k]), float(se[k]), expected, scale)
                cells.append({"variable": name, "cell": label, "time": int(end), "twin": expected,
                              "agents": float(a_cell[:, k].mean()), "gap": float(mean[k]),
                              "standard_error": float(se[k]), "z": z,
                              "relative_gap": float(mean[k] / expected) if expected else None})
    binding = {}
    for name in BINDING:
        if name in twin:
            data = np.asarray(twin[name], dtype=float)
            months = sorted({int(i) for i in np.nonzero(data.reshape(data.shape[0], data.shape[1], -1).sum(axis=(0, 2)))[0]})
            if months:
                binding[name] = months
    beyond = [c for c in cells if abs(c["z"]) > 4]
    return {"scenario": scenario_name, "overrides": overrides, "replicates": replicates,
            "agents_seconds": agents_s, "twin_seconds": twin_s, "cells": cells, "beyond_4_se": beyond,
            "largest_z": max(cells, key=lambda c: abs(c["z"]) if math.isfinite(c["z"]) else -1) if cells else None,
            "binding_months": binding}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", help="scenario names or files (default: every bundled one the twin projects)")
    parser.add_argument("--replicates", type=int, default=20, help="agent replicates (default 20)")
    parser.add_argument("--threads", type=int, help="threads (default: every core)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a scenario key (repeatable; with no scenario named, added to the defaults')")
    parser.add_argument("-o", "--output", type=Path, help="write every cell's figures here (JSON)")
    args = parser.parse_args()
    if args.replicates < 2:
        parser.error("--replicates must be at least 2 (the standard error needs two)")
    runs = {s: list(args.overrides) for s in args.scenarios} if args.scenarios else \
        {s: o + list(args.overrides) for s, o in DEFAULT_SCENARIOS.items()}
    report = []
    for name, overrides in runs.items():
        try:
            result = compare(name, overrides, args.replicates, args.threads)
        except skillsim.TwinUnsupported as e:
            print(f"{name}: the twin does not project it: {e}", file=sys.stderr)
            continue
        report.append(result)
        print(f"{name} ({', '.join(overrides) or 'as bundled'}; {args.replicates} replicates; agents "
              f"{result['agents_seconds']:.0f} s, twin {result['twin_seconds']:.0f} s): "
              f"{len(result['cells'])} cells, {len(result['beyond_4_se'])} beyond 4 standard errors")
        largest = result["largest_z"]
        if largest is not None:
            print(f"  largest |z| {abs(largest['z']):.2f}: {largest['variable']}[{largest['cell']}] at time "
                  f"{largest['time']}: agents {largest['agents']:.6g}, twin {largest['twin']:.6g}")
        for c in sorted(result["beyond_4_se"], key=lambda c: -abs(c["z"]) if math.isfinite(c["z"]) else -1e300)[:12]:
            rel = f"{100 * c['relative_gap']:+.2f}%" if c["relative_gap"] is not None else "-"
            print(f"  beyond: {c['variable']}[{c['cell']}] time {c['time']}: agents {c['agents']:.6g}, twin "
                  f"{c['twin']:.6g} ({rel}, z {c['z']:.1f})")
        for variable, months in result["binding_months"].items():
            print(f"  {variable}: binds in {len(months)} months ({months[0]}..{months[-1]})")
    if args.output:
        args.output.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
