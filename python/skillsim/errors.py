"""Exceptions raised by skillsim.

The compiled core translates the engine's C++ exceptions into these:

- ``skillsim::ScenarioError`` -> :class:`ScenarioError` (a :class:`ValueError`), with every problem;
- ``skillsim::ResultsFileError`` -> :class:`ResultsFileError` (an :class:`OSError`);
- ``skillsim::io::DataError`` -> :class:`DataError` (a :class:`ValueError`), with every problem;
- ``skillsim::TwinUnsupported`` -> :class:`TwinUnsupported` (a :class:`ValueError`), naming the keys;
- ``skillsim::Cancelled`` -> :class:`KeyboardInterrupt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = ["DataError", "InsufficientMemory", "Problem", "ScenarioError", "ResultsFileError", "SpecError"]


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario.

    Attributes:
        file: the scenario's source name (a path, ``"<string>"``, ``"<dict>"``), ``"<defaults>"``
            for a problem in a default value, or ``"--set"`` for an override (from
            :meth:`skillsim.Scenario.replace` or ``overrides=``).
        line: 1-based line of the value in ``file``, 0 if it has no place in a file.
        column: 1-based column, 0 if unknown.
        key: dotted path of the value, e.g. ``"labour.job_loss_rate"``,
            ``"skills.pass_probability[6]"`` or ``"schedule[1].set.labour.job_loss_multiplier"``;
            empty for problems of the whole text (a TOML syntax error).
        message: what is wrong, as the command line says it.
    """

    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        # The same text as skillsim::Diagnostic::to_string (what `skillsim validate` prints).
        out = ""
        if self.file:
            out += self.file
            if self.line > 0:
                out += f":{self.line}"
                if self.column > 0:
                    out += f":{self.column}"
            out += ": "
        if self.key:
            out += f"{self.key}: "
        return out + self.message


def problem_count(problems: Sequence[Problem]) -> str:
    """"N problems" with where they are, counted by each problem's own file, so that changes
    from ``--set`` (and :meth:`skillsim.Scenario.replace`) are not counted as the file's: the same
    text as ``skillsim::problem_count`` in the engine."""

    def count(n: int) -> str:
        return f"{n} problem" + ("" if n == 1 else "s")

    files: dict[str, int] = {}  # in order of first appearance
    for p in problems:
        files[p.file] = files.get(p.file, 0) + 1
    if len(files) == 1 and next(iter(files)):
        return f"{count(len(problems))} in {next(iter(files))}"
    if len(files) <= 1:
        return count(len(problems))
    where = ", ".join(f"{n} in {f or 'the scenario'}" for f, n in files.items())
    return f"{count(len(problems))}: {where}"


class ScenarioError(ValueError):
    """A scenario is invalid. Lists every problem found, not only the first.

    ``str(error)`` is what ``skillsim validate`` prints: one line per problem
    (``FILE:LINE:COLUMN: KEY: MESSAGE``), then the count with where the problems are:
    ``N problems in FILE``, ``1 problem in --set`` or ``3 problems: 2 in FILE, 1 in --set``
    (``skillsim::problem_count``).

    Attributes:
        problems: the problems, as :class:`Problem` objects, in the order the command line
            reports them.
        source: the name of the scenario source (path or ``"<string>"``), or None.
    """

    def __init__(self, problems: Iterable[Problem | tuple], source: str | None = None) -> None:
        self.problems: list[Problem] = [p if isinstance(p, Problem) else Problem(*p) for p in problems]
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(problem_count(self.problems))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()

    def __reduce__(self):
        return (type(self), (self.problems, self.source))

    @property
    def keys(self) -> list[str]:
        """The key paths of the problems (convenient in tests and notebooks)."""
        return [p.key for p in self.problems]


class ResultsFileError(OSError):
    """A results file could not be written or read; the message names the path and the reason
    (for example that the file exists and ``overwrite`` is False, or that it is of another
    ``schema_version``)."""


class TwinUnsupported(ValueError):
    """The scenario uses a mechanism the expected-value twin (:func:`skillsim.project`) does not
    model yet; the message names every such key ("the twin does not model X yet").

    Attributes:
        issues: (key, message) pairs, one per mechanism.
    """

    def __init__(self, message: str, issues: Iterable[tuple[str, str]] = ()) -> None:
        self.issues: list[tuple[str, str]] = [tuple(i) for i in issues]  # type: ignore[misc]
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (str(self), self.issues))

    @property
    def keys(self) -> list[str]:
        """The keys of the mechanisms refused."""
        return [key for key, _ in self.issues]


class DataError(ValueError):
    """A data file of published statistics is invalid (docs/calibration.md). Lists every problem
    found; ``str(error)`` is what ``skillsim validate FILE.csv`` prints.

    Attributes:
        problems: the :class:`Problem` list (``file`` is the data file, ``key`` the column).
    """

    def __init__(self, problems: Iterable[Problem | tuple]) -> None:
        self.problems: list[Problem] = [p if isinstance(p, Problem) else Problem(*p) for p in problems]
        super().__init__("\n".join([str(p) for p in self.problems] + [problem_count(self.problems)]))


class SpecError(ValueError):
    """A spec file of the Python layer (a calibration spec, a plan spec), or what it names, is
    invalid; lists every problem, each naming the file and the key."""

    #: What the spec is, for the message's first line ("calibration", "plan spec").
    kind = "spec"

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        n = len(self.problems)
        head = f"invalid {self.kind}: {n} problem{'s' if n != 1 else ''} in {source}"
        super().__init__("\n".join([head, *(f"  {source}: {p}" for p in self.problems)]))


class InsufficientMemory(MemoryError):
    """A run whose estimated peak memory exceeds what this machine has available, refused before
    anything is allocated (:func:`skillsim.run`, as ``skillsim run``; docs/architecture.md,
    "Memory"). The message says what is needed, what is available and what to change; the
    estimate's parts are in :attr:`estimate` (bytes)."""

    def __init__(self, message: str, estimate: dict) -> None:
        super().__init__(message)
        self.estimate = estimate
