"""Global sensitivity analysis: first- and total-order Sobol indices with confidence intervals
(SALib, Saltelli's scheme over a scrambled Sobol sequence).

Two layers:

- for any model, :func:`sample` draws the points and :func:`analyze` turns the model's outputs at
  those points into :class:`SobolIndices`::

      from skillsim.sensitivity import sample, analyze
      vary = {"x1": (-3.14, 3.14), "x2": (-3.14, 3.14), "x3": (-3.14, 3.14)}
      X = sample(vary, 1024)                       # runs x parameters
      indices = analyze(vary, {"y": my_model(X)})  # one output per label
      indices.to_dataframe(); indices.plot()

- for skillsim, :func:`sensitivity` (``skillsim.sensitivity``) does all of it on a scenario: the
  points become the runs of a sweep (``design = "list"``, run k the k-th point), the sweep runs
  with :func:`skillsim.sweep`, each output is reduced to one number a run (the mean over
  replicates) and analysed.

A first-order index S1 is the share of the output's variance due to one parameter alone; the
total-order index ST adds every interaction it takes part in. ST - S1 large: the parameter acts
through interactions; ST near 0: the parameter can be fixed anywhere in its range. Indices are
estimates: read them with their confidence intervals (bootstrap over the base samples), which
shrink as ``samples`` grows.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import numbers
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, Union

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import xarray
    from matplotlib.figure import Figure

    from .results import Results
    from .scenario import Scenario

__all__ = ["SobolIndices", "analyze", "problem", "run_count", "sample", "sensitivity"]

#: An output of :func:`sensitivity`: ``(variable, date)``, ``(variable, date, sel)`` or a function
#: of the sweep's :class:`~skillsim.Results` returning one value per run.
OutputSpec = Union[tuple, Callable[["Results"], Any]]


# ------------------------------------------------------------------------------------------------
# The problem and the sample


def _check_vary(vary: Mapping[str, Any]) -> tuple[list[str], np.ndarray]:
    """The names and bounds (parameters x 2) of ``vary``, or ValueError naming what is wrong."""
    if not isinstance(vary, Mapping):
        raise TypeError(f"vary must be a mapping {{name: (low, high)}}, got {type(vary).__name__}")
    if not vary:
        raise ValueError("vary is empty: name at least one parameter with its range, {name: (low, high)}")
    names, bounds = [], []
    for name, value in vary.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"vary: parameter names must be non-empty strings, got {name!r}")
        if isinstance(value, Mapping) and set(value) == {"low", "high"}:
            value = (value["low"], value["high"])
        if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
            raise ValueError(f"vary[{name!r}]: expected a range (low, high), got {value!r}")
        low, high = value
        for what, v in (("low", low), ("high", high)):
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)):
                raise ValueError(f"vary[{name!r}]: {what} must be a finite number, got {v!r}")
        low, high = float(low), float(high)
        if low > high:
            raise ValueError(f"vary[{name!r}]: low {low:g} is above high {high:g}")
        if low == high:
            raise ValueError(
                f"vary[{name!r}]: the range is empty (low = high = {low:g}); a parameter that does not vary "
                "has no sensitivity: leave it out of vary"
            )
        names.append(name)
        bounds.append((low, high))
    return names, np.asarray(bounds, dtype=float)


def problem(vary: Mapping[str, Any]) -> dict[str, Any]:
    """SALib's problem definition for ``vary`` (``{name: (low, high)}``, in order):
    ``{"num_vars": D, "names": [...], "bounds": [[low, high], ...]}``.

    Raises:
        ValueError: ``vary`` is empty, a range is not two finite numbers, or low >= high.
    """
    names, bounds = _check_vary(vary)
    return {"num_vars": len(names), "names": names, "bounds": bounds.tolist()}


def _check_samples(samples: Any) -> int:
    if isinstance(samples, bool) or not isinstance(samples, numbers.Integral):
        raise TypeError(f"samples must be an integer (a power of 2), got {samples!r}")
    n = int(samples)
    if n < 2 or n & (n - 1):
        lower = 1 << max(1, n.bit_length() - 1) if n >= 2 else 2
        hint = f"{lower} or {lower * 2}" if n > 2 else "2 or more"
        raise ValueError(
            f"samples must be a power of 2 and at least 2 (Sobol points keep their balance only then), "
            f"got {n}: use {hint}"
        )
    return n


def run_count(parameters: int, samples: int, calc_second_order: bool = False) -> int:
    """Model runs of Saltelli's scheme: ``samples x (parameters + 2)``, or
    ``samples x (2 parameters + 2)`` with second-order indices."""
    return samples * ((2 if calc_second_order else 1) * parameters + 2)


def sample(
    vary: Mapping[str, Any], samples: int, *, calc_second_order: bool = False, seed: int | None = 1
) -> np.ndarray:
    """The points at which to run a model for Sobol indices (SALib's ``sample.sobol``).

    Args:
        vary: ``{name: (low, high)}``; each parameter is uniform over its range.
        samples: N, the base samples: a power of 2. The model runs ``N x (D + 2)`` times for D
            parameters (``N x (2D + 2)`` with ``calc_second_order``).
        calc_second_order: also draw the points needed for second-order indices.
        seed: the scrambling of the Sobol sequence (None: a fresh one each call).

    Returns:
        An array of shape (runs, D): row k is run k's values, columns in the order of ``vary``.
        Pass the outputs in the same row order to :func:`analyze`.

    Raises:
        ValueError: bad ``vary`` (see :func:`problem`) or ``samples`` not a power of 2.
    """
    from SALib.sample import sobol as sobol_sample

    spec = problem(vary)
    n = _check_samples(samples)
    return np.asarray(sobol_sample.sample(spec, n, calc_second_order=bool(calc_second_order), seed=seed))


# ------------------------------------------------------------------------------------------------
# The indices


@dataclass
class SobolIndices:
    """Sobol indices of one or more outputs: arrays of shape (outputs, parameters).

    Attributes:
        parameters: the parameters' names (the keys of ``vary``).
        outputs: the outputs' labels.
        S1, S1_conf: first-order indices and the half-widths of their confidence intervals.
        ST, ST_conf: total-order indices and the half-widths of their confidence intervals.
        S2, S2_conf: second-order indices (outputs x parameters x parameters, upper triangle),
            or None without ``calc_second_order``.
        conf_level: the confidence level of the intervals (0.95: 95%).
        samples: N, the base samples; ``runs`` the model runs (N x (D + 2) or N x (2D + 2)).
        bounds: ``{parameter: (low, high)}``.
        points: the sample (runs x parameters); ``values`` each output's value per run.
        variance: each output's variance over the runs (0: the output did not vary, and its
            indices are NaN).
        results: for :func:`sensitivity`, the sweep's results (``scenario`` dimension, one run a
            point); None for :func:`analyze`.
    """

    parameters: list[str]
    outputs: list[str]
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    conf_level: float
    samples: int
    runs: int
    bounds: dict[str, tuple[float, float]]
    points: np.ndarray
    values: dict[str, np.ndarray]
    variance: np.ndarray
    S2: np.ndarray | None = None
    S2_conf: np.ndarray | None = None
    results: "Results | None" = field(default=None, repr=False)

    def _output_index(self, output: "str | int") -> int:
        if isinstance(output, numbers.Integral) and not isinstance(output, bool):
            return int(output)
        if output not in self.outputs:
            raise KeyError(f"no output named {output!r}; outputs: {', '.join(map(repr, self.outputs))}")
        return self.outputs.index(output)

    def to_dataframe(self, output: "str | int | None" = None) -> "pandas.DataFrame":
        """A table with one row per (output, parameter) and columns ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` (``conf`` is the half-width of the confidence interval: the interval is
        ``S1 - S1_conf`` to ``S1 + S1_conf``). With ``output``, that output only, indexed by
        parameter."""
        import pandas as pd

        columns = {"S1": self.S1, "S1_conf": self.S1_conf, "ST": self.ST, "ST_conf": self.ST_conf}
        if output is not None:
            j = self._output_index(output)
            return pd.DataFrame(
                {k: v[j] for k, v in columns.items()}, index=pd.Index(self.parameters, name="parameter")
            )
        index = pd.MultiIndex.from_product([self.outputs, self.parameters], names=["output", "parameter"])
        return pd.DataFrame({k: v.reshape(-1) for k, v in columns.items()}, index=index)

    def to_xarray(self) -> "xarray.Dataset":
        """An ``xarray.Dataset`` over (output, parameter) with S1, S1_conf, ST, ST_conf (and S2,
        S2_conf over (output, parameter, parameter_2)), the bounds as coordinates ``low`` and
        ``high``, and ``conf_level``, ``samples``, ``runs`` as attributes."""
        import xarray as xr

        dims = ("output", "parameter")
        data = {k: (dims, getattr(self, k)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        if self.S2 is not None and self.S2_conf is not None:
            data["S2"] = (dims + ("parameter_2",), self.S2)
            data["S2_conf"] = (dims + ("parameter_2",), self.S2_conf)
        coords: dict[str, Any] = {
            "output": self.outputs,
            "parameter": self.parameters,
            "low": ("parameter", [self.bounds[p][0] for p in self.parameters]),
            "high": ("parameter", [self.bounds[p][1] for p in self.parameters]),
        }
        if self.S2 is not None:
            coords["parameter_2"] = self.parameters
        return xr.Dataset(
            data,
            coords=coords,
            attrs={"conf_level": self.conf_level, "samples": self.samples, "runs": self.runs},
        )

    def ranking(self, output: "str | int" = 0) -> list[str]:
        """The parameters of ``output`` by total-order index, most influential first."""
        j = self._output_index(output)
        order = np.argsort(-np.nan_to_num(self.ST[j], nan=-np.inf), kind="stable")
        return [self.parameters[i] for i in order]

    def plot(
        self,
        outputs: "Sequence[str] | None" = None,
        *,
        sort: bool = True,
        title: str | None = None,
        width: float = 9.0,
    ) -> "Figure":
        """Bar chart of S1 and ST with their confidence intervals as error bars, one panel per
        output (``outputs``: which, default all), stacked. Parameters are rows, sorted by ST (most
        influential on top) unless ``sort`` is False. Returns a ``matplotlib.figure.Figure``
        (not registered with pyplot; in Jupyter leave it as the cell's last expression)."""
        from matplotlib.figure import Figure

        from . import plot as _plot

        chosen = list(self.outputs) if outputs is None else list(outputs)
        indices = [self._output_index(o) for o in chosen]
        panel = max(2.2, 0.42 * len(self.parameters) + 1.2)
        _plot._enable_notebook_display(Figure)
        fig = Figure(figsize=(width, panel * len(indices) + 0.5), layout="constrained")
        axes = fig.subplots(len(indices), 1, squeeze=False)[:, 0]
        level = f"{self.conf_level:.0%}"
        for ax, j in zip(axes, indices):
            order = np.arange(len(self.parameters))[::-1]
            if sort:
                order = np.argsort(np.nan_to_num(self.ST[j], nan=-np.inf), kind="stable")  # largest on top
            y = np.arange(len(order))
            h = 0.38
            ax.barh(
                y + h / 2, self.S1[j, order], height=h, xerr=self.S1_conf[j, order], color="#1f77b4",
                ecolor="#333333", capsize=3, label="first order (S1)",
            )
            ax.barh(
                y - h / 2, self.ST[j, order], height=h, xerr=self.ST_conf[j, order], color="#ff7f0e",
                ecolor="#333333", capsize=3, label="total order (ST)",
            )
            ax.set_yticks(y, [self.parameters[i] for i in order])
            ax.axvline(0, color="black", linewidth=0.8)
            lowest = np.nanmin(np.r_[self.S1[j] - self.S1_conf[j], 0.0])  # 0 when every index is NaN
            highest = np.nanmax(np.r_[self.S1[j] + self.S1_conf[j], self.ST[j] + self.ST_conf[j], 0.0])
            ax.set_xlim(min(-0.05, float(lowest) - 0.02), max(1.0, float(highest)) + 0.02)
            ax.set_title(_plot._text(self.outputs[j], self.outputs[j].encode("ascii", "replace").decode()))
            ax.grid(True, axis="x", alpha=0.3)
            if self.variance[j] == 0:
                ax.text(0.5, 0.5, "output does not vary", transform=ax.transAxes, ha="center")
        axes[-1].set_xlabel(f"Sobol index (share of the output's variance), {level} intervals")
        axes[0].legend(loc="lower right", fontsize="small")
        if title is None:
            title = f"Sobol indices: N = {self.samples} base samples, {self.runs} runs"
        fig.suptitle(title)
        return _plot._finish(fig)

    def __repr__(self) -> str:
        lines = [f"<SobolIndices: {len(self.parameters)} parameters, {len(self.outputs)} outputs, "
                 f"N = {self.samples} ({self.runs} runs), {self.conf_level:.0%} intervals>"]
        width = max(len(p) for p in self.parameters)
        for j, o in enumerate(self.outputs):
            lines.append(f"{o}:")
            for i in np.argsort(-np.nan_to_num(self.ST[j], nan=-np.inf), kind="stable"):
                lines.append(
                    f"  {self.parameters[i]:<{width}}  S1 {self.S1[j, i]:6.3f} ± {self.S1_conf[j, i]:.3f}"
                    f"   ST {self.ST[j, i]:6.3f} ± {self.ST_conf[j, i]:.3f}"
                )
        return "\n".join(lines)


def analyze(
    vary: Mapping[str, Any],
    outputs: "Mapping[str, Any] | Any",
    *,
    calc_second_order: bool = False,
    conf_level: float = 0.95,
    num_resamples: int = 100,
    seed: int = 1,
    points: np.ndarray | None = None,
) -> SobolIndices:
    """Sobol indices of model outputs at the points of :func:`sample` (SALib's ``analyze.sobol``).

    Args:
        vary: the same ``{name: (low, high)}`` as given to :func:`sample`.
        outputs: ``{label: values}``, each a 1-D array with one value per run in the sample's row
            order; or a single array (labelled ``"output"``).
        calc_second_order: as given to :func:`sample` (the run count tells the two apart only
            sometimes, so it must be said).
        conf_level: confidence level of the intervals, between 0 and 1.
        num_resamples: bootstrap resamples for the intervals.
        seed: the bootstrap's seed (the same seed gives the same intervals).
        points: the sample, kept in the result (optional).

    Returns:
        :class:`SobolIndices`. An output that does not vary over the runs has NaN indices (and
        variance 0).

    Raises:
        ValueError: bad ``vary``; an output of the wrong length (not N x (D + 2), or
            N x (2D + 2) with second order) or with values that are not finite; ``conf_level``
            not between 0 and 1.
    """
    from SALib.analyze import sobol as sobol_analyze

    spec = problem(vary)
    names, d = spec["names"], spec["num_vars"]
    if not 0 < float(conf_level) < 1:
        raise ValueError(f"conf_level must be between 0 and 1 (0.95 for 95% intervals), got {conf_level}")
    if isinstance(outputs, Mapping):
        items = list(outputs.items())
    else:
        items = [("output", outputs)]
    if not items:
        raise ValueError("outputs is empty: give at least one {label: values}")
    per_point = (2 if calc_second_order else 1) * d + 2
    first_len = None
    values: dict[str, np.ndarray] = {}
    for label, y in items:
        arr = np.asarray(y, dtype=float)
        if arr.ndim != 1:
            raise ValueError(f"outputs[{label!r}]: expected one value per run (1-D), got shape {arr.shape}")
        if arr.size == 0 or arr.size % per_point:
            order = "2D + 2" if calc_second_order else "D + 2"
            raise ValueError(
                f"outputs[{label!r}]: {arr.size} values is not a multiple of {order} = {per_point} for D = {d} "
                f"parameters{'' if calc_second_order else ' (is calc_second_order the same as for sample?)'}"
            )
        if first_len is not None and arr.size != first_len:
            raise ValueError(f"outputs[{label!r}]: {arr.size} values, but the first output has {first_len}")
        first_len = arr.size
        bad = ~np.isfinite(arr)
        if bad.any():
            raise ValueError(
                f"outputs[{label!r}]: {int(bad.sum())} of {arr.size} values are not finite (first at run "
                f"{int(np.argmax(bad))}); Sobol indices need a number for every run"
            )
        values[str(label)] = arr
    n = first_len // per_point
    shape = (len(values), d)
    result = {k: np.full(shape, np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    s2 = np.full(shape + (d,), np.nan) if calc_second_order else None
    s2_conf = np.full(shape + (d,), np.nan) if calc_second_order else None
    variance = np.zeros(len(values))
    for j, (label, y) in enumerate(values.items()):
        variance[j] = float(np.var(y))
        if variance[j] == 0:
            continue  # no variance to share out: the indices are undefined
        si = sobol_analyze.analyze(
            spec,
            y,
            calc_second_order=bool(calc_second_order),
            num_resamples=int(num_resamples),
            conf_level=float(conf_level),
            print_to_console=False,
            seed=np.random.default_rng(seed),  # a Generator: SALib ignores a seed of 0
        )
        for k in result:
            result[k][j] = np.asarray(si[k], dtype=float)
        if calc_second_order:
            s2[j] = np.asarray(si["S2"], dtype=float)
            s2_conf[j] = np.asarray(si["S2_conf"], dtype=float)
    bounds = {name: (float(lo), float(hi)) for name, (lo, hi) in zip(names, spec["bounds"])}
    return SobolIndices(
        parameters=list(names),
        outputs=list(values),
        conf_level=float(conf_level),
        samples=n,
        runs=first_len,
        bounds=bounds,
        points=np.empty((0, d)) if points is None else np.asarray(points, dtype=float),
        values=values,
        variance=variance,
        S2=s2,
        S2_conf=s2_conf,
        **result,
    )


# ------------------------------------------------------------------------------------------------
# skillsim: the points as a sweep


def _parse_date(value: Any, label: str) -> np.datetime64:
    if isinstance(value, _dt.datetime):
        value = value.date()
    try:
        return np.datetime64(value, "D")
    except (TypeError, ValueError):
        raise ValueError(f"outputs[{label!r}]: {value!r} is not a date (use '2022-01-01' or datetime.date)") from None


def _check_outputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs as {label: (variable, date or None, sel) or callable}, checked for shape."""
    if not isinstance(outputs, Mapping):
        raise TypeError("outputs must be a mapping {label: (variable, date)} or {label: function(results)}")
    if not outputs:
        raise ValueError("outputs is empty: name at least one, e.g. {'skilled': ('skilled_workers', '2022-01-01')}")
    checked: dict[str, Any] = {}
    for label, spec in outputs.items():
        label = str(label)
        if callable(spec):
            checked[label] = spec
            continue
        if isinstance(spec, str):
            spec = (spec, None)
        if not isinstance(spec, (tuple, list)) or not 2 <= len(spec) <= 3 or not isinstance(spec[0], str):
            raise ValueError(
                f"outputs[{label!r}]: expected (variable, date), (variable, date, sel) or a function of the "
                f"results, got {spec!r}"
            )
        date = None if spec[1] is None else _parse_date(spec[1], label)
        sel = dict(spec[2]) if len(spec) == 3 and spec[2] is not None else {}
        checked[label] = (spec[0], date, sel)
    return checked


def _reduce(results: "Results", label: str, spec: Any, runs: int) -> np.ndarray:
    """One number per run: the output's mean over replicates, from the engine's statistics over
    replicates (``<variable>_stats``, ``mean``) where the results have them."""
    if callable(spec):
        values = np.asarray(spec(results), dtype=float)
        if values.shape != (runs,):
            raise ValueError(
                f"outputs[{label!r}]: the function returned shape {values.shape}; it must return one value per "
                f"run of the sweep, shape ({runs},)"
            )
        return values
    variable, date, sel = spec
    ds = results.to_xarray()
    stats = ds.data_vars.get(f"{variable}_stats")
    if variable in ds.data_vars and stats is not None and "statistic" in stats.dims:
        # The mean of a sum over the other dimensions is the sum of their means.
        ds = ds.assign({variable: stats.sel(statistic="mean", drop=True)})
    da = _output_array(ds, label, variable, date, sel)
    if "replicate" in da.dims:
        da = da.mean("replicate")
    return np.asarray(da.transpose("scenario").values, dtype=float)


def _output_array(ds: "xarray.Dataset", label: str, variable: str, date: Any, sel: Mapping[str, Any]):
    """The variable at ``date`` with ``sel``, other dimensions than scenario and replicate summed;
    ValueError/KeyError naming the output for anything that does not fit."""
    if variable not in ds.data_vars:
        close = difflib.get_close_matches(variable, list(ds.data_vars), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; variables: {', '.join(ds.data_vars)}"
        raise KeyError(f"outputs[{label!r}]: no variable named {variable!r} in the results{hint}")
    da = ds[variable]
    if "time" in da.dims:
        if date is None:
            raise ValueError(
                f"outputs[{label!r}]: {variable!r} is a time series: give a date, ({variable!r}, 'YYYY-MM-01')"
            )
        times = ds["time"].values.astype("datetime64[D]")
        if date not in times:
            raise ValueError(
                f"outputs[{label!r}]: {np.datetime_as_string(date)} is not a time of the results "
                f"(first days of months from {np.datetime_as_string(times[0])} to {np.datetime_as_string(times[-1])})"
            )
        da = da.isel(time=int(np.flatnonzero(times == date)[0]))
    elif date is not None:
        raise ValueError(
            f"outputs[{label!r}]: {variable!r} has no time dimension ({', '.join(da.dims)}): give None as its date"
        )
    for dim, value in sel.items():
        if dim not in da.dims:
            raise ValueError(
                f"outputs[{label!r}]: {variable!r} has no dimension {dim!r} to select ({', '.join(da.dims)})"
            )
        labels = [str(v) for v in ds[dim].values]
        wanted = value if isinstance(value, (list, tuple)) else [value]
        for w in wanted:
            if str(w) not in labels:
                raise ValueError(f"outputs[{label!r}]: {dim} {w!r} is not one of {', '.join(labels)}")
        da = da.sel({dim: value})
    others = [d for d in da.dims if d not in ("scenario", "replicate")]
    if others:
        da = da.sum(others)
    return da.reset_coords(drop=True)


#: Agents in the replicate that checks the outputs before a sweep.
_PROBE_AGENTS = 2000


def _probe(base: "Scenario", checked: Mapping[str, Any]) -> None:
    """Checks the (variable, date) outputs against the results of a one-month run of the base
    (the variables a scenario's results have depend on it: programmes, funds, targets), so that a
    wrong name fails at once rather than after the sweep."""
    from .run import run

    tuples = {k: v for k, v in checked.items() if not callable(v)}
    if not tuples:
        return
    start = np.datetime64(base.start, "D")
    end = np.datetime64(base.end, "D")
    for label, (variable, date, _sel) in tuples.items():
        if date is not None and not start <= date <= end:
            raise ValueError(
                f"outputs[{label!r}]: {np.datetime_as_string(date)} is outside the run "
                f"({base.start} to {base.end}: results are at the first day of each month)"
            )
    # Which variables there are depends on the scenario, not on its scale: a coarse replicate
    # (about 2,000 agents) answers in a fraction of a second.
    coarse = max(int(base["population.scale"]), int(base["population.size"]) // _PROBE_AGENTS)
    probe = run(base.replace({"population.scale": coarse}), replicates=1, threads=1, progress=False)
    ds = probe.to_xarray().expand_dims(scenario=1)
    for label, (variable, date, sel) in tuples.items():
        _output_array(ds, label, variable, date, sel)


def sensitivity(
    base: "Scenario | str | os.PathLike[str]",
    vary: Mapping[str, Any],
    outputs: Mapping[str, OutputSpec],
    samples: int = 64,
    *,
    replicates: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    output: "str | os.PathLike[str] | None" = None,
    overwrite: bool = False,
    calc_second_order: bool = False,
    conf_level: float = 0.95,
    sampling_seed: int = 1,
    num_resamples: int = 100,
    progress: bool = True,
) -> SobolIndices:
    """First- and total-order Sobol indices of skillsim outputs with respect to scenario
    parameters, with confidence intervals.

    Draws Saltelli's sample over the ranges of ``vary`` (:func:`sample`), runs every point as a
    run of one sweep (``design = "list"``: run k takes the k-th value of every key, see
    docs/sweeps.md) with :func:`skillsim.sweep`, reduces each output to one number a run (its
    mean over the replicates) and analyses them (:func:`analyze`).

    Args:
        base: the base scenario: a :class:`skillsim.Scenario`, a path, or a bundled scenario's
            name (``"jincheng_plan_2020_2021"``).
        vary: ``{sweep key: (low, high)}``, each uniform over its range. Keys are as a sweep
            file's: a parameter's dotted key or one element addressed by its row's name,
            ``"funds.annual_envelope[upgrading_account]"``, ``"skills.pass_probability[senior]"``,
            ``"programmes.seats_per_month[upgrading_junior][晋城市]"``. Integers (seats,
            capacities) are rounded by the engine.
        outputs: ``{label: spec}``; spec is ``(variable, date)``: a results variable at a date
            (``("skilled_workers", "2022-01-01")``; None for variables without time), with any
            other dimension summed; ``(variable, date, sel)`` to select first
            (``("workers", "2022-01-01", {"status": "employed"})``); or a function of the
            sweep's :class:`~skillsim.Results` returning one value per run (shape ``(runs,)``).
        samples: N, the base samples, a power of 2: the sweep has ``N x (D + 2)`` runs for D
            parameters (``N x (2D + 2)`` with ``calc_second_order``). The intervals narrow as N
            grows; 512-1024 is common for a final analysis, 16-64 for a first look.
        replicates: per run (default: the base's ``run.replicates``). Replicate r of every run
            shares its random numbers (common random numbers), so differences between runs are
            the parameters', not noise; more replicates leave less noise in the run means.
        seed: the simulation's base seed (default: the base's ``run.seed``).
        threads: OpenMP threads per run (default: all cores). Results do not depend on it.
        output: also keep the sweep's results file there (None: a temporary file, deleted).
        overwrite: replace an existing ``output``.
        calc_second_order: also second-order indices (``S2``), at almost twice the runs.
        conf_level: the intervals' confidence level.
        sampling_seed: the scrambling of the Sobol sample, apart from the simulation's seed.
        num_resamples: bootstrap resamples for the intervals.
        progress: show the sweep's progress bar.

    Returns:
        :class:`SobolIndices`, with the sweep's :class:`~skillsim.Results` as ``.results`` (the
        ``scenario`` dimension, the varied keys as its coordinates), the sample as ``.points``
        and each output's run means as ``.values``.

    Raises:
        ValueError: ``vary`` empty or with a bad range (low > high), ``samples`` not a power of
            2, an unknown output variable, a date outside the run, a run that failed.
        ScenarioError: a varied key the base does not have, or a value a parameter refuses.
        KeyboardInterrupt: Ctrl-C; with ``output``, ``skillsim.sweep(..., resume=True)``
            continues the sweep.
    """
    from .scenario import Scenario
    from .sweep import sweep

    names, bounds = _check_vary(vary)
    n = _check_samples(samples)
    checked = _check_outputs(outputs)
    scenario = base if isinstance(base, Scenario) else Scenario.load(base)
    _probe(scenario, checked)

    X = sample(vary, n, calc_second_order=calc_second_order, seed=sampling_seed)
    runs = X.shape[0]
    spec = {
        "base": scenario,
        "design": "list",
        "max_runs": max(runs, 1),
        "vary": {name: X[:, i].tolist() for i, name in enumerate(names)},
    }
    results = sweep(
        spec, output=output, overwrite=overwrite, replicates=replicates, seed=seed, threads=threads, progress=progress
    )
    failed = np.asarray(results["run_failed"]) if "run_failed" in results else np.zeros(runs, dtype=int)
    if failed.any():
        messages = results.metadata.get("failed_runs", "")
        raise ValueError(
            f"{int(failed.sum())} of {runs} runs failed, and Sobol indices need every run: {messages}".rstrip(": ")
        )
    values = {label: _reduce(results, label, spec_, runs) for label, spec_ in checked.items()}
    indices = analyze(
        dict(zip(names, map(tuple, bounds))),
        values,
        calc_second_order=calc_second_order,
        conf_level=conf_level,
        num_resamples=num_resamples,
        seed=sampling_seed,
        points=X,
    )
    indices.results = results
    return indices
