"""Planning backwards from targets: the least-cost plan that meets a scenario's targets with a
given probability, and whether they can be met at all (``skillsim plan``; docs/planning.md).

.. code-block:: python

    import skillsim
    check = skillsim.plan("jincheng_2020_2021", check=True)   # attainable? when? what blocks?
    plan = skillsim.plan("jincheng_2020_2021", probability=0.9)
    print(plan)                   # levers, cost by fund and year, probability of each target
    plan.scenario.to_toml()       # the plan as a complete scenario
    skillsim.report({"city's plan": plan.original_results, "least cost": plan.results}, "plan.html")

A *plan spec* (a TOML file, like a calibration spec) names a scenario, which carries the targets
(``[[targets]]``), and the levers a plan may change, each with bounds and a unit cost::

    [plan]
    scenario = "../jincheng_plan_2020_2021.toml"
    probability = 0.9

    [[levers]]
    key = "programmes.seats_per_month[upgrading_senior]"
    min = 0
    max = 10_000

The cost of a plan is the money its funds pay over the run (the runs' ``spending``, by fund and
year) plus, for each lever with a ``cost``, that cost per unit of the lever (for what the funds
do not pay, such as evaluation capacity). The search linearises each target and the cost around
the current plan by finite differences, solves the linear program (SciPy's HiGHS) with a safety
margin per target drawn from the replicates' spread, moves there and repeats: on the
expected-value twin (:func:`skillsim.project`, exact differences, no noise) where the twin
projects the scenario, its need corrected by agent ensembles at the plans it proposes (their
spread, and the difference between the agents' mean and the twin's expectation); otherwise on
agent ensembles with common random numbers (``[plan] search``, ``--search``: ``"twin"``,
``"agents"`` or ``"auto"``). The best candidate is then verified by agents on fresh random
numbers, and the margins are widened until the share of replicates meeting every target reaches
the probability asked for (docs/planning.md says why, and what it does not guarantee).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import math
import os
import re
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import numpy as np

from . import _core
from ._files import atomic_write_text
from .errors import ScenarioError, SpecError, TwinUnsupported
from .results import Results
from .run import run
from .calibration import _NAMED_DIMS
from .scenario import Scenario, _resolve, resolve_spec

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["Lever", "Plan", "PlanError", "PlanSpec", "load_plan_spec", "plan", "NOT_ATTAINABLE_STATUS"]

#: Exit status of ``skillsim plan`` when the targets cannot be met (with the probability asked
#: for) within the levers' bounds: distinct from success (0) and from errors (2).
NOT_ATTAINABLE_STATUS = 3

_SPEC_DEFAULTS: dict[str, Any] = {
    "scenario": None,
    "probability": 0.9,
    "replicates": 40,  # verification replicates
    "search_replicates": 10,  # replicates per point of the search
    "targets": None,  # labels of the targets the plan must meet (default: all of the scenario's)
    "scale": None,  # population.scale of every run (default: the scenario's)
    "seed": None,  # the search's seed (default: the scenario's run.seed)
    "threads": None,
    "iterations": 6,  # linear programs per search
    "refinements": 3,  # searches with wider margins after a failed verification
    "search": "auto",  # "twin", "agents" or "auto" (the twin where it supports the scenario and is cheaper)
}

#: Where the search runs (``[plan] search``, ``--search``): on the expected-value twin, on agent
#: ensembles, or ("auto") on the twin where it supports the scenario at the levers' bounds and a
#: point on it costs less than AUTO_COST_RATIO ensembles.
SEARCHES = ("auto", "twin", "agents")

#: Under "auto", the agents search where one point on the twin costs more than this many agent
#: ensembles of the search (both measured at every lever's maximum). Both are wall-clock times,
#: so a plan near the ratio may search either way with the machine's load; the answer says which
#: ran, and ``search = "twin"`` or ``"agents"`` fixes it. The wide ratio keeps the choice stable
#: where the two differ by much more (the Jincheng plan: 57 s a point against 0.6 s an ensemble in
#: notebook 06, 81 s against 1.2 s with the bundled spec's defaults, when a point's sets were
#: projected one after the other; 22-24 s in notebook 06 with them side by side on 2 threads).
AUTO_COST_RATIO = 3.0


class PlanError(SpecError):
    """A plan spec (or what it names) is invalid; lists every problem, each naming the file and
    the key."""

    kind = "plan spec"


# -- the spec ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lever:
    """One parameter (or one element or cell of an array parameter) a plan may change.

    Attributes:
        key: as sweep files address it, e.g. ``programmes.seats_per_month[upgrading_senior]``.
        label: for tables (default: the key).
        low, high: the bounds of the plan's value.
        cost: yuan per unit of the lever over the run, besides what the funds pay (default 0).
        integer: the parameter takes whole numbers (the plan rounds up).
        array_key: the parameter's key.
        index: the element's position in the array parameter (empty for a scalar).
    """

    key: str
    label: str
    low: float
    high: float
    cost: float
    integer: bool
    array_key: str
    index: tuple[int, ...]


@dataclass(frozen=True)
class PlanSpec:
    """A checked plan spec (:func:`load_plan_spec`)."""

    source: str
    scenario: Scenario
    levers: tuple[Lever, ...]
    target_index: tuple[int, ...]  # the scenario's targets the plan must meet
    probability: float
    replicates: int
    search_replicates: int
    seed: int
    threads: int | None
    iterations: int
    refinements: int
    search: str = "auto"

    @property
    def targets(self) -> list[Any]:
        """The targets the plan must meet (skillsim.Target), in the scenario's order."""
        return [self.scenario.targets[j] for j in self.target_index]

    def value_of(self, lever: Lever, scenario: Scenario | None = None) -> float:
        """The lever's value in ``scenario`` (default: the spec's, i.e. the original plan)."""
        value: Any = (scenario or self.scenario)[lever.array_key]
        for i in lever.index:
            value = value[i]
        return float(value)

    def scenario_at(self, values: Sequence[float]) -> Scenario:
        """The spec's scenario with each lever at its value (whole numbers for integer levers)."""
        return self.scenario.replace(_changes(self.scenario, self.levers, values))




def _element_names(scenario: Scenario, dim: str) -> list[str]:
    if dim in _NAMED_DIMS:
        return [str(x) for x in scenario[_NAMED_DIMS[dim]]]
    return [str(x) for x in _core.dimension_labels().get(dim, [])]


def _resolve_lever_key(scenario: Scenario, key: str) -> tuple[str, tuple[int, ...], bool] | str:
    """(array key, element index, integer?) of a lever key, or what is wrong with it."""
    m = re.fullmatch(r"([A-Za-z0-9_.]+)((?:\[[^\[\]]+\])*)", key)
    if not m:
        return f"'{key}' is not a parameter key (such as programmes.seats_per_month[key_groups])"
    array_key, brackets = m.group(1), re.findall(r"\[([^\[\]]+)\]", m.group(2))
    specs = {s["key"]: s for s in _core.parameter_specs()}
    spec = specs.get(array_key)
    if spec is None:
        near = difflib.get_close_matches(array_key, specs, n=1)
        return f"unknown parameter '{array_key}'" + (f"; did you mean '{near[0]}'?" if near else "")
    kind = spec["kind"]
    numeric = {"number": 0, "integer": 0, "array of numbers": 1, "array of integers": 1, "array of arrays of numbers": 2}
    if kind not in numeric:
        return f"{array_key} is {_a(kind)}: a lever must be a number, or one element of an array of numbers"
    if not spec["schedulable"] and array_key.startswith(("run.", "scenario.")):
        return f"{array_key} is not a policy lever (it sets how the model runs, not what a plan changes)"
    value: Any = scenario[array_key]
    rank = numeric[kind]
    if rank == 2 and len(brackets) == 1 and len(value[0]) == 1:
        brackets = [*brackets, "0"]  # one column (one region): the row alone names the cell
    if len(brackets) != rank:
        how = {0: "no [...]", 1: "one [element]", 2: "[row][column] (or [row] with a single column)"}[rank]
        return f"{array_key} is {_a(kind)}: address it with {how}, got {len(brackets)} [...]"
    index = []
    for axis, name in enumerate(brackets):
        dim = spec["dim"] if axis == 0 else spec["col_dim"]
        names = _element_names(scenario, dim)
        size = len(value) if axis == 0 else len(value[0])
        if name.isdigit() and int(name) < size:
            index.append(int(name))
        elif name in names:
            index.append(names.index(name))
        else:
            return f"'{name}' is not an entry of {array_key}" + (f" (its entries: {', '.join(names)})" if names else f" (0 to {size - 1})")
    return array_key, tuple(index), "integer" in kind


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _changes(scenario: Scenario, levers: Sequence[Lever], values: Sequence[float]) -> dict[str, Any]:
    """Whole-parameter changes (as ``Scenario.replace`` takes them) setting each lever."""
    changes: dict[str, Any] = {}
    for lever, v in zip(levers, values):
        value = int(math.ceil(v - 1e-9)) if lever.integer else float(v)
        if not lever.index:
            changes[lever.array_key] = value
            continue
        current = changes.setdefault(lever.array_key, _copy(scenario[lever.array_key]))
        if len(lever.index) == 1:
            current[lever.index[0]] = value
        else:
            current[lever.index[0]][lever.index[1]] = value
    return changes


def _copy(value: Any) -> Any:
    return [list(row) if isinstance(row, list) else row for row in value]


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def load_plan_spec(path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None) -> PlanSpec:
    """Reads and checks a plan spec. ``overrides`` replaces [plan] keys (``{"probability": 0.8}``).

    Raises:
        PlanError: every problem: unknown tables or keys (with a "did you mean"), a missing or
            invalid scenario, a scenario without targets, an unknown lever key or entry, bounds
            that are not numbers or are inverted, a bound the scenario refuses, a negative cost.
        FileNotFoundError: the spec does not exist.
    """
    path = resolve_spec(path, "plans", "plan spec")
    source = os.fspath(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise PlanError(source, [f"TOML syntax: {e}"]) from None
    problems: list[str] = []
    for top in doc:
        if top not in ("plan", "levers"):
            near = difflib.get_close_matches(top, ["plan", "levers"], n=1)
            hint = f"; did you mean [{near[0]}]?" if near else " (a plan spec has [plan] and [[levers]])"
            problems.append(f"{top}: unknown table{hint}")
    table = dict(doc.get("plan", {}))
    table.update(overrides or {})
    for key in table:
        if key not in _SPEC_DEFAULTS:
            near = difflib.get_close_matches(key, _SPEC_DEFAULTS, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f" (known: {', '.join(_SPEC_DEFAULTS)})"
            problems.append(f"plan.{key}: unknown key{hint}")
    values = {k: table.get(k, v) for k, v in _SPEC_DEFAULTS.items()}
    p = values["probability"]
    if not _number(p) or not 0 < p < 1:
        problems.append(f"plan.probability: a share strictly between 0 and 1, got {p!r}")
    for key, least in (("replicates", 2), ("search_replicates", 2), ("iterations", 1), ("refinements", 0), ("threads", 1), ("seed", 0)):
        v = values[key]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < least):
            problems.append(f"plan.{key}: a whole number of at least {least}, got {v!r}")
    if values["search"] not in SEARCHES:
        problems.append(
            f"plan.search: one of \"twin\" (the expected-value twin), \"agents\" (agent ensembles) or \"auto\" "
            f"(the twin where it supports the scenario), got {values['search']!r}"
        )
    scale = values["scale"]
    if scale is not None and (not isinstance(scale, int) or isinstance(scale, bool) or scale < 1):
        problems.append(f"plan.scale: a whole number of at least 1 (population.scale of every run: persons per agent), got {scale!r}")

    scenario: Scenario | None = None
    if values["scenario"] is None:
        problems.append("plan.scenario: missing (the scenario to plan, with its [[targets]])")
    else:
        name = str(values["scenario"])
        candidate = path.parent / name
        try:
            scenario = Scenario.load(candidate if candidate.is_file() else _resolve(name))
            if values["scale"] is not None and not problems:
                scenario = scenario.replace({"population.scale": values["scale"]})
        except ScenarioError as e:
            problems.append(f"plan.scenario: '{name}' is invalid:\n    " + str(e).replace("\n", "\n    "))
            scenario = None
        except (FileNotFoundError, ValueError) as e:
            problems.append(f"plan.scenario: {e}")
            scenario = None
        if scenario is not None and not scenario.targets:
            problems.append(f"plan.scenario: '{name}' declares no [[targets]]: a plan needs targets to meet")

    target_index: list[int] = []
    if scenario is not None and scenario.targets:
        labels = [t.label for t in scenario.targets]
        chosen = values["targets"]
        if chosen is None:
            target_index = list(range(len(labels)))
        elif not isinstance(chosen, list) or not chosen or not all(isinstance(x, str) for x in chosen):
            problems.append(f"plan.targets: a list of target labels of the scenario, got {chosen!r}")
        else:
            for label in chosen:
                if label in labels:
                    target_index.append(labels.index(label))
                else:
                    near = difflib.get_close_matches(label, labels, n=1)
                    hint = f"; did you mean '{near[0]}'?" if near else f" (its targets: {'; '.join(labels)})"
                    problems.append(f"plan.targets: the scenario has no target '{label}'{hint}")

    levers: list[Lever] = []
    entries = doc.get("levers", [])
    if not isinstance(entries, list) or not entries:
        problems.append("levers: at least one [[levers]] entry (what the plan may change)")
        entries = []
    known = ("key", "min", "max", "cost", "label")
    for e, entry in enumerate(entries):
        where = f"levers[{e}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a table with key, min and max")
            continue
        for k in entry:
            if k not in known:
                near = difflib.get_close_matches(k, known, n=1)
                problems.append(f"{where}.{k}: unknown key" + (f"; did you mean '{near[0]}'?" if near else f" (known: {', '.join(known)})"))
        key = entry.get("key")
        if not isinstance(key, str):
            problems.append(f"{where}.key: missing (the parameter, such as programmes.seats_per_month[key_groups])")
            continue
        if key in [lv.key for lv in levers]:
            problems.append(f"{where}.key: {key} is a lever twice")
            continue
        low, high, cost = entry.get("min"), entry.get("max"), entry.get("cost", 0)
        ok = True
        for name, v in (("min", low), ("max", high)):
            if not _number(v):
                problems.append(f"{where}.{name}: a number is required, got {v!r}")
                ok = False
        if not _number(cost) or cost < 0:
            problems.append(f"{where}.cost: yuan per unit, at least 0, got {cost!r}")
            ok = False
        if ok and low > high:
            problems.append(f"{where}: min {low:g} is above max {high:g}")
            ok = False
        if scenario is None or not ok:
            continue
        resolved = _resolve_lever_key(scenario, key)
        if isinstance(resolved, str):
            problems.append(f"{where}.key: {resolved}")
            continue
        array_key, index, integer = resolved
        lever = Lever(key, str(entry.get("label", key)), float(low), float(high), float(cost), integer, array_key, index)
        for name, bound in (("min", low), ("max", high)):
            try:
                scenario.replace(_changes(scenario, [lever], [bound]))
            except ScenarioError as err:
                problems.append(f"{where}.{name}: {key} = {bound:g} is refused: " + "; ".join(x.message for x in err.problems))
        levers.append(lever)

    if problems:
        raise PlanError(source, problems)
    assert scenario is not None
    return PlanSpec(
        source=source,
        scenario=scenario,
        levers=tuple(levers),
        target_index=tuple(sorted(set(target_index))),
        probability=float(values["probability"]),
        replicates=int(values["replicates"]),
        search_replicates=int(values["search_replicates"]),
        seed=int(scenario.seed if values["seed"] is None else values["seed"]),
        threads=values["threads"],
        iterations=int(values["iterations"]),
        refinements=int(values["refinements"]),
        search=str(values["search"]),
    )


# -- evaluating a plan -------------------------------------------------------------------------------


@dataclass
class Evaluation:
    """An ensemble of one plan (levers at ``values``): per replicate, each target's attained
    value and whether it was met, and the cost."""

    values: np.ndarray
    results: Results
    attained: np.ndarray  # replicate x target
    met: np.ndarray  # replicate x target (bool)
    spending: np.ndarray  # replicate: yuan paid by the funds over the run
    lever_cost: float  # yuan: the levers' own costs

    @property
    def cost(self) -> float:
        """Mean money paid over the run plus the levers' own costs (yuan)."""
        return float(self.spending.mean()) + self.lever_cost

    @property
    def met_all(self) -> np.ndarray:
        """Per replicate: every target met."""
        return self.met.all(axis=1)

    def meets(self, goals: np.ndarray) -> np.ndarray:
        """Per replicate: every target at least its goal."""
        return (self.attained >= goals).all(axis=1)


def _evaluate(spec: PlanSpec, values: Sequence[float], replicates: int, seed: int) -> Evaluation:
    values = np.asarray(values, dtype=float)
    scenario = spec.scenario_at(values)
    results = run(scenario, replicates=replicates, seed=seed, threads=spec.threads, progress=False)
    return _evaluation(spec, values, results)


def _evaluation(spec: PlanSpec, values: np.ndarray, results: Results) -> Evaluation:
    columns = list(spec.target_index)
    attained = np.asarray(results["target_attained"], dtype=float)[:, columns]
    met = np.asarray(results["target_met"]).astype(bool)[:, columns]
    spent = np.asarray(results["spending"], dtype=float) if "spending" in results else np.zeros((results.replicates, 1))
    spending = spent.reshape(results.replicates, -1).sum(axis=1)
    return Evaluation(values, results, attained, met, spending, _lever_cost(spec, values))


def _rounded(spec: PlanSpec, values: Sequence[float]) -> np.ndarray:
    """The levers as the scenario takes them: integer levers rounded up (as ``scenario_at``)."""
    return np.array([math.ceil(v - 1e-9) if lv.integer else float(v) for lv, v in zip(spec.levers, values)], dtype=float)


def _lever_cost(spec: PlanSpec, values: Sequence[float]) -> float:
    """Yuan: the levers' own costs (``cost`` per unit) at ``values``."""
    return float(sum(lv.cost * v for lv, v in zip(spec.levers, _rounded(spec, values))))


def _money_by_fund_and_year(results: Results) -> "pandas.DataFrame":
    """Yuan paid by each fund in each calendar year (mean over replicates)."""
    import pandas as pd

    if "spending" not in results:
        return pd.DataFrame()
    spent = np.asarray(results["spending"], dtype=float).sum(axis=3).mean(axis=0)  # time x fund
    # The flow recorded at time t is the month before t.
    years = [(np.datetime64(t, "D").astype(dt.date) - dt.timedelta(days=1)).year for t in results.times]
    funds = [str(f) for f in results.coords("fund")]
    frame = pd.DataFrame(spent, columns=funds)
    frame["year"] = years
    return frame.iloc[1:].groupby("year").sum()


def _clopper_pearson(successes: int, n: int, level: float = 0.9) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of a binomial share, two-sided at ``level``."""
    from scipy.stats import beta

    alpha = 1 - level
    low = 0.0 if successes == 0 else float(beta.ppf(alpha / 2, successes, n - successes + 1))
    high = 1.0 if successes == n else float(beta.ppf(1 - alpha / 2, successes + 1, n - successes))
    return low, high


# -- the search ----------------------------------------------------------------------------------------


def _differences(
    spec: PlanSpec, x0: np.ndarray, mean0: np.ndarray, cost0: float, step_share: float,
    at: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, float]],
) -> tuple[np.ndarray, np.ndarray]:
    """d(mean attained)/d(lever) (target x lever) and d(cost)/d(lever) at ``x0`` (where each
    target's mean attained value is ``mean0`` and the cost ``cost0``), by one-sided finite
    differences of ``step_share`` of each lever's range (one unit at least for an integer lever),
    downwards where there is room (the searches come from above), else up. ``at(x)`` gives the
    levers as the scenario takes them, each target's mean attained value and the cost at ``x``."""
    n, m = len(spec.levers), len(mean0)
    jac, grad = np.zeros((m, n)), np.zeros(n)
    for i, lever in enumerate(spec.levers):
        width = lever.high - lever.low
        if width <= 0:
            continue
        step = max(step_share * width, 1.0 if lever.integer else 0.0)
        x = x0.copy()
        x[i] = x[i] - step if x[i] - step >= lever.low else min(lever.high, x[i] + step)
        if x[i] == x0[i]:
            continue
        taken, mean, cost = at(x)
        h = taken[i] - x0[i]
        if h == 0:
            continue
        jac[:, i] = (mean - mean0) / h
        grad[i] = (cost - cost0) / h
    return jac, grad


def _jacobian(spec: PlanSpec, at: Evaluation, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The differences of the agents' mean over ensembles with the same random numbers as
    ``at`` (common random numbers: a difference is the lever's effect, not noise), a step of 10%
    of each lever's range."""

    def ensemble(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        moved = _evaluate(spec, x, at.attained.shape[0], seed)
        return x, np.nanmean(moved.attained, axis=0), moved.cost

    return _differences(spec, at.values, np.nanmean(at.attained, axis=0), at.cost, 0.1, ensemble)


def _solve(spec: PlanSpec, x0: np.ndarray, mean: np.ndarray, jac: np.ndarray, grad: np.ndarray, need: np.ndarray, radius: float) -> np.ndarray | None:
    """The least-cost levers of the problem linearised at ``x0`` (each target's mean attained
    value ``mean`` there) within ``radius`` (share of each lever's range) of ``x0``; None if the
    linear problem is infeasible."""
    from scipy.optimize import linprog

    lows = np.array([lv.low for lv in spec.levers])
    highs = np.array([lv.high for lv in spec.levers])
    reach = radius * (highs - lows)
    bounds = list(zip(np.maximum(lows, x0 - reach), np.minimum(highs, x0 + reach)))
    # mean + jac (x - x0) >= need  <=>  -jac x <= mean - need - jac x0
    res = linprog(grad + 0.0, A_ub=-jac, b_ub=mean - need - jac @ x0, bounds=bounds, method="highs")
    if res.status != 0:
        return None
    return np.asarray(res.x, dtype=float)


def _need(goals: np.ndarray, at: Evaluation, z: float) -> np.ndarray:
    """Each goal plus a margin of ``z`` predictive standard deviations of the target's attained
    value (so that the target is met in most replicates, not only on average): the replicates'
    standard deviation s widened to s sqrt(1 + 1/n) for the error of the mean of n replicates,
    the spread of a new replicate around the estimated mean."""
    n = at.attained.shape[0]
    sd = np.nanstd(at.attained, axis=0, ddof=1) * math.sqrt(1 + 1 / n)
    return goals + z * np.nan_to_num(sd)


def _margin(probability: float, targets: int, replicates: int) -> float:
    """z such that each of ``targets`` independent targets holds with probability
    probability^(1/targets) for a new replicate: Student's t quantile with replicates - 1 degrees
    of freedom (the standard deviation is estimated from as many replicates)."""
    from scipy.stats import t

    return float(t.ppf(probability ** (1 / targets), replicates - 1))


def _feasible(at: Evaluation, need: np.ndarray) -> bool:
    return bool(np.all(np.nanmean(at.attained, axis=0) >= need - 1e-9))


def _search(spec: PlanSpec, start: Evaluation, goals: np.ndarray, z: float, seed: int, log: Any) -> Evaluation:
    """Sequential linear programming from a plan that meets the goals with their margins
    (``start``): returns the cheapest evaluated plan that meets them on average."""
    best, at, radius = start, start, 0.5
    for iteration in range(spec.iterations):
        jac, grad = _jacobian(spec, at, seed)
        x = _solve(spec, at.values, np.nanmean(at.attained, axis=0), jac, grad, _need(goals, at, z), radius)
        if x is None or np.allclose(x, at.values, rtol=0, atol=1e-6 * (1 + np.abs(at.values))):
            break
        candidate = _evaluate(spec, x, spec.search_replicates, seed)
        ok = _feasible(candidate, _need(goals, candidate, z))
        log(f"  step {iteration + 1}: cost {candidate.cost:,.0f} yuan, " + ("meets the margins" if ok else "falls short; smaller step"))
        if ok:
            at = candidate
            if candidate.cost < best.cost:
                best = candidate
        else:
            radius /= 2  # the linear model was too optimistic this far away
            if radius < 0.02:
                break
    return best


# -- the search on the expected-value twin -------------------------------------------------------


@dataclass(frozen=True)
class TwinPoint:
    """The expected-value twin (docs/twin.md) at one plan: each target's expected attained value
    (mean over the twin's replicates, i.e. the parameter sets the search ensemble runs under) and
    the cost (the funds' expected spending plus the levers' own costs), without noise."""

    values: np.ndarray
    attained: np.ndarray  # target
    cost: float


class _Twin:
    """The spec's scenario projected by the twin at lever settings; each setting (integer levers
    rounded up, as the scenario takes them) projected once."""

    def __init__(self, spec: PlanSpec) -> None:
        self.spec = spec
        self.projections = 0
        self._cache: dict[tuple[float, ...], tuple[np.ndarray, float]] = {}
        # With parameter sets the twin projects one replicate per set: the sets of the search
        # ensemble's replicates (replicate r under set r modulo the sets, as skillsim.run), so
        # that the twin and the agents it is checked against differ by no parameter uncertainty.
        self._sets = bool(str(spec.scenario["run.parameter_sets"] or ""))

    def point_seconds(self, values: Sequence[float]) -> float:
        """Seconds one point of the search costs on the twin, measured at ``values``: without
        parameter sets the point itself (projected and kept), with them one set's projection
        times the rounds in which the point's ``search_replicates`` sets (the most a point
        projects) are projected side by side, one a thread. Raises TwinUnsupported where the
        twin refuses the scenario."""
        from .twin import project

        started = time.monotonic()
        if not self._sets:
            self.at(values)
            return time.monotonic() - started
        one_set = self.spec.scenario_at(_rounded(self.spec, values)).replace({"run.replicates": 1})
        project(one_set, threads=1, progress=False)
        self.projections += 1
        threads = self.spec.threads or _core.default_threads()
        return (time.monotonic() - started) * math.ceil(self.spec.search_replicates / threads)

    def at(self, values: Sequence[float]) -> TwinPoint:
        """The twin at ``values``. Raises TwinUnsupported where it refuses the scenario."""
        from .twin import project

        values = _rounded(self.spec, values)
        key = tuple(float(v) for v in values)
        if key not in self._cache:
            scenario = self.spec.scenario_at(values)
            if self._sets:
                scenario = scenario.replace({"run.replicates": self.spec.search_replicates})
            results = project(scenario, threads=self.spec.threads, progress=False)
            self.projections += 1
            columns = list(self.spec.target_index)
            attained = np.nanmean(np.asarray(results["target_attained"], dtype=float)[:, columns], axis=0)
            spent = np.asarray(results["spending"], dtype=float) if "spending" in results else np.zeros((results.replicates, 1))
            cost = float(spent.reshape(results.replicates, -1).sum(axis=1).mean()) + _lever_cost(self.spec, values)
            self._cache[key] = (attained, cost)
        attained, cost = self._cache[key]
        return TwinPoint(values, attained, cost)


def _twin_refusal(spec: PlanSpec, twin: _Twin) -> list[tuple[str, str]]:
    """The (key, reason) pairs for which the twin refuses the scenario with every lever at its
    minimum or at its maximum (where a lever can switch a mechanism the twin does not model on,
    such as an age limit that excludes somebody, it does so at one of
    its bounds); empty if it projects both."""
    issues: dict[str, str] = {}
    for values in ([lv.high for lv in spec.levers], [lv.low for lv in spec.levers]):
        try:
            twin.at(values)
        except TwinUnsupported as e:
            for key, message in e.issues or [("scenario", str(e))]:
                issues.setdefault(key, message)
    return list(issues.items())


def _twin_jacobian(spec: PlanSpec, twin: _Twin, at: TwinPoint) -> tuple[np.ndarray, np.ndarray]:
    """The differences of the twin at ``at``. The twin draws no random numbers, so a difference
    is exact and the step small: 1% of the lever's range (for an integer lever, what the rounding
    makes of it)."""

    def projected(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        moved = twin.at(x)
        return moved.values, moved.attained, moved.cost

    return _differences(spec, at.values, at.attained, at.cost, 0.01, projected)


def _shortfall(point: TwinPoint, need: np.ndarray, tolerance: np.ndarray) -> float:
    """How far the twin at ``point`` falls short of ``need`` beyond ``tolerance``, in tolerances
    (0 when it meets every need to within its tolerance)."""
    return float(np.max(np.maximum(0.0, (need - point.attained) / tolerance - 1), initial=0.0))


def _twin_descent(
    spec: PlanSpec, twin: _Twin, x: np.ndarray, need: np.ndarray, tolerance: np.ndarray, steps: int = 30
) -> TwinPoint | None:
    """Sequential linear programming on the twin from ``x``: the cheapest plan found whose
    expected attained values meet ``need`` to within ``tolerance``, or None. A step is taken when
    it is cheaper and meets ``need`` (or, from a plan that does not, when it falls less short);
    otherwise the trust region halves. The tolerance lets the search move along a response that
    is linear but for small steps (seats are whole each month: a fractional seat a month fills
    some months and not others); the linear program asks for the whole need. Deterministic: the
    same spec and need give the same plan."""
    tolerance = np.maximum(tolerance, 1e-9 * np.maximum(1.0, np.abs(need)))
    at = twin.at(x)
    best = at if _shortfall(at, need, tolerance) == 0 else None
    radius = 0.5
    for _ in range(steps):
        jac, grad = _twin_jacobian(spec, twin, at)
        y = _solve(spec, at.values, at.attained, jac, grad, need, radius)
        if y is None:
            if radius < 1:
                radius = 1.0  # no plan of the linear model this near: look over the whole bounds
                continue
            break
        candidate = twin.at(y)
        if np.array_equal(candidate.values, at.values):
            break  # converged (to the rounding of integer levers)
        short, short_at = _shortfall(candidate, need, tolerance), _shortfall(at, need, tolerance)
        if short == 0 and short_at == 0 and candidate.cost > at.cost * (1 - 1e-9):
            break  # no cheaper: the optimum of the twin, to its kinks
        if (short == 0 and (short_at > 0 or candidate.cost < at.cost)) or 0 < short < short_at:
            at = candidate
            if short == 0 and (best is None or candidate.cost < best.cost):
                best = candidate
        else:
            radius /= 2  # the linear model was too optimistic this far away
            if radius < 1e-3:
                break
    return best


def _search_twin(spec: PlanSpec, twin: _Twin, start: Evaluation, goals: np.ndarray, z: float, seed: int, log: Any) -> Evaluation:
    """The search on the twin from a plan whose agent ensemble meets the goals with their margins
    (``start``); returns the cheapest candidate whose agent ensemble (``search_replicates``
    replicates, the search's seed) meets them on average.

    The twin gives each target's expected value and the cost without noise; it does not give
    the spread across replicates the margins need, nor the difference between its expectation
    and the agents' mean where capacities bind near their edge (Jensen, docs/twin.md). Both are
    taken from the agents: the twin's need is the goals plus margin (from the spread of the
    last agent ensemble) less that ensemble's mean plus the twin's value there. The twin search
    (:func:`_twin_descent`) finds the least-cost plan meeting that need; its agent ensemble then
    corrects the need again; until the plan does not move or ``iterations`` ensembles ran."""
    best = at = start
    ensemble = start
    tried = {tuple(_rounded(spec, start.values))}
    previous: np.ndarray | None = None  # the twin's need that found the last plan the agents ran
    for iteration in range(spec.iterations):
        anchor = twin.at(ensemble.values)
        need = anchor.attained + _need(goals, ensemble, z) - np.nanmean(ensemble.attained, axis=0)
        n = ensemble.attained.shape[0]
        sd = np.nan_to_num(np.nanstd(ensemble.attained, axis=0, ddof=1))
        if ensemble is at and previous is not None and np.all(np.abs(need - previous) <= sd / math.sqrt(n)):
            break  # the agents met the margins and correct the need by less than their mean's error: noise
        # Within 5% of a replicate's standard deviation the twin's plan meets its need: finer
        # than that is below what the agents can tell apart.
        found = _twin_descent(spec, twin, at.values, need, 0.05 * sd)
        previous = need
        if found is None or tuple(found.values) in tried:
            break
        tried.add(tuple(found.values))
        candidate = _evaluate(spec, found.values, spec.search_replicates, seed)
        ok = _feasible(candidate, _need(goals, candidate, z))
        log(
            f"  twin step {iteration + 1}: twin cost {found.cost:,.0f} yuan; agents: cost {candidate.cost:,.0f} yuan, "
            + ("meet the margins" if ok else "fall short; the twin's need corrected")
            + f" ({twin.projections} projections so far)"
        )
        ensemble = candidate
        if ok:
            at = candidate
            if candidate.cost < best.cost:
                best = candidate
    return best


# -- the answer ----------------------------------------------------------------------------------


@dataclass
class TargetOutlook:
    """One target under a plan: share of replicates meeting it, median attained, and (for
    ``--check``) the earliest month the levers at their maximum meet it on average."""

    label: str
    value: float
    met_share: float
    attained_median: float
    earliest: dt.date | None = None
    blocking: str = ""


@dataclass
class Plan:
    """The answer of :func:`plan`.

    Attributes:
        status: ``"met"`` (a plan meets every target with the probability asked for),
            ``"not_attainable"`` (none within the levers' bounds does; :attr:`scenario` is then
            the best attainable plan: the least cost that meets, for each target out of reach,
            what every lever at its maximum reaches, see :attr:`goals`), or ``"checked"``
            (``check=True``: attainability only, every lever at its maximum).
        spec: the plan spec.
        levers: lever, original value, planned value.
        scenario: the plan as a complete scenario (``scenario.to_toml()``).
        results, original_results: the verification ensembles of the plan and of the original
            (same fresh seed: common random numbers between the two).
        probability, interval: share of verification replicates meeting every goal, and its
            90% Clopper-Pearson interval.
        goals: what the plan was built to meet, per target: the target's value, or for a target
            out of reach the best attainable level.
        targets: per target, the plan's outlook; original_targets the original's.
        cost, original_cost: yuan (funds' mean spending plus the levers' own costs).
        money, original_money: yuan by year and fund.
        binding: what binds under the plan and under the original (months in most replicates).
        messages: what the search found, in plain words (for the not attainable: what blocks).
        search: where the search ran, ``"twin"`` or ``"agents"`` (empty for ``check=True``).
        search_reason: why, in plain words (for agents under ``"auto"``: the keys the twin
            refuses, or what a point on it costs against an ensemble).
        twin_projections: how many plans the twin projected.
    """

    status: str
    spec: PlanSpec
    levers: "pandas.DataFrame"
    scenario: Scenario
    results: Results
    original_results: Results
    probability: float
    interval: tuple[float, float]
    original_probability: float
    targets: list[TargetOutlook]
    original_targets: list[TargetOutlook]
    cost: float
    original_cost: float
    money: "pandas.DataFrame"
    original_money: "pandas.DataFrame"
    binding: "pandas.DataFrame"
    goals: list[float] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    search: str = ""
    search_reason: str = ""
    twin_projections: int = 0

    def __str__(self) -> str:
        return _plan_text(self)

    def to_toml(self) -> str:
        """The plan as a scenario file, with a header saying what it is."""
        lines = [
            f"# Least-cost plan written by skillsim {_core.__version__} (skillsim plan) from {self.spec.source}.",
            f"# Status: {self.status}. Probability of meeting every goal: {100 * self.probability:.0f}% "
            f"(90% interval {100 * self.interval[0]:.0f}%-{100 * self.interval[1]:.0f}%, "
            f"{self.results.replicates} replicates on fresh random numbers).",
            f"# Cost: {self.cost:,.0f} yuan (the original plan: {self.original_cost:,.0f}).",
            f"# Search {self.search_reason}.",
        ]
        for _, row in self.levers.iterrows():
            lines.append(f"#   {row['lever']}: {row['original']:g} -> {row['plan']:g}")
        header = "\n".join(lines) + "\n"
        return header + self.scenario.to_toml()

    def report(
        self,
        path: str | os.PathLike[str] = "plan.html",
        *,
        title: str | None = None,
        every: int = 6,
        chinese_labels: bool = True,
        overwrite: bool = False,
    ) -> Path:
        """Writes the HTML report of the plan (docs/report.md): this answer's section (levers,
        probability, cost, money by fund and year, original against plan), then the two
        verification ensembles side by side as :func:`skillsim.report` shows runs. Not for
        ``check=True`` answers, which run no plan. Returns the file's path."""
        from .comparison import report

        if self.status == "checked":
            raise ValueError("a --check answer has no plan to report; run skillsim.plan without check=True")
        runs = {"original": self.original_results, "plan": self.results}
        title = title or f"skillsim plan: {self.spec.scenario.name}"
        return report(runs, path, title=title, every=every, chinese_labels=chinese_labels, overwrite=overwrite, plan=self)

    def report_section(self) -> tuple[str, str, str]:
        """The plan's section of the HTML report: (HTML id, heading, body)."""
        from .comparison import _e, _met_class, _table

        heading = {"met": "The least-cost plan", "not_attainable": "The targets are not attainable: the best attainable plan"}
        body = [f"<p>{_e(m)}</p>" for m in self.messages]
        body.append(f'<p class="note">Plan spec: {_e(self.spec.source)}; scenario: {_e(self.spec.scenario.name)}. '
                    f"Search {_e(self.search_reason)}.</p>")
        rows = [
            [(_e(row["lever"]), "text"), (_e(row["key"]), "text"), (f"{row['original']:,.6g}", ""), (f"{row['plan']:,.6g}", ""),
             (f"{row['min']:,.6g} to {row['max']:,.6g}", "")]
            for _, row in self.levers.iterrows()
        ]
        body.append(_table(["lever", "key", "original", "plan", "bounds"], rows, 2))
        lo, hi = self.interval
        n = self.results.replicates
        rows = [
            [(_e("every goal met"), "text"), (f"{self.original_probability:.0%}", _met_class(self.original_probability)),
             (f"{self.probability:.0%} (90% interval {lo:.0%}-{hi:.0%}, {n} replicates)", _met_class(self.probability))],
            [(_e("cost (yuan)"), "text"), (f"{self.original_cost:,.0f}", ""), (f"{self.cost:,.0f}", "")],
        ]
        for t, o, goal in zip(self.targets, self.original_targets, self.goals):
            rows.append([(_e(f"{t.label}: goal {goal:,.6g} (target {t.value:,.6g})"), "text"),
                         (f"median {o.attained_median:,.6g}, met {o.met_share:.0%}", _met_class(o.met_share)),
                         (f"median {t.attained_median:,.6g}, met {t.met_share:.0%}", _met_class(t.met_share))])
        body.append(_table(["", "original", "plan"], rows))
        body.append('<p class="note">Both on the same fresh random numbers (common random numbers), so the difference is '
                    "the policy's, not noise. Goal: what the plan is built to meet (for a target out of reach, what every "
                    "lever at its maximum reaches less the margin); met: the share of replicates reaching the target's value. "
                    "Cost: the funds' spending (mean over replicates) plus the levers' own costs.</p>")
        if len(self.money):
            funds = list(self.money.columns)
            rows = []
            for year in self.money.index:
                cells = [(f"{year}", "text")]
                for fund in funds:
                    orig = self.original_money.loc[year, fund] if year in self.original_money.index and fund in self.original_money else np.nan
                    cells += [("-" if np.isnan(orig) else f"{orig:,.0f}", ""), (f"{self.money.loc[year, fund]:,.0f}", "")]
                rows.append(cells)
            header = ["year"] + [f"{fund}: {what}" for fund in funds for what in ("original", "plan")]
            body.append("<h3>Money by fund and year</h3>" + _table(header, rows) + '<p class="note">yuan paid, mean over replicates.</p>')
        return "plan", heading[self.status], "".join(body)


def _outlook(spec: PlanSpec, ev: Evaluation) -> list[TargetOutlook]:
    out = []
    for j, t in enumerate(spec.targets):
        column = ev.attained[:, j]
        median = float(np.nanmedian(column)) if np.isfinite(column).any() else float("nan")
        out.append(TargetOutlook(t.label, float(t.value), float(ev.met[:, j].mean()), median))
    return out


def _binding(results: Results) -> dict[str, str]:
    from .comparison import _constraints, _month_ranges

    return {c: _month_ranges(results.times, s > 0.5) for c, s in _constraints(results).items() if (s > 0.5).any()}


def _mean_series(results: Results, target: int) -> np.ndarray:
    """A target's series over time, mean over replicates (NaN where undefined, as a flow at the
    start of the run)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a time where no replicate defines it
        return np.nanmean(np.asarray(results["target_value"], dtype=float)[:, :, target], axis=0)


def _blocking_text(spec: PlanSpec, ev: Evaluation, j: int) -> tuple[dt.date | None, str]:
    """When the levers at their maximum meet target j on average, and what holds it back."""
    t = spec.targets[j]
    series = _mean_series(ev.results, spec.target_index[j])
    times = ev.results.times
    reached = np.nonzero(series >= t.value)[0]
    earliest = np.datetime64(times[reached[0]], "D").astype(dt.date) if reached.size else None
    bound = _binding(ev.results)
    at_max = [lv.label for lv in spec.levers if lv.high > lv.low]
    if bound:
        what = "; ".join(f"{c} binds ({months})" for c, months in bound.items())
        because = f"with every lever at its maximum ({', '.join(at_max)}), {what}: raise the bound of the lever behind it, or add one"
    else:
        because = "with every lever at its maximum nothing the plan controls binds"
        filled = _seats_filled(spec, ev)
        if filled:
            because += (
                f": the seats are not all taken ({filled}; applicants are fewer, as programmes.application_rate "
                "and the programmes' eligibility make them)"
            )
        because += (
            "; the rules hold it back (the minimum months at each level before the next assessment, the "
            "application, pass and job-finding rates; `skillsim pathways` shows the fastest route to each level)"
        )
    return earliest, because


def _seats_filled(spec: PlanSpec, ev: Evaluation) -> str:
    """'upgrading_junior takes 31% of its 50,000 seats a month, ...' for the plan at ``ev``."""
    if "enrolments" not in ev.results:
        return ""
    scenario = spec.scenario_at(ev.values)
    seats = np.asarray(scenario["programmes.seats_per_month"], dtype=float).sum(axis=1)
    enrolled = np.asarray(ev.results["enrolments"], dtype=float)[:, 1:, :].mean(axis=(0, 1))
    names = [str(n) for n in scenario["programmes.names"]]
    parts = [f"{name} takes {enrolled[k] / seats[k]:.0%} of its {seats[k]:,.0f} seats a month" for k, name in enumerate(names) if seats[k] > 0]
    return ", ".join(parts)


def _search_mode(spec: PlanSpec, twin: _Twin, ensemble_seconds: float | None = None) -> tuple[str, str]:
    """Where the search runs (``spec.search``) and why, in words for the answer and the log.
    Under ``"auto"``, given ``ensemble_seconds`` (what one ensemble of the search took, at every
    lever's maximum), the agents also where one point on the twin costs more than
    AUTO_COST_RATIO times that: both searches take about as many points (docs/planning.md,
    "Speed").

    Raises:
        PlanError: ``search = "twin"`` and the twin refuses the scenario at a bound, naming the
            keys.
    """
    if spec.search == "agents":
        return "agents", 'on agent ensembles (search = "agents")'
    if spec.search == "auto" and ensemble_seconds is not None:
        try:
            seconds = twin.point_seconds([lv.high for lv in spec.levers])
        except (TwinUnsupported, MemoryError):
            seconds = None  # _twin_refusal says why
        if seconds is not None and seconds > AUTO_COST_RATIO * ensemble_seconds:
            return "agents", (
                f"on agent ensembles: one point on the expected-value twin (about {seconds:.1f} s at every lever's "
                f"maximum) costs more than {AUTO_COST_RATIO:g} ensembles of the search ({ensemble_seconds:.1f} s each)"
            )
    try:
        refused = _twin_refusal(spec, twin)
    except MemoryError as e:
        if spec.search == "twin":
            raise
        # A state too large for this machine (docs/twin.md, "Speed"): the agents need less.
        return "agents", f"on agent ensembles: the expected-value twin ran out of memory ({str(e).splitlines()[0] if str(e) else 'MemoryError'})"
    if not refused:
        return "twin", (
            "on the expected-value twin (it projects the scenario with every lever at its minimum and at its maximum); "
            "the margins, the verification and the original plan on agent ensembles"
        )
    keys = ", ".join(key for key, _ in refused)
    if spec.search == "twin":
        raise PlanError(
            spec.source,
            [f"plan.search: \"twin\", but the expected-value twin refuses the scenario ({keys}); "
             "use \"agents\" or \"auto\":\n      " + "\n      ".join(f"{k}: {m}" for k, m in refused)],
        )
    return "agents", f"on agent ensembles: the expected-value twin refuses the scenario ({keys})"


def plan(
    spec: PlanSpec | str | os.PathLike[str],
    *,
    probability: float | None = None,
    check: bool = False,
    search: str | None = None,
    log: Any = None,
) -> Plan:
    """The least-cost plan meeting the spec's targets with at least ``probability`` (default the
    spec's, 0.9), or, with ``check=True``, whether the targets can be met at all within the
    levers' bounds, when, and what blocks them.

    ``search`` (default the spec's, ``"auto"``): where the search runs: ``"twin"`` on the
    expected-value twin, ``"agents"`` on agent ensembles, ``"auto"`` on the twin if it supports
    the scenario with every lever at its minimum and at its maximum and a point on it costs no
    more than AUTO_COST_RATIO agent ensembles (timed at the maximum), else on agents. The
    margins, the verification and the original plan are agent ensembles whichever it is;
    :attr:`Plan.search` and :attr:`Plan.search_reason` say which ran and why.

    Raises:
        PlanError: an invalid spec, or ``search="twin"`` where the twin refuses the scenario
            (naming the keys it refuses).
    """
    overrides = {k: v for k, v in (("probability", probability), ("search", search)) if v is not None}
    if not isinstance(spec, PlanSpec):
        spec = load_plan_spec(spec, overrides)
    elif overrides:
        if "search" in overrides and overrides["search"] not in SEARCHES:
            raise PlanError(spec.source, [f"plan.search: one of \"twin\", \"agents\" or \"auto\", got {search!r}"])
        spec = PlanSpec(**{**spec.__dict__, **{k: (float(v) if k == "probability" else v) for k, v in overrides.items()}})
    say = log or (lambda _msg: None)
    twin = _Twin(spec)
    # "auto" is decided once an ensemble's cost is known (at the maximum, below); "twin" checks
    # the twin's refusals before anything runs.
    mode, reason = ("agents", "") if check else (None, "") if spec.search == "auto" else _search_mode(spec, twin)

    original_values = np.array([spec.value_of(lv) for lv in spec.levers])
    top = np.array([lv.high for lv in spec.levers])
    verify_seed = (spec.seed + 7919) % (2**63)  # fresh random numbers for the verification

    say(f"{spec.scenario.name}: {len(spec.levers)} levers, {len(spec.targets)} targets, P >= {spec.probability:g}")
    started = time.monotonic()
    highest = _evaluate(spec, top, spec.search_replicates, spec.seed)
    if mode is None:
        mode, reason = _search_mode(spec, twin, time.monotonic() - started)
    if not check:
        say(f"search {reason}")
    share_at_top = float(highest.met_all.mean())
    mean_at_top = np.nanmean(highest.attained, axis=0)
    messages = []
    blocked = []
    for j, t in enumerate(spec.targets):
        if not mean_at_top[j] >= t.value:
            earliest, because = _blocking_text(spec, highest, j)
            when = f"it would be met on average from {earliest}" if earliest else "it is not met on average within the run"
            blocked.append(j)
            messages.append(
                f"{t.label} ({t.value:,.6g} by {t.date}) is not attainable: with every lever at its maximum it reaches "
                f"{mean_at_top[j]:,.6g} on average ({share_at_top:.0%} of replicates meet every target); {when}; {because}."
            )
    if check:
        original = _evaluate(spec, original_values, spec.replicates, verify_seed)
        outlook = _outlook(spec, highest)
        for j, o in enumerate(outlook):
            if j not in blocked:
                series = _mean_series(highest.results, spec.target_index[j])
                reached = np.nonzero(series >= o.value)[0]
                o.earliest = np.datetime64(highest.results.times[reached[0]], "D").astype(dt.date) if reached.size else None
                messages.append(f"{o.label}: attainable; with every lever at its maximum it is met on average from {o.earliest}.")
            else:
                o.blocking = messages[blocked.index(j)]
        goals = np.array([t.value for t in spec.targets], dtype=float)
        status = "checked" if not blocked else "not_attainable"
        return _answer(spec, status, highest, original, original_values, goals, messages, outlook_override=outlook)

    # Margins: z standard deviations per target, so that all m targets hold together with
    # probability P if they were independent; widened after a failed verification.
    z = _margin(spec.probability, len(spec.targets), spec.search_replicates)
    goals = np.array([t.value for t in spec.targets], dtype=float)
    if blocked:
        # The best attainable plan: the least cost that reaches, for each target out of reach,
        # what every lever at its maximum reaches (less the margin, so that the maximum itself
        # meets it with the probability asked for), and the others in full.
        reach = _need(np.zeros(len(goals)), highest, -z)
        goals[blocked] = reach[blocked] + mean_at_top[blocked]
        messages.insert(0, "The targets are not attainable within the levers' bounds. The best attainable plan meets "
                        + ", ".join(f"{spec.targets[j].label}: {goals[j]:,.6g}" for j in blocked)
                        + " instead (what every lever at its maximum reaches, less the margin), at least cost.")
    original = _evaluate(spec, original_values, spec.replicates, verify_seed)
    status = "not_attainable" if blocked else "met"
    start = highest
    for refinement in range(spec.refinements + 1):
        if not _feasible(start, _need(goals, start, z)):
            break  # even the maximum does not meet these margins
        say(f"search on {'the twin' if mode == 'twin' else 'agent ensembles'} (margin {z:.2f} standard deviations):")
        if mode == "twin":
            try:
                candidate = _search_twin(spec, twin, start, goals, z, spec.seed, say)
            except TwinUnsupported as e:
                # A lever setting between the bounds the twin refuses: the agents take over.
                mode, reason = "agents", f"on agent ensembles: the twin refused a plan the search visited ({', '.join(e.keys)})"
                say(f"search {reason}")
                candidate = _search(spec, start, goals, z, spec.seed, say)
        else:
            candidate = _search(spec, start, goals, z, spec.seed, say)
        verified = _evaluate(spec, candidate.values, spec.replicates, verify_seed)
        share = float(verified.meets(goals).mean())
        say(f"verification: {share:.0%} of {spec.replicates} replicates meet every goal, cost {verified.cost:,.0f} yuan")
        if share >= spec.probability:
            return _answer(spec, status, verified, original, original_values, goals, messages, search=(mode, reason, twin.projections))
        z += 0.5
    # The widest margins still fail verification: the maximum is the best there is.
    best = _evaluate(spec, top, spec.replicates, verify_seed)
    share = float(best.meets(goals).mean())
    if share >= spec.probability:
        messages.append("The search's candidates failed verification; every lever at its maximum meets the probability.")
        return _answer(spec, status, best, original, original_values, goals, messages, search=(mode, reason, twin.projections))
    messages.insert(
        0,
        f"No plan within the levers' bounds meets every target with probability {spec.probability:.0%}: with every lever "
        f"at its maximum {share:.0%} of {spec.replicates} replicates do. The best attainable plan is every lever at its maximum.",
    )
    return _answer(spec, "not_attainable", best, original, original_values, goals, messages, search=(mode, reason, twin.projections))


def _answer(
    spec: PlanSpec,
    status: str,
    chosen: Evaluation,
    original: Evaluation,
    original_values: np.ndarray,
    goals: np.ndarray,
    messages: list[str],
    outlook_override: list[TargetOutlook] | None = None,
    search: tuple[str, str, int] = ("", "", 0),
) -> Plan:
    import pandas as pd

    planned = _trimmed(spec, chosen)
    rounded = [math.ceil(v - 1e-9) if lv.integer else float(v) for lv, v in zip(spec.levers, planned)]
    levers = pd.DataFrame(
        {
            "lever": [lv.label for lv in spec.levers],
            "key": [lv.key for lv in spec.levers],
            "min": [lv.low for lv in spec.levers],
            "max": [lv.high for lv in spec.levers],
            "original": original_values,
            "plan": rounded,
        }
    )
    n = chosen.results.replicates
    successes = int(chosen.meets(goals).sum())
    binding = pd.DataFrame({"plan": pd.Series(_binding(chosen.results)), "original": pd.Series(_binding(original.results))}).fillna("never")
    return Plan(
        status=status,
        spec=spec,
        levers=levers,
        scenario=spec.scenario_at(planned),
        results=chosen.results,
        original_results=original.results,
        probability=successes / n,
        interval=_clopper_pearson(successes, n),
        original_probability=float(original.meets(goals).mean()),
        goals=[float(g) for g in goals],
        targets=outlook_override or _outlook(spec, chosen),
        original_targets=_outlook(spec, original),
        cost=chosen.cost,
        original_cost=original.cost,
        money=_money_by_fund_and_year(chosen.results),
        original_money=_money_by_fund_and_year(original.results),
        binding=binding,
        messages=messages,
        search=search[0] if status != "checked" else "",
        search_reason=search[1] if status != "checked" else "",
        twin_projections=search[2],
    )


def _trimmed(spec: PlanSpec, chosen: Evaluation) -> np.ndarray:
    """The chosen levers with what the plan does not use cut away, so that the plan asks for
    what it needs; the verification replicates' runs stay as they are (same random numbers),
    since nothing cut ever bound in them. Only free levers (without a cost of their own) are
    cut; a lever that bound is not cut.

    - A fund's envelope (``funds.annual_envelope[...]``): its cost is what the fund pays, and a
      fund whose remaining money (``fund_remaining``, after the month's commitments) never fell
      below R after g yearly grants can lose R / g of each grant and still cover every
      commitment. The cut is 90% of the least R / g over the months and replicates (a margin
      for money committed and released within a month), rounded to 1,000 yuan.
    - A programme's seats a month (``programmes.seats_per_month[...]``, in a scenario with one
      region): the most it enrolled in any month of any replicate, when its seats never bound.
    """
    values = chosen.values.copy()
    results = chosen.results
    months = [np.datetime64(t, "D").astype(dt.date) - dt.timedelta(days=1) for t in results.times[1:]]
    grants = np.array([m.year - spec.scenario.start.year + 1 for m in months], dtype=float)
    one_region = len(spec.scenario["population.regions"]) == 1
    for i, lever in enumerate(spec.levers):
        if lever.cost != 0:
            continue
        if lever.array_key == "funds.annual_envelope" and "fund_remaining" in results:
            remaining = np.asarray(results["fund_remaining"], dtype=float)[:, 1:, lever.index[0]]
            slack = (remaining / grants).min()
            if slack > 0:
                values[i] = max(lever.low, math.ceil((values[i] - 0.9 * slack) / 1000) * 1000)
        elif lever.array_key == "programmes.seats_per_month" and one_region and "enrolments" in results:
            k = lever.index[0]
            bound = np.asarray(results["seats_binding"])[:, 1:, k, :].any()
            most = float(np.asarray(results["enrolments"], dtype=float)[:, 1:, k].max())
            if not bound and most < values[i]:
                values[i] = max(lever.low, float(math.ceil(most)))
    return values


def _plan_text(p: Plan) -> str:
    heading = {
        "met": "Least-cost plan",
        "not_attainable": "Targets NOT attainable within the levers' bounds; best attainable plan",
        "checked": "Attainability (every lever at its maximum)",
    }[p.status]
    lines = [f"{heading}: {p.spec.scenario.name} ({p.spec.source})", ""]
    if p.search:
        lines += [f"  Search {p.search_reason}.", ""]
    lines += [f"  {m}" for m in p.messages]
    if p.messages:
        lines.append("")
    if p.status != "checked":
        lines.append(f"{'lever':<48} {'original':>12} {'plan':>12}   (bounds)")
        for _, row in p.levers.iterrows():
            lines.append(f"{row['lever'][:48]:<48} {row['original']:>12,.6g} {row['plan']:>12,.6g}   ({row['min']:g} to {row['max']:g})")
        lines.append("")
        lo, hi = p.interval
        lines.append(
            f"Every goal met in {p.probability:.0%} of {p.results.replicates} replicates (90% interval {lo:.0%}-{hi:.0%}); "
            f"the original plan: {p.original_probability:.0%} (same random numbers)."
        )
        lines.append(f"Cost: {p.cost:,.0f} yuan; the original plan: {p.original_cost:,.0f} yuan.")
    lines += ["", f"{'target':<48} {'value':>12} {'goal':>12} {'median':>12} {'met':>6} {'original':>9}"]
    for t, o, goal in zip(p.targets, p.original_targets, p.goals):
        lines.append(
            f"{t.label[:48]:<48} {t.value:>12,.6g} {goal:>12,.6g} {t.attained_median:>12,.6g} {t.met_share:>6.0%} {o.met_share:>9.0%}"
        )
    lines.append("(goal: what the plan is built to meet; met: share of replicates meeting the target's value)")
    if len(p.money) and p.status != "checked":
        lines += ["", "Money by year and fund (yuan, mean over replicates): plan | original"]
        for year in p.money.index:
            cells = []
            for fund in p.money.columns:
                orig = p.original_money.loc[year, fund] if year in p.original_money.index and fund in p.original_money else float("nan")
                cells.append(f"{fund} {p.money.loc[year, fund]:,.0f} | {orig:,.0f}")
            lines.append(f"  {year}: " + "; ".join(cells))
    if len(p.binding):
        lines += ["", "What binds (months in most replicates): plan | original"]
        for constraint, row in p.binding.iterrows():
            lines.append(f"  {constraint}: {row['plan']} | {row['original']}")
    return "\n".join(lines) + "\n"


# -- command line ------------------------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    """``skillsim plan SPEC [--check] [--probability P] [-o PLAN.toml]``."""
    parser = argparse.ArgumentParser(
        prog="skillsim plan",
        description="The least-cost plan that meets a scenario's targets with a given probability (docs/planning.md).",
    )
    parser.add_argument("spec", help="a plan spec (TOML) or the name of a bundled one (scenarios/plans/NAME.toml)")
    parser.add_argument("--check", action="store_true", help="only say whether the targets can be met within the levers' bounds, when, and what blocks them")
    parser.add_argument("--probability", type=float, help="the probability of meeting every target (default: the spec's, 0.9)")
    parser.add_argument("--replicates", type=int, help="verification replicates (default: the spec's)")
    parser.add_argument("--search-replicates", type=int, help="replicates per point of the search (default: the spec's)")
    parser.add_argument("--scale", type=int, help="population.scale of every run (default: the spec's or the scenario's)")
    parser.add_argument(
        "--search",
        choices=SEARCHES,
        help="where the search runs: twin (the expected-value twin, exact and deterministic), agents (agent ensembles), "
        "auto (the twin where it supports the scenario at the levers' bounds, else agents; the default, or the spec's "
        "[plan] search). The margins and the verification are agent ensembles in every case",
    )
    parser.add_argument("-o", "--output", help="write the plan as a scenario file (TOML)")
    parser.add_argument("--results", help="also write the plan's and the original's verification results: DIR/plan.h5, DIR/original.h5")
    parser.add_argument("--report", help="also write the HTML report of the plan against the original (docs/report.md)")
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    a = parser.parse_args(argv[1:])
    overrides = {k: v for k, v in (("probability", a.probability), ("replicates", a.replicates), ("search_replicates", a.search_replicates), ("scale", a.scale), ("search", a.search)) if v is not None}
    outputs = [Path(a.output)] if a.output else []
    if a.results:
        outputs += [Path(a.results) / "plan.h5", Path(a.results) / "original.h5"]
    if a.report:
        if a.check:
            print("skillsim plan: --report needs a plan; --check runs none", file=sys.stderr)
            return 2
        outputs.append(Path(a.report))
    for out in outputs:
        if out.exists() and not a.force:
            print(f"skillsim plan: {out} exists; pass --force to replace it", file=sys.stderr)
            return 2
    try:
        spec = load_plan_spec(a.spec, overrides)
        answer = plan(spec, check=a.check, log=lambda msg: print(msg, file=sys.stderr))
    except (PlanError, FileNotFoundError, ScenarioError) as e:
        print(f"skillsim plan: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(str(answer))
    if a.output and answer.status != "checked":
        atomic_write_text(Path(a.output), answer.to_toml())
        print(f"wrote {a.output}")
    if a.results and answer.status != "checked":
        Path(a.results).mkdir(parents=True, exist_ok=True)
        answer.results.save(Path(a.results) / "plan.h5", overwrite=True)
        answer.original_results.save(Path(a.results) / "original.h5", overwrite=True)
        print(f"wrote {Path(a.results) / 'plan.h5'} and {Path(a.results) / 'original.h5'}")
    if a.report:
        print(f"wrote {answer.report(a.report, overwrite=True)}")
    return 0 if answer.status in ("met", "checked") else NOT_ATTAINABLE_STATUS
