"""skillsim: agent-based simulation of vocational-training policy in China.

    import skillsim
    scenario = skillsim.Scenario.load()              # the bundled default, Jincheng 2020-2021
    results = skillsim.run(scenario, replicates=10)
    twin = skillsim.project(skillsim.Scenario.load("national_2016"))  # expectations, no agents (docs/twin.md)
    skillsim.plot.fan_chart(results, "skilled_workers")
    ds = results.to_xarray()                          # as xarray.open_dataset(file) reads it
    grid = skillsim.sweep("grid.toml")                # many runs: a leading `scenario` dimension
    skillsim.sensitivity("jincheng_plan_2020_2021", vary={...}, outputs={...}).plot()  # Sobol indices
    fit = skillsim.calibrate("national_forecast_2016")  # fit to the published data (a spec)
    skillsim.report({"baseline": base, "plan": plan}, "report.html")  # one HTML file for planners
    answer = skillsim.plan("jincheng_2020_2021")      # the least-cost plan meeting the targets

The engine is C++ (skillsim._core); this package is the Python layer over it. See docs/python.md
for the reference, docs/scenario.md for scenarios and docs/results.md for results files.
"""

import os as _os

# OpenMP threads that wait by spinning (libgomp's default) slow a run 5-8 times when another
# process wants the CPU, as in a notebook next to a compile or a second kernel; waiting
# passively costs little. Read when the OpenMP runtime loads, i.e. on importing _core, so set
# first; an explicit OMP_WAIT_POLICY is respected.
_os.environ.setdefault("OMP_WAIT_POLICY", "passive")

from . import _core  # noqa: E402
from .calibration import Backtest, Calibration, CalibrationError, backtest, calibrate  # noqa: E402
from .comparison import Comparison, compare, report  # noqa: E402
from .errors import DataError, InsufficientMemory, Problem, ResultsFileError, ScenarioError, TwinUnsupported  # noqa: E402
from .observations import data_file, indicators, observations  # noqa: E402
from .plan import Plan, PlanError, plan  # noqa: E402
from .results import Results, cost_per_additional, open_results  # noqa: E402
from .run import estimate_memory, run  # noqa: E402
from .scenario import DEFAULT_SCENARIO, Scenario, ScheduledChange, Target, bundled_scenarios  # noqa: E402
from .sensitivity import SobolIndices, sensitivity  # noqa: E402
from .sweep import sweep  # noqa: E402
from .twin import project  # noqa: E402

#: The engine version (the CMake project version), which is also the package version.
__version__: str = _core.__version__
#: The git commit the engine was built from ("-dirty" if the tree had changes).
__git_commit__: str = _core.git_commit


def __getattr__(name: str):
    # skillsim.plot imports matplotlib, so it is loaded on first use.
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'skillsim' has no attribute {name!r}")


__all__ = [
    "Backtest",
    "Calibration",
    "CalibrationError",
    "Comparison",
    "DEFAULT_SCENARIO",
    "DataError",
    "InsufficientMemory",
    "Plan",
    "PlanError",
    "Problem",
    "Results",
    "ResultsFileError",
    "Scenario",
    "ScenarioError",
    "ScheduledChange",
    "SobolIndices",
    "Target",
    "TwinUnsupported",
    "__version__",
    "backtest",
    "bundled_scenarios",
    "calibrate",
    "compare",
    "cost_per_additional",
    "data_file",
    "estimate_memory",
    "indicators",
    "observations",
    "open_results",
    "plan",
    "plot",
    "project",
    "report",
    "run",
    "sensitivity",
    "sweep",
]
