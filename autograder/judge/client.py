"""Start the judge process once per grading process and ask it for verdicts.

The judge (``autograder.judge.server``) is a fresh Python started with
``subprocess``: it imports TensorFlow for the reference models, which the
grading process must not (it forks kernels, and TensorFlow's threads do not
survive a fork). It is trusted: it runs the grader's code on the grader's
arguments, and reads from the kernel only decoded plain data.

Used by ``autograder.preprocessors.JudgeObservations``.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class JudgeError(RuntimeError):
    """The judge process died or did not answer in time."""


class Judge:
    """One judge process; ``ask`` sends a request and waits for its answer."""

    def __init__(self, timeout: float = 300.0):
        self.timeout = timeout
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        from helpers.quiet import QUIET_ENV

        env = {**os.environ, **QUIET_ENV, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        process = subprocess.Popen([sys.executable, "-m", "autograder.judge.server"], cwd=ROOT, env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        atexit.register(self.close)
        return process

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            ready, _, _ = select.select([self._process.stdout], [], [], self.timeout)
            line = self._process.stdout.readline() if ready else ""
            if not line:
                self.close()
                raise JudgeError("the judge process did not answer")
            return json.loads(line)

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.stdin.close()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


_judge = Judge()


def ask(request: dict[str, Any]) -> dict[str, Any]:
    """The verdict on one test cell, from this process's judge (started on first use)."""
    return _judge.ask(request)
