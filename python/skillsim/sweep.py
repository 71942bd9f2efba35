"""Running a sweep: many runs of one base scenario into one :class:`~skillsim.Results` with a
leading ``scenario`` dimension (see docs/sweeps.md for sweep files)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Mapping

from . import _core
from .errors import Problem, ResultsFileError, ScenarioError
from .results import Results, open_results
from .run import PROGRESS_DELAY, _progress_bar_class
from .scenario import Overrides, Scenario, _override_strings, _resolve, _scenario_dirs, _toml_string, toml_value

__all__ = ["sweep", "sweep_toml"]

#: The keys of the [sweep] table of a sweep file.
_SWEEP_KEYS = ("base", "design", "samples", "sampling_seed", "max_runs")
#: The name given in messages to a sweep written from a dict.
_DICT_SOURCE = "<sweep dict>"


class _SweepProgress:
    """The callback the engine's poll loop calls with (runs done, runs in all, runs failed,
    fraction of the run in progress); a bar in runs, shown once the sweep lasts long enough."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.bar: Any = None
        self.failed = 0

    def __call__(self, done: int, total: int, failed: int, fraction: float) -> None:
        position = min(float(total), done + min(max(fraction, 0.0), 1.0))
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY or done >= total:
                return
            self.bar = _progress_bar_class()(
                total=total,
                initial=position,
                desc=self.label,
                unit="run",
                leave=False,
                bar_format="{l_bar}{bar}| {n:.1f}/{total_fmt} runs [{elapsed}<{remaining}]{postfix}",
            )
        if position > self.bar.n:
            self.bar.update(position - self.bar.n)
        if failed != self.failed:
            self.failed = failed
            self.bar.set_postfix_str(f"{failed} failed")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ------------------------------------------------------------------------------------------------
# A sweep given as a dict


def _base_reference(base: Any, workdir: Path) -> tuple[str, list[str]]:
    """What the sweep file's ``base`` says, and overrides to apply to it: a file or bundled name
    as given (a relative path made absolute, since the sweep file is written elsewhere); a
    :class:`Scenario` by its file and overrides when it has a file, else as its complete text."""
    if isinstance(base, Scenario):
        source = Path(base.source)
        if not base.source.startswith("<") and source.is_file():
            return str(source.resolve()), list(base.overrides)
        path = workdir / "base.toml"
        path.write_text(base.to_toml(), encoding="utf-8")
        return str(path), []
    if not isinstance(base, (str, os.PathLike)):
        raise TypeError(f"the sweep's base must be a path, a bundled scenario's name or a Scenario, got {base!r}")
    resolved = _resolve(base)
    if resolved.exists():
        return str(resolved.resolve()), []
    return os.fspath(base), []  # the engine says it cannot find it, and where it looked


def sweep_toml(spec: Mapping[str, Any], base: str | None = None) -> str:
    """A sweep file's text from a dict: ``{"base": ..., "design": ..., "vary": {key: values}}``
    with optional ``samples``, ``sampling_seed`` and ``max_runs`` (or the file's shape,
    ``{"sweep": {...}, "vary": {...}}``). ``vary`` values are lists (list and grid designs) or
    ranges: ``{"low": a, "high": b}``, or a pair ``(a, b)`` for the sampling designs
    (``latin_hypercube``, ``sobol``). ``base`` replaces the spec's base (a path or name).

    Unknown keys are written into ``[sweep]`` as given, so the engine names them (with a "did
    you mean").
    """
    if "sweep" in spec and isinstance(spec["sweep"], Mapping):
        table = dict(spec["sweep"])
        vary = spec.get("vary", {})
        extra = {k: v for k, v in spec.items() if k not in ("sweep", "vary")}
        table.update(extra)
    else:
        table = {k: v for k, v in spec.items() if k != "vary"}
        vary = spec.get("vary", {})
    if base is not None:
        table["base"] = base
    if not isinstance(vary, Mapping):
        raise TypeError(f"the sweep's vary must be a mapping {{key: values}}, got {type(vary).__name__}")
    sampling = table.get("design") in ("latin_hypercube", "sobol")
    ordered = [k for k in _SWEEP_KEYS if k in table] + [k for k in table if k not in _SWEEP_KEYS]
    lines = ["[sweep]"]
    lines += [f"{_toml_string(str(k)) if not str(k).isidentifier() else k} = {toml_value(table[k])}" for k in ordered]
    lines.append("")
    lines.append("[vary]")
    for key, values in vary.items():
        if sampling and isinstance(values, (tuple, list)) and len(values) == 2:
            values = {"low": values[0], "high": values[1]}
        elif hasattr(values, "tolist") and not isinstance(values, Mapping):
            values = values.tolist()
        lines.append(f"{_toml_string(str(key))} = {toml_value(values)}")
    return "\n".join(lines) + "\n"


def _renamed(error: ScenarioError, path: Path, name: str) -> ScenarioError:
    """The error with the temporary sweep file's path replaced by ``name``."""
    problems = [
        Problem(name if p.file == str(path) else p.file, p.line, p.column, p.key, p.message.replace(str(path), name))
        for p in error.problems
    ]
    return ScenarioError(problems, name if error.source == str(path) else error.source)


# ------------------------------------------------------------------------------------------------
# sweep()


def sweep(
    sweep: "str | os.PathLike[str] | Mapping[str, Any]",
    output: "str | os.PathLike[str] | None" = None,
    replicates: int | None = None,
    seed: int | None = None,
    threads: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    overrides: Overrides = None,
    progress: bool = True,
) -> Results:
    """Runs every run of a sweep and returns the results, with a leading ``scenario``
    dimension (one entry per run), as ``skillsim sweep`` does.

    Args:
        sweep: a sweep file (docs/sweeps.md), or a dict shaped like one::

                {"base": "jincheng_plan_2020_2021", "design": "grid",
                 "vary": {"funds.annual_envelope[upgrading_account]": [40e6, 52e6, 70e6],
                          "labour.job_find_multiplier": [0.8, 1.0]}}

            ``base`` is a path, a bundled scenario's name, or a :class:`skillsim.Scenario`;
            sampling designs take ``samples``, ``sampling_seed`` and ranges,
            ``{"low": a, "high": b}`` or ``(a, b)``. A dict is written to a temporary sweep
            file (messages name it ``<sweep dict>``); see :func:`sweep_toml`.
        output: also write the results file there (atomically, when the sweep is done); None: a
            temporary file, read into memory and deleted.
        replicates: per run (default: the base's ``run.replicates``).
        seed: the simulation's base seed (default: the base's ``run.seed``). Replicate r of every
            run uses the same random numbers for the same decisions (common random numbers).
        threads: OpenMP threads per run (default: all cores). Results do not depend on it.
        resume: continue an interrupted sweep into ``output`` from its journal (finished runs are
            kept, the others run).
        overwrite: replace an existing ``output``.
        overrides: changes to the base, as ``--set`` (``{"population.scale": 100}`` or
            ``"key=value"`` strings), applied before the sweep's own values.
        progress: show a progress bar in runs (tqdm) if the sweep lasts longer than about a
            second.

    Returns:
        :class:`skillsim.Results` over ``(scenario, replicate, time, ...)``. In
        :meth:`~skillsim.Results.to_xarray` each varied key is a coordinate on ``scenario`` (so
        ``ds.sel(scenario=...)``, ``ds.where(ds["labour.job_find_multiplier"] > 1)`` and
        ``groupby`` work); ``run_failed`` is 1 for a run that failed, and the metadata's
        ``failed_runs`` says why. Runs that fail do not stop the others.

    The engine runs in a worker thread with the GIL released. Ctrl-C (KeyboardInterrupt) cancels
    the sweep within a simulated month; finished runs stay in the journal beside ``output``
    (``NAME.journal``), and ``resume=True`` continues from them.

    Raises:
        ScenarioError: the sweep file, its base or a varied key is invalid (every problem, with
            file, line, column and key).
        ResultsFileError: ``output`` exists and ``overwrite`` is False, a journal of an
            interrupted sweep is there and ``resume`` is False, or the file cannot be written.
        ValueError: ``replicates``, ``threads`` or ``seed`` out of range; ``resume`` without
            ``output``; the base cannot be found.
        KeyboardInterrupt: the sweep was interrupted.
    """
    if replicates is not None and int(replicates) < 1:
        raise ValueError(f"replicates must be at least 1, got {replicates}")
    if seed is not None and int(seed) < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    if threads is not None and int(threads) < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    if resume and output is None:
        raise ValueError("resume=True needs the output of the interrupted sweep (its journal is beside it)")
    if output is not None and os.path.exists(output) and not overwrite and not resume:
        raise ResultsFileError(f"{os.fspath(output)} exists; pass overwrite=True to replace it")
    extra = _override_strings(overrides)

    workdir = Path(tempfile.mkdtemp(prefix="skillsim-sweep-"))
    try:
        if isinstance(sweep, Mapping):
            spec = sweep.get("sweep", sweep) if isinstance(sweep.get("sweep"), Mapping) else sweep
            if "base" not in spec:
                raise ValueError("the sweep has no base: give 'base' (a path, a bundled scenario's name or a Scenario)")
            base, base_overrides = _base_reference(spec["base"], workdir)
            path = workdir / "sweep.toml"
            path.write_text(sweep_toml(sweep, base=base), encoding="utf-8")
            label, source = "sweep", _DICT_SOURCE
            call = f"<dict of {len(sweep.get('vary', {}))} key(s)>"
        else:
            path = Path(sweep)
            base_overrides, label, source = [], Path(sweep).stem, None
            call = repr(os.fspath(sweep))
        try:
            job = _core.load_sweep(path, base_overrides + extra, [str(d) for d in _scenario_dirs()])
        except ScenarioError as error:
            raise (_renamed(error, path, source) if source else error) from None

        target = Path(output) if output is not None else workdir / "sweep.h5"
        command_line = (
            f"python: skillsim.sweep({call}, replicates={replicates}, seed={seed}, threads={threads}"
            f"{', overrides=' + repr(extra) if extra else ''})"
        )
        bar = _SweepProgress(f"{label}: {job.runs} runs") if progress else None
        try:
            _core.run_sweep(
                job,
                os.fspath(target),
                overwrite=bool(overwrite),
                resume=bool(resume),
                replicates=0 if replicates is None else int(replicates),
                seed=-1 if seed is None else int(seed),
                threads=0 if threads is None else int(threads),
                progress=bar,
                poll_seconds=0.1,
                command_line=command_line,
            )
        finally:
            if bar is not None:
                bar.close()
        return open_results(target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
