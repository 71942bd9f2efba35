"""The national scenarios of issue 11 (national_2010, national_forecast_2016): both validate, and
their subsidised programmes reproduce the published subsidised-training volumes, which are policy
inputs encoded as seats (docs/calibration.md): the check is that the scenario encodes them.

Runs the engine's command line (the `cli` fixture: $SKILLSIM_CLI, the packaged one or
build/bin/skillsim) at scale 20,000 (45,000 agents), one replicate each: a few seconds."""

from __future__ import annotations

import csv
import subprocess

import numpy as np
import pytest

import skillsim

from conftest import REPO

SCENARIOS = {"national_2010": (2010, 2025), "national_forecast_2016": (2016, 2025)}
# The programmes whose enrolments are 补贴性职业培训 in the published sense; 以工代训
# (work_in_lieu) is published apart ("3218.4万人次和以工代训1501.8万人", 2021).
SUBSIDISED = [
    "employment_skills",
    "upgrading_junior",
    "upgrading_intermediate",
    "upgrading_senior",
    "entrepreneurship_other",
]
SCALE = 20_000


def published(indicator: str) -> dict[int, float]:
    """A published series of data/national_statistics.csv by year, in persons (or person-times)."""
    with open(REPO / "data" / "national_statistics.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["indicator"] == indicator]
    assert rows and all(r["unit"].startswith("10k person") for r in rows)
    return {int(r["year"]): float(r["value"]) * 1e4 for r in rows}


def published_subsidised_training() -> dict[int, float]:
    """stats:subsidized_training: the years with a figure."""
    return published("subsidized_training")


def test_published_years_are_the_expected_ones():
    assert sorted(published_subsidised_training()) == [2013, 2016, 2017, 2021]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_national_scenario_validates(cli, name):
    done = subprocess.run([str(cli), "validate", str(REPO / "scenarios" / f"{name}.toml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    first, memory = done.stdout.strip().split("\n")
    assert first.endswith(": valid")
    assert memory.startswith("Memory: about ") and "at peak" in memory  # the estimate before allocation


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_enrolments_reproduce_published_subsidised_training(cli, name, tmp_path):
    out = tmp_path / f"{name}.h5"
    cmd = [str(cli), "run", str(REPO / "scenarios" / f"{name}.toml"), "--set", f"population.scale={SCALE}",
           "--replicates", "1", "--threads", "2", "--quiet", "--force", "-o", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ds = skillsim.open_results(out).to_xarray()
    assert set(SUBSIDISED) <= set(ds.programme.values.tolist())
    enrolments = ds["enrolments"].sel(programme=SUBSIDISED).sum("programme").isel(replicate=0)
    first, last = SCENARIOS[name]
    checked = 0
    for year, figure in published_subsidised_training().items():
        if not first <= year <= last:
            continue
        # A flow over calendar year Y: the months ending 1 February Y ... 1 January Y+1.
        window = enrolments.sel(time=slice(np.datetime64(f"{year}-02-01"), np.datetime64(f"{year + 1}-01-01")))
        assert window.sizes["time"] == 12
        simulated = float(window.sum())
        assert simulated == pytest.approx(figure, rel=0.10), (name, year, simulated, figure)
        checked += 1
    assert checked == (4 if first <= 2013 else 3)
    # The first half of 2010 (stats:subsidized_training_h1,2010) and 以工代训 of 2021
    # (stats:work_in_lieu_of_training_workers,2021, persons: one enrolment each).
    if first == 2010:
        h1 = float(enrolments.sel(time=slice(np.datetime64("2010-02-01"), np.datetime64("2010-07-01"))).sum())
        assert h1 == pytest.approx(published("subsidized_training_h1")[2010], rel=0.10)
    work_in_lieu = ds["enrolments"].sel(programme="work_in_lieu").isel(replicate=0)
    in_2021 = float(work_in_lieu.sel(time=slice(np.datetime64("2021-02-01"), np.datetime64("2022-01-01"))).sum())
    assert in_2021 == pytest.approx(published("work_in_lieu_of_training_workers")[2021], rel=0.10)
    # Enrolment is seat-limited (the volumes are inputs): the subsidised programmes turn
    # applicants away for lack of seats in every month, never for lack of money.
    no_seat = ds["turned_away_no_seat"].sel(programme=SUBSIDISED).isel(replicate=0).isel(time=slice(1, None))
    assert bool((no_seat > 0).all())
    assert int(ds["turned_away_no_money"].sum()) == 0
