"""Every plot function returns a Figure on a small result and draws without warnings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from matplotlib.figure import Figure

import skillsim
import skillsim.plot as plot


def draw(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    fig.savefig(io.BytesIO(), format="png", dpi=50)  # glyph or layout warnings would raise here


def texts(fig: Figure) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


@pytest.fixture(scope="module")
def variant(small_scenario):
    better = small_scenario.replace({"skills.pass_probability": [1, 1, 0.95, 0.9, 0.85, 0.8, 0.7, 1, 1]})
    return skillsim.run(better, replicates=3, threads=2, seed=7, progress=False)


@pytest.mark.parametrize("chinese", [False, True])
@pytest.mark.parametrize("variable", ["skilled_workers", "high_skilled_workers"])
def test_fan_chart(small_results, variable, chinese):
    fig = plot.fan_chart(small_results, variable, chinese_labels=chinese)
    draw(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "persons"
    assert "straight line to the target" in texts(fig)  # the baseline states no trajectory
    assert "2022-01-01" in texts(fig)  # the target date is marked
    if chinese and plot.cjk_font() is not None:
        assert ("技能劳动者" if variable == "skilled_workers" else "高技能人才") in ax.get_title()


def test_fan_chart_of_a_selection_into_given_axes(small_results):
    from matplotlib.figure import Figure as F

    own = F()
    ax = own.subplots()
    fig = plot.fan_chart(small_results, "workers", sel={"status": "employed"}, ax=ax, title="employed")
    assert fig is own
    draw(fig)


def test_compare(small_results, variant):
    fig = plot.compare({"baseline": small_results, "higher pass rates": variant}, "high_skilled_workers")
    draw(fig)
    assert len(fig.axes) == 2
    assert "common random numbers" in fig.axes[1].get_title()
    assert fig.axes[1].get_ylabel() == "difference (persons)"
    fig = plot.compare({"a": small_results, "b": variant, "c": small_results}, difference=True, baseline="c")
    draw(fig)
    fig = plot.compare({"only": small_results}, difference=True)
    assert len(fig.axes) == 1
    draw(fig)
    with pytest.raises(ValueError):
        plot.compare({"a": small_results}, baseline="b")


def test_compare_refuses_different_time_axes(small_results, small_scenario):
    other = skillsim.run(small_scenario, replicates=2, threads=2, progress=False)
    with pytest.raises(ValueError, match="cannot take differences"):
        plot.compare({"a": small_results, "b": other})


@pytest.mark.parametrize("chinese", [False, True])
def test_flows(small_results, chinese):
    fig = plot.flows(small_results, chinese_labels=chinese)
    draw(fig)
    text = texts(fig)
    assert "Promotions between levels, 2020-01 to 2022-01" in text
    if chinese and plot.cjk_font() is not None:
        assert "高级技师" in text
    else:
        assert "senior technician" in text
    draw(plot.flows(small_results, dt.date(2020, 6, 1), "2021-01-01"))
    with pytest.raises(ValueError, match="empty"):
        plot.flows(small_results, "2021-01-01", "2020-06-01")
    with pytest.raises(ValueError, match="outside the run"):
        plot.flows(small_results, "2019-01-01")


def test_chinese_labels_fall_back_quietly_without_a_cjk_font(small_results, monkeypatch):
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    for fig in (
        plot.fan_chart(small_results, chinese_labels=True),
        plot.flows(small_results, chinese_labels=True),
        plot.compare({"a": small_results, "b": small_results}, chinese_labels=True),
    ):
        draw(fig)
        assert not plot._has_cjk(texts(fig))


def test_plot_is_reachable_as_an_attribute():
    assert skillsim.plot is plot
    assert skillsim.__version__ == skillsim._core.__version__


@pytest.fixture(scope="module")
def plan_results():
    from conftest import REPO

    plan = skillsim.Scenario.load(REPO / "scenarios" / "jincheng_plan_2020_2021.toml").replace({"population.scale": 100})
    return skillsim.run(plan, replicates=2, threads=2, seed=3, progress=False)


@pytest.mark.parametrize("chinese", [False, True])
@pytest.mark.parametrize("by", ["programme", "fund"])
def test_spending(plan_results, by, chinese):
    fig = plot.spending(plan_results, by=by, chinese_labels=chinese)
    draw(fig)
    left, right = fig.axes[:2]
    assert left.get_ylabel() == "yuan" and right.get_ylabel() == "yuan" and left.get_xlabel() == "date"
    # One line per programme or fund; the cumulative lines never fall.
    assert len(left.get_lines()) == plan_results.to_xarray().sizes[by]
    for line in left.get_lines():
        y = line.get_ydata()
        assert (y[1:] >= y[:-1]).all()


def test_binding(plan_results):
    fig = plot.binding(plan_results, chinese_labels=True)
    draw(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    sizes = plan_results.to_xarray().sizes
    assert len(labels) == 2 * sizes["programme"] + sizes["fund"] + sizes["evaluator"]
    assert any(label.endswith(": money") for label in labels)
    assert any(label.endswith(": evaluation") for label in labels)
    # The plan's upgrading account runs out: some constraint binds in some month.
    assert fig.axes[0].collections[0].get_array().max() > 0


def test_money_plots_need_programmes(small_results):
    # national_2016 has no programmes (the ordinary training is in its rates).
    national = skillsim.Scenario.load("national_2016").replace({"population.scale": 20000, "scenario.months": 12})
    without = skillsim.run(national, replicates=1, seed=3, progress=False)
    with pytest.raises(ValueError, match="no training programmes"):
        plot.spending(without)
    with pytest.raises(ValueError, match="no training programmes"):
        plot.binding(without)
    with pytest.raises(ValueError, match="by must be"):
        plot.spending(small_results, by="region")


@pytest.mark.parametrize("which", [0, "取证率 60%", "岗位技能提升 20万人次 in 2021"])
def test_target_plots_stocks_flows_and_rates(plan_results, which):
    fig = plot.target(plan_results, which)
    draw(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "date"
    # The target's value is marked with a star at its date.
    stars = [c for c in ax.collections if len(c.get_offsets()) == 1]
    assert stars, "no target marker"
    if which == "取证率 60%":
        assert ax.get_ylabel() == "percent"
        assert stars[-1].get_offsets()[0][1] == pytest.approx(60.0)


def test_target_plot_errors(plan_results, small_results):
    with pytest.raises(KeyError, match="no target labelled"):
        plot.target(plan_results, "nonexistent")
    with pytest.raises(IndexError):
        plot.target(plan_results, 99)


def test_fan_chart_draws_a_linear_plan(plan_results):
    """The plan's stock targets run on a straight line from the start: drawn from target_planned."""
    fig = plot.fan_chart(plan_results, "skilled_workers")
    draw(fig)
    assert "planned trajectory" in texts(fig)


def test_posts_by_level(small_scenario):
    employers = small_scenario.replace(
        {
            "employers.size_classes": ["large", "small"],
            "employers.labels": ["大型企业", "中小企业"],
            "employers.size_shares": [[0.2, 0.6, 0.4], [0.8, 0.4, 0.6]],
            "employers.posts_per_1000": [[0, 0, 0, 0, 0, 0, 0, 2, 0.5], [0, 0, 0, 0, 0, 0, 0, 1, 0]],
        }
    )
    results = skillsim.run(employers, replicates=2, seed=3, progress=False)
    fig = plot.posts(results, chinese_labels=True)
    draw(fig)
    # One panel per level with posts (特级技师 and 首席技师), three lines each; posts = filled + vacant.
    assert len(fig.axes) == 2
    for ax in fig.axes:
        posts_line, filled, vacant = (line.get_ydata() for line in ax.get_lines())
        assert ax.get_ylabel() == "persons"
        assert (abs(posts_line - filled - vacant) < 1e-9).all()
    assert "特级技师" in texts(fig)
    with pytest.raises(ValueError, match="no employers"):
        plot.posts(skillsim.run(small_scenario, replicates=1, seed=3, progress=False))
