"""Python and the command line: the same results for the same scenario and seed, the same
messages for the same problems."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

import skillsim
from skillsim.scenario import toml_value

from conftest import JINCHENG


def test_python_and_cli_give_identical_results(cli, small_results, tmp_path):
    out = tmp_path / "cli.h5"
    cmd = [str(cli), "run", str(JINCHENG), "--set", "population.scale=100", "--replicates", "3", "--seed", "7"]
    cmd += ["--threads", "1", "--quiet", "-o", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    from_cli = skillsim.open_results(out)
    assert from_cli.variables == small_results.variables
    assert from_cli.dims == small_results.dims
    for name in small_results.variables:
        np.testing.assert_array_equal(from_cli[name], small_results[name], err_msg=name)
    ds_cli, ds_py = from_cli.to_xarray(), small_results.to_xarray()
    for key in ("scenario_source", "scenario_name", "seed", "scale", "engine_version", "git_commit"):
        assert np.all(ds_cli.attrs[key] == ds_py.attrs[key]), key
    # The command line records the file's text (and the --set options in command_line); Python,
    # for a scenario with overrides, the complete scenario: both read back to the same scenario.
    assert from_cli.scenario.replace({"population.scale": 100}) == small_results.scenario
    assert skillsim.open_results(out).scenario.text == JINCHENG.read_text(encoding="utf-8")
    assert ds_cli.attrs["command_line"].startswith("skillsim run ")


@pytest.mark.parametrize(
    "overrides",
    [
        {"labour.job_find_rat": 0.1},
        {"scenario.months": 1.5, "labour.job_loss_rate": 1.5},
        {"scenario.start": "2020-01-01", "skills.pass_probability": [1, 1, 0.9]},
    ],
)
def test_python_errors_are_the_command_line_messages(cli, overrides):
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.load(str(JINCHENG)).replace(overrides)
    cmd = [str(cli), "validate", str(JINCHENG)]
    for key, value in overrides.items():
        cmd += ["--set", f"{key}={toml_value(value)}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == str(e.value) + "\n"


def test_bundled_command_line_runs(cli):
    done = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith(f"skillsim {skillsim.__version__}")
