"""Grading workers that stop or hang cost only their own submission, and die with their grader."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from autograder.grading import worker_pool

#: Answers every task, except that it stops itself (SIGSTOP) on "stopper" and hangs on "hanger".
FAKE_WORKER = [sys.executable, "-c", """
import json, os, signal, sys, time
for line in sys.stdin:
    task = json.loads(line)
    if task["student"] == "stopper":
        os.kill(os.getpid(), signal.SIGSTOP)
    if task["student"] == "hanger":
        time.sleep(3600)
    print(json.dumps({"id": task["id"], "success": True, "log": "", "error": ""}), flush=True)
"""]


def test_a_stopped_or_hung_worker_is_killed_and_replaced_and_only_its_submission_fails(monkeypatch, tmp_path):
    """Does a worker that stops itself or hangs get killed after the task's time, with the others graded?"""
    monkeypatch.setattr(worker_pool, "WORKER_COMMAND", FAKE_WORKER)
    tasks = [{"id": i, "student": name, "seconds": 3}
             for i, name in enumerate(["a", "stopper", "b", "hanger", "c"])]
    started = time.monotonic()
    replies = {r["id"]: r for r in worker_pool.run_tasks(tasks, 1, tmp_path)}
    assert [replies[i]["success"] for i in range(5)] == [True, False, True, False, True]
    for i in (1, 3):
        assert "stopped or hung" in replies[i]["error"], replies[i]
    assert time.monotonic() - started < 60


def test_a_worker_dies_with_its_grader(tmp_path):
    """When the grading process is killed, does its worker die too instead of running on?"""
    script = ("import sys\n"
              "from autograder.grading import worker_pool\n"
              f"w = worker_pool._Worker(__import__('pathlib').Path({str(tmp_path / 'w.log')!r}))\n"
              "w.proc = w._start()\n"
              "print(w.proc.pid, flush=True)\n"
              "import os, signal; os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=worker_pool.REPO)
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _state(pid) not in ("gone", "Z"):
        time.sleep(0.2)
    assert _state(pid) in ("gone", "Z")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"
