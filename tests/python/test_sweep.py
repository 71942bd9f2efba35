"""skillsim.sweep: one Results with a `scenario` dimension and the varied keys as coordinates; sweep
files and dicts; failed runs; the file on disk; progress, Ctrl-C and resume; and
skillsim.sensitivity end to end on a small scenario."""

from __future__ import annotations

import importlib
import time

import numpy as np
import pytest
import xarray as xr

import skillsim

from conftest import REPO

sweep_module = importlib.import_module("skillsim.sweep")
run_module = importlib.import_module("skillsim.run")

PLAN = REPO / "scenarios" / "jincheng_plan_2020_2021.toml"
ENVELOPE = "funds.annual_envelope[upgrading_account]"
AGENCIES = "evaluation.capacity_per_month[social_organisation][晋城市]"
SMALL = {"population.scale": 200}  # 6,800 agents: a run of the plan in a few hundredths of a second
COARSE = {"population.scale": 20}  # 68,000 agents: a sweep long enough to interrupt
GRID = {
    "base": "jincheng_plan_2020_2021",
    "design": "grid",
    "vary": {ENVELOPE: [30e6, 70e6], AGENCIES: [3000, 6000, 9000]},
}


@pytest.fixture(scope="module")
def grid():
    return skillsim.sweep(GRID, replicates=2, seed=3, threads=2, overrides=SMALL, progress=False)


def test_a_grid_sweep_has_a_scenario_dimension(grid):
    assert grid.dims["scenario"] == 6 and grid.dims["replicate"] == 2 and grid.dims["time"] == 25
    assert grid.dims_of("skilled_workers") == ("scenario", "replicate", "time")
    assert sorted(grid.sweep_keys) == sorted([ENVELOPE, AGENCIES])
    np.testing.assert_array_equal(grid["run_failed"], np.zeros(6))
    ds = grid.to_xarray()
    # The varied keys are coordinates on `scenario`: every combination once.
    assert set(ds.coords) >= {ENVELOPE, AGENCIES} and ds[ENVELOPE].dims == ("scenario",)
    assert ENVELOPE not in ds.data_vars and "run_failed" in ds.data_vars
    pairs = sorted(zip(ds[ENVELOPE].values.tolist(), ds[AGENCIES].values.tolist()))
    assert pairs == [(e, a) for e in (30e6, 70e6) for a in (3000, 6000, 9000)]
    # xarray by parameter value: where, groupby, set_index/unstack.
    rich = ds["skilled_workers"].where(ds[ENVELOPE] > 50e6, drop=True)
    assert rich.sizes["scenario"] == 3
    by_envelope = ds["skilled_workers"].isel(time=-1).groupby(ENVELOPE).mean(...)
    assert list(by_envelope[ENVELOPE].values) == [30e6, 70e6]
    assert float(by_envelope.sel({ENVELOPE: 70e6})) > float(by_envelope.sel({ENVELOPE: 30e6}))  # money helps
    table = ds["skilled_workers"].isel(time=-1, replicate=0).set_index(scenario=[ENVELOPE, AGENCIES]).unstack()
    assert dict(table.sizes) == {ENVELOPE: 2, AGENCIES: 3}


def test_each_run_is_the_base_with_its_values(grid):
    """Run k equals skillsim.run of the base with run k's values (same seed and replicates)."""
    plan = skillsim.Scenario.load(PLAN, overrides=SMALL)
    envelopes = list(plan["funds.annual_envelope"])
    capacity = [list(row) for row in plan["evaluation.capacity_per_month"]]
    envelopes[0], capacity[1][0] = 70e6, 3000
    alone = skillsim.run(
        plan.replace({"funds.annual_envelope": envelopes, "evaluation.capacity_per_month": capacity}),
        replicates=2, seed=3, threads=1, progress=False,
    )
    ds = grid.to_xarray()
    (k,) = np.flatnonzero((ds[ENVELOPE].values == 70e6) & (ds[AGENCIES].values == 3000))
    for name in ("skilled_workers", "high_skilled_workers", "spending", "evaluations"):
        np.testing.assert_array_equal(grid[name][k], alone[name], err_msg=name)
    # Common random numbers: every run starts from the same population.
    first = grid["workers"][:, :, 0]
    assert all(np.array_equal(first[0], first[k]) for k in range(6))


def test_a_sweep_file_and_its_dict_give_the_same_results(grid, tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text(sweep_module.sweep_toml(GRID), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith('[sweep]\nbase = "jincheng_plan_2020_2021"\ndesign = "grid"\n')
    from_file = skillsim.sweep(path, replicates=2, seed=3, threads=1, overrides=SMALL, progress=False)
    for name in grid.variables:
        np.testing.assert_array_equal(from_file[name], grid[name], err_msg=name)
    assert "skillsim.sweep(" in from_file.metadata["command_line"]


def test_output_file_reads_back_the_same(grid, tmp_path):
    path = tmp_path / "grid.h5"
    written = skillsim.sweep(GRID, output=path, replicates=2, seed=3, overrides=SMALL, progress=False)
    back = skillsim.open_results(path)
    assert back.dims == written.dims == grid.dims
    xr.testing.assert_identical(back.to_xarray(), written.to_xarray())
    with xr.open_dataset(path, engine="h5netcdf") as on_disk:
        on_disk.load()
        assert set(on_disk.coords) >= {ENVELOPE, AGENCIES}
        xr.testing.assert_identical(on_disk, written.to_xarray())
    with pytest.raises(skillsim.ResultsFileError, match="exists"):
        skillsim.sweep(GRID, output=path, overrides=SMALL, progress=False)


def test_a_base_given_as_a_scenario(grid):
    plan = skillsim.Scenario.load("jincheng_plan_2020_2021").replace(SMALL)  # a file with overrides
    again = skillsim.sweep({**GRID, "base": plan}, replicates=2, seed=3, progress=False)
    np.testing.assert_array_equal(again["skilled_workers"], grid["skilled_workers"])
    # Text without a file: its parameter sets file (relative to the scenario file) named absolutely.
    sets = PLAN.parent / "national_forecast_2016_sets.csv"
    text = PLAN.read_text(encoding="utf-8").replace(f'"{sets.name}"', f'"{sets}"')
    from_text = skillsim.Scenario.from_toml(text, name="<text>").replace(SMALL)
    again = skillsim.sweep({**GRID, "base": from_text}, replicates=2, seed=3, progress=False)
    np.testing.assert_array_equal(again["skilled_workers"], grid["skilled_workers"])


def test_sampling_designs_take_pairs_as_ranges():
    text = sweep_module.sweep_toml({"base": "x", "design": "sobol", "samples": 4, "vary": {ENVELOPE: (30e6, 70e6)}})
    assert f'"{ENVELOPE}" = {{ low = 30000000.0, high = 70000000.0 }}' in text
    r = skillsim.sweep(
        {"base": "jincheng_plan_2020_2021", "design": "sobol", "samples": 4, "vary": {ENVELOPE: (30e6, 70e6)}},
        replicates=1, overrides=SMALL, progress=False,
    )
    values = r.to_xarray()[ENVELOPE].values
    assert len(values) == 4 and values.min() >= 30e6 and values.max() <= 70e6


def test_bad_sweeps_are_reported_with_their_place():
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.sweep({**GRID, "vary": {"funds.annual_envelope[upgrading]": [1e6]}}, overrides=SMALL, progress=False)
    text = str(e.value)
    assert "<sweep dict>" in text and "'upgrading' is not a fund" in text and "upgrading_account" in text
    assert "skillsim-sweep-" not in text  # not the temporary file's name
    with pytest.raises(skillsim.ScenarioError, match="desing"):
        skillsim.sweep({**GRID, "desing": "grid"}, progress=False)
    with pytest.raises(ValueError, match="the sweep has no base"):
        skillsim.sweep({"vary": {ENVELOPE: [1e6]}}, progress=False)
    with pytest.raises(ValueError, match="no_such_scenario"):
        skillsim.sweep({**GRID, "base": "no_such_scenario"}, progress=False)
    with pytest.raises(ValueError, match="resume=True needs the output"):
        skillsim.sweep(GRID, resume=True, progress=False)
    with pytest.raises(ValueError, match="replicates must be at least 1"):
        skillsim.sweep(GRID, replicates=0, progress=False)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        skillsim.sweep(GRID, threads=0, progress=False)


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path):
    seats = "programmes.seats_per_month[key_groups][晋城市]"
    path = tmp_path / "failing.h5"
    r = skillsim.sweep(
        {"base": "jincheng_plan_2020_2021", "design": "list", "vary": {seats: [100, -5, 200]}},
        output=path, replicates=1, overrides=SMALL, progress=False,
    )
    np.testing.assert_array_equal(r["run_failed"], [0, 1, 0])
    assert r.metadata["failed_runs"].startswith(f"scenario 1: its values ({seats} = -5) are refused")
    assert np.all(np.asarray(r["skilled_workers"])[[0, 2], :, -1] > 0)
    # In xarray, as xarray reads the file: the failed run's values are missing.
    ds = r.to_xarray()
    assert ds["skilled_workers"].dtype == np.float64 and np.isnan(ds["skilled_workers"][1]).all()
    assert not np.isnan(ds["skilled_workers"][[0, 2]]).any()
    assert ds["run_failed"].dtype == np.int64 and ds[seats].values.tolist() == [100, -5, 200]
    with xr.open_dataset(path, engine="h5netcdf") as on_disk:
        on_disk.load()
        xr.testing.assert_identical(on_disk, ds)
    # Sensitivity analysis needs every run.
    assert r.metadata["sweep_design"] == "list" and "population.scale=200" in r.metadata["overrides"]


def test_progress_bar_in_runs(monkeypatch, capsys):
    monkeypatch.setattr(sweep_module, "PROGRESS_DELAY", 0.0)
    skillsim.sweep(GRID, replicates=2, threads=1, overrides=SMALL, progress=True)
    err = capsys.readouterr().err
    assert "sweep: 6 runs" in err and "runs" in err


def test_interrupt_then_resume(tmp_path, ctrl_c):
    """Ctrl-C cancels the sweep promptly; resume=True finishes it into the same file as a sweep
    that was never interrupted."""
    spec = {
        "base": "jincheng_plan_2020_2021",
        "design": "list",
        "vary": {ENVELOPE: [30e6 + 1e6 * k for k in range(12)]},
    }
    output = tmp_path / "long.h5"
    with ctrl_c(1.0) as fired, pytest.raises(KeyboardInterrupt):
        skillsim.sweep(spec, output=output, replicates=4, threads=1, overrides=COARSE, progress=False)
    assert fired and time.monotonic() - fired[0] < 3.0
    assert not output.exists()
    assert (tmp_path / "long.h5.journal").exists()  # the finished runs, kept
    with pytest.raises(skillsim.ResultsFileError, match="resume"):
        skillsim.sweep(spec, output=output, replicates=4, threads=1, overrides=COARSE, progress=False)
    resumed = skillsim.sweep(
        spec, output=output, resume=True, replicates=4, threads=1, overrides=COARSE, progress=False
    )
    whole = skillsim.sweep(spec, replicates=4, threads=1, overrides=COARSE, progress=False)
    for name in whole.variables:
        np.testing.assert_array_equal(resumed[name], whole[name], err_msg=name)


def test_sensitivity_end_to_end(tmp_path):
    """A small analysis of the plan: the sample's points are the runs, and the indices come out
    for both stocks (the money matters for skilled workers; the seats of the key groups' training
    over this range hardly for high-skilled ones, which it cannot reach)."""
    vary = {ENVELOPE: (26e6, 78e6), "programmes.seats_per_month[key_groups][晋城市]": (1500, 3500)}
    output = tmp_path / "sensitivity.h5"
    si = skillsim.sensitivity(
        skillsim.Scenario.load("jincheng_plan_2020_2021").replace(SMALL),
        vary,
        {"skilled": ("skilled_workers", "2022-01-01"), "high-skilled": ("high_skilled_workers", "2022-01-01")},
        samples=8,
        replicates=2,
        seed=3,
        threads=2,
        output=output,
        progress=False,
    )
    assert si.runs == 8 * 4 and si.results.dims["scenario"] == 32 and output.exists()
    ds = si.results.to_xarray()
    np.testing.assert_allclose(ds[ENVELOPE].values, si.points[:, 0])
    mean = ds["skilled_workers"].sel(time="2022-01-01").mean("replicate").values
    np.testing.assert_allclose(si.values["skilled"], mean)
    assert np.all(np.isfinite(si.S1)) and np.all(np.isfinite(si.ST))
    assert si.ranking("skilled")[0] == ENVELOPE
    assert len(si.plot().axes) == 2
