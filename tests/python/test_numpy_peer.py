"""The NumPy peer of the benchmark suite (bench/numpy_peer.py) runs the engine's monthly rules:
it starts from the engine's own population and agrees with the engine in distribution."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import skillsim

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from numpy_peer import NO_ENTRANTS, NumpyModel  # noqa: E402

SCALE = 5000  # 180,000 agents


@pytest.fixture(scope="module")
def national():
    return skillsim.Scenario.load("national_2016").replace({"population.scale": SCALE, "scenario.months": 24, **NO_ENTRANTS})


def test_the_peer_starts_from_the_engines_population(national):
    engine = skillsim.run(national, replicates=1, seed=11, progress=False)
    peer = NumpyModel(national, seed=11)
    start = np.asarray(engine["workers"])[0, 0] / SCALE  # level, status
    counted = peer.status != 255
    by_level_status = np.bincount(peer.level[counted].astype(int) * 6 + peer.status[counted], minlength=54).reshape(9, 6)
    np.testing.assert_array_equal(by_level_status, start)


def test_the_peer_agrees_with_the_engine_in_distribution(national):
    # Every level's count after 24 months: the two means within 4 standard errors of their
    # difference (16 replicates each; the peer draws from NumPy's PCG64, the engine from Philox).
    replicates = 16
    engine = skillsim.run(national, replicates=replicates, seed=11, progress=False)
    workers = np.asarray(engine["workers"])[:, -1] / SCALE
    e = workers.sum(axis=2) - workers[:, :, 5]  # not retired
    p, p_sat, p_up, p_status = [], [], [], []
    for rep in range(replicates):
        model = NumpyModel(national, seed=11, replicate=rep)
        for _ in range(24):
            model.step()
        p.append(model.workers_by_level())
        p_sat.append(model.assessments)
        p_up.append(model.promotions)
        p_status.append(model.agents_by_status())
    # The same for the assessments held and the promotions over the two years, by level.
    e_sat = np.asarray(engine["assessments"])[:, 1:].sum(axis=1) / SCALE
    e_up = np.asarray(engine["promotions"])[:, 1:].sum(axis=1) / SCALE
    e_status = workers.sum(axis=1)  # the labour market's rules: employed, unemployed, inactive, retired
    pairs = {"level": (p, e), "assessments": (p_sat, e_sat), "promotions": (p_up, e_up), "status": (p_status, e_status)}
    for what, (ours, theirs) in pairs.items():
        ours = np.array(ours, dtype=float)
        se = np.sqrt(theirs.var(axis=0, ddof=1) / replicates + ours.var(axis=0, ddof=1) / replicates)
        held = theirs.mean(axis=0) > 0
        z = np.abs(ours.mean(axis=0) - theirs.mean(axis=0))[held] / se[held]
        assert held.sum() >= 4 and (z < 4).all(), (what, z)
