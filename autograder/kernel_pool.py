"""Spare grading kernels: started, with TensorFlow imported, before a notebook needs one.

Starting Python and importing TensorFlow costs a grading kernel about 4 s
before the notebook's first cell, and nbgrader pays it for every notebook.
When ``c.SandboxedKernelManager.spare_kernels`` is 1 (``tfcourse grade`` sets
it while more submissions are queued), taking a kernel for one notebook also
starts the next one's: an ``autograder.warm_kernel`` process under the same
sandbox, limits, command and environment, which imports TensorFlow while the
current notebook runs and then waits for its order.

What stays the same as a cold start: every notebook runs in a fresh process
that has run nothing but our imports, under ``autograder.sandbox``. A spare
has no kernel sockets and no connection file until it is taken; its only
channel is a socket pair that the grader holds. A spare that died, or was
started for another command or environment, is discarded and a kernel is
started on the spot. Spares get end of file and exit when this process
closes the pool or dies.

Used by ``autograder.kernel_manager.SandboxProvisioner``.
"""
from __future__ import annotations

import atexit
import itertools
import json
import os
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

from jupyter_client.launcher import launch_kernel


@dataclass
class Spare:
    """One kernel process waiting for its order."""

    key: str
    process: Popen
    control: socket.socket
    report: str
    launched: float

    def alive(self) -> bool:
        return self.process.poll() is None

    def order(self, argv: list[str], cwd: str | None) -> bool:
        """Tell the process to become the kernel for ``argv`` in ``cwd``; ``False`` if it is gone."""
        try:
            # A spare that another notebook's code stopped (SIGSTOP) would never start.
            os.killpg(self.process.pid, signal.SIGCONT)
            self.control.sendall((json.dumps({"argv": argv, "cwd": cwd}) + "\n").encode())
            return self.alive()
        except OSError:
            return False
        finally:
            self.control.close()

    def discard(self) -> None:
        """End the process: end of file for the kernel, SIGTERM for its supervisor (which cleans up)."""
        self.control.close()
        if self.alive():
            self.process.terminate()


@dataclass
class Taken:
    """A started kernel handed out by ``KernelPool.take``."""

    process: Popen
    report: str
    head_start: float  # seconds it had been running before it was needed (0: started on demand)


class KernelPool:
    """The spare kernels of this process, by the command and environment they were started with."""

    def __init__(self) -> None:
        self.spares: list[Spare] = []
        self._folder: Path | None = None
        self._numbers = itertools.count(1)

    def folder(self) -> Path:
        """A private folder for the supervisors' reports, and the spares' working folder."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="tfcourse-kernels-"))
            atexit.register(self.close)
        return self._folder

    def report_path(self) -> str:
        """A fresh path for one kernel supervisor's report."""
        return str(self.folder() / f"kernel-{next(self._numbers)}.json")

    def take(self, wrapper: list[str], kernel: list[str], launch: dict[str, Any],
             argv: list[str], cwd: str | None, spares: int = 0) -> Taken:
        """A kernel for one notebook, started as ``wrapper --report=... -- kernel``, then ordered to run ``argv``.

        Args:
            wrapper: The supervisor's command, without ``--report``.
            kernel: The command of ``autograder.warm_kernel``.
            launch: Keyword arguments for ``jupyter_client.launcher.launch_kernel`` (``env``, ...).
            argv: ``ipykernel_launcher``'s arguments (``-f CONNECTION_FILE``).
            cwd: The notebook's folder.
            spares: How many spares to keep started for later notebooks. Defaults to 0.
        """
        key = json.dumps([wrapper, kernel, launch], sort_keys=True, default=str)
        taken = None
        for spare in list(self.spares):
            if spare.key != key or not spare.alive():
                self.spares.remove(spare)
                spare.discard()
            elif taken is None:
                self.spares.remove(spare)
                if spare.order(argv, cwd):
                    taken = Taken(spare.process, spare.report, time.monotonic() - spare.launched)
                else:
                    spare.discard()
        if taken is None:
            spare = self._launch(key, wrapper, kernel, launch)
            if not spare.order(argv, cwd):
                raise RuntimeError(f"the grading kernel exited at once (exit status {spare.process.poll()})")
            taken = Taken(spare.process, spare.report, 0.0)
        while len(self.spares) < spares:
            self.spares.append(self._launch(key, wrapper, kernel, launch))
        return taken

    def _launch(self, key: str, wrapper: list[str], kernel: list[str], launch: dict[str, Any]) -> Spare:
        report = self.report_path()
        ours, theirs = socket.socketpair()
        try:
            process = launch_kernel([*wrapper, f"--report={report}", "--", *kernel], stdin=theirs.fileno(),
                                    cwd=str(self.folder()), **launch)
        except Exception:
            ours.close()
            raise
        finally:
            theirs.close()
        return Spare(key, process, ours, report, time.monotonic())

    def close(self) -> None:
        """Discard every spare and remove the private folder."""
        for spare in self.spares:
            spare.discard()
        for spare in self.spares:
            try:
                spare.process.wait(timeout=5)
            except Exception:  # a supervisor that ignores SIGTERM is killed
                spare.process.kill()
        self.spares.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


#: This process's pool (a grading worker, or one ``nbgrader autograde`` run).
POOL = KernelPool()
