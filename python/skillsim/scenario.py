"""Scenarios: what to simulate (see docs/scenario.md for the file format).

A :class:`Scenario` is immutable and always valid: every way of making one goes through the
engine's own TOML reader and validator (``skillsim::io::parse_scenario``), so a bad value raises
:class:`skillsim.ScenarioError` with exactly the messages ``skillsim validate`` prints.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
import re
import warnings
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Sequence, Union

from . import _core

__all__ = ["Scenario", "Target", "ScheduledChange", "bundled_scenarios", "DEFAULT_SCENARIO", "toml_value"]

#: The bundled scenario that ``Scenario.load()`` (and ``skillsim run``) use without a name.
DEFAULT_SCENARIO = "jincheng_2020_2021"

PathLike = Union[str, "os.PathLike[str]"]
Overrides = Union[Mapping[str, Any], Iterable[str], None]


class Target(NamedTuple):
    """A target: ``series`` should be at least ``value`` at ``date`` (see docs/targets.md).

    Stocks (skilled_workers, high_skilled_workers, workers_at_level) are persons at the first
    instant of ``date``; flows (trainees_per_year, new_skilled_per_year, certificates_per_year)
    are persons over the 12 months before it; rates (pass_rate, certificate_rate,
    employment_rate) are shares over the same months.
    """

    label: str
    series: str
    date: _dt.date
    value: float
    level: int | None = None  #: for workers_at_level
    programmes: tuple[str, ...] = ()  #: for programme series: the programmes counted (empty: all)
    trajectory: "str | list[tuple[_dt.date, float]] | None" = None  #: "linear", planned points, or None


class ScheduledChange(NamedTuple):
    """From ``date`` on, the parameter ``key`` takes ``value``."""

    date: _dt.date
    key: str
    value: Any


# ------------------------------------------------------------------------------------------------
# Bundled scenarios


def _scenario_dirs() -> list[Path]:
    dirs = []
    if env := os.environ.get("SKILLSIM_SCENARIO_DIR"):
        dirs.append(Path(env))
    checkout = Path(__file__).resolve().parent.parent.parent
    if (checkout / "engine").is_dir() and (checkout / "pyproject.toml").is_file():
        dirs.append(checkout / "scenarios")  # an editable install: the checkout's own scenarios
    dirs.append(Path(_core.__file__).resolve().parent / "scenarios")  # installed with the package
    return [d for d in dirs if d.is_dir()]


def resolve_spec(path: PathLike, folder: str, kind: str) -> Path:
    """A spec file, or the name of a bundled one (``scenarios/FOLDER/NAME.toml``); ``kind``
    names it in the error ("calibration spec", "plan spec").

    Raises:
        FileNotFoundError: neither, with the bundled specs there are.
    """
    p = Path(path)
    if p.is_file():
        return p
    if p.suffix == "" and p.parent == Path("."):
        for directory in _scenario_dirs():
            candidate = directory / folder / f"{p.name}.toml"
            if candidate.is_file():
                return candidate
    bundled = sorted(q.stem for d in _scenario_dirs() for q in (d / folder).glob("*.toml"))
    raise FileNotFoundError(f"{kind} '{path}' does not exist (bundled {kind}s: {', '.join(bundled) or 'none'})")


def bundled_scenarios() -> list[str]:
    """Names of the scenarios that ship with skillsim (e.g. ``"jincheng_2020_2021"``), for
    :meth:`Scenario.load`."""
    names: set[str] = set()
    for d in _scenario_dirs():
        names.update(p.stem for p in d.glob("*.toml"))
    return sorted(names)


def _resolve(path: PathLike) -> Path:
    """A path as given, or a bundled scenario by name (``"national_2016"`` or
    ``"national_2016.toml"``), as the command line resolves it."""
    given = Path(path)
    if given.exists() or str(given.parent) != ".":
        return given
    name = given.name if given.suffix == ".toml" else given.name + ".toml"
    for d in _scenario_dirs():
        if (d / name).exists():
            return d / name
    return given


# ------------------------------------------------------------------------------------------------
# Python values as TOML text

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_key(key: str, dotted: bool) -> str:
    """A key as TOML text: a dotted key of bare parts when ``dotted`` allows, else quoted."""
    if dotted and all(_BARE_KEY.fullmatch(part) for part in key.split(".")):
        return key
    if not dotted and _BARE_KEY.fullmatch(key):
        return key
    return _toml_string(key)


def toml_value(value: Any) -> str:
    """Formats a Python value as a TOML value, as a scenario file would write it.

    ``bool`` -> ``true``/``false``; integers (also NumPy's) -> ``36``; floats -> the shortest text
    that reads back the same (``nan``, ``inf`` included); ``str`` -> a quoted string;
    ``datetime.date`` -> ``2020-01-01`` (a ``datetime`` at midnight counts as its date, any other
    as a date-time, which the engine rejects); lists, tuples and NumPy arrays -> arrays (nested for
    matrices); a mapping -> an inline table.

    Raises:
        TypeError: for anything else.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if type(value).__module__ == "numpy":
        import numpy as np

        if isinstance(value, np.datetime64):
            return toml_value(value.astype("datetime64[D]").item())
        if isinstance(value, np.ndarray):
            return toml_value(value.tolist())
        if isinstance(value, np.generic):
            return toml_value(value.item())
    if isinstance(value, Mapping):
        items = ", ".join(f"{_toml_key(str(k), dotted=False)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} as a TOML value: {value!r}")


def _override_strings(overrides: Overrides) -> list[str]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{key}={toml_value(value)}" for key, value in overrides.items()]
    if isinstance(overrides, str):
        raise TypeError("overrides must be a mapping {'dotted.key': value} or a list of 'key=value' strings")
    return [str(o) for o in overrides]


def _dict_to_toml(d: Mapping[str, Any]) -> str:
    """A nested dict in the shape of a scenario file as TOML text."""
    plain, tables, arrays = [], [], []
    for key, value in d.items():
        key = str(key)
        if isinstance(value, Mapping):
            tables.append((key, value))
        elif key in ("schedule", "targets") and isinstance(value, (list, tuple)) and all(
            isinstance(e, Mapping) for e in value
        ):
            arrays.append((key, value))
        else:
            plain.append(f"{_toml_key(key, dotted=True)} = {toml_value(value)}")
    lines = list(plain)
    for key, table in tables:
        lines.append(f"\n[{_toml_key(key, dotted=False)}]")
        lines.extend(f"{_toml_key(str(k), dotted=True)} = {toml_value(v)}" for k, v in table.items())
    for key, entries in arrays:
        for entry in entries:
            lines.append(f"\n[[{key}]]")
            for k, v in entry.items():
                if k == "set" and isinstance(v, Mapping):
                    # Keys of 'set' are dotted parameter keys, written quoted as in docs/scenario.md.
                    items = ", ".join(f"{_toml_string(str(sk))} = {toml_value(sv)}" for sk, sv in v.items())
                    lines.append(f"set = {{ {items} }}")
                else:
                    lines.append(f"{_toml_key(str(k), dotted=False)} = {toml_value(v)}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------
# Scenario


class Scenario:
    """A validated, immutable scenario: parameters at the start, schedule and targets.

    Make one with :meth:`load`, :meth:`from_toml` or :meth:`from_dict`; derive variants with
    :meth:`replace`. Read a parameter with ``scenario["labour.job_loss_rate"]``.

    Every constructor raises :class:`skillsim.ScenarioError` listing every problem, with the same
    ``FILE:LINE:COLUMN: KEY: MESSAGE`` lines as ``skillsim validate``.
    """

    __slots__ = ("_core", "_text", "_source", "_overrides")

    def __init__(self, core: _core.Scenario, text: str, source: str, overrides: Sequence[str] = ()) -> None:
        """Internal: use :meth:`load`, :meth:`from_toml` or :meth:`from_dict`."""
        self._core = core
        self._text = text
        self._source = source
        self._overrides = tuple(overrides)
        # What the reader left out (schedule entries and targets after a run shortened by an
        # override): not an error, but the user should see what will not run.
        for note in core.notes:
            warnings.warn(f"{source}: {note}", UserWarning, stacklevel=3)

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: PathLike | None = None, overrides: Overrides = None) -> "Scenario":
        """Reads a scenario file.

        Args:
            path: a path, or the name of a bundled scenario (``"national_2016"``; see
                :func:`bundled_scenarios`); None for the default, ``"jincheng_2020_2021"``.
            overrides: changes applied after the file, as ``--set`` does: a mapping
                ``{"dotted.key": value}`` (values as in :meth:`replace`) or ``"key=value"``
                strings with TOML values.

        Raises:
            ScenarioError: the file cannot be read or is invalid (every problem listed).
        """
        resolved = _resolve(DEFAULT_SCENARIO if path is None else path)
        extra = _override_strings(overrides)
        core = _core.load_scenario(resolved, extra)
        return cls(core, core.source_text, core.source_name, extra)

    @classmethod
    def from_toml(cls, text: str, name: str = "<string>", overrides: Overrides = None) -> "Scenario":
        """Parses scenario text (the contents of a scenario file).

        Args:
            text: TOML text; keys not named take the engine's defaults.
            name: the source name used in messages and recorded in results files.
            overrides: as in :meth:`load`.

        Raises:
            ScenarioError: listing every problem.
        """
        extra = _override_strings(overrides)
        return cls(_core.parse_scenario(text, name, extra), text, name, extra)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], name: str = "<dict>") -> "Scenario":
        """Builds a scenario from a nested dict shaped like a scenario file.

        Sections map to dicts of keys, ``"schedule"`` and ``"targets"`` to lists of dicts; a
        top-level dotted key (``{"labour.job_loss_rate": 0.02}``) also works. Dates are
        ``datetime.date`` objects. For example::

            Scenario.from_dict({
                "scenario": {"name": "shock", "start": date(2020, 1, 1), "months": 24},
                "population": {"size": 1_000_000, "scale": 100},
                "schedule": [{"date": date(2020, 2, 1), "set": {"labour.job_loss_multiplier": 2.5}}],
                "targets": [{"series": "skilled_workers", "date": date(2022, 1, 1), "value": 3e5}],
            })

        The dict is written as TOML (see :attr:`text`) and read by the engine, so problems are
        reported as for a file named ``name``, with line numbers in :attr:`text`.

        Raises:
            ScenarioError: listing every problem.
            TypeError: a value has no TOML form.
        """
        return cls.from_toml(_dict_to_toml(d), name=name)

    def replace(self, changes: Overrides = None, /, **kwargs: Any) -> "Scenario":
        """A new scenario with some parameters changed; this one is unchanged.

        Args:
            changes: ``{"dotted.key": value}``. Values: ``bool``, ``int``, ``float``, ``str``,
                ``datetime.date``, lists (vectors) and lists of lists (matrices), NumPy arrays.
                Flags take ``True``/``False`` or 1/0; integers take whole numbers (``2.0`` too,
                not ``2.5``).
            **kwargs: more changes, with ``__`` for the dot: ``replace(population__scale=100)``.

        The original text is read again with all changes so far applied after it, exactly like
        ``skillsim run FILE --set KEY=VALUE ...``, so the problems are the command line's.

        Raises:
            ScenarioError: listing every problem (changes are named ``--set`` in it).
        """
        extra = _override_strings(changes)
        extra += _override_strings({k.replace("__", "."): v for k, v in kwargs.items()})
        overrides = list(self._overrides) + extra
        return Scenario(_core.parse_scenario(self._text, self._source, overrides), self._text, self._source, overrides)

    # -- reading ----------------------------------------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        """The start value of a parameter, e.g. ``scenario["labour.job_loss_rate"]``.

        Numbers are ``float`` or ``int``, dates ``datetime.date``, vectors lists, matrices lists
        of lists. Elements are ``float`` for numbers, ``int`` for integers (levels, months, such as
        ``programmes.min_level``) and ``bool`` for flags (yes/no columns such as
        ``programmes.full_time``; ``True == 1``, so code written for 0/1 still works). Raises
        KeyError (with a "did you mean") for an unknown key."""
        return self._core.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        """Like ``scenario[key]``, but ``default`` for an unknown key."""
        try:
            return self._core.get(key)
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _MISSING) is not _MISSING

    def keys(self) -> list[str]:
        """Every parameter key, in the order of the reference (docs/scenario-reference.md)."""
        return [spec["key"] for spec in _core.parameter_specs()]

    def parameters(self) -> dict[str, Any]:
        """Every parameter's start value by dotted key (a new dict)."""
        return self._core.parameters()

    @property
    def name(self) -> str:
        """``scenario.name``."""
        return self._core.name

    @property
    def description(self) -> str:
        """``scenario.description``."""
        return self._core.description

    @property
    def start(self) -> _dt.date:
        """First month simulated (its first day)."""
        return self._core.start

    @property
    def end(self) -> _dt.date:
        """The instant after the last simulated month: the last point of the results' time axis."""
        return self._core.end

    @property
    def months(self) -> int:
        """Number of months simulated."""
        return self._core.months

    @property
    def seed(self) -> int:
        """``run.seed``: the default seed of :func:`skillsim.run`."""
        return self._core.seed

    @property
    def replicates(self) -> int:
        """``run.replicates``: the default number of replicates of :func:`skillsim.run`."""
        return self._core.replicates

    @property
    def targets(self) -> list[Target]:
        """The ``[[targets]]`` entries."""
        return [Target(t[0], t[1], t[2], t[3], t[4], tuple(t[5]), t[6]) for t in self._core.targets]

    @property
    def schedule(self) -> list[ScheduledChange]:
        """The scheduled changes, one per parameter and date, in date order."""
        return [ScheduledChange(*c) for c in self._core.schedule]

    @property
    def text(self) -> str:
        """The source text (the file's contents, or the text made by :meth:`from_dict`), without
        the changes of :meth:`replace`; see :attr:`overrides` and :meth:`to_toml`."""
        return self._text

    @property
    def source(self) -> str:
        """The source name: the file's path, ``"<string>"`` or ``"<dict>"``."""
        return self._source

    @property
    def notes(self) -> list[str]:
        """What the reader left out and why, one sentence each (also given as a ``UserWarning``
        when the scenario is made): the schedule entries and targets dated after a run shortened
        by ``scenario.months``. Empty as a rule."""
        return list(self._core.notes)

    @property
    def overrides(self) -> tuple[str, ...]:
        """The ``key=value`` overrides applied after the text (``--set`` equivalents)."""
        return self._overrides

    def to_toml(self) -> str:
        """A complete scenario file: every parameter (defaults included), the schedule and the
        targets. ``Scenario.from_toml(s.to_toml()) == s`` holds."""
        origin = self._source + (" with " + ", ".join(self._overrides) if self._overrides else "")
        origin = " ".join(origin.split())  # one comment line, whatever the names hold
        header = (
            f"# Scenario written by skillsim {_core.__version__} (Scenario.to_toml) from {origin}.\n"
            "# Every parameter is listed, defaults included; see docs/scenario-reference.md.\n\n"
        )
        return self._core.to_toml(header)

    def _call_text(self) -> str:
        """How to make this scenario again in Python (for the results' command_line)."""
        if self._source.startswith("<"):
            text = f"Scenario.from_toml(<{len(self._text)} characters>, name={self._source!r})"
        else:
            text = f"Scenario.load({self._source!r})"
        if self._overrides:
            text += ".replace(" + repr(list(self._overrides)) + ")"
        return text

    # -- comparison -------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Equal parameters, schedule and targets (the source name and text may differ)."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self._core.equals(other._core)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        extra = f", {len(self._overrides)} override(s)" if self._overrides else ""
        return (
            f"<Scenario {self.name!r} from {self._source}: {self.months} months from {self.start}, "
            f"{len(self.schedule)} scheduled change(s), {len(self.targets)} target(s){extra}>"
        )


_MISSING = object()
