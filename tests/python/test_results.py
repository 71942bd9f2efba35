"""Results: NumPy views, xarray and pandas, save/open round trips, and h5py side by side."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import xarray as xr

import skillsim

from conftest import JINCHENG


def parameter_set_records(results) -> list[str]:
    """The record of each replicate's parameter set (docs/scenario.md): `parameter_set` and one
    variable per column used, over `replicate` alone."""
    columns = results.metadata["parameter_set_columns"].split(",")
    assert [n for n in results.variables if results.dims_of(n) == ("replicate",)] == ["parameter_set", *columns]
    return ["parameter_set", *columns]


def test_arrays_are_read_only_views_on_engine_memory(small_results):
    records = parameter_set_records(small_results)  # the Jincheng baseline runs under the national sets
    for name in small_results.variables:
        arr = small_results[name]
        assert arr.base is not None, name
        assert not arr.flags.owndata, name
        assert not arr.flags.writeable, name
        # Counts are exact integers; rates, target values and statistics over replicates are
        # reals (NaN where undefined).
        real = name.startswith(("target_", "cost_")) and name != "target_met" or name.endswith("_stats") or name in records[1:]
        assert arr.dtype == (np.float64 if real else np.int64), name
        assert arr.shape == tuple(small_results.dims[d] for d in small_results.dims_of(name))
    # The same memory twice, no copy.
    a, b = small_results["workers"], small_results["workers"]
    assert np.shares_memory(a, b)
    ds = small_results.to_xarray()
    assert np.shares_memory(ds["workers"].values, a)


def test_a_view_keeps_its_results_alive(small_scenario):
    results = skillsim.run(small_scenario, replicates=1, threads=1, progress=False)
    arr = results["skilled_workers"]
    expected = arr.copy()
    del results
    gc.collect()
    np.testing.assert_array_equal(arr, expected)


def test_xarray_structure(small_results):
    ds = small_results.to_xarray()
    assert dict(ds.sizes) == small_results.dims
    assert ds["time"].dtype == np.dtype("datetime64[ns]")
    assert str(ds["time"].values[0])[:10] == "2020-01-01" and ds.sizes["time"] == 25
    assert list(ds["level_zh"].values)[:3] == ["无证", "学徒工", "初级工"]
    assert ds["level_zh"].dims == ("level",)
    assert ds["skilled_workers"].attrs["units"] == "persons"
    assert ds.attrs["title"] == "skillsim results" and ds.attrs["seed"] == 7
    assert list(ds.attrs["replicate_seeds"]) == [0, 1, 2]
    # Stocks add up: skilled workers are everybody at 初级工 or above who is not retired.
    skilled = ds["workers"].sel(level=list(ds["level"].values[2:])).drop_sel(status="retired").sum(["level", "status"])
    np.testing.assert_array_equal(skilled.values, ds["skilled_workers"].values)


def test_save_open_and_to_xarray_equal_the_results_in_memory(small_results, tmp_path):
    path = tmp_path / "small.h5"
    small_results.save(path)
    assert sorted(os.listdir(tmp_path)) == ["small.h5"]  # no temporary file left beside it
    back = skillsim.open_results(path)
    assert back.variables == small_results.variables
    assert back.metadata == small_results.metadata
    for name in small_results.variables:
        np.testing.assert_array_equal(back[name], small_results[name])
    expected = small_results.to_xarray()
    xr.testing.assert_identical(back.to_xarray(), expected)
    with xr.open_dataset(path, engine="h5netcdf") as on_disk:
        on_disk.load()
        xr.testing.assert_identical(on_disk, expected)
        for name in on_disk.variables:
            assert on_disk[name].dtype == expected[name].dtype, name
            assert on_disk[name].dims == expected[name].dims, name
        for key, value in on_disk.attrs.items():
            assert type(value) is type(expected.attrs[key]), key
        assert list(on_disk.attrs) == list(expected.attrs)
        assert list(on_disk.coords) == list(expected.coords)
        assert on_disk["time"].encoding["units"] == expected["time"].encoding["units"]
    assert back.scenario == small_results.scenario  # parsed again from the recorded text
    assert back.targets == small_results.targets


def test_save_refuses_to_overwrite(small_results, tmp_path):
    path = tmp_path / "r.h5"
    small_results.save(path)
    with pytest.raises(skillsim.ResultsFileError, match="exists") as e:
        small_results.save(path)
    assert isinstance(e.value, OSError)
    small_results.save(path, overwrite=True)
    assert sorted(os.listdir(tmp_path)) == ["r.h5"]


def test_open_errors(tmp_path):
    with pytest.raises(skillsim.ResultsFileError):
        skillsim.open_results(tmp_path / "missing.h5")
    junk = tmp_path / "junk.h5"
    junk.write_text("not HDF5")
    with pytest.raises(skillsim.ResultsFileError):
        skillsim.open_results(junk)


def test_metadata(small_results):
    m = small_results.metadata
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m["created"])
    assert m["command_line"].startswith("python: skillsim.run(Scenario.load(")
    assert "population.scale=100" in m["command_line"] and "seed=7" in m["command_line"]
    assert m["engine_version"] == skillsim.__version__
    assert m["seed"] == 7 and m["threads"] == 2 and m["scale"] == 100
    assert m["scenario_name"] == "jincheng_2020_2021"
    assert "replicate" in small_results.describe()
    assert "jincheng_2020_2021" in repr(small_results)


def test_to_pandas(small_results):
    df = small_results.to_pandas("skilled_workers")
    assert df.shape == (25, 3) and df.index.name == "time" and list(df.columns) == [0, 1, 2]
    np.testing.assert_array_equal(df.values, small_results["skilled_workers"].T)
    wide = small_results.to_pandas("workers")
    assert wide.shape == (25, 3 * 9 * 6)
    assert wide.columns.names == ["replicate", "level", "status"]
    one = small_results.to_pandas("workers", replicate=1)
    assert one.loc["2020-01-01", ("junior", "employed")] == small_results["workers"][1, 0, 2, 1]
    series = small_results.to_pandas("entries", replicate=0)
    assert list(series.columns) == ["entries"]
    with pytest.raises(KeyError):
        small_results.to_pandas("nope")


def test_same_seed_same_results_for_any_thread_count(small_scenario, small_results):
    again = skillsim.run(small_scenario, replicates=3, threads=1, seed=7, progress=False)
    for name in small_results.variables:
        np.testing.assert_array_equal(again[name], small_results[name])
    other = skillsim.run(small_scenario, replicates=3, threads=2, seed=8, progress=False)
    assert not np.array_equal(other["workers"], small_results["workers"])


@pytest.mark.parametrize("order", ["skillsim, h5py, xarray", "h5py, xarray, skillsim"])
def test_skillsim_h5py_and_xarray_in_one_process(tmp_path, order):
    """The engine links the system HDF5, h5py may bring its own: both work in one process, and
    files written by the engine read back through h5py and xarray (and h5py's files are not
    mistaken for results)."""
    script = textwrap.dedent(
        f"""
        import {order}
        import numpy as np
        s = skillsim.Scenario.load({str(JINCHENG)!r}).replace({{"population.scale": 200}})
        r = skillsim.run(s, replicates=2, threads=1, progress=False)
        path = {str(tmp_path / "r.h5")!r}
        r.save(path, overwrite=True)
        with h5py.File(path, "r") as f:
            assert f.attrs["title"] == "skillsim results"
            for name in r.variables:
                np.testing.assert_array_equal(f[name][...], r[name])
            assert [x.decode() if isinstance(x, bytes) else x for x in f["level_zh"][...]][1] == "学徒工"
        with xarray.open_dataset(path, engine="h5netcdf") as ds:
            xarray.testing.assert_identical(ds.load(), r.to_xarray())
        other = {str(tmp_path / "h5py.h5")!r}
        with h5py.File(other, "w") as f:
            f["x"] = np.arange(3)
        try:
            skillsim.open_results(other)
        except skillsim.ResultsFileError:
            pass
        else:
            raise AssertionError("an h5py file was read as results")
        print("ok", h5py.version.hdf5_version)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


def test_targets_attained_met_and_gap(small_results):
    """The target variables agree with the series they are computed from."""
    ds = small_results.to_xarray()
    targets = small_results.targets
    assert [t.series for t in targets] == ["skilled_workers", "high_skilled_workers"]
    for j, t in enumerate(targets):
        series = ds[t.series]
        at_date = series.sel(time=np.datetime64(t.date, "ns")).values
        assert np.array_equal(ds["target_attained"].isel(target=j).values, at_date)
        assert np.array_equal(ds["target_met"].isel(target=j).values, (at_date >= t.value).astype(np.int64))
        # Without a trajectory the plan is known only at the date, so is the gap.
        gap = ds["target_gap"].isel(target=j)
        assert int(gap.notnull().sum()) == small_results.replicates
        assert np.array_equal(gap.sel(time=np.datetime64(t.date, "ns")).values, at_date - t.value)
    table = small_results.target_table()
    assert list(table["label"]) == [t.label for t in targets]
    assert ((table["met_share"] >= 0) & (table["met_share"] <= 1)).all()


def _numpy_statistics(values: np.ndarray) -> np.ndarray:
    """mean, se, p5, p25, p50, p75, p95 over axis 0 as numpy computes them (no NaN here)."""
    values = values.astype(float)
    se = values.std(axis=0, ddof=1) / np.sqrt(values.shape[0])
    return np.concatenate([[values.mean(axis=0), se], np.percentile(values, [5, 25, 50, 75, 95], axis=0)])


def test_statistics_over_replicates(small_results):
    """docs/results.md: every (replicate, ...) variable has NAME_stats over (statistic, ...), the
    statistics numpy computes over the replicates."""
    ds = small_results.to_xarray()
    assert list(ds["statistic"].values) == ["mean", "se", "p5", "p25", "p50", "p75", "p95"]
    assert list(ds["statistic_zh"].values) == ["均值", "标准误", "5%分位数", "25%分位数", "中位数", "75%分位数", "95%分位数"]
    # Every variable over replicates but the parameter sets' record, which has no statistics.
    records = parameter_set_records(small_results)
    with_replicates = [n for n in small_results.variables if small_results.dims_of(n)[0] == "replicate" and n not in records]
    assert not any(f"{n}_stats" in small_results.variables for n in records)
    assert len(with_replicates) > 15
    for name in with_replicates:
        stats = small_results.stats(name)
        assert stats.name == f"{name}_stats"
        assert stats.dims == ("statistic",) + small_results.dims_of(name)[1:]
        assert stats.attrs["units"] == ds[name].attrs["units"]
        assert stats.attrs["long_name"].startswith("statistics over replicates of: ")
        np.testing.assert_allclose(stats.values, _numpy_statistics(np.asarray(small_results[name])), rtol=1e-12)
    median = small_results.stats("skilled_workers").sel(statistic="p50")
    np.testing.assert_array_equal(median.values, ds["skilled_workers"].median("replicate").values)
    assert median["time"].dtype == np.dtype("datetime64[ns]")
    with pytest.raises(KeyError, match="no variable named 'nope'"):
        small_results.stats("nope")
    with pytest.raises(KeyError, match="has no statistics"):
        small_results.stats("skilled_workers_stats")
    # The target table reads them: median and 5%/95% of the value attained, as numpy.quantile.
    table = small_results.target_table()
    attained = np.asarray(small_results["target_attained"])
    np.testing.assert_allclose(table["attained_median"], np.quantile(attained, 0.5, axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["attained_5%"], np.quantile(attained, 0.05, axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["attained_95%"], np.quantile(attained, 0.95, axis=0), rtol=1e-12)


def test_statistics_skip_undefined_rates():
    """A rate undefined in some replicates (no trainees): its statistics are over the others."""
    plan = skillsim.Scenario.load(JINCHENG.parent / "jincheng_plan_2020_2021.toml").replace({"population.scale": 200})
    r = skillsim.run(plan, replicates=4, seed=3, threads=1, progress=False)
    values = np.asarray(r["target_value"])  # (replicate, time, target): rates are NaN in the first months
    assert np.isnan(values).any()
    stats = r.stats("target_value").values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells
        np.testing.assert_allclose(stats[0], np.nanmean(values, axis=0), rtol=1e-12)
        np.testing.assert_allclose(stats[4], np.nanmedian(values, axis=0), rtol=1e-12)
        np.testing.assert_allclose(stats[6], np.nanpercentile(values, 95, axis=0), rtol=1e-12)
    assert np.array_equal(np.isnan(stats[0]), np.isnan(values).all(axis=0))


def test_cost_per_additional_high_skilled_worker_with_common_random_numbers():
    plan = skillsim.Scenario.load(JINCHENG.parent / "jincheng_plan_2020_2021.toml").replace({"population.scale": 100})
    base = skillsim.Scenario.load(JINCHENG).replace({"population.scale": 100})
    a = skillsim.run(plan, replicates=2, seed=5, progress=False)
    b = skillsim.run(base, replicates=2, seed=5, progress=False)
    cost = skillsim.cost_per_additional(a, b, "skilled_workers")
    extra = a["skilled_workers"][:, -1] - b["skilled_workers"][:, -1]
    # The extra money: the plan's spending less the baseline's ordinary training.
    spent = a["spending"].reshape(2, -1).sum(axis=1) - b["spending"].reshape(2, -1).sum(axis=1)
    assert (extra > 0).all() and (b["spending"].reshape(2, -1).sum(axis=1) > 0).all()
    assert np.allclose(cost, spent / extra)
    with pytest.raises(ValueError, match="not a \\(replicate, time\\) series"):
        skillsim.cost_per_additional(a, b, "workers")
    # Counting only the key groups' money: their share of the spending, same extra workers (the
    # baseline has no such programme: it pays 0 for it).
    key_groups = skillsim.cost_per_additional(a, b, "skilled_workers", programmes=["key_groups"])
    k = list(a.coords("programme")).index("key_groups")
    assert np.allclose(key_groups, a["spending"][..., k].reshape(2, -1).sum(axis=1) / extra)
    # A programme both have: the plan's money for it less the baseline's ordinary training.
    junior = skillsim.cost_per_additional(a, b, "skilled_workers", programmes=["upgrading_junior"])
    plan_paid = a["spending"][..., list(a.coords("programme")).index("upgrading_junior")].reshape(2, -1).sum(axis=1)
    base_paid = b["spending"][..., list(b.coords("programme")).index("upgrading_junior")].reshape(2, -1).sum(axis=1)
    assert (base_paid > 0).all() and np.allclose(junior, (plan_paid - base_paid) / extra)
    with pytest.raises(ValueError, match="no programme named 'nope'"):
        skillsim.cost_per_additional(a, b, programmes=["nope"])


def test_flow_and_rate_targets_follow_their_definitions():
    """docs/targets.md: a flow is the sum over the 12 months before the date, a rate the ratio of
    such sums, for the programmes the target names."""
    plan = skillsim.Scenario.load(JINCHENG.parent / "jincheng_plan_2020_2021.toml").replace({"population.scale": 100})
    ds = skillsim.run(plan, replicates=2, seed=11, progress=False).to_xarray()
    year = ds.sel(time=slice(np.datetime64("2021-02-01"), np.datetime64("2022-01-01")))  # months of 2021
    labels = list(ds["target"].values)
    upgrading = ["upgrading_junior", "upgrading_intermediate", "upgrading_senior"]
    trainees = year["enrolments"].sel(programme=upgrading).sum(("time", "programme"))
    j = labels.index("岗位技能提升 20万人次 in 2021")
    assert np.array_equal(ds["target_attained"].isel(target=j).values, trainees.values.astype(float))
    finished = (year["completions"] + year["dropouts"]).sum(("time", "programme"))
    j = labels.index("取证率 60%")
    assert np.allclose(ds["target_attained"].isel(target=j).values, year["certificates"].sum(("time", "programme")) / finished)
    # A linear trajectory starts at the replicate's own stock and ends at the target.
    j = labels.index("技能劳动者 40万 by end of 2021")
    planned = ds["target_planned"].isel(target=j)
    assert np.array_equal(planned.isel(time=0).values, ds["skilled_workers"].isel(time=0).values.astype(float))
    assert (planned.sel(time=np.datetime64("2022-01-01")).values == 400_000).all()


def test_master_studios_are_variables_of_the_results_and_of_xarray():
    """The plan's studios (docs/model.md, "Master studios"): four variables by region, the
    schedule's counts, and mentored <= places."""
    plan = skillsim.Scenario.load(JINCHENG.parent / "jincheng_plan_2020_2021.toml").replace({"population.scale": 100})
    r = skillsim.run(plan, replicates=1, seed=2, threads=1, progress=False)
    ds = r.to_xarray()
    for name in ("studios", "studio_masters", "mentoring_places", "mentored"):
        assert r.dims_of(name) == ("replicate", "time", "region"), name
        assert ds[name].dims == ("replicate", "time", "region"), name
    studios = ds["studios"].isel(replicate=0, region=0)
    # The month that ends at each time point: July 2020 (12 studios) ends at 2020-08-01, December
    # 2021 (50) at 2022-01-01.
    assert studios.sel(time=np.datetime64("2020-07-01")).item() == 0
    assert studios.sel(time=np.datetime64("2020-08-01")).item() == 12
    assert studios.sel(time=np.datetime64("2022-01-01")).item() == 50
    assert (ds["mentored"] <= ds["mentoring_places"]).all()
    # 50 studios x 10 places = 500 persons (5 agents of 100), fewer than the masters could take.
    assert ds["mentoring_places"].isel(replicate=0, region=0, time=-1).item() == 500
    assert ds["studio_masters"].isel(replicate=0, region=0, time=-1).item() * 2 > 500
