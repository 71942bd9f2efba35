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
# # Will the Jincheng 2020-2021 plan meet its targets?
#
# Jincheng (晋城) set targets for the end of 2021: stocks (技能劳动者 40万, 高技能人才 12万), flows
# (岗位技能提升 20万人次 and 重点群体培训 3万 a year, 6万 new skilled workers a year) and rates
# (pass rate 95%, certificate rate 60%, employment rate 30% after training). This notebook asks:
#
# 1. With the plan's programmes, money and evaluators (`scenarios/jincheng_plan_2020_2021.toml`),
#    how likely is each target to be met?
# 2. Which lever binds first: seats, money, or evaluation capacity?
# 3. What changes with 20% more evaluation capacity, or with the money split differently
#    between the two funds?
#
# Every number below is computed from the runs; the text says how to read it. The plan's costs,
# demand and capacities are assumptions stated in the scenario file, so read the results as
# "what these assumptions imply", and change the assumptions with `scenario.replace`.

# %%
import numpy as np
import pandas as pd

import skillsim
import skillsim.plot

REPLICATES = 20  # ensembles of 20: "met in 15 of 20 replicates" reads as 75%

baseline_scenario = skillsim.Scenario.load("jincheng_2020_2021")
plan = skillsim.Scenario.load("jincheng_plan_2020_2021")
SEED = plan.seed  # one seed for every run: common random numbers
print(plan)
print(f"population scale: one agent for {plan['population.scale']} persons; "
      f"{REPLICATES} replicates, seed {SEED}")

# %% [markdown]
# ## The plan's levers
#
# Seats are new places a month, money is each fund's annual envelope (granted each January),
# evaluation capacity is assessments a month. Certificates need an assessment, so the evaluators
# are a lever too: programme completers and workers climbing the ladder on their own queue for
# the same assessments.

# %%
programmes = plan["programmes.names"]
funds = plan["funds.names"]
shares = np.asarray(plan["programmes.fund_shares"])
pd.DataFrame(
    {
        "label": plan["programmes.labels"],
        "seats a month": np.asarray(plan["programmes.seats_per_month"]).sum(axis=1),
        "yuan per trainee": plan["programmes.cost_per_trainee"],
        "paid on": plan["programmes.payment"],
        "paid from": [funds[int(np.argmax(row))] for row in shares],
    },
    index=pd.Index(programmes, name="programme"),
)

# %%
print(pd.DataFrame({"label": plan["funds.labels"], "yuan a year": plan["funds.annual_envelope"],
                    "carry over": plan["funds.carry_over"]}, index=pd.Index(funds, name="fund")))
print()
print(pd.DataFrame({"label": plan["evaluation.labels"],
                    "assessments a month": np.asarray(plan["evaluation.capacity_per_month"]).sum(axis=1)},
                   index=pd.Index(plan["evaluation.evaluators"], name="evaluator")))

# %% [markdown]
# ## Run the baseline and the plan
#
# The baseline (`jincheng_2020_2021.toml`) has the same population, COVID shock, stock targets
# and national assessment rates, but only the ordinary subsidised training (the national
# pre-action volume per head) and no evaluation limits. Both run with the same seed and
# replicates, so replicate *k* of each sees the same random numbers for the same workers and the
# same parameter set of the national posterior (docs/calibration.md, "Jincheng").

# %%
baseline = skillsim.run(baseline_scenario, replicates=REPLICATES, seed=SEED, progress=False)
results = skillsim.run(plan, replicates=REPLICATES, seed=SEED, progress=False)
results

# %% [markdown]
# ## The targets
#
# One row per target: the value attained at the target date (median over replicates, with the
# 5%-95% range) and `met_share`, the share of replicates that met it. Rates are shares
# (0.95 = 95%); flows count persons (person-times for training) over 2021. A `met_share` near 0
# or 1 is a clear answer; near 0.5 the target sits on the edge of what the assumptions give.

# %%
targets = results.targets
table = results.target_table()
table


# %%
def fmt(value, series):
    """A target value as people read it: rates in percent, persons with thousands separators."""
    return f"{value:.1%}" if series.endswith("_rate") else f"{value:,.0f}"


for row in table.itertuples():
    verdict = "met" if row.met_share >= 0.5 else "missed"
    if row.series.endswith("_rate"):
        gap = f"{100 * (row.attained_median - row.target):+.1f} percentage points"
    else:
        gap = f"{row.attained_median / row.target:.0%} of the target"
    print(f"{row.label}: {verdict} in most replicates (met in {row.met_share:.0%}); "
          f"median {fmt(row.attained_median, row.series)} against {fmt(row.target, row.series)} ({gap})")

# %% [markdown]
# Against the baseline: skilled workers month by month with and without the plan (left, with the
# target as a star and its planned straight-line trajectory), and the paired difference, plan
# minus baseline replicate by replicate (right): what the plan adds.

# %%
skillsim.plot.compare({"baseline": baseline, "plan": results}, "skilled_workers", chinese_labels=True)


# %% [markdown]
# One chart each for a stock, a flow and a rate target (`skillsim.plot.target`): the median and
# bands over replicates of the target's series, its planned trajectory where the plan gives one
# (dashed), and the target (star). Flows and rates at a date are over the 12 months before it.

# %%
def find_target(series, programme=None):
    """Position of the first target on ``series`` (and counting ``programme``, if given)."""
    for j, t in enumerate(targets):
        if t.series == series and (programme is None or programme in t.programmes):
            return j
    raise KeyError(series)


STOCK = find_target("high_skilled_workers")
FLOW = find_target("trainees_per_year", programmes[0])  # enterprise-worker upgrading
RATE = find_target("certificate_rate")
skillsim.plot.target(results, STOCK)

# %%
skillsim.plot.target(results, FLOW)

# %%
skillsim.plot.target(results, RATE)

# %% [markdown]
# ## Which lever binds first?
#
# A constraint *binds* in a month when it turns applicants away (seats, a programme's money, a
# fund running short) or, for an evaluator type, when its capacity is used up while candidates
# it could assess are left waiting. The chart shows, month by month, the share of replicates in
# which each constraint bound.

# %%
skillsim.plot.binding(results, chinese_labels=True)

# %% [markdown]
# The same record as a table: for each constraint, the first month in which it bound in most
# replicates, and in how many months it did. The result variables record each month at its end
# (the value at 2020-04-01 is the month of March 2020); the table names the month itself.

# %%
def binding_table(res):
    ds = res.to_xarray()
    months = pd.DatetimeIndex(ds["time"].values)
    records = {  # constraint kind -> (replicate, time, item) indicator, 1 where it bound
        "seats": ds["seats_binding"].max("region"),
        "money (programme)": ds["money_binding"],
        "money (fund)": ds["fund_binding"],
        "evaluation capacity": ds["evaluation_binding"].max("region"),
    }
    rows = []
    for kind, indicator in records.items():
        item_dim = [d for d in indicator.dims if d not in ("replicate", "time")][0]
        share = (indicator > 0).mean("replicate").transpose(item_dim, "time").values
        ever = (indicator > 0).any("time").mean("replicate").values
        for name, by_month, ever_share in zip(indicator[item_dim].values, share, ever):
            most = np.flatnonzero(by_month > 0.5)
            rows.append({
                "lever": kind,
                "constraint": str(name),
                # a flow recorded at time t is over the month that ends at t: name that month
                "first month binding": months[most[0] - 1].strftime("%Y-%m") if most.size else "never",
                "months binding in most replicates": most.size,
                "binds at all (share of replicates)": float(ever_share),
            })
    return pd.DataFrame(rows).sort_values(["first month binding", "lever"]).reset_index(drop=True)


binding = binding_table(results)
binding

# %%
bound = binding[binding["first month binding"] != "never"]
if bound.empty:
    print("No constraint binds in most replicates: demand alone limits the programmes.")
else:
    first = bound[bound["first month binding"] == bound["first month binding"].iloc[0]]
    print(f"First to bind, in {first['first month binding'].iloc[0]}: "
          + "; ".join(f"{r.lever} ({r.constraint})" for r in first.itertuples()))
    for lever, rows in bound.groupby("lever", sort=False):
        print(f"  {lever}: from {rows['first month binding'].min()}, "
              f"up to {rows['months binding in most replicates'].max()} of {plan.months} months")
never = binding[binding["first month binding"] == "never"]
print("Never binding in most replicates:",
      "; ".join(f"{r.lever} ({r.constraint})" for r in never.itertuples()) or "none")

# %% [markdown]
# "Binds first" is not the same as "matters most": a constraint that binds early may only delay
# certificates (candidates wait in the queue), while one that binds later may stop enrolments
# for the rest of the year. The variants below test that directly.
#
# A quick consistency check of the upgrading target against demand, seats and money: how many
# applied in 2021, how many seats there were, and what the target would cost at the yuan the
# plan actually paid per upgrading enrolment in 2021 (a rough figure: subsidies paid on
# certification are paid a few months after enrolment).

# %%
ds = results.to_xarray()
upgrading = list(targets[FLOW].programmes)
end = int(np.flatnonzero(ds["time"].values == np.datetime64(targets[FLOW].date, "ns"))[0])
last_year = slice(end - 11, end + 1)  # the 12 monthly flows recorded up to the target date
applied = ds["applications"].sel(programme=upgrading).isel(time=last_year).sum(["time", "programme"])
paid = ds["spending"].sel(programme=upgrading).isel(time=last_year).sum(["time", "programme", "fund"])
enrolled = ds["target_attained"].isel(target=FLOW)
seats_a_year = 12 * np.asarray(plan["programmes.seats_per_month"])[[programmes.index(p) for p in upgrading]].sum()
per_enrolment = float((paid / enrolled).median())
upgrading_funds = [funds[f] for f in np.flatnonzero(shares[[programmes.index(p) for p in upgrading]].sum(axis=0))]
envelope = sum(plan["funds.annual_envelope"][funds.index(f)] for f in upgrading_funds)
goal = targets[FLOW].value
print(f"Upgrading target: {goal:,.0f} enrolments in the 12 months to {targets[FLOW].date}")
print(f"  seats offered:   {seats_a_year:,.0f}")
print(f"  applications:    {float(applied.median()):,.0f} (median; an applicant turned away may apply again)")
print(f"  enrolments:      {float(enrolled.median()):,.0f}")
print(f"  yuan paid per enrolment: {per_enrolment:,.0f}, so the target would take about "
      f"{goal * per_enrolment / 1e6:,.0f} million yuan a year; "
      f"{', '.join(upgrading_funds)} gets {envelope / 1e6:,.0f} million")

# %% [markdown]
# Read the four lines together: if applications are below the target, demand (the programmes'
# `application_rate`) caps enrolments whatever the seats and money; if enrolments are below
# applications, seats or money turned people away (the binding table says which); if the money
# the target would take exceeds the envelope, the volume target and the budget are inconsistent.
#
# ## Variants: more evaluation capacity, a different split of the money
#
# - **evaluation x1.2**: every evaluator type's monthly capacity multiplied by 1.2 (the
#   `evaluation.capacity_per_month` matrix, one row per type, one column per region).
# - **money moved**: the same total money, with part of the envelope of the fund that had money
#   left at the year ends moved to the fund that ran short. The amount is what the donor fund
#   left unused in the plan run (the smaller of its two year-end balances, median over
#   replicates, rounded down to a million yuan), so the donor should not start to bind.
# - **both** together.

# %%
capacity = np.asarray(plan["evaluation.capacity_per_month"])
envelopes = np.asarray(plan["funds.annual_envelope"], dtype=float)
year_ends = ds["time"].dt.month.values == 1
year_ends[0] = False  # the start of the run is not a year end
left_over = ds["fund_remaining"].isel(time=year_ends).median("replicate").min("time").values
short = ds["fund_binding"].sum("time").median("replicate").values
recipient = int(np.argmax(short))
donor = max((f for f in range(len(funds)) if f != recipient), key=lambda f: left_over[f])
moved = float(np.floor(left_over[donor] / 1e6) * 1e6)
split = envelopes.copy()
split[recipient] += moved
split[donor] -= moved
def millions(values):
    return ", ".join(f"{v / 1e6:,.0f}M" for v in values)


print(f"money moved: {moved / 1e6:,.0f} million yuan a year from {funds[donor]} to {funds[recipient]}: "
      f"envelopes {millions(envelopes)} -> {millions(split)}")

variants = {
    "evaluation x1.2": plan.replace({"evaluation.capacity_per_month": (capacity * 1.2).tolist()}),
    "money moved": plan.replace({"funds.annual_envelope": split.tolist()}),
}
variants["both"] = variants["evaluation x1.2"].replace({"funds.annual_envelope": split.tolist()})
runs = {"plan": results}
for name, scenario in variants.items():
    runs[name] = skillsim.run(scenario, replicates=REPLICATES, seed=SEED, progress=False)

# %% [markdown]
# Target attainment by variant: the median attained, and in brackets the share of replicates
# that met the target.

# %%
attainment = pd.DataFrame(
    {
        name: [f"{fmt(r.attained_median, r.series)} [{r.met_share:.0%}]" for r in res.target_table().itertuples()]
        for name, res in runs.items()
    },
    index=pd.Index([t.label for t in targets], name="target"),
)
attainment.insert(0, "target", [fmt(t.value, t.series) for t in targets])
attainment

# %% [markdown]
# The effect of each variant, paired replicate by replicate against the plan (common random
# numbers: the difference is the variant's effect, not the noise of different draws): the median
# difference in what each target attained, with its 90% interval (rates in percentage points).
# An interval that excludes 0 is an effect these replicates can tell apart from nothing.

# %%
def fmt_difference(value, series):
    """A difference: percentage points for rates, persons otherwise."""
    return f"{100 * value:+.1f} pp" if series.endswith("_rate") else f"{round(value):+,}"


plan_attained = np.asarray(results["target_attained"])
effects = {}
for name, res in list(runs.items())[1:]:
    diff = np.asarray(res["target_attained"]) - plan_attained
    lo, mid, hi = np.nanquantile(diff, [0.05, 0.5, 0.95], axis=0)
    effects[name] = [
        f"{fmt_difference(m, t.series)} ({fmt_difference(a, t.series)} to {fmt_difference(b, t.series)})"
        for t, a, m, b in zip(targets, lo, mid, hi)
    ]
pd.DataFrame(effects, index=pd.Index([t.label for t in targets], name="difference from the plan"))

# %%
skillsim.plot.compare(runs, "skilled_workers", chinese_labels=True)

# %%
skillsim.plot.compare(runs, "target_value", sel={"target": targets[FLOW].label},
                      title=f"{targets[FLOW].series}: {targets[FLOW].label}")

# %% [markdown]
# ## What the runs say
#
# The lines below are computed from the runs above. For each target: whether any variant meets
# it in most replicates, and which variant moved it most. Then, per lever, the effect on the two
# stock targets, to set against which lever binds first.

# %%
for j, t in enumerate(targets):
    rows = {name: res.target_table().iloc[j] for name, res in runs.items()}
    met = [name for name, r in rows.items() if r.met_share >= 0.5]
    best = max(rows, key=lambda name: rows[name].attained_median)
    print(f"{t.label}: met in most replicates by {', '.join(met) if met else 'no variant'}; "
          f"highest median: {best} ({fmt(rows[best].attained_median, t.series)} of {fmt(t.value, t.series)})")
print()
for name, res in list(runs.items())[1:]:
    gains = []
    for series in ("skilled_workers", "high_skilled_workers"):
        diff = np.asarray(res[series])[:, -1] - np.asarray(results[series])[:, -1]
        gains.append(f"{series} {np.median(diff):+,.0f}")
    print(f"{name} vs plan at the end of 2021 (median of paired differences): {'; '.join(gains)}")
gain = {name: np.median(np.asarray(res["skilled_workers"])[:, -1] - np.asarray(results["skilled_workers"])[:, -1])
        for name, res in runs.items()}
together = "more than" if gain["both"] > gain["evaluation x1.2"] + gain["money moved"] else "no more than"
print(f"Both levers together add {together} the two apart (skilled workers: {gain['both']:+,.0f} "
      f"against {gain['evaluation x1.2']:+,.0f} and {gain['money moved']:+,.0f}).")
first_lever = ", ".join(first["lever"].unique()) if not bound.empty else "none"
print(f"The first lever to bind was: {first_lever}.")

# %% [markdown]
# How to read this:
#
# - A target missed by every variant is out of reach of these levers at these magnitudes; the
#   consistency check above (demand, seats, money) says why.
# - Set the first lever to bind against its variant's gains: if relaxing it adds little while
#   another variant adds more, the first constraint only delays people (a queue for assessments
#   holds certificates back by a few months) and the other one decides how many get through.
# - A rate target whose `met_share` stays near 50% or below in every variant is set at about the
#   value the assumptions themselves give (a certificate rate close to completion x pass
#   probability): meeting it is then chance, not policy. Rates over the 12 months before the date
#   also dip while completers wait in the assessment queue; see the rate chart.
# - When "both" adds more than the two single variants together, the levers are complements:
#   evaluation capacity pays once money lets more trainees through, and the reverse.

# %% [markdown]
# ## For planners without Jupyter: the comparison and the report
#
# `skillsim.compare` puts the runs side by side against their targets (the same as
# `skillsim compare baseline.h5 plan.h5` on the command line); `skillsim.report` writes the whole
# comparison as one self-contained HTML file to open in any browser (docs/report.md). Here into
# a temporary folder; give it a path of your own.

# %%
import tempfile
from pathlib import Path

variants = {"baseline": baseline, "plan": results, **{name: res for name, res in runs.items() if name != "plan"}}
comparison = skillsim.compare(variants)
print(comparison.summary.to_string())
page = skillsim.report(variants, Path(tempfile.mkdtemp()) / "jincheng_report.html")
print(f"report: {page} ({page.stat().st_size / 1e6:.1f} MB)")
