#!/usr/bin/env python3
"""Checks that a skillsim results file reads in xarray as intended.

Usage: python3 check_xarray.py FILE [--expect-dims replicate,time,level] [--expect-vars employed,...]

Opens FILE with xarray.open_dataset(FILE, engine="h5netcdf") and with h5py and asserts:
  * the global attributes (title, schema_version, provenance) are present, strings as str;
  * every dimension scale is a named xarray dimension with an index coordinate of the same
    values; `time` decodes to datetime64[ns] from its "days since ..." units;
  * every <dim>_zh dataset is an auxiliary coordinate (str labels) over <dim>;
  * every other dataset is a data variable with the dimensions attached in HDF5 and values
    equal to what h5py reads.
  * if the file has the dimension `statistic`: its labels are mean, se, p5, p25, p50, p75, p95,
    every variable over (replicate, ...) has NAME_stats over (statistic, ...), and its values are
    numpy's over the replicates with NaN skipped (np.nanmean; np.nanstd(ddof=1) / sqrt(n), NaN
    for n < 2; np.nanpercentile, method "linear"), to within rounding.
Exits 0 if all hold, 1 with a message naming the failed check otherwise (2 for usage errors).
"""

import argparse
import re
import sys
import warnings

import numpy as np

SCHEMA_VERSION = 1
STRING_ATTRIBUTES = [
    "title",
    "Conventions",
    "engine_version",
    "git_commit",
    "created",
    "scenario_name",
    "scenario_source",
    "scenario",
    "command_line",
]
INTEGER_ATTRIBUTES = ["schema_version", "seed", "threads"]
# Compare at most this many elements per variable (the leading slice of larger ones).
MAX_COMPARED_ELEMENTS = 50_000_000
STATISTICS = ["mean", "se", "p5", "p25", "p50", "p75", "p95"]


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def is_scale(dataset):
    value = dataset.attrs.get("CLASS")
    return value in (b"DIMENSION_SCALE", "DIMENSION_SCALE")


def h5_dims(dataset):
    """Names of the dimension scales attached to each axis (the last attached wins)."""
    names = []
    for axis, proxy in enumerate(dataset.dims):
        check(len(proxy) > 0, f"dataset {dataset.name!r} has no dimension scale on axis {axis}")
        names.append(proxy[len(proxy) - 1].name.rsplit("/", 1)[-1])
    return tuple(names)


def h5_strings(dataset):
    return [str(s) for s in dataset.asstr()[...].ravel()]


def check_global_attributes(where, attrs):
    for name in STRING_ATTRIBUTES:
        check(name in attrs, f"{where}: global attribute {name!r} is missing")
        check(isinstance(attrs[name], str),
              f"{where}: global attribute {name!r} is {type(attrs[name]).__name__}, not str")
    for name in INTEGER_ATTRIBUTES:
        check(name in attrs, f"{where}: global attribute {name!r} is missing")
        check(np.issubdtype(np.asarray(attrs[name]).dtype, np.integer),
              f"{where}: global attribute {name!r} is not an integer")
    check(attrs["title"] == "skillsim results", f"{where}: title is {attrs['title']!r}")
    check(attrs["Conventions"] == "CF-1.8", f"{where}: Conventions is {attrs['Conventions']!r}")
    check(int(np.asarray(attrs["schema_version"]).ravel()[0]) == SCHEMA_VERSION,
          f"{where}: schema_version is {attrs['schema_version']!r}, expected {SCHEMA_VERSION}")
    check("replicate_seeds" in attrs, f"{where}: global attribute 'replicate_seeds' is missing")
    seeds = np.atleast_1d(np.asarray(attrs["replicate_seeds"]))
    check(seeds.size == 0 or np.issubdtype(seeds.dtype, np.integer),
          f"{where}: replicate_seeds are not integers")
    check("scale" in attrs and np.issubdtype(np.asarray(attrs["scale"]).dtype, np.number),
          f"{where}: global attribute 'scale' is missing or not a number")


def expected_times(days, units):
    match = re.fullmatch(r"days since (\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?", units.strip())
    check(match is not None, f"time units {units!r} are not 'days since YYYY-MM-DD'")
    epoch = np.datetime64(match.group(1), "D")
    return (epoch + days.astype("timedelta64[D]")).astype("datetime64[ns]")


def numpy_statistics(values):
    """The statistics over axis 0 (replicates) as numpy computes them, NaN skipped."""
    values = np.asarray(values, dtype=np.float64)
    n = np.sum(~np.isnan(values), axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells, n < 2
        mean = np.nanmean(values, axis=0)
        se = np.where(n > 1, np.nanstd(values, axis=0, ddof=1) / np.sqrt(np.maximum(n, 1)), np.nan)
        percentiles = np.nanpercentile(values, [5, 25, 50, 75, 95], axis=0)
    return np.concatenate([mean[None], se[None], percentiles])


def check_statistics(ds, variables):
    """NAME_stats of every (replicate, ...) variable, against numpy."""
    labels = [str(v) for v in ds["statistic"].values]
    check(labels == STATISTICS, f"statistic labels are {labels}, expected {STATISTICS}")
    # The record of each replicate's parameter set (docs/scenario.md) has no statistics.
    columns = ds.attrs.get("parameter_set_columns") or (ds.attrs["parameter_sets"].splitlines()[0] if ds.attrs.get("parameter_sets") else "")
    records = {"parameter_set", *(c.strip() for c in columns.split(",") if c.strip())}
    checked = 0
    for name in variables:
        var = ds[name]
        if not var.dims or var.dims[0] != "replicate":
            continue
        if name in records:
            check(f"{name}_stats" not in ds.data_vars, f"{name!r} is a parameter set's record but has statistics")
            continue
        stats_name = f"{name}_stats"
        check(stats_name in ds.data_vars, f"{name!r} has a replicate dimension but no {stats_name!r}")
        stats = ds[stats_name]
        check(stats.dims == ("statistic",) + var.dims[1:],
              f"{stats_name!r} has dims {stats.dims}, expected {('statistic',) + var.dims[1:]}")
        check(stats.dtype == np.float64, f"{stats_name!r} is {stats.dtype}, not float64")
        check(stats.attrs.get("units") == var.attrs.get("units"), f"{stats_name!r} has other units than {name!r}")
        values = var.values
        expected = numpy_statistics(values)
        scale = np.nanmax(np.abs(values)) if values.size and not np.all(np.isnan(values)) else 1.0
        actual = stats.values
        check(np.array_equal(np.isnan(actual), np.isnan(expected)), f"{stats_name!r} is NaN elsewhere than numpy's")
        defined = ~np.isnan(expected)
        worst = np.max(np.abs(actual[defined] - expected[defined]), initial=0.0)
        check(worst <= 1e-12 * max(scale, 1.0), f"{stats_name!r} differs from numpy's by up to {worst}")
        checked += 1
    check(checked > 0, "the file has the dimension 'statistic' but no statistics")
    return checked


def run(path, expect_dims, expect_vars):
    import h5py
    import xarray as xr

    with h5py.File(path, "r") as h5, xr.open_dataset(path, engine="h5netcdf") as ds:
        check_global_attributes("h5py", dict(h5.attrs))
        check_global_attributes("xarray", ds.attrs)
        check(ds.attrs["scenario"] == h5.attrs["scenario"], "xarray and h5py disagree on the scenario text")

        datasets = {name: obj for name, obj in h5.items() if isinstance(obj, h5py.Dataset)}
        scales = [name for name, d in datasets.items() if is_scale(d)]
        check(scales, "the file has no dimension scales")
        check("time" in scales, "the file has no 'time' dimension")
        for name in expect_dims:
            check(name in scales, f"expected dimension {name!r} is missing (have {scales})")

        # Dimensions and their (index) coordinates.
        for name in scales:
            h5d = datasets[name]
            check(name in ds.sizes, f"dimension {name!r} is not an xarray dimension (have {dict(ds.sizes)})")
            check(ds.sizes[name] == h5d.shape[0],
                  f"dimension {name!r} has size {ds.sizes[name]} in xarray, {h5d.shape[0]} in h5py")
            check(name in ds.coords and name in ds.indexes, f"{name!r} is not an index coordinate")
            coord = ds[name]
            if h5py.check_string_dtype(h5d.dtype) is not None:
                values = [v for v in coord.values.ravel()]
                check(all(isinstance(v, str) for v in values), f"coordinate {name!r} labels are not str")
                check(values == h5_strings(h5d), f"coordinate {name!r} labels differ from h5py")
            elif "units" in h5d.attrs and " since " in str(h5d.attrs["units"]):
                check(coord.dtype == np.dtype("datetime64[ns]"),
                      f"coordinate {name!r} decodes to {coord.dtype}, not datetime64[ns]")
                expected = expected_times(h5d[...], str(h5d.attrs["units"]))
                check(np.array_equal(coord.values, expected), f"coordinate {name!r} dates differ from h5py")
            else:
                check(np.array_equal(coord.values, h5d[...]), f"coordinate {name!r} values differ from h5py")
        check(ds["time"].dtype == np.dtype("datetime64[ns]"), "time is not decoded to datetime64[ns]")

        # Auxiliary coordinates with Chinese labels.
        aux = {}
        for name, h5d in datasets.items():
            if is_scale(h5d) or not name.endswith("_zh") or name[:-3] not in scales:
                continue
            dim = name[:-3]
            aux[dim] = name
            check(name in ds.coords, f"{name!r} is not a coordinate in xarray (missing CF 'coordinates'?)")
            check(ds[name].dims == (dim,), f"{name!r} has dims {ds[name].dims}, expected ({dim!r},)")
            values = list(ds[name].values)
            check(all(isinstance(v, str) for v in values), f"{name!r} labels are not str")
            check(values == h5_strings(h5d), f"{name!r} labels differ from h5py")

        # Data variables.
        variables = [n for n, d in datasets.items() if not is_scale(d) and n not in aux.values()]
        check(variables, "the file has no data variables")
        for name in expect_vars:
            check(name in variables, f"expected variable {name!r} is missing (have {variables})")
        for name in variables:
            h5d = datasets[name]
            check(name in ds.data_vars, f"{name!r} is not an xarray data variable")
            var = ds[name]
            dims = h5_dims(h5d)
            check(var.dims == dims, f"{name!r} has dims {var.dims} in xarray, {dims} in HDF5")
            # Counts are exact integers; rates and derived values (target_*, cost_*) are float64.
            check(var.dtype in (np.int64, np.float64), f"{name!r} is {var.dtype}, not int64 or float64")
            check(var.dtype == h5d.dtype, f"{name!r} is {var.dtype} in xarray, {h5d.dtype} in HDF5")
            for key in ("units", "long_name"):
                if key in h5d.attrs:
                    check(isinstance(var.attrs.get(key), str), f"{name!r} attribute {key!r} is not str in xarray")
            for dim in dims:
                if dim in aux:
                    check(aux[dim] in var.coords, f"{name!r} lacks the coordinate {aux[dim]!r}")
            if h5d.size <= MAX_COMPARED_ELEMENTS or h5d.ndim == 0:
                expected, actual = h5d[...], var.values
            else:
                expected, actual = h5d[0], var.isel({dims[0]: 0}).values
            check(np.array_equal(actual, expected, equal_nan=var.dtype == np.float64), f"{name!r} values differ between xarray and h5py")

        statistics = check_statistics(ds, variables) if "statistic" in scales else 0

        print(f"check_xarray: {path}: OK")
        print(f"  dimensions: {', '.join(f'{n}={ds.sizes[n]}' for n in scales)}")
        print(f"  time: {ds['time'].values[0]} .. {ds['time'].values[-1]}")
        if aux:
            print(f"  auxiliary coordinates: {', '.join(aux.values())}")
        print(f"  variables: {', '.join(f'{n}{ds[n].dims}' for n in variables)}")
        if statistics:
            print(f"  statistics over replicates, as numpy computes them: {statistics} variables")


def main():
    parser = argparse.ArgumentParser(description="Check a skillsim results file with xarray and h5py.")
    parser.add_argument("file")
    parser.add_argument("--expect-dims", default="", help="comma-separated dimensions that must exist")
    parser.add_argument("--expect-vars", default="", help="comma-separated variables that must exist")
    args = parser.parse_args()
    split = lambda text: [s for s in text.split(",") if s]
    try:
        run(args.file, split(args.expect_dims), split(args.expect_vars))
    except CheckFailed as failure:
        print(f"check_xarray: {args.file}: FAILED: {failure}", file=sys.stderr)
        return 1
    except ImportError as error:
        print(f"check_xarray: a Python package is missing: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # e.g. the file does not open at all
        print(f"check_xarray: {args.file}: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
