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
# # Sweeps and sensitivity: which parameters of the Jincheng plan matter most?
#
# The Jincheng plan (`scenarios/jincheng_plan_2020_2021.toml`) aims at 技能劳动者 40万 and
# 高技能人才 12万 by the end of 2021. Its money, seats and evaluation capacity are levers; its
# pass rates and how often workers seek an assessment on their own are uncertain. This notebook
#
# 1. runs a small **grid sweep** (two levers, three values each) into one `Results` with a
#    `scenario` dimension, and selects and plots it with xarray;
# 2. computes **Sobol sensitivity indices** of the two stock targets with respect to six
#    parameters: which of them drive the number of skilled and high-skilled workers at the end of
#    2021, alone (first order, S1) and with their interactions (total order, ST).
#
# **Kept fast for CI**: one agent for 50 persons, 3 replicates a run and N = 64 base samples, a
# few minutes on two cores. A real analysis runs the plan at its own scale (10), with 10 or more
# replicates and N = 512 to 1024; the confidence intervals below say how far to trust these.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import skillsim
import skillsim.plot

if skillsim.plot.cjk_font():  # Chinese labels in the figures drawn here (Debian: fonts-noto-cjk)
    plt.rcParams["font.sans-serif"] = [skillsim.plot.cjk_font(), *plt.rcParams["font.sans-serif"]]

SCALE = 50  # one agent for 50 persons (the plan itself: 10)
REPLICATES = 3  # per run; a real analysis: 10 or more
SAMPLES = 64  # Sobol base samples N (a power of 2); a real analysis: 512-1024
plan = skillsim.Scenario.load("jincheng_plan_2020_2021")
SEED = plan.seed  # one seed for every run: common random numbers
STOCKS = {  # label: results variable
    "技能劳动者 skilled_workers": "skilled_workers",
    "高技能人才 high_skilled_workers": "high_skilled_workers",
}
TARGET_DATE = "2022-01-01"
targets = {t.series: t.value for t in plan.targets if t.series in STOCKS.values()}
started = time.monotonic()
print(plan)
print("targets at", TARGET_DATE, {k: f"{v:,.0f}" for k, v in targets.items()})

# %% [markdown]
# ## A grid sweep
#
# A sweep is many runs of one base scenario with some parameters changed, each named by its
# dotted key as `--set` takes it, or one element of a column by its row's name (docs/sweeps.md).
# `skillsim.sweep` takes a sweep file or the same thing as a dict. Here: the upgrading account's
# annual envelope (the plan: 52 million yuan) against the evaluation agencies' monthly capacity
# (the plan: 6,000 assessments), three values each, every combination (`design = "grid"`).
# `overrides` change the base before the sweep's own values (here the scale).

# %%
ENVELOPE = "funds.annual_envelope[upgrading_account]"
AGENCIES = "evaluation.capacity_per_month[social_organisation][晋城市]"
grid = skillsim.sweep(
    {
        "base": "jincheng_plan_2020_2021",
        "design": "grid",
        "vary": {ENVELOPE: [35e6, 52e6, 70e6], AGENCIES: [4000, 6000, 8000]},
    },
    replicates=REPLICATES,
    seed=SEED,
    overrides={"population.scale": SCALE},
    progress=False,
)
grid

# %% [markdown]
# One `Results`, with a leading `scenario` dimension: one entry per run, in the order of the
# design (the last key varying fastest). Each varied key is a coordinate on `scenario`, so xarray
# selects by parameter values.

# %%
ds = grid.to_xarray()
ds[[ENVELOPE, AGENCIES]].to_dataframe()

# %% [markdown]
# Skilled and high-skilled workers at the end of 2021 (mean over replicates), as tables with the
# envelope down and the agencies' capacity across: `set_index` makes the two coordinates a
# multi-index on `scenario`, `unstack` makes them two dimensions.

# %%
at_end = ds[list(STOCKS.values())].sel(time=TARGET_DATE).mean("replicate")
for label, series in STOCKS.items():
    table = at_end[series].set_index(scenario=[ENVELOPE, AGENCIES]).unstack("scenario").to_pandas()
    table.index = [f"{v / 1e6:.0f}M yuan" for v in table.index]
    table.columns = [f"{c:,.0f} a month" for c in table.columns]
    print(f"{label} at {TARGET_DATE} (target {targets[series]:,.0f}):")
    print(table.round(-1).to_string(float_format=lambda v: f"{v:,.0f}"), "\n")

# %% [markdown]
# Selections by parameter value: `where` keeps the runs with more than the plan's money, and
# `groupby` averages over the agencies' capacity for each envelope.

# %%
rich = ds["skilled_workers"].sel(time=TARGET_DATE).where(ds[ENVELOPE] > 52e6, drop=True)
print(f"runs with more than 52M yuan: {rich.sizes['scenario']} of {ds.sizes['scenario']}")
by_envelope = at_end["skilled_workers"].groupby(ENVELOPE).mean()
by_envelope.to_pandas().rename(lambda v: f"{v / 1e6:.0f}M yuan").rename("skilled workers (mean)").to_frame()

# %% [markdown]
# Both stocks month by month in each run of the grid (median over replicates): colour for the
# envelope, line style for the agencies' capacity. The dotted line is the target.

# %%
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

envelope_colours = dict(zip(sorted(set(ds[ENVELOPE].values)), ["#1f77b4", "#ff7f0e", "#2ca02c"]))
capacity_styles = dict(zip(sorted(set(ds[AGENCIES].values)), [":", "--", "-"]))
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
for ax, (label, series) in zip(axes, STOCKS.items()):
    median = ds[series].median("replicate")
    for k in range(ds.sizes["scenario"]):
        run = median.isel(scenario=k)
        ax.plot(ds["time"].values, run.values, color=envelope_colours[float(run[ENVELOPE])],
                linestyle=capacity_styles[float(run[AGENCIES])], linewidth=1.5)
    ax.axhline(targets[series], color="black", linestyle=":", linewidth=1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("persons")
    ax.set_title(label)
handles = [Line2D([], [], color=c, label=f"{v / 1e6:.0f}M yuan a year") for v, c in envelope_colours.items()]
handles += [Line2D([], [], color="grey", linestyle=st, label=f"{v:,.0f} assessments a month")
            for v, st in capacity_styles.items()]
handles.append(Line2D([], [], color="black", linestyle=":", linewidth=1, label="target"))
axes[1].legend(handles=handles, fontsize="small", loc="center right")
plt.show()

# %% [markdown]
# ## Which parameters matter most: Sobol indices
#
# A grid answers "what if" for chosen values; it grows as the product of the values and says
# little about six parameters at once. Variance-based sensitivity analysis asks instead: when
# every parameter varies over the range a planner would consider, **which share of the
# variation of the outcome is due to each?**
#
# - **S1**, first order: the share due to the parameter alone.
# - **ST**, total order: S1 plus every interaction the parameter takes part in. ST near 0: the
#   parameter can be fixed anywhere in its range without changing the outcome. ST well above S1:
#   the parameter matters through others (money that only helps when there are assessors).
#
# `skillsim.sensitivity` draws Saltelli's sample (SALib) over the ranges, runs every point as a
# run of one sweep (`design = "list"`), takes each output's mean over the replicates and
# computes the indices with bootstrap confidence intervals. With 6 parameters and N = 64 that
# is 64 x (6 + 2) = 512 runs.
#
# The ranges: half to one and a half times the plan's money; the senior programme's seats from
# half to nearly double; the agencies' capacity from half to one and a half times; and three
# things the plan does not control, within what is plausible: the senior programme's pass rate
# (training quality, the plan's assumption 63%), the pass rate of workers who seek 高级工 on
# their own (the default 70%) and how often they seek it (the national posterior's median 1.0% a
# month; its 90% interval, 0.15-2.8%, is wider than the range here).
#
# The plan runs each replicate under a set of the national posterior (`run.parameter_sets`),
# which includes that assessment rate: a parameter the analysis varies cannot also come from the
# sets, so the analysis runs the plan without them, at the posterior medians written in the file.

# %%
plan_values = {
    ENVELOPE: plan["funds.annual_envelope"][plan["funds.names"].index("upgrading_account")],
    "programmes.seats_per_month[upgrading_senior][晋城市]": plan["programmes.seats_per_month"][2][0],
    "programmes.pass_probability[upgrading_senior]": plan["programmes.pass_probability"][2],
    AGENCIES: plan["evaluation.capacity_per_month"][1][0],
    "skills.pass_probability[senior]": plan["skills.pass_probability"][4],
    "skills.assessment_rate[senior]": plan["skills.assessment_rate"][4],
}
vary = {
    ENVELOPE: (26e6, 78e6),
    "programmes.seats_per_month[upgrading_senior][晋城市]": (800, 3000),
    "programmes.pass_probability[upgrading_senior]": (0.5, 0.8),
    AGENCIES: (3000, 9000),
    "skills.pass_probability[senior]": (0.55, 0.85),
    "skills.assessment_rate[senior]": (0.006, 0.016),
}
pd.DataFrame(
    {"plan": plan_values, "low": {k: v[0] for k, v in vary.items()}, "high": {k: v[1] for k, v in vary.items()}}
).rename_axis("parameter").map(lambda v: f"{v:,.0f}" if v >= 100 else f"{v:g}")

# %%
outputs = {label: (series, TARGET_DATE) for label, series in STOCKS.items()}
indices = skillsim.sensitivity(
    plan.replace({"population.scale": SCALE, "run.parameter_sets": "", "run.parameter_set_columns": []}),
    vary,
    outputs,
    samples=SAMPLES,
    replicates=REPLICATES,
    seed=SEED,
    progress=False,
)
indices

# %% [markdown]
# The indices with their 95% intervals (bars: S1 blue, ST orange; whiskers: the intervals).
# With N = 64 the intervals are wide, so read the order of the large indices and which ones are
# near zero, not the second decimal. (In truth S1 is never above ST; an estimate of S1 above ST,
# or below 0, is estimation noise within the intervals.)

# %%
indices.plot()

# %%
table = indices.to_dataframe().round(3)
table

# %% [markdown]
# ## Reading
#
# Computed from the indices above: for each stock, the parameters whose total-order interval
# lies clearly above zero (they matter), those whose interval is near zero (they can be fixed
# at the plan's value), and where interactions are large.

# %%
for label, series in STOCKS.items():
    reached = int((indices.values[label] >= targets[series]).sum())
    print(f"{label}: {reached} of {indices.runs} runs reach the target of {targets[series]:,.0f} "
          f"(run means from {indices.values[label].min():,.0f} to {indices.values[label].max():,.0f})")
print()
for j, label in enumerate(indices.outputs):
    st, st_conf, s1 = indices.ST[j], indices.ST_conf[j], indices.S1[j]
    ranked = indices.ranking(label)
    matters = [p for p in ranked if st[indices.parameters.index(p)] - st_conf[indices.parameters.index(p)] > 0.02]
    negligible = [p for p in ranked if st[indices.parameters.index(p)] + st_conf[indices.parameters.index(p)] < 0.05]
    print(f"{label}: spread over the runs {np.std(indices.values[label]):,.0f} persons (standard deviation)")
    print(f"  most influential: {ranked[0]} (ST {st[indices.parameters.index(ranked[0])]:.2f}"
          f" ± {st_conf[indices.parameters.index(ranked[0])]:.2f})")
    print(f"  matter (ST interval above 0.02): {', '.join(matters) or 'none'}")
    print(f"  can be fixed (ST interval below 0.05): {', '.join(negligible) or 'none'}")
    print(f"  share of the variance explained by single parameters (sum of S1): {np.nansum(s1):.2f}"
          " (1 = no interactions)\n")

# %% [markdown]
# What these runs say (the lines above are computed on every run of the notebook; this reading
# is of the runs at the settings above, with their wide intervals):
#
# - **Neither stock target is reached** anywhere in these ranges: no combination of more money,
#   seats and assessors, and kinder pass rates, brings 技能劳动者 to 40万 or 高技能人才 to 12万 by
#   the end of 2021. The targets need more than these levers give in two years.
# - **技能劳动者** depends almost only on the upgrading account's money, then on the evaluation
#   agencies' capacity; nothing else matters over these ranges. The sum of S1 near 1 says the
#   two act mostly one by one, but ST above S1 for both says they also act together: money buys
#   certificates only while there are assessors (the scatter below).
# - **高技能人才** is spread over several parameters: the money again, how often workers seek
#   高级工 on their own, the agencies' capacity and the senior programme's pass rate. More seats
#   for the senior programme do nothing: the three upgrading programmes share one account,
#   served in the order listed (初级 first), and in most months its money runs short before the
#   senior seats fill (notebook 02 shows which lever binds when).
#
# How the outcome moves with the most influential parameter: each dot a run (the mean over its
# replicates), the other parameters varying at the same time, coloured by the second most
# influential. The spread at a given value of the first is what the others contribute; a
# colour that separates the dots only at one end of the axis is an interaction.

# %%
fig, axes = plt.subplots(1, len(indices.outputs), figsize=(12, 4), layout="constrained")
for ax, label in zip(axes, indices.outputs):
    first, second = indices.ranking(label)[:2]
    x = indices.points[:, indices.parameters.index(first)]
    c = indices.points[:, indices.parameters.index(second)]
    in_millions = first.startswith("funds.annual_envelope")
    dots = ax.scatter(x / 1e6 if in_millions else x, indices.values[label], c=c, s=8, cmap="viridis")
    fig.colorbar(dots, ax=ax, label=second)
    ax.axhline(targets[STOCKS[label]], color="black", linestyle=":", linewidth=1, label="target")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(first + (", million yuan a year" if in_millions else ""))
    ax.set_ylabel(f"persons at {TARGET_DATE}")
    ax.set_title(label)
    ax.legend(fontsize="small", loc="upper left")
plt.show()

# %% [markdown]
# The sweep behind the indices is an ordinary `Results` with a `scenario` dimension (one run a
# sample point, the varied keys as coordinates), for any further look:

# %%
print(indices.results)
print(f"notebook run time: {time.monotonic() - started:.0f} s")

# %% [markdown]
# How to read this:
#
# - The indices answer "what drives the outcome over these ranges", not "what should be done":
#   a lever with a large index is one whose value decides the outcome; whether raising it is
#   worth its cost is a comparison of runs (notebook 03).
# - A lever with ST near 0 cannot help while something else binds: extra seats do nothing when
#   the money for them has run out, extra money does nothing when there are no assessors to
#   certify the trainees. Such a lever may matter after the binding one is relaxed; a sensitivity
#   analysis over wider or other ranges, or with the binding lever fixed higher, says so.
# - Interactions (ST well above S1, or a sum of S1 well below 1) mean that the effect of one
#   lever depends on another: plan them together.
# - The indices depend on the ranges: a parameter given a narrow range looks unimportant. The
#   ranges above are assumptions to be argued, like the plan's own.
# - Every run uses the same seed: replicate r of every run draws the same random numbers for the
#   same decisions (common random numbers), so the differences between runs are the parameters',
#   and the noise left in a run's mean over 3 replicates is small against the spread between
#   runs. With these few samples the intervals are still wide: a real analysis runs N = 512 or
#   more at the plan's scale with 10 or more replicates, `skillsim.sensitivity(...,
#   output="sensitivity.h5")` keeping the sweep's file.
