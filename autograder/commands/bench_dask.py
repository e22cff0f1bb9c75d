"""``tfcourse bench --dask``: the cost of grading on Dask, against the local worker pool, as Markdown.

One synthetic class (reference, blank and half-answered submissions in turn)
is graded three ways, one after another on this machine:

1. ``tfcourse grade --workers N`` (the local pool);
2. ``tfcourse grade --cluster local:N`` (a ``LocalCluster``; its start-up counts);
3. ``tfcourse grade --scheduler ...`` on a ``dask scheduler`` with N separate
   ``dask worker`` processes, started beforehand as on a real cluster.

It reports each wall time, Dask's overhead over the local pool, the time per
submission, how long each notebook waited for its kernel (median and slowest,
by how the kernel started), whether the three gradebooks are identical, and a
projection for 300 students x 10 notebooks on 1, 10 and 50 workers. By default it grades the
TensorFlow-free tiny notebook (``tests/fixtures/00-tiny``): the figures then
measure the grading engine itself; ``--notebook 01`` grades a course notebook.
"""
from __future__ import annotations

import contextlib
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from autograder.commands.bench import _course_root, _dump, machine
from autograder.commands.demo import demo_submissions
from autograder.grading.autograde import grade
from autograder.paths import REPO, SOLUTIONS, resolve_assignment
from helpers.quiet import QUIET_ENV

TINY_FIXTURES = REPO / "tests" / "fixtures"
#: The class the projection is for: students x notebooks.
PROJECTED = (300, 10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dask_processes(workers: int, folder: Path) -> Iterator[str]:
    """A ``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes on 127.0.0.1; its address."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    commands = [["dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"]]
    commands += [["dask_worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                  "--no-dashboard", "--memory-limit", "0"]] * workers
    procs = []
    try:
        for i, command in enumerate(commands):
            with open(folder / f"dask-{i}.log", "wb") as log:
                procs.append(subprocess.Popen([sys.executable, "-m", f"distributed.cli.{command[0]}", *command[1:]],
                                              cwd=folder, env=env, stdout=log, stderr=log))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _timed(root: Path, workers: int, cluster: str | None) -> tuple[float, list[tuple[float, str]]]:
    """Grade the class in ``root``: the wall time, and each notebook's kernel wait with how its kernel started."""
    started = time.perf_counter()
    outcomes = grade("all", root, workers=workers, force=True, cluster=cluster)
    seconds = time.perf_counter() - started
    failed = [f"{o.student}/{o.assignment}: {o.detail}" for o in outcomes if not o.graded]
    if failed:
        raise RuntimeError(f"tfcourse grade failed: {failed[:3]}")
    return seconds, [start for o in outcomes for start in o.kernel_starts]


def _waits(starts: list[tuple[float, str]]) -> str:
    """``0.41 / 0.52 (60 forked)``: the median and slowest kernel wait, and how the kernels started."""
    if not starts:
        return "not recorded"
    seconds = [s for s, _ in starts]
    origins = sorted({origin for _, origin in starts})
    counts = ", ".join(f"{sum(o == origin for _, o in starts)} {origin}" for origin in origins)
    return f"{statistics.median(seconds):.2f} / {max(seconds):.2f} ({counts})"


def run_dask_bench(class_size: int = 60, workers: int = 2, notebook: str | None = None) -> str:
    """Grade one class three ways (local pool, ``--cluster local:N``, scheduler + N workers); Markdown.

    Args:
        class_size: Synthetic students. Defaults to 60.
        workers: Workers in each of the three ways. Defaults to 2.
        notebook: A course notebook (``"01"``) instead of the tiny one. Defaults to ``None``.
    """
    solutions, assignment = (TINY_FIXTURES, "00-tiny") if notebook is None else (
        SOLUTIONS, resolve_assignment(notebook))
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.update(QUIET_ENV)
    before = machine()
    with tempfile.TemporaryDirectory(prefix="tfcourse-bench-dask-") as scratch:
        base = Path(scratch)
        released = _course_root(base, "released", [assignment], {}, solutions) / "release"
        notebooks = demo_submissions(assignment, solutions, released)[0]
        kinds = ("reference", "blank", "partial")
        klass = {f"s{i:03d}": {assignment: notebooks[kinds[i % 3]]} for i in range(class_size)}
        roots = {way: _course_root(base, way, [assignment], klass, solutions)
                 for way in ("pool", "local", "scheduler")}
        runs = {"pool": _timed(roots["pool"], workers, None),
                "local": _timed(roots["local"], workers, f"local:{workers}")}
        with dask_processes(workers, base) as address:
            runs["scheduler"] = _timed(roots["scheduler"], workers, address)
        identical = _dump(roots["pool"]) == _dump(roots["local"]) == _dump(roots["scheduler"])
    seconds = {way: wall for way, (wall, _) in runs.items()}
    waits = {way: starts for way, (_, starts) in runs.items()}
    return "\n".join(_table(seconds, class_size, workers, assignment, identical, before, waits))


def _table(seconds: dict[str, float], n: int, workers: int, assignment: str, identical: bool,
           before: str, waits: dict[str, list[tuple[float, str]]] | None = None) -> list[str]:
    pool = seconds["pool"]
    waits = waits or {}
    lines = [f"Machine: {before}", f"(load average at the end: {machine().rsplit('load average ', 1)[-1]})", "",
             f"| {n} submissions of {assignment}, {workers} workers | wall (s) | per submission (s) | "
             "worker-seconds per submission | overhead over the local pool | "
             "kernel wait before the first cell, median / slowest (s) |", "|---|---|---|---|---|---|"]
    labels = {"pool": f"local pool, --workers {workers}", "local": f"--cluster local:{workers} (start-up included)",
              "scheduler": f"--scheduler, dask scheduler + {workers} dask worker processes"}
    for way, label in labels.items():
        s = seconds[way]
        lines.append(f"| {label} | {s:.1f} | {s / n:.2f} | {s * workers / n:.2f} | "
                     f"{100 * (s / pool - 1):+.1f}% | {_waits(waits.get(way, []))} |")
    lines.append(f"| gradebooks identical (all three) | {'yes' if identical else 'NO'} | | | | |")
    task = seconds["scheduler"] * workers / n
    students, notebooks = PROJECTED
    tasks = students * notebooks
    lines += ["", f"Projection: {students} students x {notebooks} notebooks = {tasks} tasks at {task:.2f} "
              "worker-seconds each (the scheduler run above).", "",
              "| Dask workers | projected wall time |", "|---|---|"]
    for w in (1, 10, 50):
        total = math.ceil(tasks / w) * task
        lines.append(f"| {w} | {total / 3600:.2f} h ({total / 60:.0f} min) |")
    lines += ["", "Assumptions: one single-threaded worker per core, each with memory for one kernel "
              "(about 2 GB per worker for the TensorFlow notebooks); a task takes as long on every worker as it did "
              "here, whatever the number of workers (the scheduler and the instructor's merge, a few ms per "
              "submission, are not the bottleneck up to 50 workers); tasks spread evenly, no stragglers; "
              "cluster start-up and the first fork-server start per worker (a few seconds) not included."]
    if assignment == "00-tiny":
        lines.append("The tiny notebook measures the grading engine; a course notebook's task takes longer "
                     "(run with --notebook NN), which scales the projection in proportion.")
    return lines
