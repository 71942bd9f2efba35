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
# # skillsim quickstart
#
# Load the bundled default scenario (Jincheng 晋城, 2020-2021), run an ensemble of replicates,
# plot skilled and high-skilled workers against the plan's targets, and read the results file
# back with xarray.
#
# Open this file in Jupyter as a notebook (it is a jupytext "percent" notebook:
# `pip install jupytext`, or `jupytext --to ipynb notebooks/01_quickstart.py`).

# %%
from pathlib import Path

import xarray as xr

import skillsim
import skillsim.plot

print("skillsim", skillsim.__version__, "- bundled scenarios:", ", ".join(skillsim.bundled_scenarios()))

# %% [markdown]
# ## The scenario
#
# `Scenario.load()` without a name loads the default, `jincheng_2020_2021`. A scenario is
# validated when it is made: a bad value raises `skillsim.ScenarioError` listing every problem.

# %%
scenario = skillsim.Scenario.load()
print(scenario)
print("population:", f"{scenario['population.size']:,.0f} persons,", scenario["population.scale"], "per agent")
for target in scenario.targets:
    print(f"target: {target.label}: {target.series} >= {target.value:,.0f} on {target.date}")

# %% [markdown]
# Variants are made with `replace`, which returns a new, validated scenario (the original is
# unchanged). Errors name the key:

# %%
try:
    scenario.replace({"labour.job_loss_rate": 1.5, "labour.job_find_rat": 0.2})
except skillsim.ScenarioError as error:
    print(error)

# %% [markdown]
# ## Run an ensemble
#
# Ten replicates with the scenario's seed. A progress bar appears for runs longer than a second;
# Ctrl-C (or the stop button) cancels a run cleanly.

# %%
results = skillsim.run(scenario, replicates=10)
results

# %%
skilled = results.to_pandas("skilled_workers")  # one row per month, one column per replicate
skilled.iloc[[0, 12, 24]]

# %% [markdown]
# ## Against the targets
#
# Median and 50%/90% bands over the replicates; the stars are the targets, the dashed line a
# straight trajectory to them. The baseline has the ordinary subsidised training the city would
# have had without the plan (the national pre-action volume per head) and the national rates
# fitted to data up to 2016; each replicate runs under one of the national posterior's parameter
# sets, so the bands carry parameter uncertainty as well as noise. It stays far from both targets
# (notebook 02 runs the plan).

# %%
skillsim.plot.fan_chart(results, "skilled_workers", chinese_labels=True)

# %%
skillsim.plot.fan_chart(results, "high_skilled_workers", chinese_labels=True)

# %%
skillsim.plot.flows(results, chinese_labels=True)

# %% [markdown]
# ## The results file
#
# `save` writes the HDF5 results file (netCDF-4 layout; atomically, and never over an existing
# file unless `overwrite=True`). xarray opens it directly; the Dataset is the same as
# `results.to_xarray()`.

# %%
path = Path("quickstart_results.h5")
results.save(path, overwrite=True)

with xr.open_dataset(path, engine="h5netcdf") as ds:
    ds.load()
xr.testing.assert_identical(ds, results.to_xarray())
ds

# %%
at_end = ds.skilled_workers.sel(time="2022-01-01")
print(f"skilled workers at the end of 2021: median {float(at_end.median()):,.0f} "
      f"(range {int(at_end.min()):,} - {int(at_end.max()):,})")
ds.workers.sel(status="employed").isel(replicate=0).to_pandas().iloc[[0, -1]]

# %%
path.unlink()
