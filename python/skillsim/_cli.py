"""The `skillsim` command installed with the package: starts the engine's command line (shipped
in the wheel as skillsim/bin/skillsim) with the bundled scenarios, so `skillsim run` works
without a checkout; `skillsim calibrate`, `skillsim backtest`, `skillsim compare` and
`skillsim report` and `skillsim plan` are run here, in Python (skillsim.calibration, skillsim.comparison,
skillsim.plan). See README.md, "Using it"."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def executable() -> Path:
    """Path of the engine's command line inside the installed package."""
    from . import _core  # installed beside the command line (also in an editable install)

    return Path(_core.__file__).resolve().parent / "bin" / "skillsim"


#: Commands of the Python package itself (skillsim.calibration, skillsim.comparison), not of the
#: engine's binary.
PYTHON_COMMANDS = ("calibrate", "backtest", "compare", "report", "plan")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("calibrate", "backtest"):
        from .calibration import main as calibration_main

        sys.exit(calibration_main(sys.argv[1:]))
    if len(sys.argv) > 1 and sys.argv[1] in ("compare", "report"):
        from .comparison import main as comparison_main

        sys.exit(comparison_main(sys.argv[1:]))
    if len(sys.argv) > 1 and sys.argv[1] == "plan":
        from .plan import main as plan_main

        sys.exit(plan_main(sys.argv[1:]))
    exe = executable()
    if not exe.exists():
        sys.exit(f"skillsim: the command line is missing from the installed package ({exe})")
    env = dict(os.environ)
    if "SKILLSIM_SCENARIO_DIR" not in env:
        from .scenario import _scenario_dirs

        dirs = _scenario_dirs()
        if dirs:
            env["SKILLSIM_SCENARIO_DIR"] = str(dirs[0])
    os.execve(exe, [str(exe), *sys.argv[1:]], env)


if __name__ == "__main__":
    main()
