"""The grading worker processes (``autograder.grading.worker``), replaced when one crashes.

Each worker is a separate process, so a worker killed by a submission (or by
the out-of-memory killer) costs only the task it was running: that task is
reported as failed, a fresh worker takes the next one, and every other
student's result is kept. A worker that does not answer within
``TASK_SECONDS`` (stopped, or hung) is killed and replaced the same way, and
a worker dies with its grader (and its fork server and kernels with it).
"""
from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterable, Iterator

from autograder.paths import REPO

#: The worker's command line (tests swap in a worker that crashes on purpose).
WORKER_COMMAND = [sys.executable, "-m", "autograder.grading.worker"]
#: The longest one submission may take before its worker is killed and replaced ($TFCOURSE_TASK_SECONDS).
TASK_SECONDS = float(os.environ.get("TFCOURSE_TASK_SECONDS", "3600"))
PR_SET_PDEATHSIG = 1


def _die_with_grader() -> None:
    """In a new worker: SIGKILL when the grader dies (its fork server and kernels die with it: bwrap --die-with-parent)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


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
                cwd=REPO, env=env, text=True, bufsize=1, preexec_fn=_die_with_grader,
            )

    def run(self, task: dict) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        hung = False
        try:
            os.kill(self.proc.pid, signal.SIGCONT)  # a worker left stopped must not stall the batch
            self.proc.stdin.write(json.dumps(task) + "\n")
            self.proc.stdin.flush()
            line = ""
            if select.select([self.proc.stdout], [], [], task.get("seconds", TASK_SECONDS))[0]:
                line = self.proc.stdout.readline()
            else:
                hung = True
        except (BrokenPipeError, OSError):
            line = ""
        if line:
            return json.loads(line)
        if hung:  # stopped or stuck: kill it; the next task gets a fresh worker
            self.proc.kill()
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(timeout=60)
        self.proc = None
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        if hung:
            how = f"no answer within {task.get('seconds', TASK_SECONDS):.0f} s: stopped or hung, so it was killed"
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
