"""skillsim.calibrate / skillsim.backtest (docs/calibration.md): the observation model against the
engine's own variables, the likelihood terms in closed form, parameter recovery from data the
engine generated, the honest cut-off, and clear errors for bad specs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import skillsim
from skillsim import calibration as cal

REPO = Path(__file__).resolve().parents[2]
NATIONAL = REPO / "scenarios" / "national_2016.toml"
TRUTH = {"skills.assessment_rate[senior]": 0.011, "skills.pass_probability[senior]": 0.7}
INDICATORS = ["certification_participants", "new_high_skilled_workers", "high_skilled_workers"]
YEARS = [2016, 2017, 2018]


@pytest.fixture(scope="module")
def small_national() -> skillsim.Scenario:
    # 45,000 agents over three years: about 60 ms a run.
    return skillsim.Scenario.load(NATIONAL).replace({"population.scale": 20000, "scenario.months": 36})


def write_spec(directory: Path, body: str, **calibration) -> Path:
    head = "[calibration]\n" + "".join(f"{k} = {v}\n" for k, v in calibration.items())
    path = directory / "spec.toml"
    path.write_text(head + body, encoding="utf-8")
    return path


PRIORS = """
[[parameters]]
key = "skills.assessment_rate[senior]"
prior = [0.003, 0.05]
log = true

[[parameters]]
key = "skills.pass_probability[senior]"
prior = [0.3, 0.95]
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, small_national):
    """A scenario, data the engine generated from TRUTH, and a spec fitting both parameters."""
    d = tmp_path_factory.mktemp("synthetic")
    (d / "base.toml").write_text(small_national.to_toml(), encoding="utf-8")
    text = cal.synthetic_observations(small_national, TRUTH, INDICATORS, YEARS, replicates=4, seed=101)
    (d / "data.csv").write_text(text, encoding="utf-8")
    spec = write_spec(d, PRIORS, scenario='"base.toml"', data='"data.csv"', cutoff=2018, particles=60, seed=3, confirm_scale=20000)
    return d, spec


# -- the observation model ------------------------------------------------------------------------


def test_the_stock_terms_read_the_engines_own_stock_variables(small_national):
    results = skillsim.run(small_national, replicates=2, seed=5, progress=False)
    table = skillsim.observations(up_to=2018)
    terms, _ = cal.observation_terms(table, small_national.start, small_national.months)
    high = next(t for t in terms if t.indicator == "high_skilled_workers" and t.year == 2016)
    assert high.first == high.last == 12  # the end of 2016 is 1 January 2017, time point 12
    low, top = cal.model_values(results, high)
    # Every holder not retired is the engine's high_skilled_workers; the employed are fewer.
    np.testing.assert_allclose(top, results["high_skilled_workers"][:, 12] / 1e4)
    assert np.all(low < top) and np.all(low > 0.5 * top)


def test_the_noise_of_a_share_is_binomial_in_the_runs_own_denominator(small_national):
    scale = small_national["population.scale"]
    results = skillsim.run(small_national, replicates=40, seed=9, progress=False)
    for indicator in ("high_skilled_share_of_skilled_workers", "skilled_share_of_employed"):
        term = cal.Term(indicator, 2017, 30.0, "%", "exact", "official", 1, "normal", 0.03, 24, 24)
        share, _ = cal.model_values(results, term)
        denominator = cal.share_denominator(results, term)
        # Binomial: p(1-p) over the run's own agents in the denominator.
        p = share / 100
        np.testing.assert_allclose(cal.sampling_noise(term, share, scale, denominator), 100 * np.sqrt(p * (1 - p) * scale / denominator))
        # The starting stocks are exact (largest remainders), so only the flows since the
        # start are random: the noise is an upper bound on the replicates' spread, never below.
        assert share.std(ddof=1) < cal.sampling_noise(term, share, scale, denominator).mean()
    skilled = cal.share_denominator(results, cal.Term("high_skilled_share_of_skilled_workers", 2017, 30.0, "%", "exact", "official", 1, "normal", 0.03, 24, 24))
    np.testing.assert_allclose(skilled, results["skilled_workers"][:, 24])
    # A share's noise without its denominator is a programming error, said as such.
    with pytest.raises(ValueError, match="denominator"):
        cal.sampling_noise(term, share, scale)


def test_flow_windows_follow_the_calendar_year():
    import pandas as pd

    rows = pd.DataFrame(
        [
            {"role": "observation", "indicator": i, "year": y, "value": 1.0, "unit": "u", "qualifier": "exact", "quality": "official", "line": n}
            for n, (i, y) in enumerate(
                [
                    ("certified", 2016),
                    ("certified_h1", 2016),
                    ("certification_participants_cumulative_2012_2016", 2016),
                    ("certification_participants", 2015),
                    ("skilled_workers", 2015),
                    ("skilled_workers", 2014),
                ]
            )
        ]
    )
    import datetime as dt

    terms, skipped = cal.observation_terms(rows, dt.date(2016, 1, 1), 24)
    by = {(t.indicator, t.year): t for t in terms}
    # A flow at time point t is the month ending then: 2016 is points 1 (Feb 1) .. 12 (Jan 1).
    assert (by[("certified", 2016)].first, by[("certified", 2016)].last) == (1, 12)
    assert by[("certified", 2016)].side == "model_subset"
    assert (by[("certified_h1", 2016)].first, by[("certified_h1", 2016)].last) == (1, 6)
    # The end of 2015 is the start of the run: its initial state.
    assert by[("skilled_workers", 2015)].first == 0
    reasons = {(i, y): why for i, y, why in skipped}
    assert "not all inside the run" in reasons[("certification_participants_cumulative_2012_2016", 2016)]
    assert "not all inside the run" in reasons[("certification_participants", 2015)]
    assert "before the run starts" in reasons[("skilled_workers", 2014)]


def test_likelihood_terms_in_closed_form():
    term = cal.Term("high_skilled_workers", 2016, 100.0, "10k persons", "exact", "official", 1, "normal", 0.03, 12, 12)
    s = np.hypot(3.0, 4.0)  # 3% measurement error and 4% discrepancy of 100: s = 5
    ll, imp = cal.term_scores(term, np.array([90.0, 100.0, 98.0]), np.array([95.0, 100.0, 104.0]), 0.04)
    np.testing.assert_allclose(imp, [5 / s, 0.0, 0.0])  # inside a stock's range: distance 0
    np.testing.assert_allclose(ll, [-0.5 - np.log(s), -np.log(s), -np.log(s)])
    lower = cal.Term("skilled_workers", 2020, 100.0, "10k persons", "lower bound", "official", 1, "lower", 0.03, 12, 12)
    ll_lo, imp_lo = cal.term_scores(lower, np.array([80.0, 80.0]), np.array([90.0, 130.0]), 0.04)
    assert imp_lo[1] == 0.0 and imp_lo[0] == pytest.approx(10 / s)  # above the bound: no penalty
    assert ll_lo[1] > ll_lo[0]


# -- parameter recovery and the honest cut-off ----------------------------------------------------


def test_known_parameters_are_recovered_inside_the_90_percent_intervals(synthetic):
    _, spec = synthetic
    fit = skillsim.calibrate(spec, confirm=False, progress=False)
    intervals = fit.intervals(0.9)
    for key, value in TRUTH.items():
        assert intervals.loc[key, "low"] <= value <= intervals.loc[key, "high"], (key, value, intervals)
    # The data teach something: the rate's interval is much narrower than its prior.
    rate = intervals.loc["skills.assessment_rate[senior]"]
    assert np.log(rate.high / rate.low) < 0.5 * np.log(0.05 / 0.003)
    assert fit.betas[0] == 0.0 and fit.betas[-1] == 1.0
    assert len(fit.posterior) == 60 and fit.simulations >= 60 * 2


def test_figures_after_the_cut_off_cannot_change_the_fit(synthetic, tmp_path):
    d, _ = synthetic
    # The same data with absurd figures for 2018, fitted with cut-off 2017: the same posterior
    # bit for bit as without those rows, because nothing after the cut-off is read.
    lines = (d / "data.csv").read_text(encoding="utf-8").splitlines()
    absurd = [lines[0]]
    for line in lines[1:]:
        fields = line.split(",")
        if fields[2] == "2018":
            fields[3] = str(float(fields[3]) * 100)
        absurd.append(",".join(fields))
    trimmed = [lines[0]] + [line for line in lines[1:] if line.split(",")[2] != "2018"]
    fits = []
    for name, rows in (("absurd.csv", absurd), ("trimmed.csv", trimmed)):
        (tmp_path / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
        (tmp_path / "base.toml").write_text((d / "base.toml").read_text(encoding="utf-8"), encoding="utf-8")
        spec = write_spec(tmp_path, PRIORS, scenario='"base.toml"', data=f'"{name}"', cutoff=2017, particles=20, moves=1, seed=9)
        fits.append(skillsim.calibrate(spec, confirm=False, progress=False))
    assert fits[0].posterior.equals(fits[1].posterior)
    assert (fits[0].diagnostics.year <= 2017).all()


def test_the_command_line_writes_the_fit_the_sets_and_a_runnable_fitted_scenario(synthetic, tmp_path):
    _, spec = synthetic
    out = tmp_path / "fit.h5"
    sets = tmp_path / "sets.csv"
    fitted = tmp_path / "fitted.toml"
    cmd = [sys.executable, "-m", "skillsim", "calibrate", str(spec), "-o", str(out), "--sets", str(sets)]
    cmd += ["--scenario-out", str(fitted), "--particles", "20", "--no-progress", "--plot", str(tmp_path / "fit.png")]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "posterior (90% intervals)" in done.stdout and "high_skilled_workers" in done.stdout
    assert (tmp_path / "fit.png").stat().st_size > 10_000
    import h5py

    with h5py.File(out) as f:
        assert f["parameter_sets"].shape == (20, 2)
        assert list(f["parameter_sets"].attrs["columns"]) == list(TRUTH)
        assert f.attrs["cutoff"] == 2018 and f.attrs["engine_version"] == skillsim.__version__
        assert f["tempering/beta"][-1] == 1.0
        assert len(f["diagnostics/observed"]) == 9
    # The fitted scenario names the sets and runs one replicate per set.
    scenario = skillsim.Scenario.load(fitted)
    assert scenario.replicates == 20
    results = skillsim.run(scenario.replace({"scenario.months": 12}), replicates=3, progress=False)
    assert list(results["parameter_set"]) == [0, 1, 2]
    # A second run refuses to overwrite.
    again = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert again.returncode == 2 and "exists; use --force" in again.stderr


def test_a_backtest_scores_the_later_points(synthetic, tmp_path):
    _, spec = synthetic
    bt = skillsim.backtest(spec, cutoff=2017, particles=20, progress=False)
    assert set(bt.forecast.year) == {2018}
    assert len(bt.forecast) == 3 and set(bt.table.indicator) == set(INDICATORS)
    c = bt.coverage
    assert c["points"] == 3 and 0.0 <= c["in_50"] <= c["in_90"] <= 1.0
    assert (bt.calibration.diagnostics.year <= 2017).all()
    # Data the engine made from the truth, with the truth inside the prior: the forecast of
    # 2018 should cover what the engine then produced, at least at 90%.
    assert c["in_90"] >= 2 / 3
    import h5py

    bt.save(tmp_path / "bt.h5")
    with h5py.File(tmp_path / "bt.h5") as f:
        assert f.attrs["backtest_cutoff"] == 2017 and f.attrs["cutoff"] == 2017
        assert sorted(x.decode() for x in f["forecast/indicator"][()]) == sorted(INDICATORS)
        assert len(f["diagnostics/year"]) == 6  # 2016 and 2017, three indicators


# -- bad specs ----------------------------------------------------------------------------------


def expect_problems(tmp_path, body: str, *fragments: str, **calibration) -> None:
    (tmp_path / "base.toml").write_text(NATIONAL.read_text(encoding="utf-8"), encoding="utf-8")
    calibration.setdefault("scenario", '"base.toml"')
    calibration.setdefault("cutoff", 2016)
    spec = write_spec(tmp_path, body, **calibration)
    with pytest.raises(skillsim.CalibrationError) as caught:
        cal.load_spec(spec)
    text = str(caught.value)
    assert "spec.toml" in text
    for fragment in fragments:
        assert fragment in text, text


def test_an_unknown_parameter_is_named(tmp_path):
    expect_problems(
        tmp_path,
        '[[parameters]]\nkey = "skills.asessment_rate[senior]"\nprior = [0.01, 0.02]\n',
        "parameters[0]",
        "skills.asessment_rate",
    )


def test_an_empty_prior_range_is_refused(tmp_path):
    expect_problems(
        tmp_path,
        '[[parameters]]\nkey = "skills.assessment_rate[senior]"\nprior = [0.02, 0.02]\n',
        "empty prior range [0.02, 0.02]",
    )


def test_a_prior_outside_what_the_parameter_allows_is_refused(tmp_path):
    expect_problems(tmp_path, '[[parameters]]\nkey = "skills.pass_probability[senior]"\nprior = [0.5, 1.5]\n', "1.5 (the prior's end) is refused")


def test_unknown_indicators_keys_and_missing_fields_are_all_listed(tmp_path):
    expect_problems(
        tmp_path,
        '[[parameters]]\nkey = "skills.assessment_rate[senior]"\nprior = [0.01]\n',
        "unknown indicator 'skiled_workers'; did you mean 'skilled_workers'?",
        "'employed' is a context, not an observation",
        "calibration.particle: unknown key; did you mean 'particles'?",
        "needs [low, high]",
        indicators='["skiled_workers", "employed"]',
        particle=5,
    )


def test_a_missing_scenario_and_a_bad_data_file(tmp_path):
    (tmp_path / "bad.csv").write_text("kind,indicator\n", encoding="utf-8")
    expect_problems(
        tmp_path,
        PRIORS,
        "calibration.scenario",
        "calibration.data",
        scenario='"no_such_scenario"',
        data='"bad.csv"',
    )


def test_factors_by_sex_age_band_and_group_are_addressed_by_element_name():
    # Heterogeneity factors (docs/model.md, step 3) are fitted as sweep keys name them.
    assert cal._split_key("skills.pass_factor_by_age_band[20-24]") == ("skills.pass_factor_by_age_band", "20-24")
    assert cal._element_index("skills.assessment_factor_by_sex", "female") == 1
    assert cal._element_index("skills.pass_factor_by_age_band", "20-24") == 1
    assert cal._element_index("skills.assessment_factor_by_group", "poverty_registered") == 7
    changes = cal._changes(skillsim.Scenario.load(), {"skills.assessment_factor_by_sex[female]": 0.8}, ())
    assert changes["skills.assessment_factor_by_sex"] == [1.0, 0.8]


def test_a_log_prior_needs_a_positive_low_end_and_balance_must_be_a_share(tmp_path):
    expect_problems(
        tmp_path,
        '[[parameters]]\nkey = "skills.assessment_rate[senior]"\nprior = [0, 0.02]\nlog = true\n',
        "log-uniform prior needs low > 0",
        "calibration.balance: 'labour.job_loss_rate' is not an element of an array whose values sum to 1",
        balance='["labour.job_loss_rate"]',
    )


# -- the shipped forecast -------------------------------------------------------------------------

FORECAST_SPEC = REPO / "scenarios" / "calibration" / "national_forecast_2016.toml"


def test_the_shipped_forecast_sets_are_a_sample_of_its_specs_posterior():
    import pandas as pd

    spec = cal.load_spec(FORECAST_SPEC)
    scenario = skillsim.Scenario.load(REPO / "scenarios" / "national_forecast_2016.toml")
    sets = pd.read_csv(REPO / "scenarios" / scenario["run.parameter_sets"])
    assert list(sets.columns) == spec.keys + list(spec.balance)
    assert scenario.replicates == len(sets)  # one replicate per set
    for prior in spec.parameters:
        assert sets[prior.key].between(prior.low, prior.high).all(), prior.key
    # The balance keeps the level shares summing to 1 in every set.
    shares = np.array(scenario["population.level_shares"])
    for row in sets.itertuples(index=False):
        total = shares.sum()
        for key, value in zip(sets.columns, row):
            if key.startswith("population.level_shares["):
                total += value - shares[cal._element_index("population.level_shares", key[key.index("[") + 1 : -1])]
        assert total == pytest.approx(1.0, abs=1e-9)
    # Fitted on data up to 2016 only: the spec's cut-off.
    assert spec.cutoff == 2016


def test_the_fitted_forecast_reproduces_the_data_it_was_fitted_to():
    # Every figure up to 2016 inside the 90% band of the fitted ensemble (one replicate per
    # set), run here at a coarse scale over its first year.
    scenario = skillsim.Scenario.load(REPO / "scenarios" / "national_forecast_2016.toml")
    short = cal._shortened(scenario, 12).replace({"population.scale": 20000})
    results = skillsim.run(short, seed=11, progress=False)
    terms, _ = cal.observation_terms(skillsim.observations(up_to=2016), short.start, 12)
    assert len(terms) == 7
    table = cal.diagnostics_table(terms, results, 0.05)
    assert table.in_90.all(), table[["indicator", "year", "observed", "p5", "median", "p95"]]


def test_a_competition_tier_is_addressed_by_its_name():
    plan = skillsim.Scenario.load(REPO / "scenarios" / "jincheng_plan_2020_2021.toml")
    assert cal._element_index("competitions.winners_per_year", "city", plan) == 0
    with pytest.raises(KeyError, match="its entries: city"):
        cal._element_index("competitions.winners_per_year", "county", plan)


def test_a_school_route_is_addressed_by_its_name():
    national = skillsim.Scenario.load(REPO / "scenarios" / "national_2019_2021.toml")
    assert cal._element_index("schools.dropout_rate", "senior_from_senior_high", national) == 2
    with pytest.raises(KeyError, match="its entries: intermediate"):
        cal._element_index("schools.dropout_rate", "technician", national)
