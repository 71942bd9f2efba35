"""Published statistics for calibration: the data file (``data/national_statistics.csv``) read
and validated by the engine's loader, as pandas tables (docs/calibration.md).

    import skillsim
    obs = skillsim.observations(up_to=2016)       # only what a fit with cut-off 2016 may use
    obs[obs.indicator == "high_skilled_workers"]
    skillsim.indicators()                         # the catalogue: unit, role, model output
"""

from __future__ import annotations

import os
from pathlib import Path

from . import _core

__all__ = ["data_file", "indicators", "observations"]

_DATA_NAME = "national_statistics.csv"


def data_file() -> Path:
    """The shipped data file: the checkout's ``data/`` in an editable install, else the copy
    installed with the package."""
    checkout = Path(__file__).resolve().parent.parent.parent
    if (checkout / "engine").is_dir() and (checkout / "data" / _DATA_NAME).is_file():
        return checkout / "data" / _DATA_NAME
    return Path(_core.__file__).resolve().parent / "data" / _DATA_NAME


def indicators():
    """The indicator catalogue as a :class:`pandas.DataFrame` (one row per indicator: kind,
    unit, role -- observation, policy input or context -- the model output it maps to, and what
    it is)."""
    import pandas as pd

    return pd.DataFrame(_core.indicator_catalogue()).set_index("indicator")


def observations(path: str | os.PathLike | None = None, *, up_to: int | None = None):
    """Reads and validates a data file of published statistics (default: :func:`data_file`).

    Returns a :class:`pandas.DataFrame`, one row per figure: kind, indicator, year, value, unit,
    qualifier, quality, source, note, line (in the file), and the indicator's ``role`` from the
    catalogue. ``up_to`` keeps the rows of that year and before: the honest cut-off, since no
    published outcome after a fit's cut-off may enter it (policy inputs after it are the rows of
    role ``"policy input"``, which a forecast may use: read them without ``up_to``).

    Raises:
        skillsim.DataError: with every problem of the file (line, column, what is wrong).
        FileNotFoundError: if the file does not exist.
    """
    import pandas as pd

    path = Path(path) if path is not None else data_file()
    if not path.is_file():
        raise FileNotFoundError(f"data file '{path}' does not exist")
    table = pd.DataFrame(_core.load_observations(os.fspath(path)))
    roles = {row["indicator"]: row["role"] for row in _core.indicator_catalogue()}
    table["role"] = table["indicator"].map(roles)
    if up_to is not None:
        table = table[table["year"] <= int(up_to)].reset_index(drop=True)
    return table
