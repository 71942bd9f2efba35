"""The illustrative provinces scenario (scenarios/provinces_2020_2025.toml, docs/model.md "Migration
between regions"): it validates, runs from the command line in a few seconds, its summary has the
migration line, and its results file balances every province in every month exactly
(stock(t) = stock(t-1) + entries + moves in - moves out - deaths), read back with xarray; each
province's programme is paid from its own account only, the accounts the scenario sizes short run
out and the others do not, and the competition calendar promotes its winners.

Runs the engine's command line (the `cli` fixture) at the scenario's own scale, one replicate."""

from __future__ import annotations

import subprocess

import numpy as np

import skillsim

from conftest import REPO

SCENARIO = REPO / "scenarios" / "provinces_2020_2025.toml"


def test_provinces_scenario_validates(cli):
    done = subprocess.run([str(cli), "validate", str(SCENARIO)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{SCENARIO}: valid")


def test_provinces_balance_in_the_results_file(cli, tmp_path):
    out = tmp_path / "provinces.h5"
    cmd = [str(cli), "run", str(SCENARIO), "--replicates", "1", "--threads", "2", "--force", "-o", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\nMigration between regions (totals over the run): " in done.stdout
    ds = skillsim.open_results(out).to_xarray().isel(replicate=0)
    assert ds.region.values.tolist() == ["广东", "浙江", "河南", "四川", "山西"]
    stock = ds["workers_by_region"].sum("level").values.astype(np.int64)
    flows = {name: ds[name].values.astype(np.int64) for name in
             ("entries_by_region", "exits_by_region", "migration_in", "migration_out")}
    expected = stock[:-1] + (flows["entries_by_region"] - flows["exits_by_region"] + flows["migration_in"]
                             - flows["migration_out"])[1:]
    np.testing.assert_array_equal(stock[1:], expected)
    moves = ds["migrations"].values.astype(np.int64)
    np.testing.assert_array_equal(moves.sum(axis=2), flows["migration_out"])
    np.testing.assert_array_equal(moves.sum(axis=1), flows["migration_in"])
    assert (np.diagonal(moves, axis1=1, axis2=2) == 0).all()
    net = (flows["migration_in"] - flows["migration_out"]).sum(axis=0)
    assert net[0] > 0 and net[1] > 0 and net[2] < 0 and net[3] < 0  # to the coast


def test_provinces_pay_from_their_own_accounts_and_hold_competitions(cli, tmp_path):
    out = tmp_path / "provinces.h5"
    cmd = [str(cli), "run", str(SCENARIO), "--replicates", "1", "--force", "-o", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ds = skillsim.open_results(out).to_xarray().isel(replicate=0)
    spending = ds["spending"].sum("time").values  # fund x programme
    assert (np.diag(spending) > 0).all()
    assert (spending - np.diag(np.diag(spending)) == 0).all(), "a province's account paid another's programme"
    short = ds["fund_binding"].sum("time").to_series()
    assert short["account_hn"] > 0 and short["account_sx"] > 0  # sized short in the scenario
    assert short["account_gd"] == 0 and short["account_zj"] == 0
    winners = ds["competition_winners"].sum(["time", "level"]).to_series()
    promoted = ds["competition_promotions"].sum(["time", "level"]).to_series()
    assert winners["city"] > 0 and winners["province"] > 0
    assert (promoted == winners).all()  # every tier promotes its winners
