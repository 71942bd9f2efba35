"""Calibration and backtests: fitting chosen parameters to the published data with their
uncertainty, and holding the forecast against what was published later (docs/calibration.md).

    import skillsim
    fit = skillsim.calibrate("scenarios/calibration/national_forecast_2016.toml")
    fit.posterior                      # the accepted parameter sets (pandas)
    fit.diagnostics                    # every data point: observed, simulated band, implausibility
    fit.plot()
    bt = skillsim.backtest("scenarios/calibration/national_2010.toml", cutoff=2013)
    bt.coverage                        # share of later data points inside the 50% and 90% bands

The method is a sequential Monte Carlo sampler over the likelihood of docs/calibration.md
(likelihood tempering from the prior to the posterior, with Metropolis moves in between): each
parameter set is simulated at a coarse population scale, every published figure up to the
cut-off becomes a likelihood term with its measurement error and a model discrepancy, and the
result is a sample of parameter sets, not a single best point. The sample is confirmed with a
full ensemble at a finer scale (one replicate per set) and written as a CSV file that a
scenario's ``run.parameter_sets`` reads, so its runs carry the parameters' uncertainty.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from . import _core
from ._files import atomic_write_text
from .errors import ScenarioError, SpecError
from .observations import data_file, observations
from .results import Results
from .run import PROGRESS_DELAY, _progress_bar_class, run
from .scenario import Scenario, _resolve, _toml_string, resolve_spec

__all__ = [
    "Backtest",
    "Calibration",
    "CalibrationError",
    "CalibrationSpec",
    "Term",
    "backtest",
    "calibrate",
    "load_spec",
    "observation_terms",
    "sampling_noise",
    "share_denominator",
    "synthetic_observations",
]

#: The engine's fixed dimensions and their labels, in order (level, status, group, sector, sex, age_band).
_DIM_LABELS: dict[str, list[str]] = _core.dimension_labels()
LEVELS = tuple(_DIM_LABELS["level"])
STATUSES = tuple(_DIM_LABELS["status"])
_JUNIOR, _SENIOR, _TECHNICIAN, _SENIOR_TECHNICIAN = (LEVELS.index(x) for x in ("junior", "senior", "technician", "senior_technician"))
_EMPLOYED, _RETIRED = STATUSES.index("employed"), STATUSES.index("retired")

#: Relative measurement error of a published figure, by quality and qualifier (exact, approx);
#: bounds use the exact column. docs/calibration.md, "From qualifiers to likelihood terms".
_MEASUREMENT_ERROR = {"official": (0.03, 0.08), "news": (0.05, 0.10), "secondary": (0.05, 0.10)}
#: Extra relative error of the five-year windows reported in July 2017, whose end is unclear.
_UNCLEAR_WINDOW_ERROR = 0.1

#: Years whose certificate counts mix qualification certificates (职业资格证书) and the grade
#: certificates (职业技能等级证书) that replaced them: at least the `approx` error.
_CERTIFICATE_SYSTEM_CHANGE = range(2019, 2022)
#: The [calibration] keys of a spec and their defaults (None: required).
_SPEC_DEFAULTS: dict[str, Any] = {
    "scenario": None,
    "data": "",
    "cutoff": None,
    "scale": 20000,
    "particles": 200,
    "replicates": 1,
    "moves": 3,
    "seed": 1,
    "discrepancy": 0.05,
    "indicators": [],
    "balance": [],
    "confirm_scale": 1000,
    "sets": 0,
    "threads": 0,
    "forecast_trend": "freeze",
}
_PARAMETER_KEYS = ("key", "prior", "log", "label")


class CalibrationError(SpecError):
    """A calibration spec (or what it names) is invalid; lists every problem, each naming the
    file and the key."""

    kind = "calibration"


# -- the spec ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prior:
    """A fitted parameter: its key (as sweep files and parameter sets address it) and a uniform
    prior on [low, high], or log-uniform when ``log``."""

    key: str
    low: float
    high: float
    log: bool = False
    label: str = ""

    def to_unit(self, value: np.ndarray) -> np.ndarray:
        """The value in the space the sampler moves in (log for log-uniform priors)."""
        return np.log(value) if self.log else np.asarray(value, dtype=float)

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        return np.exp(u) if self.log else np.asarray(u, dtype=float)

    @property
    def bounds(self) -> tuple[float, float]:
        lo, hi = self.to_unit(np.array([self.low, self.high]))
        return float(lo), float(hi)


@dataclass(frozen=True)
class CalibrationSpec:
    """A calibration as its spec file states it (docs/calibration.md, "Calibration specs")."""

    source: str
    scenario: Scenario
    data: Path
    cutoff: int
    parameters: tuple[Prior, ...]
    scale: int = 20000
    particles: int = 200
    replicates: int = 1
    moves: int = 3
    seed: int = 1
    discrepancy: float = 0.05
    indicators: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    confirm_scale: int = 1000
    sets: int = 0
    threads: int = 0
    text: str = ""

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.parameters]


def _split_key(key: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"([A-Za-z0-9_.]+)\[([A-Za-z0-9_-]+)\]", key)  # age bands: [20-24]
    return (m.group(1), m.group(2)) if m else (key, None)


#: Where a scenario names the entries of its own dimensions.
_NAMED_DIMS = {
    "programme": "programmes.names",
    "fund": "funds.names",
    "region": "population.regions",
    "evaluator_type": "evaluation.evaluators",
    "competition_tier": "competitions.tiers",
    "school_route": "schools.routes",
    "employer_size_class": "employers.size_classes",
}


def _element_index(array_key: str, element: str, scenario: Scenario | None = None) -> int:
    """Index of ``element`` (a label such as ``senior``, a programme's name or a number) in the
    array parameter."""
    if element.isdigit():
        return int(element)
    spec = next((s for s in _core.parameter_specs() if s["key"] == array_key), None)
    dim = spec["dim"] if spec else ""
    labels: Sequence[str] = _DIM_LABELS.get(dim, ())
    if dim in _NAMED_DIMS and scenario is not None:
        labels = list(scenario[_NAMED_DIMS[dim]])
    if element not in labels:
        known = f" (its entries: {', '.join(labels)})" if labels else ""
        raise KeyError(f"'{element}' is not an element of {array_key}{known}")
    return list(labels).index(element)


def _changes(scenario: Scenario, assignments: Mapping[str, float], balance: Sequence[str]) -> dict[str, Any]:
    """Whole-parameter changes (as ``--set`` takes them) for element assignments such as
    ``{"skills.assessment_rate[senior]": 0.02}``, each balance element absorbing the changes of
    its array (:func:`_balanced`).

    Raises:
        ValueError: a balance element would fall below 0.
    """
    keys, rows, valid = _balanced(scenario, list(assignments), np.array([list(assignments.values())], dtype=float), balance)
    if not valid[0]:
        raise ValueError(f"it leaves {', '.join(balance)} below 0 (the shares would exceed 1)")
    changes: dict[str, Any] = {}
    for key, value in zip(keys, rows[0]):
        array_key, element = _split_key(key)
        if element is None:
            changes[key] = float(value)
            continue
        current = changes.setdefault(array_key, list(scenario[array_key]))
        current[_element_index(array_key, element, scenario)] = float(value)
    return changes


def _check_value(scenario: Scenario, key: str, value: float, balance: Sequence[str]) -> str:
    """What the engine says of ``key = value`` in the scenario (empty if accepted)."""
    try:
        scenario.replace(_changes(scenario, {key: value}, balance))
    except ScenarioError as e:
        return "; ".join(p.message for p in e.problems)
    except (KeyError, ValueError) as e:
        return str(e.args[0])
    return ""


def _resolve_spec(path: str | os.PathLike[str]) -> Path:
    """A spec file, or the name of a bundled spec (``scenarios/calibration/NAME.toml``)."""
    return resolve_spec(path, "calibration", "calibration spec")


def load_spec(path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None) -> CalibrationSpec:
    """Reads and checks a calibration spec (a TOML file). ``overrides`` replaces [calibration]
    keys (e.g. ``{"cutoff": 2013, "particles": 50}``).

    Raises:
        CalibrationError: every problem of the spec: unknown keys, a missing or unknown
            scenario, an unknown parameter or indicator, an empty or inverted prior range, a
            prior outside what the parameter allows, a bad data file.
        FileNotFoundError: the spec does not exist.
    """
    path = _resolve_spec(path)
    text = path.read_text(encoding="utf-8")
    source = os.fspath(path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CalibrationError(source, [f"TOML syntax: {e}"]) from None
    problems: list[str] = []
    for top in doc:
        if top not in ("calibration", "parameters"):
            problems.append(f"{top}: unknown table (a spec has [calibration] and [[parameters]])")
    table = dict(doc.get("calibration", {}))
    table.update(overrides or {})
    for key in table:
        if key not in _SPEC_DEFAULTS:
            near = difflib.get_close_matches(key, _SPEC_DEFAULTS, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f" (known: {', '.join(_SPEC_DEFAULTS)})"
            problems.append(f"calibration.{key}: unknown key{hint}")
    values = {k: table.get(k, v) for k, v in _SPEC_DEFAULTS.items()}
    for key in ("scenario", "cutoff"):
        if values[key] is None:
            problems.append(f"calibration.{key}: missing (required)")
    positive = ("scale", "particles", "replicates", "confirm_scale")
    for key in (*positive, "moves", "seed", "sets", "threads", "cutoff"):
        v = values[key]
        if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            problems.append(f"calibration.{key}: must be a whole number, got {v!r}")
        elif v is not None and v < (1 if key in positive else 0):
            problems.append(f"calibration.{key}: must be at least {1 if key in positive else 0}, got {v}")
    if isinstance(values["particles"], int) and 1 <= values["particles"] < 10:
        problems.append(f"calibration.particles: at least 10 are needed for a sample, got {values['particles']}")
    if values["forecast_trend"] not in ("freeze", "continue"):
        problems.append(f"calibration.forecast_trend: \"freeze\" or \"continue\", got {values['forecast_trend']!r}")
    d = values["discrepancy"]
    if not isinstance(d, (int, float)) or isinstance(d, bool) or not 0 <= d < 1:
        problems.append(f"calibration.discrepancy: a relative error in [0, 1), got {d!r}")

    scenario: Scenario | None = None
    if values["scenario"] is not None:
        name = str(values["scenario"])
        candidate = path.parent / name
        try:
            scenario = Scenario.load(candidate if candidate.is_file() else _resolve(name))
            if values["forecast_trend"] == "freeze" and isinstance(values["cutoff"], int):
                # The assessment rates' trends stop at the cut-off: a forecast does not carry
                # an unexplained drift past the data (the fitting runs end there anyway).
                scenario = scenario.replace({"skills.trend_end_date": dt.date(values["cutoff"] + 1, 1, 1)})
        except ScenarioError as e:
            problems.append(f"calibration.scenario: '{name}' is invalid:\n    " + str(e).replace("\n", "\n    "))
        except (FileNotFoundError, ValueError) as e:
            problems.append(f"calibration.scenario: {e}")

    data = Path(values["data"]) if values["data"] else data_file()
    if values["data"] and not data.is_absolute():
        data = path.parent / data
    table_obs = None
    try:
        table_obs = observations(data)
    except FileNotFoundError:
        problems.append(f"calibration.data: data file '{data}' does not exist")
    except ValueError as e:  # DataError: every problem of the data file
        problems.append(f"calibration.data: {e}")

    catalogue = {row["indicator"]: row["role"] for row in _core.indicator_catalogue()}
    for ind in values["indicators"] or []:
        if ind not in catalogue:
            near = difflib.get_close_matches(str(ind), catalogue, n=1)
            problems.append(f"calibration.indicators: unknown indicator '{ind}'" + (f"; did you mean '{near[0]}'?" if near else ""))
        elif catalogue[ind] != "observation":
            problems.append(f"calibration.indicators: '{ind}' is a {catalogue[ind]}, not an observation: it cannot be fitted")

    priors: list[Prior] = []
    entries = doc.get("parameters", [])
    if not entries:
        problems.append("parameters: no [[parameters]] to fit")
    for i, entry in enumerate(entries):
        where = f"parameters[{i}]"
        for k in entry:
            if k not in _PARAMETER_KEYS:
                problems.append(f"{where}.{k}: unknown key (a parameter has {', '.join(_PARAMETER_KEYS)})")
        key = entry.get("key")
        prior = entry.get("prior")
        if not isinstance(key, str) or not key:
            problems.append(f"{where}.key: missing (the parameter, as sweep files name it)")
            continue
        if (
            not isinstance(prior, list)
            or len(prior) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in prior)
        ):
            problems.append(f"{where}.prior: {key}: needs [low, high], got {prior!r}")
            continue
        low, high = float(prior[0]), float(prior[1])
        log = bool(entry.get("log", False))
        if not low < high:
            problems.append(f"{where}.prior: {key}: empty prior range [{low:g}, {high:g}] (low must be below high)")
            continue
        if log and low <= 0:
            problems.append(f"{where}.prior: {key}: a log-uniform prior needs low > 0, got {low:g}")
            continue
        if key in [p.key for p in priors]:
            problems.append(f"{where}.key: {key} is fitted twice")
            continue
        if scenario is not None:
            for end in (low, high):
                problem = _check_value(scenario, key, end, values["balance"] or [])
                if problem:
                    problems.append(f"{where}: {key} = {end:g} (the prior's end) is refused: {problem}")
                    break
        priors.append(Prior(key, low, high, log, str(entry.get("label", ""))))

    for key in values["balance"] or []:
        array_key, element = _split_key(str(key))
        spec = next((s for s in _core.parameter_specs() if s["key"] == array_key), None)
        if element is None or spec is None or not spec.get("sums_to_one"):
            problems.append(f"calibration.balance: '{key}' is not an element of an array whose values sum to 1")
            continue
        try:
            _element_index(array_key, element, scenario)
        except KeyError as e:
            problems.append(f"calibration.balance: {e.args[0]}")
        if key in [p.key for p in priors]:
            problems.append(f"calibration.balance: '{key}' is also fitted; the balance absorbs the others' changes")

    if problems:
        raise CalibrationError(source, problems)
    assert scenario is not None and table_obs is not None
    return CalibrationSpec(
        source=source,
        scenario=scenario,
        data=data,
        cutoff=int(values["cutoff"]),
        parameters=tuple(priors),
        scale=int(values["scale"]),
        particles=int(values["particles"]),
        replicates=int(values["replicates"]),
        moves=int(values["moves"]),
        seed=int(values["seed"]),
        discrepancy=float(values["discrepancy"]),
        indicators=tuple(values["indicators"] or ()),
        balance=tuple(values["balance"] or ()),
        confirm_scale=int(values["confirm_scale"]),
        sets=int(values["sets"]),
        threads=int(values["threads"]),
        text=text,
    )


# -- the observation model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One published figure as a likelihood term (docs/calibration.md): what it is, the model
    output it maps to and the time points it reads."""

    indicator: str
    year: int
    value: float
    unit: str
    qualifier: str
    quality: str
    line: int
    #: "normal", "lower" (the published figure is a lower bound of the truth), "upper", or
    #: "model_subset" (the model counts a subset of what is published: model <= published).
    side: str
    rel_error: float
    #: Index of the time point of a stock, or [first, last] time points of a flow's months.
    first: int
    last: int

    @property
    def label(self) -> str:
        return f"{self.indicator} {self.year}"


_STOCK_LEVELS = {
    "skilled_workers": (_JUNIOR, None),
    "high_skilled_workers": (_SENIOR, None),
    "senior_workers": (_SENIOR, _SENIOR),
    "technicians": (_TECHNICIAN, _TECHNICIAN),
    "senior_technicians": (_SENIOR_TECHNICIAN, _SENIOR_TECHNICIAN),
}
_SHARES = ("high_skilled_share_of_skilled_workers", "skilled_share_of_employed")
_FLOW_BASES = (
    "certification_participants",
    "certified_technician_and_senior_technician",
    "certified",
    "new_high_skilled_workers",
)


def _flow_base(indicator: str) -> tuple[str, tuple[int, int] | None, bool]:
    """(base indicator, window of years or None, first half only) of a flow indicator."""
    m = re.fullmatch(r"(.+)_cumulative_(\d{4})_(\d{4})", indicator)
    if m:
        return m.group(1), (int(m.group(2)), int(m.group(3))), False
    if indicator.endswith("_h1"):
        return indicator[: -len("_h1")], None, True
    return indicator, None, False


def _month_index(start: dt.date, when: dt.date) -> int:
    return (when.year - start.year) * 12 + (when.month - start.month)


def observation_terms(
    table: Any, start: dt.date, months: int, *, indicators: Sequence[str] = ()
) -> tuple[list[Term], list[tuple[str, int, str]]]:
    """The likelihood terms of the published observations in ``table`` (from
    :func:`skillsim.observations`) that a run starting at ``start`` over ``months`` months can
    be compared with, and the rows left out with why: ``(indicator, year, reason)``."""
    terms: list[Term] = []
    skipped: list[tuple[str, int, str]] = []
    for row in table.itertuples(index=False):
        if row.role != "observation" or (indicators and row.indicator not in indicators):
            continue
        ind, year = str(row.indicator), int(row.year)
        if row.qualifier not in ("exact", "approx", "lower bound", "upper bound"):
            skipped.append((ind, year, f"qualifier '{row.qualifier}' is not an outcome"))
            continue
        exact, approx = _MEASUREMENT_ERROR.get(row.quality, (0.05, 0.10))
        rel = approx if row.qualifier == "approx" else exact
        side = {"lower bound": "lower", "upper bound": "upper"}.get(row.qualifier, "normal")
        if ind in _STOCK_LEVELS or ind in _SHARES:
            t = _month_index(start, dt.date(year + 1, 1, 1))
            if not 0 <= t <= months:
                where = "before the run starts" if t < 0 else "after the run ends"
                skipped.append((ind, year, f"the end of {year} is {where} ({start} + {months} months)"))
                continue
            first = last = t
        else:
            base, window, half = _flow_base(ind)
            if base not in _FLOW_BASES:
                skipped.append((ind, year, "no model counterpart yet (docs/calibration.md)"))
                continue
            y0, y1 = window if window else (year, year)
            # A flow at time point t is the month that ends at t: January is t(1 Feb).
            first = _month_index(start, dt.date(y0, 2, 1))
            last = _month_index(start, dt.date(y1, 7, 1) if half else dt.date(y1 + 1, 1, 1))
            if first < 1 or last > months:
                where = "some before the run starts" if first < 1 else "some after the run ends"
                skipped.append((ind, year, f"its months are not all inside the run ({where}: {start} + {months} months)"))
                continue
            if window:
                rel += _UNCLEAR_WINDOW_ERROR
            if any(y in _CERTIFICATE_SYSTEM_CHANGE for y in range(y0, y1 + 1)):
                rel = max(rel, approx)  # two certificate systems mixed in the count
            if base == "certified" and side == "normal":
                # The published count includes certificates outside the model's pool and in
                # second occupations: the model's certificates are a subset of it.
                side = "model_subset"
        terms.append(
            Term(ind, year, float(row.value), str(row.unit), str(row.qualifier), str(row.quality), int(row.line), side, rel, first, last)
        )
    return terms, skipped


def _level_sum(a: np.ndarray, lo: int, hi: int | None) -> np.ndarray:
    return a[..., lo : (hi + 1 if hi is not None else None)].sum(axis=-1)


def _variable_by_level(results: Results, name: str) -> np.ndarray | None:
    """(replicate, time, level) of a variable, summed over its other dimensions; None if absent."""
    if name not in results:
        return None
    data = np.asarray(results[name], dtype=float)
    dims = results.dims_of(name)
    keep = [dims.index("replicate"), dims.index("time"), dims.index("level")]
    other = tuple(i for i in range(data.ndim) if i not in keep)
    return np.moveaxis(data.sum(axis=other, keepdims=True), keep, [0, 1, 2]).reshape(data.shape[keep[0]], data.shape[keep[1]], -1)


def model_values(results: Results, term: Term) -> tuple[np.ndarray, np.ndarray]:
    """The model's counterpart of a term, per replicate, in the published unit (10k for counts):
    ``(low, high)``, equal except for stocks, whose coverage is the range from the employed
    holders to every holder not retired (docs/calibration.md, "Coverage")."""
    t0, t1 = term.first, term.last
    ind = term.indicator
    if ind in _STOCK_LEVELS or ind in _SHARES:
        workers = np.asarray(results["workers"], dtype=float)[:, t0]  # (replicate, level, status)
        employed = workers[:, :, _EMPLOYED]
        held = workers.sum(axis=2) - workers[:, :, _RETIRED]
        if ind in _STOCK_LEVELS:
            lo, hi = _STOCK_LEVELS[ind]
            return _level_sum(employed, lo, hi) / 1e4, _level_sum(held, lo, hi) / 1e4
        numerator = _level_sum(employed, _JUNIOR, None) if ind == "skilled_share_of_employed" else _level_sum(held, _SENIOR, None)
        share = 100 * numerator / share_denominator(results, term)
        return share, share
    base, _, _ = _flow_base(ind)
    window = slice(t0, t1 + 1)
    promotions = _variable_by_level(results, "promotions")
    assert promotions is not None
    promoted = promotions[:, window].sum(axis=1)
    if base == "certification_participants":
        sat = _variable_by_level(results, "assessments")[:, window].sum(axis=1)  # type: ignore[index]
        trainees = _variable_by_level(results, "programme_assessments")
        if trainees is not None:
            sat = sat + trainees[:, window].sum(axis=1)
        value = _level_sum(sat, _JUNIOR, _SENIOR_TECHNICIAN)
    elif base == "certified":
        entered = _variable_by_level(results, "entries_by_level")[:, window].sum(axis=1)  # type: ignore[index]
        value = _level_sum(promoted, _JUNIOR, _SENIOR_TECHNICIAN) + _level_sum(entered, _JUNIOR, _SENIOR_TECHNICIAN)
    elif base == "certified_technician_and_senior_technician":
        value = _level_sum(promoted, _TECHNICIAN, _SENIOR_TECHNICIAN)
    else:  # new_high_skilled_workers
        entered = _variable_by_level(results, "entries_by_level")[:, window].sum(axis=1)  # type: ignore[index]
        value = _level_sum(promoted, _SENIOR, None) + _level_sum(entered, _SENIOR, None)
    return value / 1e4, value / 1e4


def _log_norm_cdf(z: np.ndarray) -> np.ndarray:
    from scipy.special import log_ndtr

    return log_ndtr(z)


def term_scores(
    term: Term, low: np.ndarray, high: np.ndarray, discrepancy: float, sim_se: np.ndarray | float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """(log-likelihood, implausibility) of a term for model values ``low``/``high`` (arrays over
    parameter sets), as docs/calibration.md defines them."""
    y = term.value
    s = np.sqrt((term.rel_error * y) ** 2 + (discrepancy * y) ** 2 + np.asarray(sim_se) ** 2)
    if term.side == "normal":
        dist = np.where(y < low, low - y, np.where(y > high, y - high, 0.0))
        return -0.5 * (dist / s) ** 2 - np.log(s), dist / s
    if term.side == "lower":  # the truth is above y: the model's most generous end must be
        z = (high - y) / s
    else:  # "upper", "model_subset": the model must not exceed y
        z = (y - low) / s
    return _log_norm_cdf(z) - np.log(s), np.maximum(0.0, -z)


# -- running parameter sets ----------------------------------------------------------------------


def _sets_csv(keys: Sequence[str], values: np.ndarray) -> str:
    lines = [",".join(keys)]
    lines += [",".join(repr(float(v)) for v in row) for row in values]
    return "\n".join(lines) + "\n"


def _balanced(
    scenario: Scenario, keys: Sequence[str], values: np.ndarray, balance: Sequence[str]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The keys and values to write (``keys`` with ``values``, one row per set, plus each
    balance element, which absorbs the changes of its array so the shares still sum to 1), and
    which rows are valid (a balance below 0 is outside the prior)."""
    out_keys = list(keys)
    columns = [values]
    valid = np.ones(len(values), dtype=bool)
    for bal in balance:
        array_key, element = _split_key(bal)
        totals = np.tile(np.asarray(scenario[array_key], dtype=float), (len(values), 1))
        for j, key in enumerate(keys):
            k_array, k_element = _split_key(key)
            if k_array == array_key and k_element is not None:
                totals[:, _element_index(array_key, k_element, scenario)] = values[:, j]
        b = _element_index(array_key, element, scenario)  # type: ignore[arg-type]
        column = 1.0 - (totals.sum(axis=1) - totals[:, b])
        valid &= column >= 0
        out_keys.append(bal)
        columns.append(np.clip(column, 0.0, 1.0)[:, None])
    return out_keys, np.hstack(columns), valid


def _with_balance(spec: CalibrationSpec, values: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """:func:`_balanced` for the spec's fitted keys and balance."""
    return _balanced(spec.scenario, spec.keys, values, spec.balance)


def _shortened(scenario: Scenario, months: int) -> Scenario:
    """The scenario over its first ``months`` months: scheduled changes and targets after the
    new end are dropped (they cannot act before it), so a fit need not simulate the years after
    its cut-off."""
    if months >= scenario.months:
        return scenario
    d = tomllib.loads(scenario.to_toml())
    start = scenario.start
    end = dt.date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
    d["scenario"]["months"] = months
    d["schedule"] = [entry for entry in d.get("schedule", []) if entry["date"] < end]
    d["targets"] = [entry for entry in d.get("targets", []) if entry["date"] <= end]
    for key in ("schedule", "targets"):
        if not d[key]:
            del d[key]
    return Scenario.from_dict(d, name=scenario.source)


def _simulate(
    spec: CalibrationSpec,
    values: np.ndarray,
    *,
    scale: int,
    months: int,
    replicates_per_set: int,
    seed: int,
    workdir: Path,
    progress: bool = False,
) -> Results:
    """One engine run: replicate r under set r mod n (``run.parameter_sets``), so a whole batch
    of parameter sets is one call."""
    keys, rows, _ = _with_balance(spec, values)
    sets_path = workdir / "sets.csv"
    sets_path.write_text(_sets_csv(keys, rows), encoding="utf-8")
    scenario = _shortened(spec.scenario, months).replace({"population.scale": scale, "run.parameter_sets": os.fspath(sets_path)})
    return run(
        scenario,
        replicates=len(values) * replicates_per_set,
        seed=seed,
        threads=spec.threads or None,
        progress=progress,
    )


def _per_set(a: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error over the replicates of each of ``n`` sets (replicate r is set
    r mod n); the standard error is 0 with one replicate per set."""
    k = len(a) // n
    grouped = a.reshape(k, n)
    se = grouped.std(axis=0, ddof=1) / math.sqrt(k) if k > 1 else np.zeros(n)
    return grouped.mean(axis=0), se


def share_denominator(results: Results, term: Term) -> np.ndarray:
    """The persons a share term divides by, per replicate: the skilled (certificate holders not
    retired) for the high-skilled share, the employed for the skilled share of the employed."""
    workers = np.asarray(results["workers"], dtype=float)[:, term.first]  # (replicate, level, status)
    if term.indicator == "skilled_share_of_employed":
        return workers[:, :, _EMPLOYED].sum(axis=1)
    held = workers.sum(axis=2) - workers[:, :, _RETIRED]
    return _level_sum(held, _JUNIOR, None)


def sampling_noise(term: Term, value: np.ndarray, scale: int, denominator: np.ndarray | None = None) -> np.ndarray:
    """The standard deviation of one run's value of a term that comes from simulating agents
    (each standing for ``scale`` persons) rather than persons: a count of agents is about
    Poisson, so sqrt(agents) x scale; a share p of m agents about binomial, with m the run's own
    ``denominator`` in persons (:func:`share_denominator`). In the published unit (10k for
    counts, percent for shares)."""
    if term.indicator in _SHARES:
        if denominator is None:
            raise ValueError(f"{term.indicator}: the noise of a share needs its denominator")
        p = np.clip(np.asarray(value) / 100, 1e-6, 1 - 1e-6)
        agents = np.maximum(np.asarray(denominator, dtype=float) / scale, 1.0)
        return 100 * np.sqrt(p * (1 - p) / agents)
    agents = np.maximum(np.asarray(value) * 1e4 / scale, 1.0)
    return np.sqrt(agents) * scale / 1e4


def _log_likelihood(
    spec: CalibrationSpec, terms: Sequence[Term], results: Results, n: int, scale: int
) -> tuple[np.ndarray, np.ndarray]:
    """(log-likelihood per set, implausibility per term and set). The simulation's own noise
    enters each term's error: from the replicates of a set when it has several, else from
    :func:`sampling_noise` (so a coarse scale widens the terms instead of making them
    overconfident)."""
    total = np.zeros(n)
    implausibility = np.zeros((len(terms), n))
    k = spec.replicates
    for i, term in enumerate(terms):
        low, high = model_values(results, term)
        low_m, low_se = _per_set(low, n)
        high_m, high_se = _per_set(high, n)
        if k > 1:
            se = np.maximum(low_se, high_se)
        else:
            denominator = _per_set(share_denominator(results, term), n)[0] if term.indicator in _SHARES else None
            se = sampling_noise(term, high_m, scale, denominator)
        ll, imp = term_scores(term, low_m, high_m, spec.discrepancy, se)
        total += ll
        implausibility[i] = imp
    return total, implausibility


# -- the sampler -----------------------------------------------------------------------------------


class _Bar:
    def __init__(self, label: str, enabled: bool) -> None:
        self.enabled, self.label, self.started, self.bar = enabled, label, time.monotonic(), None

    def update(self, beta: float, stage: int, acceptance: float | None) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY:
                return
            self.bar = _progress_bar_class()(total=1.0, desc=self.label, bar_format="{l_bar}{bar}| tempering {n:.3f}/1 [{elapsed}]{postfix}")
        self.bar.update(beta - self.bar.n)
        post = f"stage {stage}" + (f", acceptance {acceptance:.0%}" if acceptance is not None else "")
        self.bar.set_postfix_str(post)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _next_beta(ll: np.ndarray, beta: float, ess_fraction: float = 0.5) -> float:
    """The next tempering exponent: the largest step that keeps the effective sample size of the
    reweighted particles at ``ess_fraction`` of their number (bisection)."""
    n = len(ll)

    def ess(b: float) -> float:
        w = (b - beta) * ll
        w = np.exp(w - w.max())
        return float(w.sum() ** 2 / (w**2).sum())

    if ess(1.0) >= ess_fraction * n:
        return 1.0
    lo, hi = beta, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if ess(mid) >= ess_fraction * n:
            lo = mid
        else:
            hi = mid
    return max(lo, beta + 1e-9)


def _systematic_resample(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(weights)
    positions = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(np.cumsum(weights), positions), n - 1)


@dataclass
class Calibration:
    """The result of :func:`calibrate`: the posterior sample and how it was reached."""

    spec: CalibrationSpec
    #: The posterior sample (pandas DataFrame: one column per fitted key, one row per set).
    posterior: Any
    #: Every data point: observed, its qualifier and error, the simulated median and 5-95% and
    #: 25-75% bands of the confirmation ensemble, and the implausibility of the median.
    diagnostics: Any
    #: The rows of the data that were not used, and why.
    skipped: Any
    #: Tempering exponents of the stages (0 ... 1), acceptance rate of each stage's moves.
    betas: list[float] = field(default_factory=list)
    acceptance: list[float] = field(default_factory=list)
    simulations: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    #: The confirmation ensemble (one replicate per set at ``spec.confirm_scale``).
    confirmation: Results | None = None

    def intervals(self, level: float = 0.9) -> Any:
        """Central posterior intervals of each fitted parameter (pandas)."""
        import pandas as pd

        q = (1 - level) / 2
        return pd.DataFrame(
            {
                "low": self.posterior.quantile(q),
                "median": self.posterior.median(),
                "high": self.posterior.quantile(1 - q),
                "prior_low": [p.low for p in self.spec.parameters],
                "prior_high": [p.high for p in self.spec.parameters],
            }
        )

    def sets(self) -> Any:
        """The posterior sets with the balance columns, as ``run.parameter_sets`` reads them."""
        import pandas as pd

        keys, rows, _ = _with_balance(self.spec, self.posterior.to_numpy())
        return pd.DataFrame(rows, columns=keys)

    def write_sets(self, path: str | os.PathLike[str]) -> None:
        """Writes the posterior sets as a CSV file for ``run.parameter_sets`` (atomically)."""
        keys, rows, _ = _with_balance(self.spec, self.posterior.to_numpy())
        atomic_write_text(Path(path), _sets_csv(keys, rows))

    def fitted_scenario(self, sets_file: str | os.PathLike[str], scenario_file: str | os.PathLike[str]) -> str:
        """The spec's scenario with ``run.parameter_sets`` naming ``sets_file`` (as a path
        relative to ``scenario_file``, where the text is meant to be written) and one replicate
        per set, as TOML text. The sets file must exist (it is checked)."""
        header = (
            f"# Fitted by skillsim calibrate ({self.spec.source}, cut-off {self.spec.cutoff}, "
            f"{len(self.posterior)} parameter sets).\n"
        )
        absolute = os.fspath(Path(sets_file).resolve())
        relative = os.path.relpath(absolute, Path(scenario_file).resolve().parent)
        fitted = self.spec.scenario.replace({"run.parameter_sets": absolute, "run.replicates": len(self.posterior)})
        return header + fitted.to_toml().replace(_toml_string(absolute), _toml_string(relative))

    def save(self, path: str | os.PathLike[str], overwrite: bool = False) -> None:
        """Writes the calibration as HDF5 (atomically): the posterior sample, the diagnostics,
        the skipped rows, the tempering schedule, the spec and the engine version."""
        _save_calibration(self, Path(path), overwrite)

    def plot(self, ax: Any = None) -> Any:
        """Observed against simulated for every data point: the 5-95% and 25-75% bands of the
        confirmation ensemble over the published figure (1 = the published value)."""
        return _plot_fit(self.diagnostics, ax, "fit: simulated / published (1 = published)")

    def __repr__(self) -> str:
        return (
            f"Calibration({self.spec.source}, cut-off {self.spec.cutoff}, {len(self.posterior)} sets, "
            f"{len(self.diagnostics)} data points, {self.simulations} simulations)"
        )


def _fit_months(spec: CalibrationSpec) -> int:
    """Months of the fitting runs: up to the start of the year after the cut-off (no later
    figure can enter), at most the scenario's."""
    end = _month_index(spec.scenario.start, dt.date(spec.cutoff + 1, 1, 1))
    return max(1, min(spec.scenario.months, end))


def calibrate(
    spec: str | os.PathLike[str] | CalibrationSpec,
    *,
    cutoff: int | None = None,
    particles: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    confirm: bool = True,
    progress: bool = True,
) -> Calibration:
    """Fits the spec's parameters to the published data up to its cut-off.

    Args:
        spec: a calibration spec file (docs/calibration.md, "Calibration specs") or a loaded
            :class:`CalibrationSpec`.
        cutoff, particles, seed, threads: replace the spec's values.
        confirm: run the confirmation ensemble (one replicate per posterior set at the spec's
            ``confirm_scale``) and compute the diagnostics from it; otherwise from the last
            stage's coarse runs.
        progress: show a progress bar (tempering exponent from 0 to 1).

    Returns:
        :class:`Calibration`.

    Raises:
        CalibrationError: the spec is invalid, or no data point falls inside the fit's window.
    """
    overrides = {k: v for k, v in (("cutoff", cutoff), ("particles", particles), ("seed", seed), ("threads", threads)) if v is not None}
    if not isinstance(spec, CalibrationSpec):
        spec = load_spec(spec, overrides)
    elif overrides:
        spec = load_spec(spec.source, overrides)
    import pandas as pd

    months = _fit_months(spec)
    table = observations(spec.data, up_to=spec.cutoff)
    terms, skipped = observation_terms(table, spec.scenario.start, months, indicators=spec.indicators)
    if not terms:
        raise CalibrationError(
            spec.source,
            [f"no published observation up to {spec.cutoff} falls inside the run ({spec.scenario.start} + {months} months)"],
        )
    rng = np.random.default_rng(spec.seed)
    n, d = spec.particles, len(spec.parameters)
    bounds = np.array([p.bounds for p in spec.parameters])
    timings: dict[str, float] = {}
    started = time.monotonic()
    simulations = 0

    def to_values(u: np.ndarray) -> np.ndarray:
        return np.column_stack([p.from_unit(u[:, j]) for j, p in enumerate(spec.parameters)])

    with tempfile.TemporaryDirectory(prefix="skillsim-calibrate-") as tmp:
        workdir = Path(tmp)

        def evaluate(u: np.ndarray) -> np.ndarray:
            nonlocal simulations
            ll = np.full(len(u), -np.inf)
            values = to_values(u)
            _, _, valid = _with_balance(spec, values)
            if valid.any():
                res = _simulate(
                    spec,
                    values[valid],
                    scale=spec.scale,
                    months=months,
                    replicates_per_set=spec.replicates,
                    seed=int(rng.integers(0, 2**62)),
                    workdir=workdir,
                )
                simulations += int(valid.sum()) * spec.replicates
                ll[valid], _ = _log_likelihood(spec, terms, res, int(valid.sum()), spec.scale)
            return ll

        u = rng.uniform(bounds[:, 0], bounds[:, 1], size=(n, d))
        ll = evaluate(u)
        # Draws the balance refuses (shares above 1) are outside the prior: draw again.
        for _ in range(20):
            bad = ~np.isfinite(ll)
            if not bad.any():
                break
            u[bad] = rng.uniform(bounds[:, 0], bounds[:, 1], size=(int(bad.sum()), d))
            ll[bad] = evaluate(u[bad])
        if not np.isfinite(ll).any():
            raise CalibrationError(spec.source, ["no draw from the prior gives a valid scenario (check the balance keys' priors)"])
        beta, betas, acceptance = 0.0, [0.0], []
        bar = _Bar(f"calibrate {Path(spec.source).stem}", progress)
        try:
            while beta < 1.0:
                new_beta = _next_beta(np.where(np.isfinite(ll), ll, -1e300), beta)
                logw = (new_beta - beta) * ll
                w = np.exp(logw - np.max(logw[np.isfinite(logw)]))
                w[~np.isfinite(w)] = 0.0
                idx = _systematic_resample(w / w.sum(), rng)
                u, ll, beta = u[idx], ll[idx], new_beta
                betas.append(beta)
                # Metropolis moves with a random-walk proposal scaled to the particles' spread.
                cov = np.atleast_2d(np.cov(u.T)) * (2.38**2 / d) + np.eye(d) * 1e-12
                accepted = 0
                for _ in range(spec.moves):
                    proposal = u + rng.multivariate_normal(np.zeros(d), cov, size=n)
                    inside = np.all((proposal >= bounds[:, 0]) & (proposal <= bounds[:, 1]), axis=1)
                    ll_new = np.full(n, -np.inf)
                    if inside.any():
                        ll_new[inside] = evaluate(proposal[inside])
                    with np.errstate(invalid="ignore"):
                        log_ratio = beta * (ll_new - ll)
                    take = np.log(rng.random(n)) < np.nan_to_num(log_ratio, nan=-np.inf)
                    u[take], ll[take] = proposal[take], ll_new[take]
                    accepted += int(take.sum())
                acceptance.append(accepted / (n * max(1, spec.moves)))
                bar.update(beta, len(betas) - 1, acceptance[-1])
        finally:
            bar.close()
        timings["fit"] = time.monotonic() - started
        posterior = pd.DataFrame(to_values(u), columns=spec.keys)
        if spec.sets and spec.sets < n:
            posterior = posterior.sample(n=spec.sets, random_state=int(rng.integers(0, 2**31))).reset_index(drop=True)

        confirmation = None
        started = time.monotonic()
        if confirm:
            confirmation = _simulate(
                spec,
                posterior.to_numpy(),
                scale=spec.confirm_scale,
                months=months,
                replicates_per_set=1,
                seed=spec.seed,
                workdir=workdir,
                progress=progress,
            )
            timings["confirmation"] = time.monotonic() - started
            diag_results, diag_terms = confirmation, terms
        else:
            diag_results = _simulate(
                spec, posterior.to_numpy(), scale=spec.scale, months=months, replicates_per_set=1, seed=spec.seed, workdir=workdir
            )
            diag_terms = terms
        diagnostics = diagnostics_table(diag_terms, diag_results, spec.discrepancy)
    skipped_table = pd.DataFrame(skipped, columns=["indicator", "year", "reason"])
    return Calibration(spec, posterior, diagnostics, skipped_table, betas, acceptance, simulations, timings, confirmation)


def diagnostics_table(terms: Sequence[Term], results: Results, discrepancy: float) -> Any:
    """For each term: published value, qualifier, the model's 5/25/50/75/95% over the
    replicates (the low end of a stock's coverage range for the lower percentiles, the high end
    for the upper), the implausibility of the median and whether the figure lies in the bands."""
    import pandas as pd

    rows = []
    for term in terms:
        low, high = model_values(results, term)
        p5, p25 = np.percentile(low, [5, 25])
        p75, p95 = np.percentile(high, [75, 95])
        p50 = 0.5 * (np.median(low) + np.median(high))
        _, imp = term_scores(term, np.array([np.median(low)]), np.array([np.median(high)]), discrepancy)
        # The band of the published figure: the model's band widened by the figure's errors.
        widen = math.hypot(term.rel_error, discrepancy) * term.value
        y = term.value
        if term.side == "normal":
            in50 = p25 - 0.674 * widen <= y <= p75 + 0.674 * widen
            in90 = p5 - 1.645 * widen <= y <= p95 + 1.645 * widen
        elif term.side == "lower":
            in50 = p75 + 0.674 * widen >= y
            in90 = p95 + 1.645 * widen >= y
        else:
            in50 = p25 - 0.674 * widen <= y
            in90 = p5 - 1.645 * widen <= y
        rows.append(
            {
                "indicator": term.indicator,
                "year": term.year,
                "observed": y,
                "unit": term.unit,
                "qualifier": term.qualifier,
                "side": term.side,
                "rel_error": term.rel_error,
                "p5": p5,
                "p25": p25,
                "median": p50,
                "p75": p75,
                "p95": p95,
                "implausibility": float(imp[0]),
                "in_50": bool(in50),
                "in_90": bool(in90),
                "relative_error": (p50 - y) / y,
            }
        )
    return pd.DataFrame(rows)


def _save_calibration(
    cal: Calibration,
    path: Path,
    overwrite: bool,
    extra_tables: Mapping[str, Any] | None = None,
    extra_attributes: Mapping[str, Any] | None = None,
) -> None:
    """Writes the calibration (and a backtest's tables and attributes) to a temporary file
    renamed onto ``path``: nothing half-written survives a crash."""
    import h5py

    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True (--force) to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            f.attrs["title"] = "skillsim calibration"
            f.attrs["engine_version"] = _core.__version__
            f.attrs["git_commit"] = _core.git_commit
            f.attrs["spec_source"] = cal.spec.source
            f.attrs["spec"] = cal.spec.text
            f.attrs["scenario"] = cal.spec.scenario.to_toml()
            f.attrs["data_file"] = os.fspath(cal.spec.data)
            f.attrs["cutoff"] = cal.spec.cutoff
            f.attrs["seed"] = cal.spec.seed
            f.attrs["scale"] = cal.spec.scale
            f.attrs["confirm_scale"] = cal.spec.confirm_scale
            f.attrs["simulations"] = cal.simulations
            f.attrs["created"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            for stage, seconds in cal.seconds.items():
                f.attrs[f"seconds_{stage}"] = seconds
            keys, rows, _ = _with_balance(cal.spec, cal.posterior.to_numpy())
            sets = f.create_dataset("parameter_sets", data=rows)
            sets.attrs["columns"] = np.array(keys, dtype=h5py.string_dtype())
            sets.attrs["long_name"] = "posterior sample: one row per set, one column per key (as run.parameter_sets reads them)"
            priors = f.create_group("priors")
            priors["key"] = np.array(cal.spec.keys, dtype=h5py.string_dtype())
            priors["low"] = [p.low for p in cal.spec.parameters]
            priors["high"] = [p.high for p in cal.spec.parameters]
            priors["log"] = [p.log for p in cal.spec.parameters]
            f["tempering/beta"] = np.array(cal.betas)
            f["tempering/acceptance"] = np.array(cal.acceptance)
            tables = {"diagnostics": cal.diagnostics, "skipped": cal.skipped, **(extra_tables or {})}
            for name, table in tables.items():
                group = f.create_group(name)
                for column in table.columns:
                    values = table[column].to_numpy()
                    text = values.dtype == object
                    group[column] = np.array([str(v) for v in values], dtype=h5py.string_dtype()) if text else values
            for key, value in (extra_attributes or {}).items():
                f.attrs[key] = value
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _plot_fit(diagnostics: Any, ax: Any, title: str) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.3 * len(diagnostics) + 1.5))
    y = np.arange(len(diagnostics))[::-1]
    obs = diagnostics["observed"].to_numpy()
    ax.hlines(y, diagnostics["p5"] / obs, diagnostics["p95"] / obs, color="tab:blue", alpha=0.35, lw=6, label="model 5-95%")
    ax.hlines(y, diagnostics["p25"] / obs, diagnostics["p75"] / obs, color="tab:blue", lw=6, label="model 25-75%")
    ax.plot(diagnostics["median"] / obs, y, "k|", ms=12, label="model median")
    ax.axvline(1.0, color="tab:red", lw=1, label="published")
    ax.set_yticks(y, [f"{r.indicator} {r.year} ({r.qualifier})" for r in diagnostics.itertuples()])
    ax.set_xlabel("model / published")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")
    ax.figure.tight_layout()
    return ax


def synthetic_observations(
    scenario: Scenario,
    truth: Mapping[str, float],
    indicators: Sequence[str],
    years: Sequence[int],
    *,
    replicates: int = 1,
    seed: int = 1,
    balance: Sequence[str] = (),
    measurement_error: float = 0.0,
) -> str:
    """A data file (CSV text, as ``data/national_statistics.csv``) of the given indicators and
    years, generated by the engine from known parameter values: what a parameter-recovery check
    fits back. Each figure is the mean over ``replicates`` (stocks: every holder not retired),
    marked ``exact`` and ``official``, source ``synthetic``. With ``measurement_error`` r, each
    figure is multiplied by 1 + e, e ~ Normal(0, r) (drawn from ``seed``), as the observation
    model assumes published figures are."""
    sim = scenario.replace(_changes(scenario, dict(truth), balance))
    results = run(sim, replicates=replicates, seed=seed, progress=False)
    catalogue = {row["indicator"]: row for row in _core.indicator_catalogue()}
    import pandas as pd

    rows = pd.DataFrame(
        [
            {"role": "observation", "indicator": ind, "year": y, "value": 1.0, "unit": catalogue[ind]["unit"], "qualifier": "exact", "quality": "official", "line": 0}
            for ind in indicators
            for y in years
        ]
    )
    terms, skipped = observation_terms(rows, scenario.start, scenario.months)
    if skipped:
        raise ValueError("cannot generate " + "; ".join(f"{i} {y}: {why}" for i, y, why in skipped))
    lines = ["kind,indicator,year,value,unit,qualifier,quality,source,note"]
    noise = np.random.default_rng(seed).normal(0.0, measurement_error, size=len(terms)) if measurement_error else np.zeros(len(terms))
    for term, e in zip(terms, noise):
        _, high = model_values(results, term)
        kind = catalogue[term.indicator]["kind"]
        value = float(np.mean(high)) * (1 + e)
        lines.append(f"{kind},{term.indicator},{term.year},{value:.6g},{term.unit},exact,official,synthetic,generated by the engine")
    return "\n".join(lines) + "\n"


# -- backtest --------------------------------------------------------------------------------------


@dataclass
class Backtest:
    """The result of :func:`backtest`: the fit at the cut-off and its forecast of every later
    published observation."""

    cutoff: int
    calibration: Calibration
    #: One row per later data point: observed, the forecast's bands, in_50 / in_90, error.
    forecast: Any
    #: Per indicator: data points, coverage of the 50% and 90% bands, median relative error.
    table: Any
    results: Results | None = None

    @property
    def coverage(self) -> dict[str, float]:
        f = self.forecast
        if len(f) == 0:
            return {"in_50": float("nan"), "in_90": float("nan"), "points": 0}
        return {"in_50": float(f["in_50"].mean()), "in_90": float(f["in_90"].mean()), "points": int(len(f))}

    def plot(self, ax: Any = None) -> Any:
        return _plot_fit(self.forecast, ax, f"backtest, cut-off {self.cutoff}: forecast / published")

    def save(self, path: str | os.PathLike[str], overwrite: bool = False) -> None:
        """Writes the fit (as :meth:`Calibration.save`) with the groups ``forecast`` (every later
        data point) and ``backtest`` (per indicator) and the attribute ``backtest_cutoff``,
        atomically."""
        _save_calibration(
            self.calibration,
            Path(path),
            overwrite,
            extra_tables={"forecast": self.forecast, "backtest": self.table},
            extra_attributes={"backtest_cutoff": self.cutoff},
        )

    def __repr__(self) -> str:
        c = self.coverage
        return f"Backtest(cut-off {self.cutoff}: {c['points']} later data points, 50% band covers {c['in_50']:.0%}, 90% band {c['in_90']:.0%})"


def backtest(
    spec: str | os.PathLike[str],
    cutoff: int,
    *,
    particles: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    scale: int | None = None,
    progress: bool = True,
) -> Backtest:
    """Fits the spec on the data up to ``cutoff`` only, forecasts with the posterior sets over
    the whole scenario and scores the forecast against every later published observation the
    scenario covers: coverage of the 50% and 90% bands and the error, per indicator.

    The fit never sees a figure after the cut-off: the data are cut before the terms are built
    and the fitting runs stop at the start of the year after the cut-off. The forecast runs one
    replicate per posterior set at ``scale`` persons per agent (default: the spec's
    ``confirm_scale``).
    """
    import pandas as pd

    cal = calibrate(spec, cutoff=cutoff, particles=particles, seed=seed, threads=threads, confirm=False, progress=progress)
    s = cal.spec
    with tempfile.TemporaryDirectory(prefix="skillsim-backtest-") as tmp:
        results = _simulate(
            s,
            cal.posterior.to_numpy(),
            scale=s.confirm_scale if scale is None else int(scale),
            months=s.scenario.months,
            replicates_per_set=1,
            seed=s.seed,
            workdir=Path(tmp),
            progress=progress,
        )
    later = observations(s.data)
    later = later[later["year"] > cutoff]
    terms, _ = observation_terms(later, s.scenario.start, s.scenario.months, indicators=s.indicators)
    forecast = diagnostics_table(terms, results, s.discrepancy)
    if len(forecast):
        table = (
            forecast.groupby("indicator")
            .agg(points=("year", "size"), in_50=("in_50", "mean"), in_90=("in_90", "mean"), median_relative_error=("relative_error", "median"))
            .reset_index()
        )
    else:
        table = pd.DataFrame(columns=["indicator", "points", "in_50", "in_90", "median_relative_error"])
    return Backtest(cutoff, cal, forecast, table, results)


# -- command line ---------------------------------------------------------------------------------


def _format_table(table: Any) -> str:
    return table.to_string(index=False, float_format=lambda v: f"{v:.4g}")


def main(argv: Sequence[str] | None = None) -> int:
    """``skillsim calibrate SPEC`` and ``skillsim backtest SPEC --cutoff YEAR`` (the Python
    package's command line handles these two; the rest goes to the engine)."""
    import argparse
    import sys

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="skillsim", description="Calibration and backtests (docs/calibration.md).")
    sub = parser.add_subparsers(dest="command", required=True)
    cal = sub.add_parser("calibrate", help="fit a spec's parameters to the published data up to its cut-off")
    bt = sub.add_parser("backtest", help="fit up to a cut-off and score the forecast of the later data")
    for p in (cal, bt):
        p.add_argument("spec", help="calibration spec (TOML)")
        p.add_argument("-o", "--output", help="HDF5 file to write (default: results/NAME.calibration.h5 or NAME.backtest.h5)")
        p.add_argument("--particles", type=int, help="parameter sets in the sampler (default: the spec's)")
        p.add_argument("--seed", type=int, help="seed of the sampler and the runs (default: the spec's)")
        p.add_argument("--threads", type=int, help="OpenMP threads per run (default: all cores)")
        p.add_argument("--force", action="store_true", help="replace existing output files")
        p.add_argument("--no-progress", action="store_true", help="no progress bar")
        p.add_argument("--plot", help="also draw every data point against the model's bands into this image (PNG, PDF, SVG)")
    cal.add_argument("--cutoff", type=int, help="last year of data the fit may use (default: the spec's)")
    cal.add_argument("--sets", help="CSV file of the posterior sets to write, for run.parameter_sets (default: beside the output)")
    cal.add_argument("--scenario-out", help="fitted scenario to write (TOML naming the sets file)")
    bt.add_argument("--cutoff", type=int, required=True, help="last year of data the fit may use")
    bt.add_argument("--scale", type=int, help="persons per agent of the forecast (default: the spec's confirm_scale)")
    args = parser.parse_args(argv)
    stem = Path(args.spec).stem
    try:
        if args.command == "calibrate":
            output = Path(args.output or f"results/{stem}.calibration.h5")
            sets_path = Path(args.sets) if args.sets else output.with_name(f"{stem}_sets.csv")
            for p in (output, sets_path, Path(args.scenario_out) if args.scenario_out else None):
                if p is not None and p.exists() and not args.force:
                    print(f"skillsim calibrate: {p} exists; use --force to replace it", file=sys.stderr)
                    return 2
            result = calibrate(
                args.spec,
                cutoff=args.cutoff,
                particles=args.particles,
                seed=args.seed,
                threads=args.threads,
                progress=not args.no_progress,
            )
            result.save(output, overwrite=args.force)
            result.write_sets(sets_path)
            print(f"{result!r}")
            print(f"tempering stages: {len(result.betas) - 1}; mean acceptance {np.mean(result.acceptance):.0%}")
            print("\nposterior (90% intervals):")
            print(_format_table(result.intervals().reset_index(names="key")))
            print("\nfit, every data point (model bands from the confirmation ensemble):")
            cols = ["indicator", "year", "observed", "qualifier", "p5", "median", "p95", "implausibility", "in_90"]
            print(_format_table(result.diagnostics[cols]))
            if len(result.skipped):
                print(f"\nnot used ({len(result.skipped)} rows):")
                print(_format_table(result.skipped))
            if args.scenario_out:
                scenario_out = Path(args.scenario_out)
                atomic_write_text(scenario_out, result.fitted_scenario(sets_path, scenario_out))
                print(f"\nfitted scenario: {scenario_out}")
            if args.plot:
                _save_plot(result, Path(args.plot))
            times = ", ".join(f"{k} {v:.0f} s" for k, v in result.seconds.items())
            print(f"\nwrote {output} and {sets_path} ({times})")
        else:
            output = Path(args.output or f"results/{stem}.backtest_{args.cutoff}.h5")
            if output.exists() and not args.force:
                print(f"skillsim backtest: {output} exists; use --force to replace it", file=sys.stderr)
                return 2
            result = backtest(
                args.spec,
                args.cutoff,
                particles=args.particles,
                seed=args.seed,
                threads=args.threads,
                scale=args.scale,
                progress=not args.no_progress,
            )
            result.save(output, overwrite=args.force)
            print(repr(result))
            print("\nper indicator:")
            print(_format_table(result.table))
            print("\nevery later data point:")
            cols = ["indicator", "year", "observed", "qualifier", "p5", "median", "p95", "in_50", "in_90", "relative_error"]
            print(_format_table(result.forecast[cols]))
            if args.plot:
                _save_plot(result, Path(args.plot))
            print(f"\nwrote {output}")
    except CalibrationError as e:
        print(e, file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"skillsim {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"skillsim {args.command}: interrupted; nothing written", file=sys.stderr)
        return 130
    return 0


def _save_plot(result: Calibration | Backtest, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # a command line draws into a file, never a window
    ax = result.plot()
    path.parent.mkdir(parents=True, exist_ok=True)
    ax.figure.savefig(path, dpi=120)
    print(f"plot: {path}")
