"""skillsim.observations(): the published statistics through the engine's validating loader,
the honest cut-off, the catalogue, and a bad file's DataError with every problem located."""

import pytest

import skillsim


def test_the_shipped_file_loads_with_roles_and_units():
    obs = skillsim.observations()
    assert len(obs) > 100
    high = obs[(obs.indicator == "high_skilled_workers") & (obs.year == 2016)].iloc[0]
    assert high.value == 4791 and high.unit == "10k persons" and high.qualifier == "exact"
    assert high.role == "observation" and high.source
    assert set(obs.role) <= {"observation", "policy input", "context"}


def test_the_cut_off_keeps_nothing_after_it():
    obs = skillsim.observations(up_to=2016)
    assert obs.year.max() <= 2016
    assert len(obs) < len(skillsim.observations())


def test_the_catalogue_names_every_indicator_of_the_file():
    catalogue = skillsim.indicators()
    assert set(skillsim.observations().indicator) <= set(catalogue.index)
    assert catalogue.loc["skilled_workers", "unit"] == "10k persons"


def test_a_bad_file_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,indicator,year,value,unit,qualifier,quality,source,note\n"
        "stock,skiled_workers,2015,16700,10k persons,approx,news,x,\n"
        "stock,high_skilled_workers,2016,4791,10k persons,about,news,x,\n",
        encoding="utf-8",
    )
    with pytest.raises(skillsim.DataError) as caught:
        skillsim.observations(bad)
    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].line == 2 and problems[0].key == "indicator"
    assert "did you mean 'skilled_workers'" in problems[0].message
    assert "unknown qualifier 'about'" in str(caught.value)
    assert str(caught.value).endswith("2 problems in " + str(bad))


def test_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        skillsim.observations(tmp_path / "none.csv")
