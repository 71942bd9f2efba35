"""Running: argument checks, the progress bar, the GIL, and Ctrl-C."""

from __future__ import annotations

import importlib
import os
import threading
import time

import pytest

import skillsim

run_module = importlib.import_module("skillsim.run")


def test_argument_checks(small_scenario, tmp_path):
    with pytest.raises(ValueError, match="replicates must be at least 1"):
        skillsim.run(small_scenario, replicates=0, progress=False)
    with pytest.raises(ValueError, match="seed must be non-negative"):
        skillsim.run(small_scenario, replicates=1, seed=-1, progress=False)
    with pytest.raises(ValueError, match="threads"):
        skillsim.run(small_scenario, replicates=1, threads=0, progress=False)
    with pytest.raises(TypeError):
        skillsim.run("jincheng_2020_2021")  # type: ignore[arg-type]
    existing = tmp_path / "exists.h5"
    existing.write_text("x")
    started = time.monotonic()
    with pytest.raises(skillsim.ResultsFileError, match="exists"):
        skillsim.run(small_scenario, replicates=50, output=existing, progress=False)
    assert time.monotonic() - started < 1  # refused before running


def short_scenario(**run):
    return skillsim.Scenario.from_dict(
        {"scenario": {"months": 3}, "population": {"size": 1_000_000, "scale": 100}, "run": run}
    )


def test_defaults_come_from_the_scenario(tmp_path):
    s = short_scenario(replicates=2, seed=11)
    r = skillsim.run(s, progress=False, output=tmp_path / "out.h5")
    assert r.replicates == 2 and r.seed == 11 and r.dims["time"] == 4
    assert skillsim.open_results(tmp_path / "out.h5").metadata == r.metadata


def test_progress_bar(small_scenario, monkeypatch, capsys):
    monkeypatch.setattr(run_module, "PROGRESS_DELAY", 0.0)
    skillsim.run(small_scenario.replace({"population.scale": 10}), replicates=10, threads=1, progress=True)
    err = capsys.readouterr().err
    assert "jincheng_2020_2021" in err and "month" in err


def test_no_progress_bar_for_short_runs(capsys):
    skillsim.run(short_scenario(), replicates=1, progress=True)
    assert capsys.readouterr().err == ""


def test_the_gil_is_released_while_the_engine_runs(small_scenario):
    ticks = 0
    stop = threading.Event()

    def count():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    started = time.monotonic()
    try:
        skillsim.run(small_scenario.replace({"population.scale": 2}), replicates=1, threads=1, progress=False)
    finally:
        stop.set()
        counter.join()
    elapsed = time.monotonic() - started
    assert elapsed > 0.2, "the run was too short to tell"
    assert ticks > 0.2 * elapsed / 0.001  # the other thread ran for most of the time


def test_interrupt_stops_promptly_and_writes_nothing(small_scenario, tmp_path, ctrl_c):
    """Ctrl-C (here _thread.interrupt_main from a timer thread) cancels a long run within a
    simulated month and re-raises KeyboardInterrupt; nothing is written."""
    long_run = small_scenario.replace({"population.scale": 2})  # 680,000 agents: 10 s or more in all
    output = tmp_path / "never.h5"
    started = time.monotonic()
    with ctrl_c(0.5) as fired, pytest.raises(KeyboardInterrupt):
        skillsim.run(long_run, replicates=30, threads=1, progress=False, output=output)
    stopped = time.monotonic()
    assert fired, "the interrupt never fired"
    assert stopped - fired[0] < 2.0
    assert stopped - started < 5.0
    assert not output.exists()
    assert os.listdir(tmp_path) == []
    # The engine is usable afterwards.
    assert skillsim.run(small_scenario, replicates=1, progress=False).replicates == 1


def test_an_exception_in_the_progress_callback_cancels_the_run(small_scenario, monkeypatch):
    class Boom(Exception):
        pass

    def explode(self, done, total):
        raise Boom()

    monkeypatch.setattr(run_module._Progress, "__call__", explode)
    started = time.monotonic()
    with pytest.raises(Boom):
        skillsim.run(small_scenario.replace({"population.scale": 2}), replicates=30, threads=1, progress=True)
    assert time.monotonic() - started < 2.0


def test_a_run_that_cannot_fit_is_refused_before_anything_is_allocated():
    # 2 billion agents (about 28 GB of columns): more than any machine this project runs on.
    huge = skillsim.Scenario.load("national_2016").replace(
        {"population.size": 2_000_000_000, "population.scale": 1, "scenario.months": 12}
    )
    estimate = skillsim.estimate_memory(huge, replicates=1, threads=2)
    # 2 billion synthesised and national_2016's technical-school students at the start (1,916,490 +
    # 685,170 + 443,540 + 264,800): they are agents too.
    assert estimate["agents_initial"] == 2_000_000_000 + 3_310_000
    assert estimate["total"] == sum(estimate[k] for k in ("population", "growth", "candidates", "compaction", "results", "fixed"))
    assert estimate["bytes_per_agent"] == 14  # the columns stored always; one region, no programme, evaluator or employer
    assert estimate["population"] >= 14 * estimate["agents_peak"]
    if estimate["available"] is None:
        pytest.skip("this system does not say how much memory is available")
    started = time.monotonic()
    with pytest.raises(skillsim.InsufficientMemory) as refused:
        skillsim.run(huge, replicates=1, threads=2, progress=False)
    assert time.monotonic() - started < 10  # at once: nothing synthesised
    message = str(refused.value)
    assert message == estimate["refusal"]
    assert "the run needs about" in message and "is available" in message
    # What to change, in Python's words, and the way around it.
    assert 'Raise population.scale to at least' in message and 'scenario.replace({"population.scale": ' in message
    assert "memory_check=False runs anyway" in message
    assert isinstance(refused.value, MemoryError) and refused.value.estimate["total"] == estimate["total"]


def test_a_run_that_fits_passes_the_memory_check(small_scenario):
    estimate = skillsim.estimate_memory(small_scenario, replicates=2)
    assert estimate["refusal"] is None and estimate["agents_initial"] == 13_600
    assert "population" in estimate["description"] and estimate["total"] < 500e6
    with pytest.raises(ValueError, match="threads must be at least 1"):
        skillsim.estimate_memory(small_scenario, threads=0)
