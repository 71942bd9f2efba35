"""Results of a run: NumPy views on the engine's memory, an xarray Dataset shaped like the results
file, pandas tables, and the HDF5 file itself (see docs/results.md)."""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import numpy as np

from . import _core
from .errors import ScenarioError

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import xarray

    from .scenario import Scenario, Target

__all__ = ["Results", "open_results"]

_EPOCH_UNITS = "days since 1970-01-01"
# Global attributes in the order (and with the types) the file has them; see write_metadata in
# engine/src/io/results_hdf5.cpp.
_TITLE = "skillsim results"


class Results:
    """Results of a run, in memory. Counts are persons (int64; float64 expectations in the
    expected-value twin's results, :attr:`is_twin`); rates, target values and costs per
    certificate are float64 (NaN where undefined).

    ``results["skilled_workers"]`` is a read-only NumPy array over ``(replicate, time)``, a view on
    the engine's memory (no copy; it keeps the results alive). :meth:`to_xarray` gives the same
    Dataset as ``xarray.open_dataset(file, engine="h5netcdf")`` of the saved file.
    """

    __slots__ = ("_core", "_scenario", "_scenario_parsed")

    def __init__(self, core: _core.Results, scenario: "Scenario | None" = None) -> None:
        """Internal: results come from :func:`skillsim.run`, :func:`skillsim.sweep` and
        :func:`open_results`."""
        self._core = core
        self._scenario = scenario
        self._scenario_parsed = scenario is not None

    # -- contents ---------------------------------------------------------------------------------

    @property
    def variables(self) -> list[str]:
        """Names of the variables, in file order."""
        return list(self._core.variable_names)

    @property
    def dims(self) -> dict[str, int]:
        """Dimension sizes by name (replicate, time, level, status, group, sector, region)."""
        return {d["name"]: len(d["values"]) for d in self._core.dimensions}

    def coords(self, dim: str) -> np.ndarray:
        """Coordinate values of a dimension: ints for ``replicate``, datetime64[ns] for ``time``,
        str labels otherwise."""
        for d in self._core.dimensions:
            if d["name"] == dim:
                return _coordinate_values(d)
        raise KeyError(f"no dimension named {dim!r}; dimensions: {', '.join(self.dims)}")

    def labels_zh(self, dim: str) -> list[str]:
        """Chinese labels of a dimension (empty if it has none)."""
        for d in self._core.dimensions:
            if d["name"] == dim:
                return list(d["labels_zh"])
        raise KeyError(f"no dimension named {dim!r}")

    @property
    def times(self) -> np.ndarray:
        """The time axis (datetime64[ns]): the first day of each month, ``months + 1`` points."""
        return self.coords("time")

    @property
    def replicates(self) -> int:
        """Number of replicates."""
        return self.dims["replicate"]

    @property
    def metadata(self) -> dict[str, Any]:
        """Provenance: scenario name, source and text, seed, replicate seeds, threads, scale,
        engine version, git commit, created (UTC, ISO 8601) and command line; for a sweep also
        the file's other attributes (``sweep``: the sweep file's text, ``sweep_design``,
        ``overrides``, ``failed_runs``: why runs failed, one line each)."""
        m = self._core.metadata
        extra = m.pop("attributes")
        return {**m, **extra}

    @property
    def is_twin(self) -> bool:
        """True for the expected-value twin's results (:func:`skillsim.project`, attribute
        ``skillsim_twin``): expectations over one replicate, not a sample (docs/twin.md)."""
        return self._core.metadata["attributes"].get("skillsim_twin") == "1"

    @property
    def sweep_keys(self) -> list[str]:
        """The varied parameters of a sweep (coordinates on ``scenario``, in the file's order);
        empty for a run."""
        if "scenario" not in self.dims:
            return []
        return [
            name
            for name in self._core.variable_names
            if name != _RUN_FAILED and tuple(self._core.variable_info(name)["dims"]) == ("scenario",)
        ]

    def _failed_runs(self) -> np.ndarray | None:
        """For a sweep with failed runs, which (bool over scenario); else None."""
        if "scenario" not in self.dims or _RUN_FAILED not in self:
            return None
        failed = np.asarray(self[_RUN_FAILED]) != 0
        return failed if failed.any() else None

    @property
    def seed(self) -> int:
        """The run's base seed."""
        return int(self._core.metadata["seed"])

    @property
    def scenario(self) -> "Scenario | None":
        """The scenario that was run: the object given to :func:`skillsim.run`, or for a file read
        back the recorded scenario text parsed again (None if this engine rejects it). A run with
        overrides records the file's text, so a file read back shows the scenario before them."""
        if not self._scenario_parsed:
            from .scenario import Scenario

            self._scenario_parsed = True
            m = self._core.metadata
            try:
                self._scenario = Scenario.from_toml(m["scenario"], name=m["scenario_source"] or "<results>")
            except ScenarioError:
                self._scenario = None
        return self._scenario

    @property
    def targets(self) -> "list[Target]":
        """The scenario's targets (empty if the scenario is unknown)."""
        s = self.scenario
        return s.targets if s is not None else []

    def __getitem__(self, variable: str) -> np.ndarray:
        """A read-only NumPy view of a variable (dimensions as in :meth:`dims_of`)."""
        return self._core.data(variable)

    def __contains__(self, variable: object) -> bool:
        return variable in self._core.variable_names

    def __iter__(self) -> Iterator[str]:
        return iter(self.variables)

    def dims_of(self, variable: str) -> tuple[str, ...]:
        """The dimensions of a variable, e.g. ``("replicate", "time", "level", "status")``."""
        return tuple(self._core.variable_info(variable)["dims"])

    def stats(self, variable: str) -> "xarray.DataArray":
        """The statistics over replicates of a variable, as the engine computed them: the
        ``<variable>_stats`` DataArray over ``statistic`` (``mean``, ``se``, ``p5``, ``p25``,
        ``p50``, ``p75``, ``p95``) and the variable's other dimensions, e.g.
        ``results.stats("skilled_workers").sel(statistic="p50")`` is the median series.

        ``se`` is the standard error of the mean (sample standard deviation / sqrt(n); NaN for
        one replicate); the percentiles interpolate linearly between order statistics, as
        ``numpy.percentile`` does by default; NaN values (undefined rates) are skipped. See
        docs/results.md.

        Raises:
            KeyError: if there is no such variable, or it has no statistics (no replicate
                dimension, or a file written before statistics existed).
        """
        if variable not in self:
            raise KeyError(f"no variable named {variable!r}; variables: {', '.join(self.variables)}")
        name = f"{variable}_stats"
        if name not in self:
            raise KeyError(f"{variable!r} has no statistics over replicates ({name!r})")
        return self.to_xarray()[name]

    # -- conversions ------------------------------------------------------------------------------

    def to_xarray(self) -> "xarray.Dataset":
        """An ``xarray.Dataset`` with the structure of the results file as
        ``xarray.open_dataset(path, engine="h5netcdf")`` reads it: the same dimensions,
        coordinates (with the ``level_zh``-style Chinese auxiliary coordinates), ``time`` decoded
        to datetime64[ns], variable and global attributes. Data variables are views on the
        engine's memory (read-only; copy before changing them in place)."""
        import xarray as xr

        coords: dict[str, Any] = {}
        for d in self._core.dimensions:
            name = d["name"]
            attrs = dict(d["attributes"])
            encoding = {}
            if name == "time" and attrs.get("units", "").startswith("days since"):
                encoding = {"units": attrs.pop("units"), "calendar": attrs.pop("calendar", "standard")}
            var = xr.Variable((name,), _coordinate_values(d), attrs=attrs)
            var.encoding.update(encoding)
            coords[name] = var
        for d in self._core.dimensions:
            if d["labels_zh"]:
                name = d["name"]
                coords[f"{name}_zh"] = xr.Variable(
                    (name,), np.array(d["labels_zh"], dtype=str), attrs={"long_name": f"{name} (Chinese)"}
                )
        data_vars = {}
        keys = self.sweep_keys
        failed = self._failed_runs()
        for name in self._core.variable_names:
            info = self._core.variable_info(name)
            attrs = {}
            if info["units"]:
                attrs["units"] = info["units"]
            if info["long_name"]:
                attrs["long_name"] = info["long_name"]
            values = self._core.data(name)
            encoding = {}
            if failed is not None and name not in keys and name != _RUN_FAILED:
                # As xarray decodes the file: the failed runs' fill values are missing (NaN), and
                # counts become floats for it.
                encoding = {"_FillValue": _FILL_INTEGER if values.dtype.kind == "i" else np.float64(np.nan)}
                values = values.astype(np.float64)
                values[failed] = np.nan
            var = xr.Variable(tuple(info["dims"]), values, attrs=attrs)
            var.encoding.update(encoding)
            data_vars[name] = var
        for key in keys:  # a sweep's varied parameters: coordinates on `scenario`
            coords[key] = data_vars.pop(key)
        return xr.Dataset(data_vars, coords=coords, attrs=self._global_attributes())

    def _global_attributes(self) -> dict[str, Any]:
        m = self._core.metadata
        seeds = np.asarray(m["replicate_seeds"], dtype=np.int64)
        return {
            "title": _TITLE,
            "schema_version": np.int32(_core.results_schema_version),
            "Conventions": "CF-1.8",
            "engine_version": m["engine_version"],
            "git_commit": m["git_commit"],
            "created": m["created"],
            "scenario_name": m["scenario_name"],
            "scenario_source": m["scenario_source"],
            "scenario": m["scenario"],
            "seed": np.int64(m["seed"]),
            # xarray reads a one-element array attribute as a scalar
            "replicate_seeds": seeds[0] if seeds.size == 1 else seeds,
            "threads": np.int64(m["threads"]),
            "scale": np.int64(m["scale"]),
            "command_line": m["command_line"],
            **m["attributes"],
        }

    def to_pandas(self, variable: str, replicate: int | None = None) -> "pandas.DataFrame":
        """A variable as a table with one row per time point.

        Columns: the replicates for a ``(replicate, time)`` series; for variables with more
        dimensions a column MultiIndex over ``replicate`` and the other dimensions (e.g.
        ``(replicate, level, status)`` for ``workers``). With ``replicate=r`` only that
        replicate, and the columns are the other dimensions (a single ``value`` column for a
        series).
        """
        import pandas as pd

        if variable not in self:
            raise KeyError(f"no variable named {variable!r}; variables: {', '.join(self.variables)}")
        da = self.to_xarray()[variable]
        if replicate is not None:
            da = da.sel(replicate=replicate)
        da = da.reset_coords(drop=True)
        others = [d for d in da.dims if d != "time"]
        data = np.asarray(da.transpose("time", *others).values).reshape(da.sizes["time"], -1)
        index = pd.DatetimeIndex(da["time"].values, name="time")
        if not others:
            return pd.DataFrame(data, index=index, columns=pd.Index([variable], name="variable"))
        if len(others) == 1:
            columns = pd.Index(da[others[0]].values, name=others[0])
        else:
            columns = pd.MultiIndex.from_product([da[o].values for o in others], names=others)
        return pd.DataFrame(data, index=index, columns=columns)

    # -- files ------------------------------------------------------------------------------------

    def target_table(self) -> "pandas.DataFrame":
        """One row per target of the scenario: label, series, date, target value, the median
        attained over replicates with its 5% and 95% quantiles (from the statistics over
        replicates, :meth:`stats`; over the replicates where the series is defined), and the share
        of replicates that met it. Rates are shares (0.95 = 95%); flows are persons over the 12 months before the date.

        Raises:
            KeyError: if the run had no targets.
        """
        import pandas as pd

        if "target_attained" not in self:
            raise KeyError("these results have no targets (the scenario declares no [[targets]])")
        met = np.asarray(self["target_met"])  # (replicate, target)
        if "target_attained_stats" in self:
            stats = self.stats("target_attained")  # (statistic, target)
            quantiles = stats.sel(statistic=["p5", "p50", "p95"]).values
        else:  # a file written before the statistics over replicates: the same definition
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # a target never defined: NaN
                quantiles = np.nanpercentile(np.asarray(self["target_attained"]), [5, 50, 95], axis=0)
        rows = []
        for j, t in enumerate(self.targets):
            rows.append(
                {
                    "label": t.label,
                    "series": t.series,
                    "date": t.date,
                    "target": t.value,
                    "attained_median": float(quantiles[1, j]),
                    "attained_5%": float(quantiles[0, j]),
                    "attained_95%": float(quantiles[2, j]),
                    "met_share": float(met[:, j].mean()),
                }
            )
        return pd.DataFrame(rows)

    def save(self, path: str | os.PathLike[str], overwrite: bool = False) -> None:
        """Writes the results file (HDF5, netCDF-4 layout), atomically: to a temporary name beside
        ``path``, renamed when complete. Raises :class:`skillsim.ResultsFileError` if ``path``
        exists and ``overwrite`` is False, or on any write error."""
        self._core.save(os.fspath(path), overwrite)

    def describe(self) -> str:
        """What ``skillsim info`` prints: scenario, seeds, version, dimensions, variables."""
        return self._core.describe()

    def __repr__(self) -> str:
        dims = ", ".join(f"{k}={v}" for k, v in self.dims.items())
        m = self._core.metadata
        return f"<skillsim.Results {m['scenario_name']!r} seed={m['seed']} ({dims})>"


def _coordinate_values(d: dict[str, Any]) -> np.ndarray:
    values = d["values"]
    if isinstance(values, np.ndarray):
        if d["name"] == "time" and d["attributes"].get("units", "") == _EPOCH_UNITS:
            return (np.datetime64("1970-01-01", "D") + values.astype("timedelta64[D]")).astype("datetime64[ns]")
        return values
    return np.array(values, dtype=str)


def open_results(path: str | os.PathLike[str]) -> Results:
    """Reads a results file written by ``skillsim run``, :meth:`Results.save` or
    :func:`skillsim.run` (``output=``). Raises :class:`skillsim.ResultsFileError` if the file is
    missing, not a skillsim file, or of another ``schema_version``."""
    return Results(_core.read_results(os.fspath(path)))


#: A sweep's variable saying which runs failed.
_RUN_FAILED = "run_failed"
#: What a sweep's file holds for the counts of failed runs (netCDF's default fill for int64).
_FILL_INTEGER = np.int64(-9223372036854775806)


def _total_spending(results: Results, programmes: "Sequence[str] | None", absent_is_zero: bool = False) -> np.ndarray:
    """Yuan paid over the run, per replicate, for all programmes or those named (0 without).
    A named programme the run does not have is an error, or pays 0 with ``absent_is_zero`` (a
    baseline without the policy's programme)."""
    if "spending" not in results:
        return np.zeros(results.replicates)
    spent = np.asarray(results["spending"], dtype=float)  # replicate, time, fund, programme
    if programmes is not None:
        names = list(results.coords("programme"))
        unknown = [p for p in programmes if p not in names]
        if unknown and not absent_is_zero:
            raise ValueError(f"no programme named {unknown[0]!r}; the programmes are {names}")
        spent = spent[..., [names.index(p) for p in programmes if p in names]]
    return spent.reshape(spent.shape[0], -1).sum(axis=1)


def cost_per_additional(
    results: Results,
    baseline: Results,
    series: str = "high_skilled_workers",
    date: "str | np.datetime64 | None" = None,
    programmes: "Sequence[str] | None" = None,
) -> np.ndarray:
    """Yuan spent per additional worker in ``series`` against a baseline, per replicate.

    (spending of ``results`` - spending of ``baseline``) / (``series`` in ``results`` - in
    ``baseline``) at ``date`` (default: the end of the run). ``programmes`` counts only the
    money paid for those programmes (default: all), in both runs: a programme the baseline does
    not have counts 0 there. Run both with the same seed and
    replicates: replicate k of each then shares its random numbers (common random numbers), so
    the difference is the policy's effect, not noise. Where the difference in workers is not
    positive the cost is NaN (the money bought no additional workers in that replicate).

    Raises:
        ValueError: if the runs differ in replicates or times, or the series is not a
            (replicate, time) series.
    """
    if results.replicates != baseline.replicates or not np.array_equal(results.times, baseline.times):
        raise ValueError("results and baseline must have the same replicates and times (same scenario dates, "
                         "same --replicates)")
    if results.dims_of(series) != ("replicate", "time"):
        raise ValueError(f"{series!r} is not a (replicate, time) series; use e.g. 'high_skilled_workers'")
    t = -1 if date is None else int(np.searchsorted(results.times, np.datetime64(date, "ns")))
    if not -1 <= t < len(results.times) or (date is not None and results.times[t] != np.datetime64(date, "ns")):
        raise ValueError(f"date {date} is not one of the results' times (first days of months)")
    extra = np.asarray(results[series], dtype=float)[:, t] - np.asarray(baseline[series], dtype=float)[:, t]
    # The baseline pays for the same programmes where it has them (its ordinary training).
    spent = _total_spending(results, programmes) - _total_spending(baseline, programmes, absent_is_zero=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(extra > 0, spent / np.where(extra > 0, extra, 1), np.nan)
