"""Executes every notebook in notebooks/ headless and fails if any cell fails.

Usage: python tests/python/run_notebooks.py [NOTEBOOK...]   (default: notebooks/*.py and *.ipynb)

Text notebooks (jupytext "percent" .py files) are converted in memory; each runs in a fresh
kernel of this interpreter ("python3"), with notebooks/ as its working directory. Prints one line
per notebook and ends with "notebooks: N passed, N failed"; exits 1 if any failed.

The kernel talks to this process over IPC sockets in a private temporary directory, not TCP on
localhost: a TCP kernel warns on every start that it runs without encryption, noise that would
hide a warning that matters. Everything the kernel prints still comes through. Once a notebook
has run, its kernel is stopped rather than asked to shut down (execute(): why).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbclient
import nbformat
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]


def execute(path: Path) -> str | None:
    nb = jupytext.read(path) if path.suffix == ".py" else nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="skillsim-kernel-") as sockets:
        config = Config()
        if os.name == "posix":  # IPC is Unix sockets; elsewhere TCP (and its warning) remains
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(sockets, "kernel")
        # The kernel is stopped, not asked to stop, once every cell has run and its output is in: a
        # kernel asked to shut down may print a traceback as it goes (ipykernel 7.4: the control
        # handler's closing "idle" is flushed on the control socket the shutdown has closed,
        # ZMQError ENOTSOCK; seen once, in a fresh-clone CI run of 2026-12-06), noise that would
        # hide a warning that matters. Nothing is left to it then: cells write their files as
        # they run.
        client = nbclient.NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            config=config,
            shutdown_kernel="immediate",
        )
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as error:
            return str(error)
    return None


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(
        p for p in (ROOT / "notebooks").iterdir() if p.suffix in (".py", ".ipynb")
    )
    failed = 0
    for path in paths:
        started = time.monotonic()
        error = execute(path)
        seconds = time.monotonic() - started
        if error is None:
            print(f"notebook {path.name}: ok ({seconds:.1f} s)")
        else:
            failed += 1
            print(f"notebook {path.name}: FAILED ({seconds:.1f} s)\n{error}")
    print(f"notebooks: {len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
