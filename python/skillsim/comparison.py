"""Comparing runs against their targets, as text (``skillsim compare``) and as one self-contained
HTML report for planners who do not use Jupyter (``skillsim report``); docs/report.md.

.. code-block:: python

    import skillsim
    base, plan = skillsim.open_results("baseline.h5"), skillsim.open_results("plan.h5")
    c = skillsim.compare({"baseline": base, "plan": plan})
    c.targets      # each target: value, date, and per run the median attained (5%-95%) and share met
    c.gaps         # the gap to the planned trajectory over time (median over replicates)
    print(c)       # what `skillsim compare` prints
    skillsim.report({"baseline": base, "plan": plan}, "report.html")

The report holds: the runs (scenario, seed, replicates, engine version), the targets side by side,
each target's trajectory with bands against the planned one, the gap over time, what binds when
(seats, money, funds, evaluators), money by fund, and a one-table summary comparing the runs.
Figures are inline SVG with their text drawn as outlines, so the file needs no network, no
fonts and no other file to be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from . import _core
from ._files import atomic_write_text
from .errors import ResultsFileError
from .results import Results, open_results

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    from matplotlib.figure import Figure

    from .plan import Plan

__all__ = ["Comparison", "compare", "report", "REPORT_SECTIONS"]

#: The report's sections, in order: (HTML id, heading). The browser test checks each is shown.
REPORT_SECTIONS = (
    ("summary", "Summary: the runs side by side"),
    ("runs", "The runs"),
    ("targets", "Targets"),
    ("trajectories", "Target trajectories"),
    ("gaps", "The gap to the planned trajectory over time"),
    ("binding", "What binds when"),
    ("money", "Money by fund"),
)

Runs = "Mapping[str, Results | str | os.PathLike[str]] | Sequence[Results | str | os.PathLike[str]]"


def _is_rate(series: str) -> bool:
    return series.endswith("_rate")


def _load(runs: Any) -> dict[str, Results]:
    """{name: Results} from a mapping or a sequence of results or paths. Names default to the
    scenario's name, made unique with the file's name or a number."""
    items = list(runs.items()) if isinstance(runs, Mapping) else [(None, r) for r in runs]
    if not items:
        raise ValueError("nothing to compare: give at least one results file")
    loaded: list[tuple[str | None, str, Results]] = []
    for name, r in items:
        source = ""
        if not isinstance(r, Results):
            source = os.fspath(r)
            if not Path(source).exists():
                raise ResultsFileError(f"{source}: no such results file")
            r = open_results(source)
        if r.sweep_keys:
            raise ValueError(
                f"{source or name or 'a result'}: a sweep's results (over 'scenario'); compare single runs "
                "(skillsim run), or select one run of the sweep in Python first"
            )
        loaded.append((name, source, r))
    out: dict[str, Results] = {}
    bases = [name or str(r.metadata["scenario_name"]) for name, _, r in loaded]
    for i, ((name, source, r), base) in enumerate(zip(loaded, bases)):
        label = base
        if name is None and bases.count(base) > 1:  # two runs of one scenario: tell them apart
            label = f"{base} ({Path(source).name})" if source else f"{base} ({i + 1})"
        if label in out:
            raise ValueError(f"two runs are both named {label!r}: name them (--names, or a dict in Python)")
        out[label] = r
    return out


def _target_keys(runs: Mapping[str, Results]) -> list[tuple[str, str, dt.date, float]]:
    """Every target of any run (label, series, date, value), in order of first appearance."""
    keys: list[tuple[str, str, dt.date, float]] = []
    for r in runs.values():
        for t in r.targets:
            key = (t.label, t.series, t.date, float(t.value))
            if key not in keys:
                keys.append(key)
    return keys


def _target_index(results: Results, key: tuple[str, str, dt.date, float]) -> int | None:
    for j, t in enumerate(results.targets):
        if (t.label, t.series, t.date, float(t.value)) == key:
            return j
    return None


def _time_index(results: Results, when: np.datetime64) -> int | None:
    times = results.times
    j = int(np.searchsorted(times, when))
    return j if j < len(times) and times[j] == when else None


def _constraints(results: Results) -> dict[str, np.ndarray]:
    """Each constraint's share of replicates in which it bound, month by month (the months of
    the run: :func:`skillsim.plot.binding_shares` without its first time point); empty for a
    run without programmes."""
    from .plot import binding_shares

    if "spending" not in results:
        return {}
    return {k: v[1:] for k, v in binding_shares(results, chinese_labels=True).items()}


def _month_ranges(times: np.ndarray, bound: np.ndarray) -> str:
    """'2020-03 to 2020-08, 2021-01' for the months (ending at times[1:]) where bound is true."""
    months = [str(t)[:7] for t in times[:-1]]  # the month that ends at times[i + 1] starts at times[i]
    parts, start = [], None
    for i, b in enumerate(list(bound) + [False]):
        if b and start is None:
            start = i
        elif not b and start is not None:
            parts.append(months[start] if i - 1 == start else f"{months[start]} to {months[i - 1]}")
            start = None
    return ", ".join(parts)


def _quantiles(values: np.ndarray) -> tuple[float, float, float]:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return (np.nan, np.nan, np.nan)
    p5, p50, p95 = np.quantile(values, [0.05, 0.5, 0.95])
    return float(p5), float(p50), float(p95)


@dataclass
class Comparison:
    """Runs side by side against their targets (:func:`compare`).

    Attributes:
        runs: the results by name.
        targets: one row per target of any run: label, series, date, value, and per run the
            median attained, its 5% and 95% quantiles over replicates, and the share of replicates
            that met it (NaN where the run lacks the target).
        gaps: the gap to the planned trajectory (``target_gap``: series minus plan, positive
            ahead of plan) every ``every`` months up to each target's date: median and 5%/95% per
            run, for the targets with a planned trajectory.
        money: per fund and run, the money spent over the run (median over replicates) and left at
            the end; empty without funds.
        binding: per constraint and run, the months it bound in most replicates.
        summary: one row per run: replicates, seed, money spent, how many targets are met in at
            least 90% / 50% of the replicates, and how many constraints bound in any month.
    """

    runs: dict[str, Results]
    targets: "pandas.DataFrame"
    gaps: "pandas.DataFrame"
    money: "pandas.DataFrame"
    binding: "pandas.DataFrame"
    summary: "pandas.DataFrame"

    def __str__(self) -> str:
        return _comparison_text(self)


def compare(runs: Any, *, every: int = 6) -> Comparison:
    """Target attainment, the gap to the plan over time, money and binding constraints of one or
    more runs, side by side.

    Args:
        runs: ``{name: results or path}`` or a list of results or paths (named by their
            scenarios).
        every: months between the points of the gap table (from the start of the run).

    Raises:
        ValueError: no runs, a sweep's results, or two runs with one name.
        skillsim.ResultsFileError: a path that is missing or not a results file.
    """
    import pandas as pd

    if every < 1:
        raise ValueError(f"every must be at least 1 month, got {every}")
    named = _load(runs)
    keys = _target_keys(named)

    rows = []
    for key in keys:
        label, series, date, value = key
        row: dict[str, Any] = {"label": label, "series": series, "date": date, "target": value}
        for name, r in named.items():
            j = _target_index(r, key)
            if j is None:
                row.update({(name, "median"): np.nan, (name, "5%"): np.nan, (name, "95%"): np.nan, (name, "met"): np.nan})
                continue
            p5, p50, p95 = _quantiles(np.asarray(r["target_attained"])[:, j])
            met = float(np.asarray(r["target_met"])[:, j].mean())
            row.update({(name, "median"): p50, (name, "5%"): p5, (name, "95%"): p95, (name, "met"): met})
        rows.append(row)
    targets = pd.DataFrame(rows)

    gap_rows = []
    for key in keys:
        label, series, date, value = key
        per_run: dict[str, tuple[Results, int]] = {}
        for name, r in named.items():
            j = _target_index(r, key)
            # Only a planned trajectory (defined before the target date) makes a gap over time.
            if j is not None and "target_gap" in r and (~np.isnan(np.asarray(r["target_gap"])[:, :, j]).any(axis=0)).sum() > 1:
                per_run[name] = (r, j)
        if not per_run:
            continue
        first = next(iter(per_run.values()))[0]
        when = np.datetime64(date, "ns")
        for t in first.times[::every]:
            if t > when:
                break
            row = {"label": label, "date": dt.date.fromisoformat(str(t)[:10])}
            for name, (r, j) in per_run.items():
                k = _time_index(r, t)
                p5, p50, p95 = _quantiles(np.asarray(r["target_gap"])[:, k, j]) if k is not None else (np.nan,) * 3
                row.update({(name, "median"): p50, (name, "5%"): p5, (name, "95%"): p95})
            gap_rows.append(row)
    gaps = pd.DataFrame(gap_rows)

    money_rows: dict[str, dict[Any, float]] = {}
    for name, r in named.items():
        if "spending" not in r:
            continue
        ds = r.to_xarray()
        spent = ds["spending"].sum(("time", "programme"))  # replicate, fund
        left = ds["fund_remaining"].isel(time=-1)
        for f in range(ds.sizes["fund"]):
            fund = str(ds["fund"].values[f])
            fund = f"{ds['fund_zh'].values[f]} {fund}" if "fund_zh" in ds.coords else fund
            money_rows.setdefault(fund, {})[(name, "spent")] = float(np.median(spent.isel(fund=f).values))
            money_rows[fund][(name, "left at end")] = float(np.median(left.isel(fund=f).values))
    money = pd.DataFrame.from_dict(money_rows, orient="index")

    binding_rows: dict[str, dict[str, str]] = {}
    for name, r in named.items():
        for constraint, share in _constraints(r).items():
            binding_rows.setdefault(constraint, {})[name] = _month_ranges(r.times, share > 0.5) or "never"
    binding = pd.DataFrame.from_dict(binding_rows, orient="index")

    summary_rows = []
    for name, r in named.items():
        met = np.asarray(r["target_met"], dtype=float).mean(axis=0) if "target_met" in r else np.array([])
        constraints = _constraints(r)
        summary_rows.append(
            {
                "run": name,
                "scenario": str(r.metadata["scenario_name"]),
                "replicates": r.replicates,
                "seed": r.seed,
                "money spent (yuan, median)": float(np.median(np.asarray(r["spending"]).reshape(r.replicates, -1).sum(axis=1)))
                if "spending" in r
                else 0.0,
                "targets": len(met),
                "met in >= 90% of replicates": int((met >= 0.9).sum()),
                "met in >= 50%": int((met >= 0.5).sum()),
                "constraints binding in some month": sum(bool((s > 0.5).any()) for s in constraints.values()),
            }
        )
    summary = pd.DataFrame(summary_rows).set_index("run")
    return Comparison(named, targets, gaps, money, binding, summary)


# -- text --------------------------------------------------------------------------------------------


def _value_text(value: float, series: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    return f"{100 * value:.1f}%" if _is_rate(series) else f"{value:,.0f}"


def _comparison_text(c: Comparison) -> str:
    names = list(c.runs)
    lines = ["Runs: " + "; ".join(f"{n} ({r.metadata['scenario_name']}, {r.replicates} replicates, seed {r.seed})" for n, r in c.runs.items())]
    if len(c.targets):
        lines += ["", "Targets (median attained over replicates, 5%-95%; met: share of replicates)"]
        for _, row in c.targets.iterrows():
            lines.append(f"  {row['label']}: {_value_text(row['target'], row['series'])} by {row['date']}")
            for n in names:
                if np.isnan(row[(n, "met")]):
                    lines.append(f"    {n:<24} (no such target)")
                    continue
                band = f"{_value_text(row[(n, '5%')], row['series'])} - {_value_text(row[(n, '95%')], row['series'])}"
                lines.append(f"    {n:<24} {_value_text(row[(n, 'median')], row['series']):>12}  ({band})  met in {row[(n, 'met')]:.0%}")
    else:
        lines += ["", "No targets in these runs."]
    if len(c.gaps):
        lines += ["", "Gap to the planned trajectory (median over replicates; positive: ahead of plan)"]
        series_of = {row["label"]: row["series"] for _, row in c.targets.iterrows()}
        for label, block in c.gaps.groupby("label", sort=False):
            lines.append(f"  {label}")
            lines.append("    " + f"{'date':<12}" + "".join(f"{n:>24}" for n in names))
            for _, row in block.iterrows():
                cells = "".join(f"{_value_text(row.get((n, 'median'), np.nan), series_of[label]):>24}" for n in names)
                lines.append(f"    {row['date'].isoformat():<12}{cells}")
    if len(c.money):
        lines += ["", "Money by fund (yuan, median over replicates): spent over the run / left at the end"]
        for fund, row in c.money.iterrows():
            cells = "; ".join(
                f"{n} {row[(n, 'spent')]:,.0f} / {row[(n, 'left at end')]:,.0f}"
                for n in names
                if (n, "spent") in row and not np.isnan(row[(n, "spent")])
            )
            lines.append(f"  {fund}: {cells}")
    if len(c.binding):
        lines += ["", "Binding in most replicates (months)"]
        for constraint, row in c.binding.iterrows():
            cells = "; ".join(f"{n}: {row[n]}" for n in names if n in row and isinstance(row[n], str))
            lines.append(f"  {constraint}: {cells}")
    return "\n".join(lines) + "\n"


# -- the HTML report -----------------------------------------------------------------------------------

_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto;
       max-width: 1200px; color: #222; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: right; vertical-align: top; }
th { background: #f3f3f3; } td.text, th.text { text-align: left; }
td.met { background: #dff3df; } td.missed { background: #f8dede; } td.partly { background: #fdf3d7; }
figure { margin: 1em 0; } figcaption { font-size: .9em; color: #555; }
figure svg { max-width: 100%; height: auto; }
p.note { color: #555; font-size: .92em; }
nav a { margin-right: 1em; }
"""


def _svg(fig: "Figure") -> str:
    """The figure as inline SVG, its text drawn as outlines (no fonts needed to view it)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _e(text: Any) -> str:
    return html.escape(str(text))


def _table(header: Sequence[str], rows: Sequence[Sequence[tuple[str, str]]], text_columns: int = 1) -> str:
    """rows: cells as (html, css class)."""
    head = "".join(f'<th class="{"text" if i < text_columns else ""}">{_e(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td class="{cls}">{cell}</td>' for cell, cls in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _met_class(share: float) -> str:
    if np.isnan(share):
        return ""
    return "met" if share >= 0.9 else "missed" if share < 0.5 else "partly"


def _trajectory_figure(c: Comparison, key: tuple[str, str, dt.date, float], chinese_labels: bool) -> "Figure | None":
    from . import plot

    label, series, date, value = key
    fig, (ax,) = plot._new_axes(None, width=9.0, height=4.2)
    rate = _is_rate(series)
    scale = 100.0 if rate else 1.0
    drawn = None  # the run whose planned trajectory is drawn: the first that has one
    for i, (name, r) in enumerate(c.runs.items()):
        j = _target_index(r, key)
        if j is None:
            continue
        values = np.asarray(r["target_value"], dtype=float)[:, :, j] * scale
        q = plot._quantiles(values)
        plot._bands(ax, r.times, q, plot._BAND_COLOURS[i % len(plot._BAND_COLOURS)], name, faint=True)
        planned = plot._planned(r, j)
        if drawn is None and planned is not None and np.count_nonzero(~np.isnan(planned)) > 1:
            drawn = (r, planned)
    if not ax.lines:
        return None
    if drawn is not None:
        ax.plot(drawn[0].times, drawn[1] * scale, linestyle="--", color="black", linewidth=1, label="planned trajectory")
    when = np.datetime64(date, "ns")
    ax.scatter([when], [value * scale], marker="*", s=140, color="black", zorder=5, label=f"target {_value_text(value, series)}")
    ax.axvline(when, color="grey", linestyle=":", linewidth=1)
    if rate:
        ax.set_ylabel("percent")
        ax.set_xlabel("date")
        ax.grid(True, alpha=0.3)
    else:
        plot._persons_axis(ax, "persons a year" if series.endswith("_per_year") else "persons")
    ax.set_title(label if chinese_labels else f"{series} by {date}")
    ax.legend(loc="best", fontsize=7)
    return plot._finish(fig)


def _gap_figure(c: Comparison, label: str, series: str) -> "Figure":
    from . import plot

    fig, (ax,) = plot._new_axes(None, width=9.0, height=3.4)
    scale = 100.0 if _is_rate(series) else 1.0
    block = c.gaps[c.gaps["label"] == label]
    dates = np.array([np.datetime64(d, "ns") for d in block["date"]])
    for i, name in enumerate(c.runs):
        if (name, "median") not in block:
            continue
        colour = plot._BAND_COLOURS[i % len(plot._BAND_COLOURS)]
        median = block[(name, "median")].to_numpy(dtype=float) * scale
        ax.fill_between(dates, block[(name, "5%")].to_numpy(dtype=float) * scale, block[(name, "95%")].to_numpy(dtype=float) * scale,
                        color=colour, alpha=0.15, linewidth=0, label=f"{name}: 90% band")
        ax.plot(dates, median, color=colour, linewidth=2, marker="o", label=f"{name}: median")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("percentage points" if _is_rate(series) else "persons (positive: ahead of plan)")
    ax.set_title(f"gap to plan: {label}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=7)
    return plot._finish(fig)


def _report_html(c: Comparison, title: str, chinese_labels: bool, lead: Sequence[tuple[str, str, str]] = ()) -> str:
    """The report's page; ``lead``: sections (HTML id, heading, body) placed before the summary,
    such as a plan's (:meth:`skillsim.plan.Plan.report`)."""
    from . import plot

    names = list(c.runs)
    created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="note">Written by skillsim {_e(_core.__version__)} on {created}. Medians and bands are over each run\'s '
        "replicates; a run with parameter sets carries parameter uncertainty in them as well as noise.</p>",
        "<nav>" + "".join(f'<a href="#{sid}">{_e(heading)}</a>' for sid, heading, _ in lead)
        + "".join(f'<a href="#{sid}">{_e(heading)}</a>' for sid, heading in REPORT_SECTIONS) + "</nav>",
    ]
    for sid, heading, body in lead:
        parts.append(f'<section id="{sid}"><h2>{_e(heading)}</h2>{body}</section>')

    def section(sid: str, body: str) -> None:
        heading = dict(REPORT_SECTIONS)[sid]
        parts.append(f'<section id="{sid}"><h2>{_e(heading)}</h2>{body}</section>')

    # Summary.
    header = ["run", "scenario", "replicates", "seed", "money spent (yuan, median)", "targets", "met in >= 90%", "met in >= 50%",
              "constraints binding"]
    rows = []
    for name, row in c.summary.iterrows():
        rows.append([(_e(name), "text"), (_e(row["scenario"]), "text"), (f"{row['replicates']}", ""), (f"{row['seed']}", ""),
                     (f"{row['money spent (yuan, median)']:,.0f}", ""), (f"{row['targets']}", ""),
                     (f"{row['met in >= 90% of replicates']}", ""), (f"{row['met in >= 50%']}", ""),
                     (f"{row['constraints binding in some month']}", "")])
    section("summary", _table(header, rows, text_columns=2))

    # Runs.
    rows = []
    for name, r in c.runs.items():
        m = r.metadata
        times = r.times
        sets = m.get("parameter_sets_source") or ""
        source = str(m.get("scenario_source", ""))
        rows.append([(_e(name), "text"), (_e(m["scenario_name"]), "text"),
                     (f'<span title="{_e(source)}">{_e(Path(source).name)}</span>', "text"),
                     (f"{str(times[0])[:7]} to {str(times[-1])[:7]} ({len(times) - 1} months)", "text"),
                     (f"{r.replicates}", ""), (f"{r.seed}", ""), (_e(Path(sets).name) if sets else "-", "text"),
                     (_e(m.get("engine_version", "")), "text"), (_e(m.get("created", "")), "text")])
    section("runs", _table(["run", "scenario", "file", "period", "replicates", "seed", "parameter sets", "engine", "created"], rows, 4))

    # Targets.
    if len(c.targets):
        header = ["target", "value", "by"] + [f"{n}: {what}" for n in names for what in ("median (5%-95%)", "met")]
        rows = []
        for _, row in c.targets.iterrows():
            cells = [(_e(row["label"]), "text"), (_value_text(row["target"], row["series"]), ""), (_e(row["date"]), "text")]
            for n in names:
                if np.isnan(row[(n, "met")]):
                    cells += [("-", ""), ("-", "")]
                    continue
                band = f"{_value_text(row[(n, 'median')], row['series'])} ({_value_text(row[(n, '5%')], row['series'])} - " \
                       f"{_value_text(row[(n, '95%')], row['series'])})"
                cells += [(band, ""), (f"{row[(n, 'met')]:.0%}", _met_class(row[(n, "met")]))]
            rows.append(cells)
        section("targets", _table(header, rows, 1) + '<p class="note">met: the share of replicates that reached the '
                "target (green: at least 90%, yellow: at least 50%, red: below).</p>")
    else:
        section("targets", "<p>These runs declare no targets.</p>")

    # Trajectories.
    figures = []
    for key in _target_keys(c.runs):
        fig = _trajectory_figure(c, key, chinese_labels)
        if fig is not None:
            figures.append(f"<figure>{_svg(fig)}<figcaption>{_e(key[0])}: each run's median with its 50% and 90% bands, "
                           "the planned trajectory (dashed) and the target (star).</figcaption></figure>")
    section("trajectories", "".join(figures) or "<p>These runs declare no targets.</p>")

    # Gaps.
    if len(c.gaps):
        body = []
        series_of = {row["label"]: row["series"] for _, row in c.targets.iterrows()}
        for label, block in c.gaps.groupby("label", sort=False):
            header = ["date"] + [f"{n}: median (5%-95%)" for n in names if (n, "median") in block]
            rows = []
            for _, row in block.iterrows():
                cells = [(_e(row["date"]), "text")]
                for n in names:
                    if (n, "median") in block:
                        s = series_of[label]
                        cells.append((f"{_value_text(row[(n, 'median')], s)} ({_value_text(row[(n, '5%')], s)} - "
                                      f"{_value_text(row[(n, '95%')], s)})", ""))
                rows.append(cells)
            body.append(f"<h3>{_e(label)}</h3>" + _table(header, rows) + f"<figure>{_svg(_gap_figure(c, label, series_of[label]))}"
                        "<figcaption>Gap = the series minus its planned trajectory; positive: ahead of plan.</figcaption></figure>")
        section("gaps", "".join(body))
    else:
        section("gaps", "<p>No target of these runs has a planned trajectory (a target's <code>trajectory</code>, "
                "docs/targets.md).</p>")

    # Binding.
    body = []
    if len(c.binding):
        header = ["constraint"] + names
        rows = [[(_e(k), "text")] + [(_e(row[n]) if isinstance(row.get(n), str) else "-", "text") for n in names]
                for k, row in c.binding.iterrows()]
        body.append(_table(header, rows) + '<p class="note">The months in which the constraint bound in most replicates '
                    "(seats turned applicants away, money or evaluators ran out while candidates waited).</p>")
        for name, r in c.runs.items():
            if "spending" in r:
                body.append(f"<figure>{_svg(plot.binding(r, chinese_labels=chinese_labels))}<figcaption>{_e(name)}: "
                            "share of replicates in which each constraint bound, month by month.</figcaption></figure>")
    section("binding", "".join(body) or "<p>These runs have no programmes, funds or evaluators.</p>")

    # Money.
    body = []
    if len(c.money):
        header = ["fund"] + [f"{n}: {what}" for n in names for what in ("spent", "left at end")]
        rows = []
        for fund, row in c.money.iterrows():
            cells = [(_e(fund), "text")]
            for n in names:
                for what in ("spent", "left at end"):
                    v = row.get((n, what), np.nan)
                    cells.append(("-" if np.isnan(v) else f"{v:,.0f}", ""))
            rows.append(cells)
        body.append(_table(header, rows) + '<p class="note">yuan, medians over replicates.</p>')
        for name, r in c.runs.items():
            if "spending" in r:
                body.append(f"<figure>{_svg(plot.spending(r, by='fund', chinese_labels=chinese_labels))}<figcaption>{_e(name)}: "
                            "cumulative spending by fund and the money left.</figcaption></figure>")
    section("money", "".join(body) or "<p>These runs have no funds.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def report(
    runs: Any,
    path: str | os.PathLike[str] = "report.html",
    *,
    title: str | None = None,
    every: int = 6,
    chinese_labels: bool = True,
    overwrite: bool = False,
    plan: "Plan | None" = None,
) -> Path:
    """Writes one self-contained HTML report of the runs (atomically) and returns its path.

    Args:
        runs: as in :func:`compare`.
        path: the HTML file.
        title: the page's title (default: the runs' scenario names).
        every: months between the points of the gap tables.
        chinese_labels: Chinese names in the figures where a CJK font is installed.
        overwrite: replace an existing file.
        plan: an answer of :func:`skillsim.plan`: the report opens with its section (the levers,
            the probability, the cost and the money by fund and year against the original plan;
            :meth:`skillsim.plan.Plan.report` writes it with the two verification ensembles).

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is False.
        ValueError, skillsim.ResultsFileError: as :func:`compare`.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists; pass overwrite=True (--force) to replace it")
    c = compare(runs, every=every)
    title = title or "skillsim report: " + ", ".join(c.runs)
    lead = [plan.report_section()] if plan is not None else []
    atomic_write_text(out, _report_html(c, title, chinese_labels, lead))
    return out


# -- command line ------------------------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    """``skillsim compare RESULTS...`` and ``skillsim report RESULTS... -o FILE``."""
    command, args = argv[0], argv[1:]
    parser = argparse.ArgumentParser(prog=f"skillsim {command}")
    parser.add_argument("results", nargs="+", help="results files of skillsim run (HDF5)")
    parser.add_argument("--names", help="comma-separated names of the runs, in order (default: their scenarios' names)")
    parser.add_argument("--every", type=int, default=6, help="months between the points of the gap table (default 6)")
    if command == "report":
        parser.add_argument("-o", "--output", default="report.html", help="the HTML file to write (default report.html)")
        parser.add_argument("--title", help="the page's title")
        parser.add_argument("--force", action="store_true", help="replace an existing output file")
    a = parser.parse_args(args)
    runs: Any = a.results
    if a.names:
        names = [n.strip() for n in a.names.split(",")]
        if len(names) != len(a.results):
            parser.error(f"--names gives {len(names)} names for {len(a.results)} results files")
        if len(set(names)) != len(names):
            parser.error("--names: each name once")
        runs = dict(zip(names, a.results))
    try:
        if command == "compare":
            sys.stdout.write(str(compare(runs, every=a.every)))
        else:
            out = report(runs, a.output, title=a.title, every=a.every, overwrite=a.force)
            print(f"wrote {out}")
    except (ValueError, OSError) as e:
        print(f"skillsim {command}: {e}", file=sys.stderr)
        return 2
    return 0
