"""Shared fixtures: a small Jincheng scenario (scale 100: 13,600 agents) and its results, and the
engine's command line."""

from __future__ import annotations

import _thread
import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot

import pytest  # noqa: E402

import skillsim  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
JINCHENG = REPO / "scenarios" / "jincheng_2020_2021.toml"
SMALL = {"population.scale": 100}


@pytest.fixture(scope="session")
def small_scenario() -> skillsim.Scenario:
    return skillsim.Scenario.load(JINCHENG).replace(SMALL)


@pytest.fixture(scope="session")
def small_results(small_scenario) -> skillsim.Results:
    return skillsim.run(small_scenario, replicates=3, threads=2, seed=7, progress=False)


def find_cli() -> Path | None:
    """The engine's command line: $SKILLSIM_CLI, the one installed with the package, or the
    checkout's build/bin/skillsim."""
    if env := os.environ.get("SKILLSIM_CLI"):
        return Path(env)
    from skillsim import _cli

    if _cli.executable().exists():
        return _cli.executable()
    for candidate in (REPO / "build" / "bin" / "skillsim", Path(sys.prefix) / "bin" / "skillsim"):
        if candidate.exists():
            return candidate
    found = shutil.which("skillsim")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def cli() -> Path:
    path = find_cli()
    if path is None:
        pytest.skip("no skillsim command line: install the package (it ships one) or build build/bin/skillsim")
    return path


@contextlib.contextmanager
def _press_ctrl_c_after(seconds: float):
    """Presses Ctrl-C (_thread.interrupt_main) from a timer thread `seconds` from now; yields the
    list its time (time.monotonic) is appended to when it fires."""
    fired: list[float] = []
    timer = threading.Timer(seconds, lambda: (fired.append(time.monotonic()), _thread.interrupt_main()))
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


@pytest.fixture
def ctrl_c():
    """Python's own Ctrl-C handler for the test (a suite started as a background job of a
    non-interactive shell inherits SIGINT ignored, and then Python installs no handler, so
    _thread.interrupt_main() would do nothing), and the way to press it:
    ``with ctrl_c(0.5) as fired: ...``."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield _press_ctrl_c_after
    signal.signal(signal.SIGINT, previous)



@pytest.fixture
def browser():
    """A headless chromium through selenium (closed after the test), or a skip saying what is
    missing (scripts/test.sh sets SKILLSIM_REQUIRE_BROWSER=1, so there it fails instead)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if not (chromium and driver):
        if os.environ.get("SKILLSIM_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium, chromedriver or selenium is missing (scripts/install-deps.sh installs them)")
        pytest.skip("chromium, chromedriver or selenium is missing (scripts/install-deps.sh installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_session = webdriver.Chrome(service=Service(driver), options=options)
    yield driver_session
    driver_session.quit()
