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
# # Three ways to split the same upgrading budget
#
# The Jincheng plan (`scenarios/jincheng_plan_2020_2021.toml`) pays enterprise-worker upgrading
# (岗位技能提升培训) to 初级工, 中级工 and 高级工 from one account, the 职业技能提升行动专账.
# Here the same money a year is split three ways between the three upgrading programmes,
# weighted towards 初级, even, or weighted towards 高级, and each split is compared with the
# baseline (the ordinary subsidised training the city would have had without the plan):
#
# - how many more skilled (技能劳动者) and high-skilled (高技能人才) workers at the end of 2021;
# - the cost per additional high-skilled and per additional skilled worker;
# - the cost per certificate of each programme.
#
# The numbers printed below come from the runs; the text says how to read them.

# %%
import numpy as np
import pandas as pd

import skillsim
import skillsim.plot

REPLICATES = 20
plan = skillsim.Scenario.load("jincheng_plan_2020_2021")
baseline_scenario = skillsim.Scenario.load("jincheng_2020_2021")
SEED = plan.seed
print(plan)

# %% [markdown]
# ## Common random numbers
#
# Each replicate's random numbers are keyed by the seed, the replicate and the agent: with the
# same seed, worker *i* in replicate *k* draws the same numbers (death, job loss, the decision to
# apply, passing an assessment) in every scenario. Comparing two scenarios replicate by replicate
# then removes the noise the two runs share, and what remains is the effect of the policy. So
# every run below uses one seed and one number of replicates; `skillsim.plot.compare` and
# `skillsim.cost_per_additional` pair the replicates.
#
# ## The allocations
#
# Each allocation gives each upgrading programme its own account, with a share of the upgrading
# account's annual envelope, and the same share of the upgrading seats. The total money a year
# and the total seats a month stay the plan's; the key-groups training (就业技能培训) and its
# fund are unchanged.

# %%
funds = plan["funds.names"]
programmes = plan["programmes.names"]
shares = np.asarray(plan["programmes.fund_shares"])
envelopes = np.asarray(plan["funds.annual_envelope"], dtype=float)
seats = np.asarray(plan["programmes.seats_per_month"], dtype=float)
ACCOUNT = funds.index("upgrading_account")
UPGRADING = [p for p, row in zip(programmes, shares) if row[ACCOUNT] == 1]
OTHER_FUNDS = [f for f in range(len(funds)) if f != ACCOUNT]
up = [programmes.index(p) for p in UPGRADING]
print(f"upgrading programmes: {', '.join(UPGRADING)}")
print(f"upgrading account: {envelopes[ACCOUNT] / 1e6:,.1f} million yuan a year; "
      f"seats a month: {seats[up].sum():,.0f} (plan: {', '.join(f'{s:,.0f}' for s in seats[up].sum(axis=1))})")


def allocation(weights):
    """The plan with the upgrading account and seats split by ``weights`` (one per upgrading
    programme), each programme paid from its own account."""
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    names = [f"account_{p}" for p in UPGRADING] + [funds[f] for f in OTHER_FUNDS]
    labels = [f"专账 ({p})" for p in UPGRADING] + [plan["funds.labels"][f] for f in OTHER_FUNDS]
    new_shares = np.zeros((len(programmes), len(names)))
    for k, p in enumerate(programmes):
        if p in UPGRADING:
            new_shares[k, UPGRADING.index(p)] = 1
        else:
            new_shares[k, len(UPGRADING):] = shares[k, OTHER_FUNDS]
    new_seats = seats.copy()
    new_seats[up] = np.round(seats[up].sum(axis=0) * w[:, None])
    money = np.round(envelopes[ACCOUNT] * w)
    money[-1] = envelopes[ACCOUNT] - money[:-1].sum()  # the total exactly the plan's
    return plan.replace({
        "funds.names": names,
        "funds.labels": labels,
        "funds.annual_envelope": money.tolist() + envelopes[OTHER_FUNDS].tolist(),
        "funds.carry_over": [plan["funds.carry_over"][ACCOUNT]] * len(UPGRADING)
                            + [plan["funds.carry_over"][f] for f in OTHER_FUNDS],
        "programmes.fund_shares": new_shares.tolist(),
        "programmes.seats_per_month": new_seats.tolist(),
    })


allocations = {
    "初级-weighted 60:30:10": allocation([6, 3, 1]),
    "even 1:1:1": allocation([1, 1, 1]),
    "高级-weighted 10:30:60": allocation([1, 3, 6]),
}
pd.DataFrame(
    {
        name: [
            f"{m / 1e6:,.1f}M yuan, {s:,.0f} seats"
            for m, s in zip(sc["funds.annual_envelope"], np.asarray(sc["programmes.seats_per_month"])[up].sum(axis=1))
        ]
        for name, sc in allocations.items()
    },
    index=pd.Index(UPGRADING, name="a year / a month"),
)

# %% [markdown]
# ## Run them
#
# The baseline, the three allocations and, for reference, the plan as written (one shared
# account: when money is short, the programmes are served in the order listed, 初级 first), all
# with the same seed and replicates.

# %%
baseline = skillsim.run(baseline_scenario, replicates=REPLICATES, seed=SEED, progress=False)
runs = {name: skillsim.run(sc, replicates=REPLICATES, seed=SEED, progress=False)
        for name, sc in allocations.items()}
reference = skillsim.run(plan, replicates=REPLICATES, seed=SEED, progress=False)
with_reference = {**runs, "plan (one shared account)": reference}

# %% [markdown]
# High-skilled and skilled workers: each allocation's median and bands (left), and its
# difference from the baseline, replicate by replicate (right). A difference band that is narrow
# compared with the bands on the left is common random numbers at work.

# %%
skillsim.plot.compare({"baseline": baseline, **runs}, "high_skilled_workers", chinese_labels=True)

# %%
skillsim.plot.compare({"baseline": baseline, **runs}, "skilled_workers", chinese_labels=True)

# %% [markdown]
# ## Cost per additional worker
#
# `skillsim.cost_per_additional(policy, baseline, series)` gives, per replicate, the extra money
# spent over the run divided by the extra workers in `series` at the end of 2021 (NaN where there
# are none). The table shows the median and the 90% interval over replicates. By default the
# money counted is everything the scenario paid less everything the baseline paid (its ordinary
# training), including the key-groups training, which is about the same in every allocation:
# differences between the rows come from the upgrading money. `programmes=[...]` counts only the
# money of the programmes named, in both runs: the last column counts the upgrading programmes
# alone (the plan's less the baseline's ordinary upgrading).


# %%
def interval(values, scale=1.0, digits=0):
    values = np.asarray(values, dtype=float) / scale
    values = values[~np.isnan(values)]
    if values.size == 0:
        return "n/a"
    lo, mid, hi = np.quantile(values, [0.05, 0.5, 0.95])
    return f"{mid:,.{digits}f} ({lo:,.{digits}f} to {hi:,.{digits}f})"


def extra(res, series):
    return np.asarray(res[series])[:, -1] - np.asarray(baseline[series])[:, -1]


def spent(res):
    return np.asarray(res["spending"], dtype=float).sum(axis=(1, 2, 3))


costs = pd.DataFrame(
    {
        name: {
            "money paid, million yuan": interval(spent(res), 1e6, 1),
            "additional high-skilled": interval(extra(res, "high_skilled_workers")),
            "yuan per additional high-skilled": interval(
                skillsim.cost_per_additional(res, baseline, "high_skilled_workers")),
            "additional skilled": interval(extra(res, "skilled_workers")),
            "yuan per additional skilled": interval(skillsim.cost_per_additional(res, baseline, "skilled_workers")),
            "yuan per additional high-skilled, upgrading money only": interval(
                skillsim.cost_per_additional(
                    res,
                    baseline,
                    "high_skilled_workers",
                    programmes=[p for p in res.coords("programme") if p.startswith("upgrading")],
                )
            ),
        }
        for name, res in with_reference.items()
    }
).T
costs.index.name = "median (90% interval)"
costs

# %% [markdown]
# Money left unspent says where demand, not money, limited a programme: an account with money
# left at the end of 2021 had fewer applicants than it could pay for. (The new accounts carry money
# over from 2020 to 2021 or not, as the plan's upgrading account does: `funds.carry_over`.)

# %%
left = pd.DataFrame(
    {
        name: res.to_xarray()["fund_remaining"].isel(time=-1).median("replicate").to_pandas() / 1e6
        for name, res in with_reference.items()
    }
)
left = left.reindex(list(allocations[next(iter(allocations))]["funds.names"]) + [funds[ACCOUNT]]).round(1)
left = left.astype(object).where(left.notna(), "-")  # "-": the fund does not exist in that allocation
left.index.name = "uncommitted at the end, million yuan (median)"
left

# %% [markdown]
# ## Cost per certificate, by programme
#
# `cost_per_certificate` is the money paid for a programme over the run per certificate it
# produced (median over replicates). For a subsidy paid only on certification it is the subsidy
# itself, whatever the split; for a programme paid at enrolment it is higher, because trainees
# who drop out or fail were paid for too.

# %%
per_certificate = pd.DataFrame(
    {name: res.to_xarray()["cost_per_certificate"].median("replicate").to_pandas()
     for name, res in with_reference.items()}
).round(0)
per_certificate.index.name = "yuan per certificate (median)"
per_certificate

# %%
payment = dict(zip(programmes, plan["programmes.payment"]))
subsidy = dict(zip(programmes, plan["programmes.cost_per_trainee"]))
for p, row in per_certificate.iterrows():
    ratio = row.median() / subsidy[p]
    print(f"{p}: paid on {payment[p]}, subsidy {subsidy[p]:,.0f} yuan; "
          f"cost per certificate {ratio:.2f} x the subsidy")

# %% [markdown]
# ## What the runs say
#
# Computed from the runs above: which allocation gives the most additional high-skilled and
# skilled workers, which is cheapest per additional worker, and how much pairing narrows the
# comparison.

# %%
for series in ("high_skilled_workers", "skilled_workers"):
    most = max(runs, key=lambda n: np.median(extra(runs[n], series)))
    cheapest = min(runs, key=lambda n: np.nanmedian(skillsim.cost_per_additional(runs[n], baseline, series)))
    print(f"{series}: most additional with {most} ({np.median(extra(runs[most], series)):+,.0f}); "
          f"cheapest per additional worker: {cheapest} "
          f"({np.nanmedian(skillsim.cost_per_additional(runs[cheapest], baseline, series)):,.0f} yuan)")

ranked = sorted(runs, key=lambda n: np.median(extra(runs[n], "high_skilled_workers")), reverse=True)
best, second = ranked[0], ranked[1]
hs_best = np.asarray(runs[best]["high_skilled_workers"])[:, -1]
hs_second = np.asarray(runs[second]["high_skilled_workers"])[:, -1]
paired = hs_best - hs_second
unpaired = (hs_best[:, None] - hs_second[None, :])[~np.eye(REPLICATES, dtype=bool)]  # replicate k against j != k
print(f"\nHigh-skilled workers at the end, {best} minus {second}:")
print(f"  paired replicates (common random numbers): {interval(paired)}")
print(f"  unpaired (replicate k against another j):  {interval(unpaired)}")
if np.quantile(paired, 0.05) > 0:
    print("  the paired 90% interval is above 0: the ranking holds")
else:
    print("  the paired 90% interval includes 0: these replicates do not tell the two apart")

# %% [markdown]
# How to read this:
#
# - The allocation with the most additional high-skilled workers is not necessarily the cheapest
#   per additional worker: an allocation that leaves money unspent (see the table of uncommitted
#   money) buys fewer workers but also pays less.
# - The two costs answer different questions. Money towards 高级 buys high-skilled workers; money
#   towards 初级 buys skilled workers (a first certificate), and, through the ladder, future
#   candidates for the higher levels that a two-year run does not see.
# - The paired interval is the comparison to trust; the unpaired one is what two runs with
#   different random numbers would give. When it is much wider, pairing is what makes the two
#   allocations distinguishable with this many replicates; when the paired interval includes 0,
#   the two allocations are equivalent as far as these runs can tell.
# - Costs are per additional worker at the end of 2021, against a baseline without any
#   programme; they include the key-groups training money (the same in every allocation), so
#   read them as comparisons between allocations rather than as the price of one certificate.
