"""Running a scenario."""

from __future__ import annotations

import os
import sys
import time
import warnings
from typing import Any

from . import _core
from .errors import InsufficientMemory, ResultsFileError
from .results import Results
from .scenario import Scenario

__all__ = ["estimate_memory", "run"]

#: A progress bar appears only for runs that last longer than this (seconds).
PROGRESS_DELAY = 1.0


def _progress_bar_class() -> Any:
    """tqdm's notebook widget inside Jupyter when ipywidgets is installed, the text bar otherwise.

    ``tqdm.auto`` makes the same choice but warns when the kernel lacks ipywidgets; this picks the
    text bar quietly instead."""
    in_kernel = "ipykernel" in sys.modules and getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if in_kernel:
        try:
            import ipywidgets  # noqa: F401
            from tqdm.auto import tqdm

            return tqdm
        except ImportError:
            pass
    from tqdm.std import tqdm

    return tqdm


class _Progress:
    """The callback the engine's poll loop calls with (months done, months in total)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY or done >= total:
                return
            self.bar = _progress_bar_class()(total=total, initial=done, desc=self.label, unit="month", leave=False)
        elif done > self.bar.n:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(
    scenario: Scenario,
    replicates: int | None = None,
    threads: int | None = None,
    seed: int | None = None,
    progress: bool = True,
    output: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    memory_check: bool = True,
) -> Results:
    """Runs every replicate of a scenario and returns the results.

    Args:
        scenario: what to simulate.
        replicates: number of replicates (default: the scenario's ``run.replicates``).
        threads: OpenMP threads (default: all cores). Results do not depend on it.
        seed: base seed (default: the scenario's ``run.seed``). The same seed gives the same
            random numbers to the same agents in any scenario (common random numbers).
        progress: show a progress bar (tqdm; a notebook widget in Jupyter when ipywidgets is
            installed) if the run lasts longer than about a second.
        output: if given, also write the results file there when the run completes (as
            ``skillsim run -o``); checked before the run starts.
        overwrite: replace an existing ``output``.
        memory_check: refuse, before anything is allocated, a run whose estimated peak memory
            exceeds what the machine has available (:func:`estimate_memory`); False runs it
            anyway (as ``skillsim run --no-memory-check``), with a warning.

    The engine runs in a worker thread with the GIL released, so other Python threads go on.
    Ctrl-C (KeyboardInterrupt) cancels the run within a simulated month (well under a second for
    the bundled scenarios) and re-raises; nothing is written.

    Raises:
        KeyboardInterrupt: the run was interrupted.
        ResultsFileError: ``output`` exists and ``overwrite`` is False, or cannot be written.
        InsufficientMemory: the run cannot fit in the memory available (a MemoryError; says
            what is needed, what is available and what to change).
        ValueError: ``replicates``, ``threads`` or ``seed`` out of range.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"run() needs a skillsim.Scenario, got {type(scenario).__name__}")
    reps = scenario.replicates if replicates is None else int(replicates)
    base_seed = scenario.seed if seed is None else int(seed)
    if threads is not None and int(threads) < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    if output is not None and os.path.exists(output) and not overwrite:
        # Refuse before spending the run (save() checks again).
        raise ResultsFileError(f"{os.fspath(output)} exists; pass overwrite=True to replace it")
    if reps < 1:
        raise ValueError(f"replicates must be at least 1, got {reps}")
    estimate = _core.memory_check(scenario._core, reps, 0 if threads is None else int(threads))
    if estimate["refusal"] is not None:
        if memory_check:
            raise InsufficientMemory(estimate["refusal"], estimate)
        warnings.warn(f"memory_check=False: {estimate['refusal']}", ResourceWarning, stacklevel=2)
    command_line = (
        f"python: skillsim.run({scenario._call_text()}, replicates={reps}, seed={base_seed}"
        f", threads={threads})"
    )
    bar = _Progress(scenario.name) if progress else None
    try:
        core = _core.run(
            scenario._core,
            reps,
            base_seed,
            0 if threads is None else int(threads),
            bar,
            0.1,
            command_line,
            # With overrides the file's text alone would not give this scenario again: record the
            # complete scenario instead (the command line records the file and --set options).
            scenario.to_toml() if scenario.overrides else None,
        )
    finally:
        if bar is not None:
            bar.close()
    results = Results(core, scenario)
    if output is not None:
        results.save(output, overwrite=overwrite)
    return results


def estimate_memory(scenario: Scenario, replicates: int | None = None, threads: int | None = None) -> dict[str, Any]:
    """The run's estimated peak memory, before anything is allocated (docs/architecture.md,
    "Memory"): the parts in bytes (``population``, ``growth``, ``candidates``, ``compaction``, ``results``,
    ``fixed`` and their ``total``), the agents at the start and at most (``agents_initial``,
    ``agents_peak``), the bytes of columns per agent (``bytes_per_agent``: 14, and one more for
    each optional column the scenario uses: 19 with programmes, one more with more than one region), a ``description`` as ``skillsim validate`` prints it, the bytes
    ``available`` on this machine (None where it cannot be read) and ``refusal``: the message
    :func:`run` raises when the run cannot fit, None when it fits."""
    if not isinstance(scenario, Scenario):
        raise TypeError(f"estimate_memory() needs a skillsim.Scenario, got {type(scenario).__name__}")
    reps = scenario.replicates if replicates is None else int(replicates)
    if threads is not None and int(threads) < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return dict(_core.memory_check(scenario._core, reps, 0 if threads is None else int(threads)))
