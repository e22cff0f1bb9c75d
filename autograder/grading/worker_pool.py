"""The grading worker processes (``autograder.grading.worker``), replaced when one crashes.

Each worker is a separate process, so a worker killed by a submission (or by
the out-of-memory killer) costs only the task it was running: that task is
reported as failed, a fresh worker takes the next one, and every other
student's result is kept.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator

from autograder.paths import REPO

#: The worker's command line (tests swap in a worker that crashes on purpose).
WORKER_COMMAND = [sys.executable, "-m", "autograder.grading.worker"]


class _Worker:
    """One worker process, started on first use and again after a crash."""

    def __init__(self, log: Path):
        self.log = log
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(REPO)}
        with open(self.log, "ab") as log:
            return subprocess.Popen(
                WORKER_COMMAND,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                cwd=REPO, env=env, text=True, bufsize=1,
            )

    def run(self, task: dict) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        try:
            self.proc.stdin.write(json.dumps(task) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if line:
            return json.loads(line)
        code = self.proc.wait()
        self.proc = None
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        return {
            "id": task["id"], "success": False, "log": "",
            "error": f"the grading worker crashed ({how}) while grading this submission",
            "crashed": True,
        }

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_tasks(tasks: Iterable[dict], workers: int, log_dir: Path) -> Iterator[dict]:
    """Run ``tasks`` on ``workers`` processes; yield each reply as soon as it arrives.

    Replies come in completion order; each carries its task's ``id``.
    """
    todo: queue.Queue = queue.Queue()
    pending = 0
    for task in tasks:
        todo.put(task)
        pending += 1
    done: queue.Queue = queue.Queue()

    def serve(worker: _Worker) -> None:
        try:
            while True:
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    return
                done.put(worker.run(task))
        finally:
            worker.close()

    log_dir.mkdir(parents=True, exist_ok=True)
    threads = [
        threading.Thread(target=serve, args=(_Worker(log_dir / f"worker-{i}.log"),), daemon=True)
        for i in range(max(1, min(workers, pending)))
    ]
    for thread in threads:
        thread.start()
    for _ in range(pending):
        yield done.get()
    for thread in threads:
        thread.join()
