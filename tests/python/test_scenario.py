"""Scenarios: loading, reading values, replace, to_toml and from_dict round trips, and errors."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import numpy as np
import pytest

import skillsim
from skillsim.scenario import toml_value

from conftest import JINCHENG, REPO


def test_load_by_path_and_by_name_agree():
    by_path = skillsim.Scenario.load(JINCHENG)
    by_name = skillsim.Scenario.load("jincheng_2020_2021")
    default = skillsim.Scenario.load()
    assert by_path == by_name == default
    assert by_path.source == str(JINCHENG)
    assert by_path.text == JINCHENG.read_text(encoding="utf-8")
    assert set(skillsim.bundled_scenarios()) >= {"jincheng_2020_2021", "national_2016"}


def test_values_and_properties():
    s = skillsim.Scenario.load(JINCHENG)
    assert s.name == "jincheng_2020_2021"
    assert s.start == dt.date(2020, 1, 1)
    assert s.end == dt.date(2022, 1, 1)
    assert s.months == 24
    assert s.seed == 20200101 and s.replicates == 20
    assert s["population.size"] == 1_360_000
    assert s["population.scale"] == 10 and isinstance(s["population.scale"], int)
    assert s["population.regions"] == ["晋城市"]
    assert s["scenario.start"] == dt.date(2020, 1, 1)
    assert len(s["skills.pass_probability"]) == 9
    prior = s["population.level_by_age_prior"]
    assert len(prior) == 10 and all(len(row) == 9 for row in prior)
    assert [t.series for t in s.targets] == ["skilled_workers", "high_skilled_workers"]
    assert s.targets[0].date == dt.date(2022, 1, 1) and s.targets[0].value == 400_000
    assert (dt.date(2020, 2, 1), "labour.job_loss_multiplier", 2.5) in s.schedule
    assert [c.date for c in s.schedule] == sorted(c.date for c in s.schedule) and len(s.schedule) == 6
    assert "labour.job_loss_rate" in s and "labour.nope" not in s
    assert s.keys()[0] == "scenario.name" and len(s.parameters()) == len(s.keys())


def test_a_shortened_run_leaves_out_what_is_dated_after_it_with_a_warning():
    whole = skillsim.Scenario.load("jincheng_plan_2020_2021")
    assert whole.notes == []
    with pytest.warns(UserWarning) as caught:
        short = whole.replace({"scenario.months": 3})
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2, messages
    assert "these schedule entries, dated after it, are left out: schedule[1], schedule[2]" in messages[0]
    assert "these targets, dated after it, are left out: targets[0] (技能劳动者 40万 by end of 2021)" in messages[1]
    assert short.months == 3
    assert short.targets == []
    assert [date for date, _, _ in short.schedule] == [d for d, _, _ in whole.schedule if d < dt.date(2020, 4, 1)]
    assert len(short.notes) == 2 and short.notes[0].startswith("scenario.months=3 ends the run at 2020-03-01")
    # The shortened scenario round-trips: its own file has what it runs and nothing to leave out.
    again = skillsim.Scenario.from_toml(short.to_toml())
    assert again.notes == [] and again.schedule == short.schedule


def test_unknown_key_is_a_key_error_with_a_suggestion():
    s = skillsim.Scenario.load(JINCHENG)
    with pytest.raises(KeyError, match="did you mean 'labour.job_loss_rate'"):
        s["labour.job_los_rate"]
    assert s.get("labour.job_los_rate", 3) == 3


def test_replace_returns_a_new_validated_scenario():
    s = skillsim.Scenario.load(JINCHENG)
    t = s.replace({"labour.job_loss_rate": 0.02, "scenario.start": dt.date(2020, 1, 1)})
    assert t["labour.job_loss_rate"] == 0.02
    assert s["labour.job_loss_rate"] != 0.02  # unchanged
    u = t.replace(population__scale=100)
    assert u["population.scale"] == 100 and u["labour.job_loss_rate"] == 0.02
    assert u.overrides == ("labour.job_loss_rate=0.02", "scenario.start=2020-01-01", "population.scale=100")
    assert u.text == s.text
    assert t != s and t == s.replace({"labour.job_loss_rate": 0.02})


def test_replace_takes_vectors_matrices_arrays_and_numpy_scalars():
    s = skillsim.Scenario.load(JINCHENG)
    pp = [1, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 1, 1]
    prior = np.ones((10, 9))
    t = s.replace(
        {
            "skills.pass_probability": np.array(pp),
            "population.level_by_age_prior": prior,
            "population.scale": np.int64(50),
            "labour.job_find_rate": np.float32(0.25),
            "scenario.name": 'quote " and back\\slash',
        }
    )
    assert t["skills.pass_probability"] == pp
    assert t["population.level_by_age_prior"] == prior.tolist()
    assert t["population.scale"] == 50
    assert t["labour.job_find_rate"] == 0.25
    assert t.name == 'quote " and back\\slash'


def test_integers_are_ints_and_flags_are_bools():
    s = skillsim.Scenario.load("jincheng_plan_2020_2021")
    assert s["programmes.full_time"] == [False, False, False, True]
    assert all(type(v) is bool for v in s["programmes.full_time"])
    assert s["programmes.full_time"] == [0, 0, 0, 1]  # True == 1: code written for 0/1 still works
    assert s["funds.carry_over"] == [True, False]
    groups = s["programmes.eligible_groups"]
    assert len(groups) == 4 and all(type(v) is bool for row in groups for v in row)
    assert s["programmes.min_level"] == [0, 2, 3, 0]
    assert all(type(v) is int for v in s["programmes.min_level"] + s["skills.min_months"])
    assert s["programmes.duration_months"] == [1, 2, 3, 2]
    assert s["skills.may_be_unreachable"] == [False] * 7 + [True] * 2
    kinds = {spec["key"]: spec["kind"] for spec in skillsim._core.parameter_specs()}
    assert kinds["programmes.full_time"] == "array of booleans"
    assert kinds["programmes.eligible_groups"] == "array of arrays of booleans"
    assert kinds["programmes.min_level"] == "array of integers"
    assert kinds["skills.pass_probability"] == "array of numbers"


def test_replace_takes_flags_as_bools_ints_and_numpy_arrays():
    s = skillsim.Scenario.load("jincheng_plan_2020_2021")
    by_bool = s.replace({"programmes.full_time": [False, False, False, True]})
    assert by_bool == s  # the same values as the file's 1/0
    for flags in ([1, 1, 0, 1], np.array([True, True, False, True]), np.array([1, 1, 0, 1]), np.array([1.0, 1, 0, 1])):
        t = s.replace({"programmes.full_time": flags})
        assert t["programmes.full_time"] == [True, True, False, True]
    t = s.replace(
        {
            "programmes.eligible_statuses": np.tile(np.array([0, 1, 1, 0, 0, 0], dtype=bool), (4, 1)),
            "programmes.duration_months": np.array([2, 2, 3, 2]),
            "skills.min_months": [0, 0, 12, 36, 60, 48, 48, 36, 36.0],  # a whole float is accepted
        }
    )
    assert t["programmes.eligible_statuses"][3] == [False, True, True, False, False, False]
    assert t["programmes.duration_months"] == [2, 2, 3, 2]
    assert t["skills.min_months"][3] == 36 and type(t["skills.min_months"][8]) is int


def test_bad_flag_and_bad_integer():
    s = skillsim.Scenario.load("jincheng_plan_2020_2021")
    with pytest.raises(skillsim.ScenarioError) as e:
        s.replace({"programmes.full_time": [0.5, 0, 0, 2], "programmes.duration_months": [1, 2.5, 3, 2]})
    assert problem(e, "programmes.full_time[0]").message == "expected true or false (or 1 or 0), got floating-point 0.5"
    assert problem(e, "programmes.full_time[3]").message == "expected true or false (or 1 or 0), got integer 2"
    assert problem(e, "programmes.duration_months[1]").message == "expected integer, got floating-point 2.5"
    assert len(e.value.problems) == 3
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.from_toml("[skills]\nmay_be_unreachable = [0, 0, 0, 0, 0, 0, 0, 1, 0.5]\n", name="f.toml")
    p = problem(e, "skills.may_be_unreachable[8]")
    assert (p.file, p.line, p.column) == ("f.toml", 2, 47)
    assert p.message == "expected true or false (or 1 or 0), got floating-point 0.5"


@pytest.mark.parametrize("name", skillsim.bundled_scenarios())
def test_to_toml_round_trip(name):
    """Every bundled scenario: parameters, schedules and targets (with levels, programmes and
    trajectories) survive to_toml and back."""
    s = skillsim.Scenario.load(name).replace({"labour.job_loss_rate": 0.0123456789, "scenario.name": "x\ty"})
    text = s.to_toml()
    # Read back from anywhere: the parameter sets file (a path relative to the scenario file in
    # national_forecast_2016 and the Jincheng scenarios) is written as the absolute path read.
    back = skillsim.Scenario.from_toml(text)
    assert back == s
    if s["run.parameter_sets"]:
        sets = Path(s.source).parent / s["run.parameter_sets"]
        assert f'\nparameter_sets = "{sets.resolve()}"\n' in text
    assert back.name == "x\ty"
    assert back.to_toml().split("\n", 2)[2] == text.split("\n", 2)[2]  # stable apart from the header
    # Integers and flags are written as such, and read back the same (compared above).
    if name == "jincheng_plan_2020_2021":
        assert "\nfull_time = [false, false, false, true]\n" in text
        assert "\nmin_level = [0, 2, 3, 0]\n" in text
    # Every parameter is written, so it does not depend on the defaults.
    for key in s.keys():
        section, _, rest = key.partition(".")
        assert f"\n{rest} = " in text, key


def test_parameter_set_columns_is_a_list_of_names_like_any_other():
    """run.parameter_set_columns: read, replaced, checked against the sets file and written back."""
    s = skillsim.Scenario.load("national_forecast_2016")
    assert s["run.parameter_set_columns"] == []
    columns = ["skills.assessment_rate[junior]", "skills.assessment_rate[intermediate]"]
    chosen = s.replace({"run.parameter_set_columns": columns})
    assert chosen["run.parameter_set_columns"] == columns
    text = chosen.to_toml()
    assert '\nparameter_set_columns = ["skills.assessment_rate[junior]", "skills.assessment_rate[intermediate]"]\n' in text
    back = skillsim.Scenario.from_toml(text, name=chosen.source)
    assert back == chosen and back != s
    assert back["run.parameter_set_columns"] == columns
    with pytest.raises(skillsim.ScenarioError) as e:
        s.replace({"run.parameter_set_columns": ["skills.assessment_rate[junior]", "skills.assesment_rate[senior]"]})
    message = problem(e, "run.parameter_set_columns[1]").message
    assert message.startswith("'skills.assesment_rate[senior]' is not a column of the parameter sets file "), message
    assert message.endswith("; did you mean 'skills.assessment_rate[senior]'?"), message


def test_to_toml_keeps_schedule_entries_that_set_a_key_twice_in_a_month():
    text = """
[scenario]
start = 2020-01-01
months = 6
[[schedule]]
date = 2020-02-01
set = { "labour.job_loss_multiplier" = 2.0 }
[[schedule]]
date = 2020-02-01
set = { "labour.job_loss_multiplier" = 3.0, "labour.job_find_multiplier" = 0.5 }
"""
    s = skillsim.Scenario.from_toml(text, overrides={"population.scale": 1000})
    back = skillsim.Scenario.from_toml(s.to_toml())
    assert back == s
    assert back.to_toml().count("[[schedule]]") == 1
    assert skillsim.Scenario.from_toml(text.replace("3.0", "2.0")) != s


def test_from_dict_equals_the_same_toml():
    d = {
        "scenario": {"name": "dict", "start": dt.date(2020, 1, 1), "months": 12},
        "population": {"size": 1_000_000, "scale": 100},
        "labour.job_loss_rate": 0.02,
        "schedule": [
            {"date": dt.date(2020, 3, 1), "set": {"labour.job_loss_multiplier": 2.5}},
            {"date": dt.date(2020, 6, 1), "set": {"labour": {"job_loss_multiplier": 1.0}}},
        ],
        "targets": [{"series": "skilled_workers", "date": dt.date(2021, 1, 1), "value": 1e5, "label": "技能 10万"}],
    }
    s = skillsim.Scenario.from_dict(d)
    text = """
labour.job_loss_rate = 0.02
[scenario]
name = "dict"
start = 2020-01-01
months = 12
[population]
size = 1_000_000
scale = 100
[[schedule]]
date = 2020-03-01
set = { "labour.job_loss_multiplier" = 2.5 }
[[schedule]]
date = 2020-06-01
set = { labour = { job_loss_multiplier = 1.0 } }
[[targets]]
series = "skilled_workers"
date = 2021-01-01
value = 100_000
label = "技能 10万"
"""
    assert s == skillsim.Scenario.from_toml(text)
    assert s.source == "<dict>"
    assert s.targets[0].label == "技能 10万"
    assert [c.value for c in s.schedule] == [2.5, 1.0]


def test_toml_values():
    assert toml_value(True) == "true"
    assert toml_value(3) == "3"
    assert toml_value(0.1) == "0.1"
    assert toml_value(float("inf")) == "inf"
    assert toml_value(float("nan")) == "nan"
    assert toml_value("a\"b") == '"a\\"b"'
    assert toml_value(dt.date(2020, 2, 1)) == "2020-02-01"
    assert toml_value(dt.datetime(2020, 2, 1)) == "2020-02-01"
    assert toml_value(dt.datetime(2020, 2, 1, 12)) == "2020-02-01T12:00:00"
    assert toml_value(np.datetime64("2020-02-01")) == "2020-02-01"
    assert toml_value([[1, 2.5], (3, 4)]) == "[[1, 2.5], [3, 4]]"
    assert toml_value({"a.b": 1}) == '{ "a.b" = 1 }'
    with pytest.raises(TypeError):
        toml_value(object())


# ------------------------------------------------------------------------------------------------
# Errors


def problem(e: pytest.ExceptionInfo, key: str) -> skillsim.Problem:
    matches = [p for p in e.value.problems if p.key == key]
    assert matches, f"no problem with key {key!r} in {e.value.problems}"
    return matches[0]


def test_bad_key_names_the_key_and_suggests():
    s = skillsim.Scenario.load(JINCHENG)
    with pytest.raises(skillsim.ScenarioError) as e:
        s.replace({"labour.job_find_rat": 0.1})
    p = problem(e, "labour.job_find_rat")
    assert p.file == "--set" and p.line == 0
    assert p.message == "no parameter named 'labour.job_find_rat'; did you mean 'labour.job_find_rate'?"
    assert isinstance(e.value, ValueError)


def test_bad_type_and_bad_value():
    s = skillsim.Scenario.load(JINCHENG)
    with pytest.raises(skillsim.ScenarioError) as e:
        s.replace({"scenario.months": 1.5, "labour.job_loss_rate": 1.5, "skills.pass_probability": [1, 1, 0.9]})
    assert problem(e, "scenario.months").message == "expected integer, got floating-point 1.5"
    assert problem(e, "labour.job_loss_rate").message == "must be in [0, 1], got 1.5"
    assert problem(e, "skills.pass_probability").message.startswith("expected 9 values, one per level")
    assert len(e.value.problems) == 3
    # The changes are --set's, not the file's (e.value.source still names the file).
    assert str(e.value).endswith("\n3 problems in --set")
    assert e.value.source == str(JINCHENG)


def test_problem_count_names_where_the_problems_are(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\nstart = 2020-01-01\n[labour]\njob_loss_rate = 2\n', encoding="utf-8")
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.load(bad, overrides={"run.replicates": 0, "scenario.months": 0})
    assert str(e.value).endswith(f"\n3 problems: 1 in {bad}, 2 in --set")
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.load(bad)
    assert str(e.value).endswith(f"\n1 problem in {bad}")


def test_a_file_must_name_the_scenario_and_its_start(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.load(empty)
    assert [str(p) for p in e.value.problems] == [
        f'{empty}: the scenario has no [scenario] table: add [scenario] with name = "..." and start = YYYY-MM-01 '
        "(the first month simulated)"
    ]
    # Text (from_toml, from_dict) is completed from the defaults, as before.
    assert skillsim.Scenario.from_toml("").name == "default"
    assert skillsim.Scenario.load(empty, overrides={"scenario.name": "x", "scenario.start": dt.date(2020, 1, 1)}).name == "x"


def test_bad_date_and_bad_string_value():
    s = skillsim.Scenario.load(JINCHENG)
    with pytest.raises(skillsim.ScenarioError) as e:
        s.replace({"scenario.start": dt.date(2020, 1, 15), "labour.job_loss_rate": "high"})
    assert problem(e, "scenario.start").message == "dates must be the first day of a month, got 2020-01-15"
    assert problem(e, "labour.job_loss_rate").message == 'expected number, got string "high"'


def test_file_problems_have_lines_and_columns():
    text = '[scenario]\nmonths = 24\n[labour]\njob_loss_rate = 1.5\njob_find_rat = 0.1\n[labor]\nx = 1\n'
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.from_toml(text, name="bad.toml")
    rate = problem(e, "labour.job_loss_rate")
    assert (rate.file, rate.line, rate.column) == ("bad.toml", 4, 17)
    assert str(rate) == "bad.toml:4:17: labour.job_loss_rate: must be in [0, 1], got 1.5"
    assert problem(e, "labor").message == "unknown section [labor]; did you mean [labour]?"
    assert problem(e, "labour.job_find_rat").line == 5
    assert e.value.source == "bad.toml"


def test_invalid_toml_and_bad_dict():
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.from_toml("[scenario\nmonths = 3")
    assert len(e.value.problems) == 1 and e.value.problems[0].line == 1
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.from_dict({"labour": {"job_loss_rate": -1}, "targets": [{"series": "skilled_worker"}]})
    assert "labour.job_loss_rate" in e.value.keys
    assert "targets[0].series" in e.value.keys


def test_schedule_problems_carry_the_entry_path():
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.from_dict(
            {
                "scenario": {"start": dt.date(2020, 1, 1), "months": 12},
                "schedule": [{"date": dt.date(2020, 3, 1), "set": {"population.size": 1e9}}],
            }
        )
    assert problem(e, "schedule[0].set.population.size").message == (
        "'population.size' is fixed for the whole run and cannot be scheduled"
    )


def test_missing_file():
    with pytest.raises(skillsim.ScenarioError, match="cannot read the scenario file: No such file"):
        skillsim.Scenario.load(REPO / "scenarios" / "no_such_scenario.toml")


def test_scenario_error_pickles():
    with pytest.raises(skillsim.ScenarioError) as e:
        skillsim.Scenario.load(JINCHENG).replace({"labour.job_loss_rate": 2})
    back = pickle.loads(pickle.dumps(e.value))
    assert back.problems == e.value.problems and str(back) == str(e.value)
