# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Calibration and forecast: the national model against the published data
#
# skillsim's behavioural rates are not known in advance; they are fitted to what the ministry
# published. This notebook
#
# 1. **fits** the national forecast scenario (`scenarios/national_forecast_2016.toml`) to the data
#    up to and including 2016 with `skillsim.calibrate`: the initial level structure, the
#    assessment rates and the programmes' pass probabilities, each with its uncertainty;
# 2. shows the **posterior** (intervals, a pair of parameters) and the **fit** at every data point;
# 3. runs the **forecast 2016-2025 by level** with bands that carry the parameters' uncertainty as
#    well as the simulation's noise (`run.parameter_sets`), and sets the figures published after
#    2016 beside it (the fit never saw them);
# 4. runs a **backtest at cut-off 2013** (`skillsim.backtest`): fitted on 2010-2013 only, how
#    often do the later published figures fall inside the 50% and 90% bands?
#
# **Kept fast for CI**: the fits here use 60 particles and coarse scales (one agent for 20,000
# persons), a couple of minutes on two cores. The shipped forecast's sets come from the full
# calibration (`skillsim calibrate national_forecast_2016`, 500 particles, confirmed at one agent
# for 1,000 persons; docs/calibration.md gives its timings); section 3 uses those.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

import skillsim
import skillsim.plot

if skillsim.plot.cjk_font():  # Chinese labels in the figures drawn here (Debian: fonts-noto-cjk)
    plt.rcParams["font.sans-serif"] = [skillsim.plot.cjk_font(), *plt.rcParams["font.sans-serif"]]

PARTICLES = 60  # the shipped specs: 500
FIT_SCALE = 20000  # persons per agent in the fitting runs and the forecast shown here
started = time.monotonic()

# %% [markdown]
# ## 1. The fit: data up to 2016 only
#
# The spec names the scenario, the cut-off, the data and a prior range for each fitted
# parameter. Everything published after 2016 is cut before the fit starts.

# %%
fit = skillsim.calibrate(
    "national_forecast_2016", particles=PARTICLES, progress=False, confirm=False
)
print(fit)
print("data points not used:", len(fit.skipped), "(before the run starts, or no model counterpart)")
fit.intervals(0.9).round(4)

# %% [markdown]
# ## 2. The posterior and the fit at every data point
#
# Each bar is the model's band for one published figure, divided by that figure (1 = the
# published value). Stocks carry the coverage range of the observation model: from the employed
# holders to every holder not retired (docs/calibration.md, "Coverage").

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
fit.plot(ax=axes[0])
post = fit.posterior
axes[1].scatter(post["skills.assessment_rate[senior]"], post["population.level_shares[senior]"], s=12, alpha=0.6)
axes[1].set_xlabel("assessment rate to 高级工 (per month)")
axes[1].set_ylabel("share at 高级工, start of 2016")
axes[1].set_title("posterior sample: two of the fitted parameters")
fig.tight_layout()
fit.diagnostics[["indicator", "year", "observed", "qualifier", "p5", "median", "p95", "implausibility"]].round(1)

# %% [markdown]
# ## 3. The forecast 2016-2025 by level
#
# The shipped scenario names the sets of the full calibration (`run.parameter_sets`); replicate r
# runs under set r, so the bands below carry the parameters' uncertainty as well as the
# simulation's noise. The published figures after 2016 (not used by the fit) are drawn on top.

# %%
forecast_scenario = skillsim.Scenario.load("national_forecast_2016").replace({"population.scale": FIT_SCALE})
print("parameter sets:", forecast_scenario["run.parameter_sets"], "| replicates:", forecast_scenario.replicates)
forecast = skillsim.run(forecast_scenario, progress=False)
published = skillsim.observations()
later = published[(published.year > 2016) & (published.role == "observation")]

fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
for ax, series in zip(axes, ["skilled_workers", "high_skilled_workers"]):
    skillsim.plot.fan_chart(forecast, series, ax=ax)
    rows = later[later.indicator == series]
    for row in rows.itertuples():
        marker = "^" if row.qualifier == "lower bound" else "o"
        ax.plot(np.datetime64(f"{row.year + 1}-01-01"), row.value * 1e4, marker, color="tab:red", ms=8)
    ax.set_title(f"{series}: forecast from 2016 (red: published later; ^ = a lower bound)")
fig.tight_layout()

# %%
ds = forecast.to_xarray()
levels = ["junior", "intermediate", "senior", "technician", "senior_technician"]
held = ds.workers.sel(level=levels).drop_sel(status="retired").sum("status")
bands = held.quantile([0.05, 0.5, 0.95], dim="replicate") / 1e4
fig, ax = plt.subplots(figsize=(9, 4.5))
for level in levels:
    b = bands.sel(level=level)
    line = ax.plot(ds.time, b.sel(quantile=0.5), label=f"{level} {str(ds.level_zh.sel(level=level).values)}")
    ax.fill_between(ds.time, b.sel(quantile=0.05), b.sel(quantile=0.95), alpha=0.25, color=line[0].get_color())
ax.set_ylabel("holders, 10k persons (万人)")
ax.set_title("forecast by level, median and 5-95% over the parameter sets")
ax.legend(fontsize="small")
end = held.isel(time=-1)
(end.quantile([0.05, 0.5, 0.95], dim="replicate") / 1e4).to_pandas().round(0)

# %% [markdown]
# ## 4. A backtest at cut-off 2013
#
# The same method on `national_2010` (2010-2025), fitted on the figures of 2010-2013 only; every
# published observation after 2013 that the run covers is then scored against the forecast's
# bands. With a handful of later figures per indicator, the coverage is a rough check, not a
# precise rate.

# %%
bt = skillsim.backtest("national_2010", cutoff=2013, particles=PARTICLES, scale=FIT_SCALE, progress=False)
print(bt)
bt.plot()
bt.table.round(2)

# %%
bt.forecast[["indicator", "year", "observed", "qualifier", "p5", "median", "p95", "in_50", "in_90"]].round(1)

# %%
print(f"notebook ran in {time.monotonic() - started:.0f} s")
