"""Plots of results (matplotlib), one call each; every function returns a ``matplotlib.figure.Figure``.

- :func:`fan_chart`: one series over replicates (median, 50% and 90% bands) against the targets;
- :func:`compare`: several scenarios side by side, and their differences with bands;
- :func:`flows`: promotions between levels over a period (a Sankey-style ladder);
- :func:`target`: any target's series (stocks, flows a year, rates) against its planned trajectory;
- :func:`spending` and :func:`binding`: money by source and programme, and the binding constraints.

The figures are not registered with pyplot: in Jupyter, leave the figure as the last expression of
a cell (or ``display(fig)``); elsewhere ``fig.savefig("chart.png")``. To draw into your own axes,
pass ``ax=``. ``chinese_labels=True`` names levels and series in Chinese (技能劳动者, 高级工, ...)
when a CJK font is installed (Debian: fonts-noto-cjk), and quietly keeps English otherwise.

Spending, envelope and binding-constraint plots come with the budgets and programmes.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

from .results import Results

if TYPE_CHECKING:  # pragma: no cover
    import xarray
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "fan_chart",
    "target",
    "compare",
    "flows",
    "spending",
    "binding",
    "binding_shares",
    "posts",
    "cjk_font",
]

_SERIES_NAMES = {
    "skilled_workers": ("Skilled workers", "技能劳动者"),
    "high_skilled_workers": ("High-skilled workers", "高技能人才"),
}
_LEVEL_NAMES_EN = [
    "no certificate",
    "apprentice",
    "junior",
    "intermediate",
    "senior",
    "technician",
    "senior technician",
    "principal technician",
    "chief technician",
]
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_PREFERRED_CJK_FONTS = [
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "AR PL UMing CN",
]
_BAND_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs that matplotlib can use, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _PREFERRED_CJK_FONTS:
        if name in names:
            return name
    for name in sorted(names):
        if "CJK" in name and "Mono" not in name:
            return name
    return None


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _text(text: str, fallback: str) -> str:
    """``text``, or ``fallback`` when ``text`` needs Chinese glyphs that no installed font has."""
    return fallback if _has_cjk(text) and cjk_font() is None else text


def _finish(fig: "Figure") -> "Figure":
    """Gives every text with Chinese characters the CJK font (with matplotlib's default as the
    fallback for other glyphs), so nothing is drawn as empty boxes and no glyph warnings arise."""
    from matplotlib.text import Text

    font = cjk_font()
    if font is not None:
        for t in fig.findobj(Text):
            if _has_cjk(t.get_text()):
                t.set_fontfamily([font, "DejaVu Sans"])
    return fig


def _new_axes(ax: "Axes | None", ncols: int = 1, width: float = 7.0, height: float = 4.2) -> tuple["Figure", list]:
    if ax is not None:
        return ax.figure, [ax]
    from matplotlib.figure import Figure

    _enable_notebook_display(Figure)

    fig = Figure(figsize=(width * ncols, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def _enable_notebook_display(figure_class: type) -> None:
    """In Jupyter with the inline backend, shows a returned Figure as a PNG (IPython registers that
    only after ``%matplotlib inline`` or a pyplot figure; these figures are not pyplot's)."""
    if "IPython" not in sys.modules:
        return
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats

        ip = get_ipython()
        if ip is None or not hasattr(ip, "display_formatter"):
            return
        png = ip.display_formatter.formatters.get("image/png")
        import matplotlib

        if png is None or figure_class in png.type_printers or "inline" not in matplotlib.get_backend():
            return
        select_figure_formats(ip, {"png"})
    except Exception:  # display is a convenience; never fail a plot over it
        return


def _persons_axis(ax: "Axes", label: str = "persons") -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel(label)
    ax.set_xlabel("date")
    ax.grid(True, alpha=0.3)


def _series_title(variable: str, chinese_labels: bool) -> str:
    english, chinese = _SERIES_NAMES.get(variable, (variable.replace("_", " ").capitalize(), ""))
    if chinese_labels and chinese:
        return _text(f"{english} ({chinese})", english)
    return english


def _series(results: Results, variable: str, sel: Mapping[str, Any] | None) -> "xarray.DataArray":
    """The variable over (replicate, time): ``sel`` applied, any other dimension summed."""
    if variable not in results:
        raise KeyError(f"no variable named {variable!r}; variables: {', '.join(results.variables)}")
    da = results.to_xarray()[variable]
    if sel:
        da = da.sel(dict(sel))
    others = [d for d in da.dims if d not in ("replicate", "time")]
    if others:
        da = da.sum(others)
    return da.reset_coords(drop=True).transpose("replicate", "time")


def _quantiles(da: "xarray.DataArray | np.ndarray") -> dict[float, np.ndarray]:
    """Quantiles over replicates (axis 0) at each time, ignoring NaN (NaN where all are)."""
    values = np.asarray(getattr(da, "values", da), dtype=float)
    qs = [0.05, 0.25, 0.5, 0.75, 0.95]
    out = np.full((len(qs),) + values.shape[1:], np.nan)
    defined = ~np.isnan(values).all(axis=0)
    if defined.any():
        out[:, defined] = np.nanquantile(values[:, defined], qs, axis=0)
    return dict(zip(qs, out))


def _bands(ax: "Axes", times: np.ndarray, q: dict[float, np.ndarray], colour: str, label: str, faint: bool = False):
    alpha90, alpha50 = (0.10, 0.20) if faint else (0.18, 0.35)
    ax.fill_between(times, q[0.05], q[0.95], color=colour, alpha=alpha90, linewidth=0, label=f"{label}: 90% band")
    ax.fill_between(times, q[0.25], q[0.75], color=colour, alpha=alpha50, linewidth=0, label=f"{label}: 50% band")
    ax.plot(times, q[0.5], color=colour, linewidth=2, label=f"{label}: median")


def _planned(results: Results, index: int) -> np.ndarray | None:
    """The median over replicates of a target's planned trajectory (NaN where undefined)."""
    if "target_planned" not in results:
        return None
    planned = np.asarray(results["target_planned"])[:, :, index]
    with np.errstate(all="ignore"):
        out = np.full(planned.shape[1], np.nan)
        defined = ~np.isnan(planned).all(axis=0)
        out[defined] = np.nanmedian(planned[:, defined], axis=0)
    return out


def _mark_target(ax: "Axes", results: Results, index: int, start_value: float, times: np.ndarray, first: bool) -> None:
    t = results.targets[index]
    when = np.datetime64(t.date, "ns")
    label = _text(t.label, f"target: {t.series} by {t.date.isoformat()}")
    planned = _planned(results, index)
    if planned is not None and np.count_nonzero(~np.isnan(planned)) > 1:
        ax.plot(times, planned, linestyle="--", color="black", linewidth=1, label="planned trajectory" if first else None)
    elif t.trajectory is None and _SERIES_NAMES.get(t.series):
        ax.plot([times[0], when], [start_value, t.value], linestyle="--", color="black", linewidth=1,
                label="straight line to the target" if first else None)
    ax.scatter([when], [t.value], marker="*", s=140, color="black", zorder=5, label=label)
    ax.axvline(when, color="grey", linestyle=":", linewidth=1)
    ax.annotate(
        t.date.isoformat(),
        xy=(when, 0),
        xycoords=("data", "axes fraction"),
        xytext=(-3, 3),
        textcoords="offset points",
        ha="right",
        fontsize=8,
        color="grey",
    )


def _mark_targets(ax: "Axes", results: Results, variable: str, start_value: float, times: np.ndarray) -> None:
    indices = [j for j, t in enumerate(results.targets) if t.series == variable]
    for n, j in enumerate(indices):
        _mark_target(ax, results, j, start_value, times, n == 0)


def target(
    results: Results,
    which: int | str = 0,
    *,
    ax: "Axes | None" = None,
    colour: str = _BAND_COLOURS[0],
) -> "Figure":
    """A fan chart of one target's series against its planned trajectory and value.

    Works for every kind of target: stocks (persons at each instant), flows (persons over the
    12 months before each date) and rates (shares over the same months, drawn in percent).

    Args:
        results: a run's results (its scenario must declare targets).
        which: the target's position in the scenario, or its label.
        ax: draw into these axes instead of a new figure.
        colour: the colour of the median and bands.

    Returns:
        The figure (x: date; y: persons, persons a year, or percent).
    """
    targets = results.targets
    if "target_value" not in results or not targets:
        raise KeyError("these results have no targets (the scenario declares no [[targets]])")
    if isinstance(which, str):
        labels = [t.label for t in targets]
        if which not in labels:
            raise KeyError(f"no target labelled {which!r}; the targets are {labels}")
        which = labels.index(which)
    if not 0 <= which < len(targets):
        raise IndexError(f"target {which} does not exist; the scenario has {len(targets)}")
    t = targets[which]
    rate = t.series.endswith("_rate")
    ds = results.to_xarray()
    da = ds["target_value"].isel(target=which)
    da = da * (100.0 if rate else 1.0)
    times = da["time"].values
    q = _quantiles(da)
    fig, (axis,) = _new_axes(ax)
    _bands(axis, times, q, colour, "replicates")
    if rate:  # the marks of _mark_target, in percent
        planned = _planned(results, which)
        if planned is not None and np.count_nonzero(~np.isnan(planned)) > 1:
            axis.plot(times, planned * 100, linestyle="--", color="black", linewidth=1, label="planned trajectory")
        when = np.datetime64(t.date, "ns")
        axis.scatter([when], [t.value * 100], marker="*", s=140, color="black", zorder=5, label=_text(t.label, t.series))
        axis.axvline(when, color="grey", linestyle=":", linewidth=1)
        axis.set_ylabel("percent")
        axis.set_xlabel("date")
        axis.grid(True, alpha=0.3)
    else:
        _mark_target(axis, results, which, float(q[0.5][0]), times, True)
        _persons_axis(axis, "persons a year" if t.series.endswith("_per_year") else "persons")
    axis.set_title(_text(t.label, t.series))
    axis.legend(loc="best", fontsize=8)
    return _finish(fig)


def fan_chart(
    results: Results,
    variable: str = "skilled_workers",
    *,
    sel: Mapping[str, Any] | None = None,
    targets: bool = True,
    chinese_labels: bool = False,
    ax: "Axes | None" = None,
    title: str | None = None,
    colour: str = _BAND_COLOURS[0],
) -> "Figure":
    """A fan chart of one series over the replicates: the median and the 50% and 90% bands.

    Args:
        results: a run's results.
        variable: any variable; dimensions other than replicate and time are summed after
            ``sel`` (e.g. ``variable="workers", sel={"status": "employed"}``).
        sel: labels to select, as in ``xarray.DataArray.sel``.
        targets: for skilled_workers and high_skilled_workers, mark the scenario's targets: the
            target value (a star), a straight trajectory from the start to it, and its date.
        chinese_labels: series names in Chinese as well (技能劳动者, 高技能人才).
        ax: draw into these axes instead of a new figure.
        title: the title (default: the series name).
        colour: the colour of the median and bands.

    Returns:
        The figure (x: date, y: persons).
    """
    da = _series(results, variable, sel)
    times = da["time"].values
    q = _quantiles(da)
    fig, (axis,) = _new_axes(ax)
    _bands(axis, times, q, colour, "replicates")
    if targets and not sel:
        _mark_targets(axis, results, variable, float(q[0.5][0]), times)
    _persons_axis(axis)
    n = da.sizes["replicate"]
    axis.set_title(title or f"{_series_title(variable, chinese_labels)} ({n} replicate{'s' if n != 1 else ''})")
    axis.legend(loc="best", fontsize=8)
    return _finish(fig)


def compare(
    results_by_label: Mapping[str, Results],
    variable: str = "skilled_workers",
    difference: bool = True,
    *,
    baseline: str | None = None,
    sel: Mapping[str, Any] | None = None,
    targets: bool = True,
    chinese_labels: bool = False,
    title: str | None = None,
) -> "Figure":
    """Two or more scenarios side by side, and their differences from a baseline.

    Left: each scenario's median with its 50% and 90% bands (and the targets of the first).
    Right (``difference=True``): each scenario minus the baseline, replicate by replicate, with
    the median and the 50% and 90% bands of the difference. Runs with the same seed use the same
    random numbers for the same agents (common random numbers), so the paired difference shows
    the effect of the scenario, not noise from different draws; the panel says when the seeds
    differ.

    Args:
        results_by_label: ``{"baseline": results0, "more training": results1, ...}``.
        variable, sel, targets, chinese_labels: as in :func:`fan_chart`.
        difference: add the difference panel (needs two scenarios or more).
        baseline: the label the differences are taken from (default: the first).
        title: the figure's title.

    Raises:
        ValueError: fewer than one result, an unknown baseline, or differences asked of runs
            with different time axes or replicate counts.
    """
    if not results_by_label:
        raise ValueError("compare() needs at least one result")
    labels = list(results_by_label)
    base_label = labels[0] if baseline is None else baseline
    if base_label not in results_by_label:
        raise ValueError(f"baseline {base_label!r} is not one of {labels}")
    series = {label: _series(r, variable, sel) for label, r in results_by_label.items()}
    show_difference = difference and len(labels) > 1
    fig, axes = _new_axes(None, ncols=2 if show_difference else 1)

    ax = axes[0]
    for i, label in enumerate(labels):
        da = series[label]
        _bands(ax, da["time"].values, _quantiles(da), _BAND_COLOURS[i % len(_BAND_COLOURS)], label, faint=True)
    if targets and not sel:
        first = series[labels[0]]
        _mark_targets(ax, results_by_label[labels[0]], variable, float(np.median(first.values[:, 0])), first["time"].values)
    _persons_axis(ax)
    ax.set_title(_series_title(variable, chinese_labels))
    ax.legend(loc="best", fontsize=7)

    if show_difference:
        ax = axes[1]
        base = series[base_label]
        seeds = {r.seed for r in results_by_label.values()}
        for i, label in enumerate(labels):
            if label == base_label:
                continue
            da = series[label]
            if da.shape != base.shape or not np.array_equal(da["time"].values, base["time"].values):
                raise ValueError(
                    f"cannot take differences of {label!r} and {base_label!r}: their replicates or time "
                    f"axes differ ({dict(da.sizes)} vs {dict(base.sizes)})"
                )
            diff = np.asarray(da.values, dtype=float) - np.asarray(base.values, dtype=float)
            qs = [0.05, 0.25, 0.5, 0.75, 0.95]
            q = dict(zip(qs, np.quantile(diff, qs, axis=0)))
            _bands(ax, base["time"].values, q, _BAND_COLOURS[i % len(_BAND_COLOURS)], f"{label} - {base_label}")
        ax.axhline(0, color="black", linewidth=0.8)
        _persons_axis(ax, "difference (persons)")
        paired = "paired replicates, common random numbers" if len(seeds) == 1 else "different seeds: not paired"
        ax.set_title(f"Difference from {base_label} ({paired})")
        ax.legend(loc="best", fontsize=7)
    if title:
        fig.suptitle(title)
    return _finish(fig)


def _as_datetime64(value: Any) -> np.datetime64:
    if isinstance(value, _dt.datetime):
        value = value.replace(tzinfo=None)
    return np.datetime64(value, "ns")


def flows(
    results: Results,
    start: Any = None,
    end: Any = None,
    *,
    chinese_labels: bool = False,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Figure":
    """Promotions between levels over a period, as a Sankey-style ladder.

    Each level is a node (with its stock at the start and at the end of the period, not
    retired); the band from one level to the next has a width proportional to the promotions
    into the higher level during the period (median over replicates, in persons: assessments
    passed, apprenticeships started, appointments), and is labelled with that number.

    Args:
        results: a run's results.
        start, end: the period, as dates (``datetime.date``, ``numpy.datetime64`` or
            ``"2020-01-01"``); flows of the months ending after ``start`` and up to ``end`` are
            counted. Default: the whole run.
        chinese_labels: level names in Chinese (学徒工, 初级工, ...).
        ax: draw into these axes instead of a new figure.
        title: the title.

    Raises:
        ValueError: the period is empty or outside the run.
    """
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MplPath

    ds = results.to_xarray()
    times = ds["time"].values
    t0 = times[0] if start is None else _as_datetime64(start)
    t1 = times[-1] if end is None else _as_datetime64(end)
    if not t0 < t1:
        raise ValueError(f"the period is empty: start {t0} is not before end {t1}")
    if t0 < times[0] or t1 > times[-1]:
        raise ValueError(f"the period {t0} to {t1} is outside the run ({times[0]} to {times[-1]})")
    in_period = (times > t0) & (times <= t1)
    promotions = ds["promotions"].isel(time=np.flatnonzero(in_period)).sum("time")
    promoted = np.median(np.asarray(promotions.transpose("replicate", "level").values, dtype=float), axis=0)
    workers = ds["workers"].drop_sel(status="retired").sum("status")
    i0 = int(np.searchsorted(times, t0, side="right") - 1)
    i1 = int(np.searchsorted(times, t1, side="right") - 1)
    stock0 = np.median(workers.isel(time=i0).transpose("replicate", "level").values, axis=0)
    stock1 = np.median(workers.isel(time=i1).transpose("replicate", "level").values, axis=0)

    zh = list(ds["level_zh"].values) if "level_zh" in ds.coords else []
    use_zh = chinese_labels and zh and cjk_font() is not None
    names = [str(n) for n in zh] if use_zh else _LEVEL_NAMES_EN
    n_levels = len(promoted)

    fig, (axis,) = _new_axes(ax, width=11.0, height=7.0)
    biggest = max(float(promoted[1:].max()) if n_levels > 1 else 0.0, 1.0)
    max_band = 0.8  # in data units (a level step is 1 across and `rise` up)
    rise = 1.5
    node_w = 0.28
    widths = [max_band * float(promoted[k]) / biggest for k in range(n_levels)]
    for k in range(n_levels):
        inflow = widths[k] if k > 0 else 0.0
        outflow = widths[k + 1] if k + 1 < n_levels else 0.0
        height = max(inflow, outflow, 0.08)
        x, y = float(k), rise * k
        axis.add_patch(Rectangle((x - node_w / 2, y - height / 2), node_w, height, color="#555555", zorder=3))
        top = y + height / 2 + 0.06
        axis.text(x, top, f"{stock0[k]:,.0f} → {stock1[k]:,.0f}", ha="center", va="bottom", fontsize=7, color="#333333")
        axis.text(x, top + 0.3, names[k], ha="center", va="bottom", fontsize=9, fontweight="bold")
    for k in range(1, n_levels):
        w = widths[k]
        x0, y0 = k - 1 + node_w / 2, rise * (k - 1)
        x1, y1 = k - node_w / 2, rise * k
        colour = _BAND_COLOURS[0] if promoted[k] > 0 else "#bbbbbb"
        half = max(w, 0.01) / 2
        mid = (x0 + x1) / 2
        verts = [
            (x0, y0 + half),
            (mid, y0 + half),
            (mid, y1 + half),
            (x1, y1 + half),
            (x1, y1 - half),
            (mid, y1 - half),
            (mid, y0 - half),
            (x0, y0 - half),
            (x0, y0 + half),
        ]
        codes = [MplPath.MOVETO] + [MplPath.CURVE4] * 3 + [MplPath.LINETO] + [MplPath.CURVE4] * 3 + [MplPath.CLOSEPOLY]
        axis.add_patch(PathPatch(MplPath(verts, codes), facecolor=colour, edgecolor="none", alpha=0.55, zorder=2))
        axis.text(
            mid + half + 0.06, (y0 + y1) / 2, f"{promoted[k]:,.0f}", ha="left", va="center", fontsize=8, zorder=4
        )
    axis.set_xlim(-0.8, n_levels - 0.2)
    axis.set_ylim(-1.0, rise * (n_levels - 1) + 1.2)
    axis.axis("off")

    def month(t: np.datetime64) -> str:
        return str(t.astype("datetime64[M]"))

    n = ds.sizes["replicate"]
    axis.set_title(
        title
        or (
            f"Promotions between levels, {month(t0)} to {month(t1)} "
            f"(persons, median of {n} replicate{'s' if n != 1 else ''}; band width ∝ persons promoted)"
        ),
        fontsize=10,
    )
    axis.text(
        0.0,
        -0.02,
        "Above each level: persons at that level (not retired) at the start → at the end of the period.",
        transform=axis.transAxes,
        fontsize=8,
        color="#333333",
        va="top",
    )
    return _finish(fig)


def _date_ticks(ax: "Axes") -> None:
    """Year-month tick labels, slanted so that they do not overlap."""
    import matplotlib.dates as mdates

    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")


def _require_programmes(results: Results) -> "xarray.Dataset":
    if "spending" not in results:
        raise ValueError(
            "these results have no training programmes: spending and binding constraints come from "
            "scenarios that declare [funds] and [programmes] (see docs/levers.md)"
        )
    return results.to_xarray()


def _label(ds: "xarray.Dataset", dim: str, index: int, chinese_labels: bool) -> str:
    english = str(ds[dim].values[index])
    zh = f"{dim}_zh"
    if chinese_labels and zh in ds.coords:
        return _text(f"{ds[zh].values[index]} ({english})", english)
    return english


def spending(
    results: Results,
    *,
    by: str = "programme",
    cumulative: bool = True,
    chinese_labels: bool = False,
) -> "Figure":
    """Money over time: what was paid (by programme or by fund) and what each fund has left.

    Left panel: spending (median over replicates), cumulative from the start unless
    ``cumulative=False``, one line per programme or fund. Right panel: each fund's uncommitted
    money at the end of each month (median and 90% band); a fall to zero is the envelope running out.

    Args:
        results: results of a scenario with funds and programmes.
        by: ``"programme"`` or ``"fund"``.
        cumulative: cumulative spending (default) or spending per month.
        chinese_labels: programme and fund names in Chinese as well.

    Returns:
        The figure (x: date, y: yuan).

    Raises:
        ValueError: if the results have no programmes, or ``by`` is neither programme nor fund.
    """
    if by not in ("programme", "fund"):
        raise ValueError(f"by must be 'programme' or 'fund', got {by!r}")
    ds = _require_programmes(results)
    other = "fund" if by == "programme" else "programme"
    paid = ds["spending"].sum(other)
    if cumulative:
        paid = paid.cumsum("time")
    times = ds["time"].values
    fig, (left, right) = _new_axes(None, ncols=2, width=6.0)
    for k in range(ds.sizes[by]):
        median = np.median(np.asarray(paid.isel({by: k}).transpose("replicate", "time").values, dtype=float), axis=0)
        left.plot(times, median, color=_BAND_COLOURS[k % len(_BAND_COLOURS)], linewidth=2,
                  label=_label(ds, by, k, chinese_labels))
    _persons_axis(left, "yuan")
    _date_ticks(left)
    left.set_title(("cumulative spending" if cumulative else "spending per month") + f" by {by} (median)")
    left.legend(loc="best", fontsize=8)
    remaining = ds["fund_remaining"]
    for f in range(ds.sizes["fund"]):
        q = _quantiles(remaining.isel(fund=f).transpose("replicate", "time"))
        colour = _BAND_COLOURS[f % len(_BAND_COLOURS)]
        right.fill_between(times, q[0.05], q[0.95], color=colour, alpha=0.2, linewidth=0)
        right.plot(times, q[0.5], color=colour, linewidth=2, label=_label(ds, "fund", f, chinese_labels))
    _persons_axis(right, "yuan")
    _date_ticks(right)
    right.set_title("money left uncommitted, by fund (median, 90% band)")
    right.legend(loc="best", fontsize=8)
    return _finish(fig)


def binding_shares(results: Results, *, chinese_labels: bool = False) -> dict[str, np.ndarray]:
    """Each constraint's share of replicates in which it bound, at each time point (the month
    ending then; 0 at the first): every programme's seats (bound if any region's seats turned
    applicants away) and money, every fund and, with evaluation capacity, every evaluator type.
    Keys are labels as :func:`binding` shows them ("就业技能培训 (employment_skills): seats").

    Raises:
        ValueError: if the results have no programmes.
    """
    ds = _require_programmes(results)
    out: dict[str, np.ndarray] = {}
    seats = (ds["seats_binding"].max("region") > 0).mean("replicate")
    money = (ds["money_binding"] > 0).mean("replicate")
    for k in range(ds.sizes["programme"]):
        name = _label(ds, "programme", k, chinese_labels)
        out[f"{name}: seats"] = np.asarray(seats.isel(programme=k).values)
        out[f"{name}: money"] = np.asarray(money.isel(programme=k).values)
    if "fund_binding" in ds:
        funds = (ds["fund_binding"] > 0).mean("replicate")
        for f in range(ds.sizes["fund"]):
            out[f"{_label(ds, 'fund', f, chinese_labels)}: money left"] = np.asarray(funds.isel(fund=f).values)
    if "evaluation_binding" in ds:
        evaluators = (ds["evaluation_binding"].max("region") > 0).mean("replicate")
        for e in range(ds.sizes["evaluator"]):
            out[f"{_label(ds, 'evaluator', e, chinese_labels)}: evaluation"] = np.asarray(evaluators.isel(evaluator=e).values)
    return out


def binding(results: Results, *, chinese_labels: bool = False) -> "Figure":
    """Which constraints bound, month by month: one row per programme's seats (summed over
    regions: bound if any region's seats turned applicants away), per programme's money, per
    fund and, with evaluation capacity, per evaluator type (bound if its capacity was used up
    while candidates it could assess waited); the colour is the share of replicates in which the
    constraint bound that month.

    Returns:
        The figure (x: date, rows: constraints, colour: share of replicates).

    Raises:
        ValueError: if the results have no programmes.
    """
    ds = _require_programmes(results)
    shares = binding_shares(results, chinese_labels=chinese_labels)
    rows, labels = list(shares.values()), list(shares)
    # The value at time t is the month that ends at t: draw it from t - 1 month to t.
    grid = np.asarray(rows, dtype=float)[:, 1:]  # no flows before the first month
    fig, (ax,) = _new_axes(None, width=8.0, height=1.0 + 0.35 * len(rows))
    import matplotlib.dates as mdates

    edges = ds["time"].values
    mesh = ax.pcolormesh(mdates.date2num(edges), np.arange(len(rows) + 1), grid, vmin=0, vmax=1, cmap="Reds")
    ax.xaxis_date()
    _date_ticks(ax)
    ax.set_yticks(np.arange(len(rows)) + 0.5, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("date")
    ax.set_title("binding constraints (colour: share of replicates turning applicants away)", fontsize=10)
    fig.colorbar(mesh, ax=ax, label="share of replicates")
    return _finish(fig)


def posts(results: Results, *, chinese_labels: bool = False) -> "Figure":
    """Employers' posts by level over time: posts, filled posts and vacancies (median over
    replicates), one panel per level that has posts at some time point.

    Args:
        results: results of a scenario with employers (``[employers]``, docs/model.md "Employers,
            posts and pay").
        chinese_labels: level names in Chinese as well.

    Returns:
        The figure (x: date, y: persons): in each panel, posts (solid), filled posts (dashed) and
        vacancies (dotted).

    Raises:
        ValueError: if the results have no employers, or no level has posts.
    """
    if "employer_posts" not in results:
        raise ValueError(
            "these results have no employers: posts and vacancies come from scenarios that declare "
            "[employers] with size classes (see docs/model.md, 'Employers, posts and pay')"
        )
    ds = results.to_xarray()
    times = ds["time"].values
    median = {
        name: np.median(np.asarray(ds[name].transpose("replicate", "time", "level").values, dtype=float), axis=0)
        for name in ("employer_posts", "employer_filled_posts", "employer_vacancies")
    }
    levels = [k for k in range(ds.sizes["level"]) if median["employer_posts"][:, k].max() > 0]
    if not levels:
        raise ValueError("no level has posts in these results (employers.posts_per_1000 is 0 everywhere)")
    fig, axes = _new_axes(None, ncols=len(levels), width=4.5)
    for ax, k in zip(axes, levels):
        for name, style, label in (
            ("employer_posts", "-", "posts"),
            ("employer_filled_posts", "--", "filled"),
            ("employer_vacancies", ":", "vacant"),
        ):
            ax.plot(times, median[name][:, k], linestyle=style, linewidth=2, color=_BAND_COLOURS[0], label=label)
        _persons_axis(ax)
        _date_ticks(ax)
        ax.set_title(_label(ds, "level", k, chinese_labels) + " (median)")
        ax.legend(loc="best", fontsize=8)
    return _finish(fig)
