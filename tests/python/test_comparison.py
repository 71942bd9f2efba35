"""skillsim.compare / skillsim.report (docs/report.md): the side-by-side tables against the runs'
own variables, clear errors, the command line, and the HTML report opened in a real headless
browser (Debian's chromium and chromedriver, through selenium)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import skillsim
from skillsim.comparison import REPORT_SECTIONS

SMALL = {"population.scale": 200}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The Jincheng baseline and plan (3 replicates, same seed), saved to files."""
    d = tmp_path_factory.mktemp("runs")
    out = {}
    for name, scenario in (("baseline", "jincheng_2020_2021"), ("plan", "jincheng_plan_2020_2021")):
        r = skillsim.run(skillsim.Scenario.load(scenario).replace(SMALL), replicates=3, seed=4, progress=False)
        r.save(d / f"{name}.h5")
        out[name] = d / f"{name}.h5"
    return out


def test_the_tables_are_the_runs_own_figures(runs):
    c = skillsim.compare({"baseline": runs["baseline"], "plan": runs["plan"]})
    base, plan = (skillsim.open_results(runs[n]) for n in ("baseline", "plan"))
    # Targets: every target of either run once, in order; each run's figures where it has it.
    assert list(c.targets["label"]) == [t.label for t in plan.targets]  # the plan's include the baseline's
    own = plan.target_table()
    for _, row in c.targets.iterrows():
        mine = own[own["label"] == row["label"]].iloc[0]
        assert row[("plan", "median")] == pytest.approx(mine["attained_median"])
        assert row[("plan", "met")] == pytest.approx(mine["met_share"])
    flows = c.targets[c.targets["series"] == "trainees_per_year"]
    assert flows[("baseline", "met")].isna().all()  # the baseline has no flow targets
    stock = c.targets[c.targets["series"] == "skilled_workers"].iloc[0]
    assert stock[("baseline", "median")] == pytest.approx(np.median(np.asarray(base["skilled_workers"])[:, -1]))
    # The gap over time: every 6 months to the target date, the median of target_gap.
    skilled = c.gaps[c.gaps["label"] == stock["label"]]
    assert [d.isoformat() for d in skilled["date"]] == ["2020-01-01", "2020-07-01", "2021-01-01", "2021-07-01", "2022-01-01"]
    j = [t.label for t in plan.targets].index(stock["label"])
    gap = np.asarray(plan["target_gap"])[:, :, j]
    np.testing.assert_allclose(skilled[("plan", "median")], np.median(gap[:, ::6], axis=0))
    assert (skilled[("plan", "median")].iloc[1:] < 0).all()  # behind the straight line to 40万
    # Money: spent over the run by fund, the median of the replicates' totals.
    spent = np.asarray(plan["spending"]).sum(axis=(1, 3))  # replicate, fund
    account = next(k for k in c.money.index if k.endswith("upgrading_account"))
    assert c.money.loc[account, ("plan", "spent")] == pytest.approx(np.median(spent[:, 0]))
    assert np.isnan(c.money.loc[account, ("baseline", "spent")])
    # Binding: the baseline's ordinary courses are seat-limited throughout, never short of money.
    seats = next(k for k in c.binding.index if "employment_skills" in k and k.endswith(": seats"))
    assert c.binding.loc[seats, "baseline"] == "2020-01 to 2021-12"
    money = next(k for k in c.binding.index if "employment_skills" in k and k.endswith(": money"))
    assert c.binding.loc[money, "baseline"] == "never"
    assert c.summary.loc["plan", "targets"] == 8 and c.summary.loc["baseline", "targets"] == 2
    text = str(c)
    assert "技能劳动者 40万 by end of 2021" in text and "(no such target)" in text


def test_runs_are_named_by_their_scenarios_and_told_apart(runs):
    c = skillsim.compare([runs["baseline"], runs["plan"], skillsim.open_results(runs["plan"])])
    assert list(c.runs) == ["jincheng_2020_2021", "jincheng_plan_2020_2021 (plan.h5)", "jincheng_plan_2020_2021 (3)"]


def test_bad_input_is_said_plainly(runs, tmp_path):
    with pytest.raises(ValueError, match="nothing to compare"):
        skillsim.compare([])
    with pytest.raises(skillsim.ResultsFileError, match="nope.h5: no such results file"):
        skillsim.compare([tmp_path / "nope.h5"])
    not_results = tmp_path / "x.h5"
    not_results.write_text("not HDF5", encoding="utf-8")
    with pytest.raises(skillsim.ResultsFileError, match="x.h5"):
        skillsim.compare([not_results])
    with pytest.raises(ValueError, match="every must be at least 1"):
        skillsim.compare([runs["plan"]], every=0)
    out = tmp_path / "r.html"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="r.html exists"):
        skillsim.report([runs["plan"]], out)
    assert out.read_text(encoding="utf-8") == "keep me"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skillsim", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_the_command_line(runs, tmp_path):
    done = cli("compare", str(runs["baseline"]), str(runs["plan"]), "--names", "base,plan", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Targets (median attained" in done.stdout and "    base " in done.stdout
    done = cli("compare", str(runs["plan"]), "--names", "a,b", cwd=tmp_path)
    assert done.returncode == 2 and "--names gives 2 names for 1 results files" in done.stderr
    done = cli("report", str(runs["plan"]), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").stat().st_size > 10_000
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o666 & ~umask  # as open() makes it, not 0600
    done = cli("report", str(runs["plan"]), cwd=tmp_path)
    assert done.returncode == 2 and "report.html exists; pass overwrite=True (--force)" in done.stderr
    done = cli("report", str(tmp_path / "missing.h5"), "-o", "m.html", cwd=tmp_path)
    assert done.returncode == 2 and "missing.h5: no such results file" in done.stderr
    assert not (tmp_path / "m.html").exists()


def test_the_report_opens_in_a_browser_and_shows_every_section(runs, tmp_path, browser):
    path = skillsim.report({"baseline": runs["baseline"], "plan": runs["plan"]}, tmp_path / "report.html")
    from selenium.webdriver.common.by import By

    b = browser
    b.get(path.resolve().as_uri())
    assert b.execute_script("return document.readyState") == "complete"
    assert b.title == "skillsim report: baseline, plan"
    for sid, heading in REPORT_SECTIONS:
        section = b.find_element(By.ID, sid)
        assert section.is_displayed(), sid
        assert section.find_element(By.TAG_NAME, "h2").text == heading
        assert section.size["height"] > 40, sid
    # Every figure is drawn with a real size; the targets' trajectories, the gaps, binding and money.
    sizes = b.execute_script(
        "return Array.from(document.querySelectorAll('figure svg')).map(s => s.getBoundingClientRect().width)"
    )
    assert len(sizes) == 8 + 2 + 2 + 2 and min(sizes) > 300, sizes
    # Self-contained: nothing was fetched, and nothing went wrong.
    assert b.execute_script("return performance.getEntriesByType('resource').length") == 0
    severe = [e for e in b.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    targets = b.find_element(By.ID, "targets").text
    assert "技能劳动者 40万 by end of 2021" in targets and "取证率 60%" in targets
