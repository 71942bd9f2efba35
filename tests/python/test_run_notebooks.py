"""tests/python/run_notebooks.py: quiet when the notebooks are fine, loud when one fails."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

RUNNER = REPO / "tests" / "python" / "run_notebooks.py"


def run_notebook(tmp_path, *cells: str) -> subprocess.CompletedProcess:
    notebook = tmp_path / "nb.py"
    notebook.write_text("".join(f"# %%\n{cell}\n\n" for cell in cells), encoding="utf-8")
    return subprocess.run([sys.executable, str(RUNNER), str(notebook)], capture_output=True, text=True, timeout=300)


def test_a_good_notebook_runs_quietly(tmp_path):
    done = run_notebook(tmp_path, 'print("hello")')
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("notebook nb.py: ok (")
    assert done.stdout.endswith("notebooks: 1 passed, 0 failed\n")
    # A TCP kernel printed "[IPKernelApp] WARNING | Kernel is running over TCP without encryption".
    assert quiet(done.stderr) == ""


# libzmq asserts, rarely, when a socket's descriptor reports POLLHUP as the kernel's context is
# terminated at shutdown (zeromq/libzmq#1307, #1554): after the notebook ran and its result was in
# (seen once, in the second of two fresh-clone CI runs of 2026-12-03; not in 12 local runs). That
# line alone is not the notebooks' noise.
ZMQ_SHUTDOWN_RACE = "Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:"


def quiet(stderr: str) -> str:
    return "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith(ZMQ_SHUTDOWN_RACE))


def test_what_the_kernel_prints_still_comes_through(tmp_path):
    done = run_notebook(tmp_path, 'import os\nos.write(2, b"kernel: something to see\\n")')
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kernel: something to see" in done.stderr


def test_a_failing_cell_fails_the_run(tmp_path):
    done = run_notebook(tmp_path, "x = 1", 'raise RuntimeError("boom")')
    assert done.returncode == 1
    assert "notebook nb.py: FAILED" in done.stdout
    assert "RuntimeError" in done.stdout and "boom" in done.stdout
    assert done.stdout.endswith("notebooks: 0 passed, 1 failed\n")
