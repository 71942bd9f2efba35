#!/usr/bin/env python3
"""The engine's monthly rules written in NumPy, as a competent NumPy user would write them: the
peer the benchmark suite measures the engine against (issue 14; bench/README.md).

    python3 bench/numpy_peer.py [--agents N] [--months M] [--scenario national_2016]

It starts from the engine's own initial population (skillsim._core.initial_population) and reads
each month's probabilities from the engine's own table (skillsim._core.transition_rates), then
applies the rules of docs/model.md, "The monthly step", to whole columns at once: death,
retirement, the assessment for the next level after the minimum months (sit, pass), the labour
market (job loss by level, group and sector; job finding or inactivity; reactivation), the appointments of 特级技师 and 首席技师 within their quotas, and the monthly count of
the stocks (level x status, group x status). Arrays are updated in place with boolean masks and
fancy indexing; there is no Python loop over agents. Random numbers come from NumPy's PCG64, so
the peer agrees with the engine in distribution, not bit for bit
(tests/python/test_numpy_peer.py checks that).

Left out: programmes and evaluation queues (national_2016, which the suite times, has none), and
with them the insurance months, which only a programme's admission reads (the engine keeps them
only with programmes: docs/architecture.md, "Memory"),
the rules that are off by default (group changes, factors by person class, competitions,
technical schools, master studios at the start: the model refuses scenarios that use them) and entrants (the peer runs with
school leavers and technical-school graduates set to 0 and without technical schools, while the engine's bench_step keeps them; in national_2016
they are 16M a year in a pool of 900M, about 0.15% of the agents a month, so the peer's work per agent-month is slightly less than the engine's).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from skillsim import Scenario, _core

EMPLOYED, UNEMPLOYED, INACTIVE, RETIRED, REMOVED = 1, 2, 3, 5, 255
LEVELS, STATUSES, GROUPS, SECTORS = 9, 6, 8, 3
PRINCIPAL, CHIEF = 7, 8
# Without entrants: no school leavers, no technical-school graduates, and no technical schools
# (their enrolees are entrants, their students a rule the peer does not have).
NO_ENTRANTS = {"entry.school_leavers_per_year": 0, "entry.technical_school_graduates_per_year": 0,
               **{f"schools.{key}": [] for key in ("routes", "labels", "diploma_level", "length_months",
                                                   "entry_age_min", "entry_age_max", "dropout_rate",
                                                   "enrolment_plan_per_year", "capacity", "initial_students")}}


class NumpyModel:
    """One replicate of a scenario without programmes or evaluators, stepped in NumPy."""

    def __init__(self, scenario: Scenario, seed: int, replicate: int = 0) -> None:
        self.scenario = scenario
        self.core = scenario._core
        if scenario["programmes.names"] or scenario["evaluation.evaluators"]:
            raise ValueError(f"{scenario.name}: the NumPy peer has no programmes or evaluators")
        # Nor the rules that are off by default: group changes and factors by person class.
        own_group = _core.dimension_labels()["group"]
        factors = [k for k in scenario.keys() if k.startswith(("skills.assessment_factor_by_", "skills.pass_factor_by_"))]
        if (scenario["groups.after_job_found"] != own_group or any(scenario["groups.leave_after_months"])
                or any(scenario["groups.closed"]) or any(v != 1 for k in factors for v in scenario[k])
                or scenario["competitions.tiers"] or scenario["schools.routes"] or any(scenario["studios.count"])):
            raise ValueError(f"{scenario.name}: the NumPy peer has the default rules only (no group changes, "
                             "factors by person class, competitions, technical schools or master studios)")
        columns = _core.initial_population(self.core, seed, replicate)
        self.birth_month = columns["birth_month"]
        self.months_at_level = columns["months_at_level"]
        self.level = columns["level"]
        self.status = columns["status"]
        self.group = columns["group"]
        self.sex = columns["sex"]
        self.sector = columns["sector"]
        # group x sector, fixed for an agent: one index into the job-loss table's rows of a level.
        self.group_sector = self.group.astype(np.intp) * SECTORS + self.sector
        self.rng = np.random.Generator(np.random.PCG64([seed, replicate]))
        self.offset = 0
        self.start = scenario.start.year * 12 + scenario.start.month - 1  # Month::index of the start
        self.scale = scenario["population.scale"]
        self.quota_due = np.zeros(2)
        self.stocks: np.ndarray | None = None  #: level x status, counted every month as the engine counts
        self.stocks_by_group: np.ndarray | None = None  #: group x status
        #: Assessments held and promotions by them since the start, by level sought (reached).
        self.assessments = np.zeros(LEVELS, dtype=np.int64)
        self.promotions = np.zeros(LEVELS, dtype=np.int64)

    def step(self) -> None:
        r = _core.transition_rates(self.core, self.offset)
        month = self.start + self.offset
        n = self.status.size
        status, level, months_at_level = self.status, self.level, self.months_at_level
        # Death, sitting, labour: one row each (float32: ample for these probabilities).
        u = self.rng.random((3, n), dtype=np.float32)

        # Death, then retirement at the statutory age (the status and level at the start of the
        # month decide every rule, so the subsets are taken before anything changes).
        live = np.flatnonzero(status != REMOVED)
        age_months = month - self.birth_month[live]
        band = np.clip((age_months // 12 - 15) // 5, 0, r["death"].size - 1)
        dies = u[0, live] < r["death"][band]
        status[live[dies]] = REMOVED
        alive, age_months = live[~dies], age_months[~dies]
        start = status[alive]
        working = start != RETIRED
        alive, age_months, start = alive[working], age_months[working], start[working]
        retires = age_months >= r["retirement_age_months"][self.sex[alive]]
        status[alive[retires]] = RETIRED
        active, start = alive[~retires], start[~retires]
        start_level = level[active]

        # Skills: the next level's assessment once the minimum months at the level are served.
        months = months_at_level[active]
        rising = start_level < LEVELS - 1
        target = np.minimum(start_level + 1, LEVELS - 1)
        can = rising & (months >= r["min_months"][target])
        candidates = np.flatnonzero(can)
        sits = candidates[u[1, active[candidates]] < r["sit"][target[candidates], start[candidates]]]
        passes = sits[self.rng.random(sits.size) < r["pass"][target[sits]]]
        self.assessments += np.bincount(target[sits], minlength=LEVELS)
        self.promotions += np.bincount(target[passes], minlength=LEVELS)
        months_at_level[active] = np.minimum(months.astype(np.int32) + 1, 0xFF)
        promoted = active[passes]
        level[promoted] = target[passes]
        months_at_level[promoted] = 0

        # Labour market, by the level and status at the start of the month (one uniform: u[2]).
        group = self.group[active]
        employed = np.flatnonzero(start == EMPLOYED)
        e = active[employed]
        per_level = GROUPS * SECTORS
        loses = u[2, e] < r["job_loss"].ravel()[start_level[employed].astype(np.intp) * per_level + self.group_sector[e]]
        status[e[loses]] = UNEMPLOYED
        unemployed = np.flatnonzero(start == UNEMPLOYED)
        un = active[unemployed]
        find = r["job_find"][start_level[unemployed], group[unemployed]]
        draw = u[2, un]
        status[un[draw < find]] = EMPLOYED
        status[un[(draw >= find) & (draw < np.minimum(find + r["inactivity"], 1.0))]] = INACTIVE
        inactive = active[start == INACTIVE]
        status[inactive[u[2, inactive] < r["reactivation"]]] = UNEMPLOYED

        # Appointments within the yearly quotas (spread over the months; unused quota is lost).
        quotas = np.array([self.scenario["skills.principal_technician_quota_per_year"],
                           self.scenario["skills.chief_technician_quota_per_year"]])
        self.quota_due += quotas / 12.0 / self.scale
        for k, to in enumerate((PRINCIPAL, CHIEF)):
            take = int(self.quota_due[k])
            self.quota_due[k] -= take
            if take == 0:
                continue
            eligible = np.flatnonzero((level == to - 1) & (status == EMPLOYED) & (self.months_at_level >= r["min_months"][to]))
            chosen = self.rng.choice(eligible, size=min(take, eligible.size), replace=False)
            level[chosen] = to
            self.months_at_level[chosen] = 0
            self.promotions[to] += chosen.size

        # The month's stocks, as the engine counts them every month.
        counted = status != REMOVED
        self.stocks = np.bincount(level[counted].astype(np.intp) * STATUSES + status[counted], minlength=LEVELS * STATUSES)
        self.stocks_by_group = np.bincount(self.group[counted].astype(np.intp) * STATUSES + status[counted],
                                           minlength=GROUPS * STATUSES)
        self.offset += 1

    def agents_by_status(self) -> np.ndarray:
        """Agents alive by status: the engine's `workers` summed over level."""
        return self.stocks.reshape(LEVELS, STATUSES).sum(axis=0)

    def workers_by_level(self) -> np.ndarray:
        """Agents not retired (nor dead) at each level: the engine's `workers` summed over status
        less the retired."""
        stocks = self.stocks.reshape(LEVELS, STATUSES)
        return stocks.sum(axis=1) - stocks[:, RETIRED]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/numpy_peer.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--scenario", default="national_2016")
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args(argv)
    base = Scenario.load(a.scenario)
    scale = max(1, round(base["population.size"] / a.agents))
    scenario = base.replace({"population.scale": scale, "scenario.months": a.months, **NO_ENTRANTS})
    t0 = time.perf_counter()
    model = NumpyModel(scenario, a.seed)
    synthesis = time.perf_counter() - t0
    agent_months = 0
    t0 = time.perf_counter()
    for _ in range(a.months):
        agent_months += int((model.status != REMOVED).sum())
        model.step()
    seconds = time.perf_counter() - t0
    print(f"numpy peer          {a.scenario} (scale {scale}), {model.status.size} agents, {a.months} months in {seconds:.2f} s")
    print(f"agent-months/s      {agent_months / seconds / 1e6:.1f} million (one thread)")
    print(json.dumps({"agents": int(model.status.size), "months": a.months, "agent_months_per_s": agent_months / seconds,
                      "synthesis_s": synthesis, "step_s": seconds, "numpy": np.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
