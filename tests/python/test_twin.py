"""skillsim.project (docs/twin.md): the expected-value twin's results open like a run's (Results,
xarray, a saved file, stats, targets, compare and plots), carry the twin's attribute, and the
refusals name the keys."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import skillsim

#: The national scenario for 24 months (its technical schools included).
NATIONAL = {"scenario.months": 24}


@pytest.fixture(scope="module")
def twin() -> skillsim.Results:
    return skillsim.project(skillsim.Scenario.load("national_2016").replace(NATIONAL))


def test_the_twin_has_the_runs_variables_as_float_expectations(twin):
    assert twin.is_twin
    assert twin.metadata["skillsim_twin"] == "1"
    assert twin.replicates == 1
    scenario = skillsim.Scenario.load("national_2016").replace(NATIONAL)
    agents = skillsim.run(scenario.replace({"population.scale": 20000}), replicates=1, progress=False)
    assert not agents.is_twin
    # Every variable of a run, with the same dimensions (but the replicate dimension's size).
    assert set(agents.variables) == set(twin.variables)
    for name in agents.variables:
        assert twin.dims_of(name) == agents.dims_of(name), name
    for name in ["skilled_workers", "workers", "workers_by_group", "promotions", "appointments"]:
        assert twin[name].dtype == np.float64, name
    skilled = twin["skilled_workers"][0]
    assert skilled.shape == (25,)
    assert skilled[0] == pytest.approx(167_000_000)  # the synthesis's own integer start
    # Expectations, not whole agents of 1000 persons.
    assert np.any(np.mod(twin["workers"], 1000) != 0)


def test_saved_and_read_back_by_xarray_and_skillsim(twin, tmp_path):
    path = tmp_path / "twin.h5"
    twin.save(path)
    ds = xr.open_dataset(path, engine="h5netcdf")
    assert ds.attrs["skillsim_twin"] == "1"
    assert ds["workers"].dtype == np.float64
    np.testing.assert_array_equal(ds["skilled_workers"].values, twin["skilled_workers"])
    back = skillsim.open_results(path)
    assert back.is_twin
    np.testing.assert_array_equal(back["workers"], twin["workers"])
    assert "Twin:" in back.describe()
    # to_xarray gives what xarray reads from the file.
    assert twin.to_xarray()["workers"].dtype == np.float64


def test_statistics_targets_compare_report_and_plots_take_it(twin, tmp_path):
    # One replicate: every percentile is the expectation.
    stats = twin.stats("skilled_workers")
    end = twin["skilled_workers"][0, -1]
    assert float(stats.sel(statistic="p50")[-1]) == pytest.approx(end)
    assert float(stats.sel(statistic="mean")[-1]) == pytest.approx(end)
    table = twin.target_table()
    assert list(table["label"]) == ["published high-skilled stock, end of 2016"]
    assert table["attained_median"][0] == pytest.approx(twin["high_skilled_workers"][0, 12])
    comparison = skillsim.compare({"twin": twin})
    end_2016 = f"{float(twin['high_skilled_workers'][0, 12]):,.0f}"
    assert f"{end_2016}  ({end_2016} - {end_2016})" in str(comparison)  # one replicate: no band
    page = skillsim.report({"twin": twin}, tmp_path / "twin.html").read_text()
    assert "published high-skilled stock, end of 2016" in page
    import matplotlib.pyplot as plt

    skillsim.plot.fan_chart(twin, "skilled_workers")
    plt.close("all")


def test_refusals_name_every_key():
    # national_2019_2021 is projected (2 of its 36 months here: the whole takes minutes). Its
    # programmes, insurance months, catalogue (28 tracks: its follow-up windows change no job
    # finding), evaluators, group time limits, technical schools and minimum age (16, above its
    # youngest school leavers') are modelled, and its apprenticeship's maximum age (45: a band of
    # the state over it). The completers who cross it while followed up would need a column each
    # per programme and month a window can end in, too many with its 42 group states, so they are
    # moved across in proportion, and the results say so.
    with pytest.warns(UserWarning, match="left out"):  # the schedule's entries after February 2019
        two_months = skillsim.Scenario.load("national_2019_2021", ["scenario.months=2"])
    national = skillsim.project(two_months, progress=False)
    assert national.is_twin
    assert "in proportion" in national.metadata["skillsim_twin_approximations"]
    with pytest.warns(UserWarning, match="left out"):  # its target, at the end of 2016
        national_2016 = skillsim.Scenario.load("national_2016", ["scenario.months=2"])
    assert "skillsim_twin_approximations" not in skillsim.project(national_2016, progress=False).metadata
    # With a job-finding factor its windows are tracks: ((28 + 7 ordinary queue) x (1 + 7 x 6) + 133
    # in the certificates' queues) x 2 (the band over the maximum age) = 3,276, too many.
    with pytest.raises(skillsim.TwinUnsupported) as error:
        skillsim.project(skillsim.Scenario.load("national_2019_2021").replace({"programmes.job_find_factor": [1.5] * 7}))
    assert "programmes.names" in error.value.keys
    assert "the twin does not model this many programme months yet" in str(error.value)
    # The Jincheng plan is projected whole since its master studios were modelled (one parameter
    # set; without its insurance rule, for speed): 12 studios from July 2020, 50 in December 2021,
    # 10 places each, fewer than its masters could take.
    plan = skillsim.project(
        skillsim.Scenario.load("jincheng_plan_2020_2021").replace(
            {"programmes.min_contribution_months": [0, 0, 0, 0], "run.replicates": 1}))
    studios = np.asarray(plan["studios"])[0, :, 0]
    assert studios[0] == 0 and studios[7] == 12 and studios[-1] == 50
    np.testing.assert_allclose(np.asarray(plan["mentoring_places"])[0, -1, 0], 500)
    np.testing.assert_allclose(np.asarray(plan["mentored"])[0, -1, 0], 500)
    assert np.asarray(plan["studio_masters"])[0, -1, 0] > 250  # 2 places a master


def test_replicates_are_the_parameter_sets():
    # The Jincheng baseline (without its insurance rule, for speed): replicate r under set r.
    scenario = skillsim.Scenario.load("jincheng_2020_2021").replace({"programmes.min_contribution_months": [0, 0, 0, 0]})
    twin = skillsim.project(scenario, replicates=3)
    assert twin.is_twin
    assert twin.replicates == 3
    assert list(twin["parameter_set"]) == [0, 1, 2]
    end = twin["skilled_workers"][:, -1]
    assert len(set(end.tolist())) == 3  # three sets, three expectations
    # The same sets give the same expectations, whatever the number of replicates.
    one = skillsim.project(scenario, replicates=2)
    np.testing.assert_array_equal(one["skilled_workers"], twin["skilled_workers"][:2])
    with pytest.raises(ValueError, match="at least 1"):
        skillsim.project(scenario, replicates=0)
    with pytest.raises(ValueError, match="the twin's replicates are its parameter sets"):
        skillsim.project(skillsim.Scenario.load("national_2016").replace(NATIONAL), replicates=2)


def test_sets_projected_side_by_side_give_the_same_bits_on_any_threads():
    scenario = skillsim.Scenario.load("jincheng_2020_2021").replace({"programmes.min_contribution_months": [0, 0, 0, 0]})
    one, two = (skillsim.project(scenario, replicates=3, threads=t) for t in (1, 2))
    assert two.metadata["threads"] == 2
    for name in one.variables:
        np.testing.assert_array_equal(np.asarray(one[name]), np.asarray(two[name]), err_msg=name)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        skillsim.project(scenario, threads=0)


def test_progress_bar_over_the_sets_months(monkeypatch, capsys):
    monkeypatch.setattr(importlib.import_module("skillsim.run"), "PROGRESS_DELAY", 0.0)
    scenario = skillsim.Scenario.load("jincheng_2020_2021").replace({"programmes.min_contribution_months": [0, 0, 0, 0]})
    skillsim.project(scenario, replicates=4, threads=1, progress=True)
    err = capsys.readouterr().err
    assert "jincheng_2020_2021" in err and "month" in err and "/96" in err  # 4 sets x 24 months
    skillsim.project(scenario, replicates=4, threads=1, progress=False)
    assert capsys.readouterr().err == ""


def test_interrupt_stops_a_projection_promptly(tmp_path, ctrl_c):
    """Ctrl-C (_thread.interrupt_main from a timer thread) stops a long projection (the 20 sets
    of the Jincheng baseline, a minute on one thread) within a month and re-raises
    KeyboardInterrupt; nothing is written."""
    output = tmp_path / "never.h5"
    started = time.monotonic()
    with ctrl_c(0.5) as fired, pytest.raises(KeyboardInterrupt):
        skillsim.project(skillsim.Scenario.load("jincheng_2020_2021"), threads=1, output=output)
    stopped = time.monotonic()
    assert fired, "the interrupt never fired"
    assert stopped - fired[0] < 2.0
    assert stopped - started < 5.0
    assert os.listdir(tmp_path) == []


def test_output_written_and_not_overwritten(tmp_path):
    scenario = skillsim.Scenario.load("national_2016").replace({"scenario.months": 12})
    path = tmp_path / "t.h5"
    skillsim.project(scenario, output=path)
    assert skillsim.open_results(path).is_twin
    with pytest.raises(skillsim.ResultsFileError):
        skillsim.project(scenario, output=path)
    skillsim.project(scenario, output=path, overwrite=True)


def test_programmes_and_funds_projected():
    # One programme whose seats and money bind (tests/data/one_programme.toml): the twin admits
    # the seats, and pays no more than the envelope.
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "one_programme.toml"
    twin = skillsim.project(skillsim.Scenario.load(str(path)))
    assert twin.is_twin
    for name in ["trainees", "enrolments", "certificates", "spending", "fund_remaining"]:
        assert twin[name].dtype == np.float64, name
    enrolled = float(twin["enrolments"].sum())
    assert 200 < enrolled <= 6 * 50 + 1e-6  # at most 50 seats a month
    assert float(twin["fund_remaining"].min()) >= -1e-6
    assert float(twin["spending"].sum()) <= 300_000 + 1e-6


def run_twin_vs_agents(tmp_path, scenario: str, replicates: int, overrides: list[str]) -> tuple[str, dict]:
    """scripts/twin-vs-agents.py on one thread: its printout and its one scenario's report."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "twin-vs-agents.py"
    out = tmp_path / "gaps.json"
    done = subprocess.run([sys.executable, str(script), scenario, "--replicates", str(replicates), "--threads", "1",
                           *[a for o in overrides for a in ("--set", o)], "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    [report] = json.loads(out.read_text())
    return done.stdout, report


def test_twin_vs_agents_counts_a_spread_of_rounding_as_none():
    """scripts/twin-vs-agents.py's z of a gap: a standard error of rounding's size (1e-9 of the
    cell or less) is no spread, so a gap within one agent is no gap (z = 0, not 3e16) and a larger
    one is infinite, with its sign; a real spread divides."""
    spec = importlib.util.spec_from_file_location(
        "twin_vs_agents", Path(__file__).resolve().parents[2] / "scripts" / "twin-vs-agents.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    # Session 28's 特级技师 cell: twin 26.8, agents 0 (a gap of -26.8 persons), standard error 8.15e-16.
    assert script.gap_z(-26.8, 8.15e-16, 26.8, scale=40.0) == 0.0
    assert script.gap_z(-26.8, 8.15e-16, 26.8, scale=10.0) == float("-inf")
    assert script.gap_z(26.8, 8.15e-16, 26.8, scale=10.0) == float("inf")
    assert script.gap_z(-26.8, 0.0, 26.8, scale=40.0) == 0.0
    assert script.gap_z(-26.8, 6.7, 26.8, scale=40.0) == pytest.approx(-4.0)
    # The threshold is relative to the cell: 1e-9 of a million is 1e-3.
    assert script.gap_z(2e-3, 2e-3, 1e6, scale=1.0) == pytest.approx(1.0)
    assert script.gap_z(2e-3, 0.9e-3, 1e6, scale=1.0) == 0.0


def test_twin_vs_agents_script_pairs_each_replicate(tmp_path):
    """scripts/twin-vs-agents.py (docs/twin.md, "How close on the bundled scenarios"): every cell's
    gap is the agents' mean less the twin's, its z that over the paired standard error, and the
    year ends and flows are the ones it says."""
    overrides = ["scenario.months=18", "population.scale=20000"]
    printed, report = run_twin_vs_agents(tmp_path, "national_2016", 3, overrides)
    assert printed.startswith("national_2016 (scenario.months=18, population.scale=20000; 3 replicates;")
    scenario = skillsim.Scenario.load("national_2016", overrides)
    agents = skillsim.run(scenario, replicates=3, threads=1, progress=False)
    twin = skillsim.project(scenario, progress=False)
    cells = {(c["variable"], c["cell"], c["time"]): c for c in report["cells"]}
    assert {t for (_, _, t) in cells} == {12, 18}  # each year's end and the last month
    levels = [str(x) for x in agents.coords("level")]
    for level_index, level in enumerate(levels):
        stock = cells[("workers", level, 18)]
        a = np.asarray(agents["workers"])[:, 18, level_index].sum(axis=-1)
        t = np.asarray(twin["workers"])[0, 18, level_index].sum()
        assert stock["agents"] == pytest.approx(a.mean()) and stock["twin"] == pytest.approx(t)
        assert stock["gap"] == pytest.approx(a.mean() - t)
        if a.std() > 0:
            assert stock["z"] == pytest.approx((a.mean() - t) / (a.std(ddof=1) / np.sqrt(3)))
    # A flow is the year's months: months 13 to 18 for the last.
    promoted = cells[("promotions", levels[1], 18)]
    assert promoted["agents"] == pytest.approx(np.asarray(agents["promotions"])[:, 13:19, 1].sum(axis=1).mean())
    # One region: the regional variables would repeat the totals, so none is compared.
    assert not {v for (v, _, _) in cells} & {"workers_by_region", "migrations", "entries_by_region"}


def test_twin_vs_agents_script_compares_regions_and_migrations(tmp_path):
    """With several regions the script compares workers by region and level and the migrations by
    origin and destination ("origin/destination"), each as the sum over the year of that cell."""
    overrides = ["scenario.months=12", "population.scale=40000"]
    _, report = run_twin_vs_agents(tmp_path, "provinces_2020_2025", 2, overrides)
    cells = {(c["variable"], c["cell"], c["time"]): c for c in report["cells"]}
    with pytest.warns(UserWarning, match="left out"):  # the schedule's entries after 2020
        scenario = skillsim.Scenario.load("provinces_2020_2025", overrides)
    agents = skillsim.run(scenario, replicates=2, threads=1, progress=False)
    twin = skillsim.project(scenario, progress=False)
    regions = [str(x) for x in agents.coords("region")]
    levels = [str(x) for x in agents.coords("level")]
    assert len(regions) == 5
    moves = np.asarray(twin["migrations"])[0, 1:13]  # (month, origin, destination)
    assert moves.sum() > 0
    for o, origin in enumerate(regions):
        for d, destination in enumerate(regions):
            cell = cells[("migrations", f"{origin}/{destination}", 12)]
            assert cell["twin"] == pytest.approx(moves[:, o, d].sum())
            assert cell["agents"] == pytest.approx(np.asarray(agents["migrations"])[:, 1:13, o, d].sum(axis=1).mean())
    by_region = np.asarray(twin["workers_by_region"])
    dims = twin.dims_of("workers_by_region")
    r_axis, l_axis = dims.index("region"), dims.index("level")
    kept = np.moveaxis(by_region[0, 12], [r_axis - 2, l_axis - 2], [0, 1])
    kept = kept.reshape(kept.shape[0], kept.shape[1], -1).sum(axis=-1)
    for r, region in enumerate(regions):
        for lv, level in enumerate(levels):
            assert cells[("workers_by_region", f"{region}/{level}", 12)]["twin"] == pytest.approx(kept[r, lv])
