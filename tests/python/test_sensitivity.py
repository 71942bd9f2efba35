"""skillsim.sensitivity: Sobol indices against the Ishigami function's known values, the checks on
bad input, and the skillsim layer (a sweep of the sample's points, one number a run)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import xarray as xr
from SALib.test_functions import Ishigami

import skillsim
from skillsim.sensitivity import analyze, problem, run_count, sample

sensitivity_module = importlib.import_module("skillsim.sensitivity")
sweep_module = importlib.import_module("skillsim.sweep")

# Ishigami-Homma, f = sin x1 + a sin^2 x2 + b x3^4 sin x1 with x uniform on [-pi, pi], a = 7,
# b = 0.1: the variances in closed form (Saltelli et al., Global Sensitivity Analysis: The Primer,
# 2008), so the indices are known exactly.
A, B = 7.0, 0.1
_D1 = B * np.pi**4 / 5 + B**2 * np.pi**8 / 50 + 0.5
_D2 = A**2 / 8
_D13 = 8 * B**2 * np.pi**8 / 225
_D = _D1 + _D2 + _D13
ISHIGAMI_S1 = np.array([_D1, _D2, 0.0]) / _D  # 0.3139, 0.4424, 0
ISHIGAMI_ST = np.array([_D1 + _D13, _D2, _D13]) / _D  # 0.5576, 0.4424, 0.2437
ISHIGAMI_S13 = _D13 / _D
VARY = {"x1": (-np.pi, np.pi), "x2": (-np.pi, np.pi), "x3": (-np.pi, np.pi)}


def ishigami_indices(n, **kwargs):
    second = kwargs.get("calc_second_order", False)
    points = sample(VARY, n, calc_second_order=second, seed=kwargs.pop("seed", 1))
    return analyze(VARY, {"y": Ishigami.evaluate(points, A, B)}, points=points, **kwargs)


def test_the_closed_form_values():
    np.testing.assert_allclose(ISHIGAMI_S1, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(ISHIGAMI_ST, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_ishigami_indices_come_out_right():
    """With N = 2048 base samples (10,240 runs) each estimate lies within twice its 95% interval's
    half-width of the exact value (the intervals themselves under 0.1 wide on either side, so
    the check has teeth): two half-widths are about four standard errors, which a correct
    estimator misses with probability well under 0.1% per index, whatever the scrambling seed."""
    for seed in (1, 2, 3):
        si = ishigami_indices(2048, seed=seed)
        assert si.parameters == ["x1", "x2", "x3"] and si.outputs == ["y"]
        assert si.samples == 2048 and si.runs == 2048 * 5 and si.conf_level == 0.95
        for name, estimate, conf, exact in (
            ("S1", si.S1[0], si.S1_conf[0], ISHIGAMI_S1),
            ("ST", si.ST[0], si.ST_conf[0], ISHIGAMI_ST),
        ):
            assert np.all(conf < 0.1), (name, conf)
            assert np.all(np.abs(estimate - exact) <= 2 * conf), (seed, name, estimate, exact, conf)
        # x3 acts only through its interaction with x1: S1 ~ 0, ST clearly above 0.
        assert abs(si.S1[0, 2]) < 0.05 and si.ST[0, 2] - si.ST_conf[0, 2] > 0.15
        assert si.ranking("y") == ["x1", "x2", "x3"]


def test_intervals_narrow_as_samples_grow():
    small, large = ishigami_indices(256), ishigami_indices(4096)  # 16 times the samples
    assert np.all(large.S1_conf < 0.5 * small.S1_conf) and np.all(large.ST_conf < 0.5 * small.ST_conf)
    # A wider confidence level gives wider intervals on the same runs.
    wide = ishigami_indices(256, conf_level=0.99)
    np.testing.assert_allclose(wide.S1, small.S1)
    assert np.all(wide.S1_conf > small.S1_conf)


def test_second_order_indices():
    si = ishigami_indices(2048, calc_second_order=True)
    assert si.runs == 2048 * 8 and si.S2 is not None and si.S2.shape == (1, 3, 3)
    s2, conf = si.S2[0], si.S2_conf[0]
    assert abs(s2[0, 2] - ISHIGAMI_S13) <= 2 * conf[0, 2]  # x1 with x3: the only interaction
    assert abs(s2[0, 1]) <= 2 * conf[0, 1] and abs(s2[1, 2]) <= 2 * conf[1, 2]
    assert np.isnan(s2[1, 0])  # the upper triangle only
    assert "S2" in si.to_xarray()


def test_sample_and_problem():
    expected = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.0, 1.0], [2.0, 5.0]]}
    assert problem({"a": (0, 1), "b": [2, 5]}) == expected
    assert problem({"a": {"low": 0, "high": 1}})["bounds"] == [[0.0, 1.0]]
    x = sample({"a": (0, 1), "b": (10, 20)}, 8)
    assert x.shape == (run_count(2, 8), 2) == (32, 2)
    assert x[:, 0].min() >= 0 and x[:, 0].max() <= 1 and x[:, 1].min() >= 10 and x[:, 1].max() <= 20
    np.testing.assert_array_equal(x, sample({"a": (0, 1), "b": (10, 20)}, 8))  # seeded: the same
    assert not np.array_equal(x, sample({"a": (0, 1), "b": (10, 20)}, 8, seed=2))
    assert sample({"a": (0, 1)}, 4, calc_second_order=True).shape == (run_count(1, 4, True), 1) == (16, 1)


def test_tables_and_plot():
    si = analyze(
        VARY,
        {"y": Ishigami.evaluate(p := sample(VARY, 256)), "sin x1": np.sin(p[:, 0])},
        points=p,
    )
    df = si.to_dataframe()
    assert list(df.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert df.index.names == ["output", "parameter"] and len(df) == 6
    assert df.loc[("sin x1", "x1"), "S1"] == pytest.approx(1.0, abs=0.05)
    one = si.to_dataframe("sin x1")
    assert list(one.index) == ["x1", "x2", "x3"] and one.loc["x2", "ST"] == pytest.approx(0, abs=1e-9)
    ds = si.to_xarray()
    assert isinstance(ds, xr.Dataset) and dict(ds.sizes) == {"output": 2, "parameter": 3}
    assert ds["low"].values.tolist() == [-np.pi] * 3 and ds.attrs["samples"] == 256
    assert si.ranking("sin x1")[0] == "x1"
    assert "x1" in repr(si) and "S1" in repr(si)
    fig = si.plot()
    assert len(fig.axes) == 2 and [ax.get_title() for ax in fig.axes] == ["y", "sin x1"]
    fig.savefig(__import__("io").BytesIO(), format="png")  # draws without warnings
    assert len(si.plot(["sin x1"]).axes) == 1
    with pytest.raises(KeyError, match="no output named 'z'"):
        si.plot(["z"])


def test_an_output_that_does_not_vary_has_no_indices():
    p = sample(VARY, 16)
    si = analyze(VARY, {"flat": np.ones(len(p)), "y": Ishigami.evaluate(p)})
    assert np.isnan(si.S1[0]).all() and np.isnan(si.ST[0]).all() and si.variance[0] == 0
    assert np.isfinite(si.S1[1]).all()
    si.plot().savefig(__import__("io").BytesIO(), format="png")


@pytest.mark.parametrize(
    ("vary", "message"),
    [
        ({}, "vary is empty"),
        ({"x": (2, 1)}, r"vary\['x'\]: low 2 is above high 1"),
        ({"x": (1, 1)}, r"vary\['x'\]: the range is empty"),
        ({"x": (0, float("nan"))}, r"vary\['x'\]: high must be a finite number"),
        ({"x": ("a", 1)}, r"vary\['x'\]: low must be a finite number"),
        ({"x": (0, 1, 2)}, r"vary\['x'\]: expected a range \(low, high\)"),
        ({"x": 5}, r"vary\['x'\]: expected a range"),
    ],
)
def test_bad_ranges(vary, message):
    with pytest.raises(ValueError, match=message):
        sample(vary, 8)
    with pytest.raises(ValueError, match=message):
        skillsim.sensitivity("jincheng_plan_2020_2021", vary, {"s": ("skilled_workers", "2022-01-01")}, 8)


def test_bad_samples_and_outputs():
    with pytest.raises(ValueError, match="samples must be a power of 2 and at least 2.*got 100: use 64 or 128"):
        sample(VARY, 100)
    with pytest.raises(ValueError, match="power of 2"):
        sample(VARY, 1)
    with pytest.raises(TypeError, match="samples must be an integer"):
        sample(VARY, 8.0)
    p = sample(VARY, 8)
    y = Ishigami.evaluate(p)
    with pytest.raises(ValueError, match=r"outputs\['y'\]: 39 values is not a multiple of D \+ 2 = 5"):
        analyze(VARY, {"y": y[:-1]})
    with pytest.raises(ValueError, match="is calc_second_order the same"):
        analyze(VARY, {"y": y[:-1]})
    bad = y.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match=r"outputs\['y'\]: 1 of 40 values are not finite \(first at run 3\)"):
        analyze(VARY, {"y": bad})
    with pytest.raises(ValueError, match="conf_level must be between 0 and 1"):
        analyze(VARY, {"y": y}, conf_level=95)
    with pytest.raises(ValueError, match="outputs is empty"):
        analyze(VARY, {})
    assert analyze(VARY, y).outputs == ["output"]  # a single array


# ------------------------------------------------------------------------------------------------
# The skillsim layer


def test_unknown_outputs_are_refused_before_the_sweep(monkeypatch):
    def no_sweep(*args, **kwargs):
        raise AssertionError("the sweep should not start")

    monkeypatch.setattr(sweep_module, "sweep", no_sweep)
    vary = {"labour.job_find_multiplier": (0.8, 1.2)}
    base = "jincheng_plan_2020_2021"
    with pytest.raises(KeyError, match=r"outputs\['s'\]: no variable named 'skiled_workers'.*did you mean 'skilled_"):
        skillsim.sensitivity(base, vary, {"s": ("skiled_workers", "2022-01-01")}, 8)
    with pytest.raises(ValueError, match=r"outputs\['s'\]: 2023-01-01 is outside the run \(2020-01-01 to 2022-01-01"):
        skillsim.sensitivity(base, vary, {"s": ("skilled_workers", "2023-01-01")}, 8)
    with pytest.raises(ValueError, match=r"outputs\['s'\]: 2021-06-15 is not a time of the results"):
        skillsim.sensitivity(base, vary, {"s": ("skilled_workers", "2021-06-15")}, 8)
    with pytest.raises(ValueError, match=r"outputs\['s'\]: 'skilled_workers' is a time series: give a date"):
        skillsim.sensitivity(base, vary, {"s": ("skilled_workers", None)}, 8)
    with pytest.raises(ValueError, match=r"outputs\['w'\]: status 'busy' is not one of"):
        skillsim.sensitivity(base, vary, {"w": ("workers", "2022-01-01", {"status": "busy"})}, 8)
    with pytest.raises(ValueError, match=r"outputs\['s'\]: expected \(variable, date\)"):
        skillsim.sensitivity(base, vary, {"s": (1, 2)}, 8)
    with pytest.raises(ValueError, match="outputs is empty"):
        skillsim.sensitivity(base, vary, {}, 8)
    with pytest.raises(ValueError, match="samples must be a power of 2"):
        skillsim.sensitivity(base, vary, {"s": ("skilled_workers", "2022-01-01")}, 10)


class FakeSweepResults:
    """What skillsim.sweep returns, for a sweep whose runs are the Ishigami function of its
    points: `y` over (scenario, replicate, time) and the varied keys as coordinates."""

    def __init__(self, spec, replicates=3):
        keys = list(spec["vary"])
        points = np.column_stack([spec["vary"][k] for k in keys])
        y = Ishigami.evaluate(points, A, B)
        times = np.array(["2020-01-01", "2020-02-01"], dtype="datetime64[ns]")
        noise = np.array([-1.0, 0.0, 1.0])[:replicates]  # averages out over the replicates
        data = y[:, None, None] + noise[None, :, None] + np.array([0.0, 100.0])[None, None, :]
        self.ds = xr.Dataset(
            {
                "y": (("scenario", "replicate", "time"), data),
                "run_failed": (("scenario",), np.zeros(len(y), dtype=np.int64)),
            },
            coords={"scenario": np.arange(len(y)), "replicate": np.arange(replicates), "time": times},
        )
        self.ds = self.ds.assign_coords({k: ("scenario", points[:, i]) for i, k in enumerate(keys)})
        self.metadata = {}

    def to_xarray(self):
        return self.ds

    def __contains__(self, name):
        return name in self.ds

    def __getitem__(self, name):
        return self.ds[name].values


def test_the_sweep_is_the_sample_and_each_run_one_number(monkeypatch):
    calls = []

    def fake_sweep(spec, **kwargs):
        calls.append((spec, kwargs))
        return FakeSweepResults(spec)

    monkeypatch.setattr(sweep_module, "sweep", fake_sweep)
    monkeypatch.setattr(sensitivity_module, "_probe", lambda base, outputs: None)
    base = skillsim.Scenario.load("jincheng_plan_2020_2021")
    si = skillsim.sensitivity(
        base,
        VARY,
        {
            "y at the start": ("y", "2020-01-01"),
            "y by function": lambda r: r.to_xarray()["y"].isel(time=0).mean("replicate").values,
        },
        1024,
        replicates=3,
        seed=5,
        threads=2,
        sampling_seed=4,
        progress=False,
    )
    (spec, kwargs), = calls
    assert spec["base"] is base and spec["design"] == "list" and spec["max_runs"] == 1024 * 5
    assert list(spec["vary"]) == ["x1", "x2", "x3"] and len(spec["vary"]["x1"]) == 1024 * 5
    np.testing.assert_array_equal(np.column_stack(list(spec["vary"].values())), si.points)
    np.testing.assert_array_equal(si.points, sample(VARY, 1024, seed=4))
    assert kwargs["replicates"] == 3 and kwargs["seed"] == 5 and kwargs["threads"] == 2
    assert kwargs["progress"] is False and kwargs["output"] is None
    np.testing.assert_allclose(si.values["y at the start"], Ishigami.evaluate(si.points, A, B))  # replicate mean
    np.testing.assert_allclose(si.S1[0], si.S1[1]) and np.testing.assert_allclose(si.ST[0], si.ST[1])
    assert np.all(np.abs(si.S1[0] - ISHIGAMI_S1) <= 2 * si.S1_conf[0])
    assert np.all(np.abs(si.ST[0] - ISHIGAMI_ST) <= 2 * si.ST_conf[0])
    assert isinstance(si.results, FakeSweepResults)

    monkeypatch.setattr(sweep_module, "sweep", lambda spec, **kw: FakeSweepResults(spec))
    with pytest.raises(ValueError, match=r"outputs\['f'\]: the function returned shape \(3,\); it must return one"):
        skillsim.sensitivity(base, VARY, {"f": lambda r: np.zeros(3)}, 8, progress=False)

    def failing(spec, **kw):
        r = FakeSweepResults(spec)
        r.ds["run_failed"].values[[2, 5]] = 1
        r.metadata = {"failed_runs": "run 2: out of memory; run 5: out of memory"}
        return r

    monkeypatch.setattr(sweep_module, "sweep", failing)
    with pytest.raises(ValueError, match="2 of 40 runs failed, and Sobol indices need every run: run 2: out of memory"):
        skillsim.sensitivity(base, VARY, {"y": ("y", "2020-01-01")}, 8, progress=False)
