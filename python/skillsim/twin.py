"""The expected-value twin: a scenario's expected trajectory without sampling agents (docs/twin.md)."""

from __future__ import annotations

import os

from . import _core
from .errors import ResultsFileError
from .results import Results
from .run import _Progress
from .scenario import Scenario

__all__ = ["project"]


def project(
    scenario: Scenario,
    output: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    replicates: int | None = None,
    threads: int | None = None,
    progress: bool = True,
) -> Results:
    """Projects the expected trajectory of every stock and flow of a scenario (the expected-value
    twin, ``skillsim project``): a cohort projection from the same parameters and rules the agent
    model reads, with no random numbers.

    The results have the variables and dimensions of :func:`skillsim.run`, with one replicate
    (or, with parameter sets, ``run.replicates`` replicates, replicate r projected under set r
    modulo the sets, as :func:`skillsim.run` runs it); every count is a float64 expectation in
    persons, and ``results.metadata["skillsim_twin"]``
    is ``"1"`` (:attr:`Results.is_twin`). Plots, :func:`skillsim.compare`,
    :func:`skillsim.report` and ``to_xarray()`` take them as they take a run's.

    Args:
        scenario: what to project.
        output: if given, also write the results file there (as ``skillsim project -o``).
        overwrite: replace an existing ``output``.
        replicates: with parameter sets, how many replicates, replicate r projected under set r
            modulo the sets (as ``skillsim project --replicates N``; default: the scenario's
            ``run.replicates``; each set used is projected once). Without parameter sets the
            twin projects one expectation, and more than 1 is a ValueError.
        threads: with parameter sets, the sets are projected side by side, one a thread, on
            this many OpenMP threads (as ``skillsim project --threads``; default: all cores).
            Results do not depend on it.
        progress: show a progress bar (months projected over the sets; tqdm, as
            :func:`skillsim.run`'s) if the projection lasts longer than about a second.

    The projection runs in a worker thread with the GIL released: Ctrl-C (KeyboardInterrupt)
    stops it within a month of a set, and nothing is written.

    Raises:
        TwinUnsupported: the scenario uses a mechanism the twin does not model yet
            (factors by age band; programmes asking for different age limits, or substitutes
            asking for other ages than their programme; employers' matching, posts, places and
            own evaluation;
            a state too large: too many programme months, or insurance months or group time
            limits in too many of them); ``error.keys`` names every one (docs/twin.md, "What
            the twin refuses").
        ResultsFileError: ``output`` exists and ``overwrite`` is False, or cannot be written.
        ValueError: ``replicates`` below 1, or above 1 without parameter sets; ``threads`` below 1.

    Example::

        twin = skillsim.project(skillsim.Scenario.load("national_2016"))
        twin["skilled_workers"][0, -1]      # the expected skilled workers at the end
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"project() needs a skillsim.Scenario, got {type(scenario).__name__}")
    reps = 0 if replicates is None else int(replicates)
    if replicates is not None and reps < 1:
        raise ValueError(f"replicates must be at least 1, got {replicates}")
    if threads is not None and int(threads) < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    if output is not None and os.path.exists(output) and not overwrite:
        raise ResultsFileError(f"{os.fspath(output)} exists; pass overwrite=True to replace it")
    bar = _Progress(scenario.name) if progress else None
    try:
        core = _core.project(
            scenario._core,
            f"python: skillsim.project({scenario._call_text()})",
            scenario.to_toml() if scenario.overrides else None,
            reps,
            0 if threads is None else int(threads),
            bar,
        )
    finally:
        if bar is not None:
            bar.close()
    results = Results(core, scenario)
    if output is not None:
        results.save(output, overwrite=overwrite)
    return results
