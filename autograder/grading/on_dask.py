"""Grading on Dask distributed: the same tasks as the local worker pool, on any Dask cluster.

``tfcourse grade --scheduler tcp://HOST:8786`` (an existing cluster: ``dask
scheduler`` + ``dask worker``, dask-jobqueue, dask-kubernetes) or
``--cluster local:N`` (a ``LocalCluster`` of N single-threaded worker
processes). Dask does the scheduling; this module only says what one task is:

- **One task is one submission.** It carries the submission's files and its
  private SQLite gradebook (``autograder.grading.private_gradebooks``) as
  bytes, so workers need no shared filesystem, only the course package. On
  the worker, ``autograder.grading.worker.grade_one`` runs nbgrader's
  autograde on them in a temporary course root, with the course's nbgrader
  settings, preprocessors, grading defences and sandbox. The task returns the
  autograded files and the private gradebook (the merge record) as bytes.
- **The instructor's process stays the only writer** of the real gradebook:
  ``run_on_dask`` writes each result back into the task's private course root
  on this machine, and ``autograder.grading.autograde`` merges it as it does
  for local workers.
- **One fork server per worker process** (``ForkServerPlugin``): the worker
  process outlives its tasks, so the fork server its first notebook starts
  (``autograder.kernels.forkserver_client.CLIENT``) serves every later one;
  the plugin ends it when the worker closes.
- **Faults**: the scheduler's allowed-failures is set to 0, so a notebook that
  kills its worker is reported (``KilledWorker``) instead of being retried
  until it has killed several. At most one task per worker thread is handed
  to the cluster at a time, so a lost worker costs only the submission it was
  grading. Ctrl-C cancels what has not finished; what was merged stays.
"""
from __future__ import annotations

import asyncio

import hashlib
import logging
import os
import shutil
import tempfile
import traceback
from importlib import metadata
from pathlib import Path
from typing import Iterable, Iterator

from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from autograder.paths import REPO

#: The packages whose code decides a grade: it must be the same on every worker as here.
GRADING_CODE = ("autograder", "helpers")


def code_fingerprint() -> dict[str, str]:
    """The versions of tfcourse and nbgrader here, and a hash of the grading code's source files."""
    digest = hashlib.sha256()
    for package in GRADING_CODE:
        for path in sorted((REPO / package).rglob("*.py")):
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    versions = {}
    for name in ("tfcourse", "nbgrader"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {**versions, "code": digest.hexdigest()[:12]}


class ForkServerPlugin(WorkerPlugin):
    """Keeps one fork server per Dask worker process for all the submissions it grades.

    Registered on every worker, including workers that join (or restart)
    later. The server starts when the plugin is set up (a kernel is started and
    shut down there, ``autograder.kernels.manager.warm_up``), so the worker's
    first notebook is forked too; it ends with the worker.
    """

    name = "tfcourse-fork-server"

    def __init__(self, log_dir: str | None = None):
        self.log_dir = log_dir

    async def setup(self, worker) -> None:
        from autograder.kernels.forkserver_client import CLIENT

        os.environ.setdefault("MPLBACKEND", "Agg")
        self.client = CLIENT
        if self.log_dir:  # a LocalCluster: what nbgrader and kernels print goes to a log, as for local workers
            Path(self.log_dir).mkdir(parents=True, exist_ok=True)
            path = Path(self.log_dir) / f"dask-worker-{os.getpid()}.log"
            log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(log, 2)
            os.close(log)
        self.warm_up = await asyncio.to_thread(_warm_up)

    def teardown(self, worker) -> None:
        self.client.close()


def _warm_up() -> str:
    """Start this worker's fork server with the course's settings; how the warm-up kernel started, or why not."""
    from autograder.kernels.manager import warm_up
    from autograder.nbgrader_api import load_config

    root = Path(tempfile.mkdtemp(prefix="tfcourse-warm-up-root-"))
    try:
        return asyncio.run(warm_up(load_config(root)))
    except Exception as error:  # the first notebook then starts the server, as before
        return f"no warm-up: {type(error).__name__}: {error}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def grade_submission(assignment: str, student: str, files: dict[str, bytes], gradebook: bytes) -> dict:
    """The Dask task: autograde one submission given as bytes; the results as bytes.

    Args:
        assignment: The assignment id.
        student: The student id.
        files: The submission folder's files, by path inside it.
        gradebook: The private SQLite gradebook for this submission.

    Returns:
        ``grade_one``'s reply, plus ``autograded`` (the autograded folder's
        files, by path) and ``gradebook`` (the private gradebook after
        grading, which the client merges).
    """
    from autograder.grading.worker import grade_one

    root = Path(tempfile.mkdtemp(prefix="tfcourse-task-"))
    try:
        _write(root / "submitted" / student / assignment, files)
        (root / "gradebook.db").write_bytes(gradebook)
        task = {"id": 0, "root": str(root), "config_root": str(root), "assignment": assignment, "student": student}
        try:
            reply = grade_one(task)
        except Exception:  # reported like a local worker's failure
            reply = {"id": 0, "success": False, "log": "", "error": traceback.format_exc()}
        written = root / "autograded" / student / assignment
        reply["autograded"] = _files(written) if written.is_dir() else None
        reply["gradebook"] = (root / "gradebook.db").read_bytes()
        return reply
    finally:
        shutil.rmtree(root, ignore_errors=True)


def connect(where: str, log_dir: Path | None = None) -> Client:
    """A client for ``where``: a scheduler address (``tcp://host:8786``) or ``local:N``.

    A ``LocalCluster``'s workers write what nbgrader and the kernels print
    into ``log_dir``, when given, instead of this terminal.

    Raises:
        ValueError: ``where`` is neither.
        RuntimeError: no worker joined, or the workers run other grading code.
    """
    if where.startswith("local:"):
        count = where.split(":", 1)[1]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"--cluster takes local:N with N a positive number of workers, got {where!r}")
        cluster = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                               dashboard_address=":0", memory_limit=0, silence_logs=logging.ERROR)
        client = Client(cluster)
        client.tfcourse_cluster = cluster
    else:
        client = Client(where, timeout="30s")
    try:
        try:
            client.wait_for_workers(1, timeout=120)
        except TimeoutError:
            raise RuntimeError(f"no Dask worker joined {where} within 120 s: start some, e.g. "
                               f"`dask worker {client.scheduler.address} --nthreads 1 --memory-limit 0`") from None
        check_workers(client)
        if not client.run_on_scheduler(_fail_fast):
            local = getattr(client, "tfcourse_cluster", None) is not None
            client.register_plugin(ForkServerPlugin(str(log_dir) if local and log_dir else None))
    except BaseException:
        close(client)
        raise
    return client


def close(client: Client) -> None:
    """Close the client, and the ``LocalCluster`` it started, if any."""
    cluster = getattr(client, "tfcourse_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def _fail_fast(dask_scheduler=None) -> bool:
    """Set allowed-failures to 0; whether the workers have ``ForkServerPlugin`` already.

    Registering it again would end every worker's warm fork server.
    """
    # A task whose worker dies is not retried elsewhere: one hostile notebook, one lost worker.
    dask_scheduler.allowed_failures = 0
    return ForkServerPlugin.name in dask_scheduler.worker_plugins


def check_workers(client: Client) -> None:
    """Raise ``RuntimeError`` naming the fix when a worker's grading code differs from ours."""
    ours = code_fingerprint()
    try:
        theirs = client.run(code_fingerprint)
    except Exception as exc:  # e.g. the workers cannot import autograder at all
        raise RuntimeError(
            f"the Dask workers cannot run tfcourse's grading code ({type(exc).__name__}: {exc}); install "
            f"tfcourse {ours['tfcourse']} on every worker (the same checkout or wheel as here) and restart them"
        ) from None
    wrong = {address: found for address, found in theirs.items() if found != ours}
    if wrong:
        address, found = sorted(wrong.items())[0]
        raise RuntimeError(
            f"{len(wrong)} Dask worker(s) run other grading code than this machine, e.g. {address}: {found}, "
            f"here: {ours}; install the same tfcourse on the workers (pip install the same wheel or commit as "
            "here) and restart them"
        )


def _send(client: Client, task: dict):
    root = Path(task["root"])
    folder = root / "submitted" / task["student"] / task["assignment"]
    return client.submit(
        grade_submission, task["assignment"], task["student"], _files(folder),
        (root / "gradebook.db").read_bytes(),
        key=f"grade-{task['assignment']}-{task['student']}-{task['id']}", pure=False,
    )


def _receive(task: dict, future) -> dict:
    """The reply for ``task`` in the local pool's shape, its results written into the task's root."""
    try:
        reply = future.result()
    except KilledWorker as exc:
        return {"id": task["id"], "success": False, "log": "", "crashed": True,
                "error": f"the Dask worker died or was lost while grading this submission ({exc}); "
                         "it is not retried on another worker"}
    except FutureCancelledError as exc:
        return {"id": task["id"], "success": False, "log": "", "error": f"CancelledError: {exc}"}
    except Exception:
        return {"id": task["id"], "success": False, "log": "", "error": traceback.format_exc()}
    root = Path(task["root"])
    (root / "gradebook.db").write_bytes(reply.pop("gradebook"))
    autograded = reply.pop("autograded")
    if autograded is not None:
        _write(root / "autograded" / task["student"] / task["assignment"], autograded)
    reply["id"] = task["id"]
    return reply


def run_on_dask(tasks: Iterable[dict], where: str, log_dir: Path | None = None) -> Iterator[dict]:
    """Like ``worker_pool.run_tasks``, on the Dask cluster ``where``: each reply as it arrives.

    No more tasks are in the cluster than it has worker threads, so tasks
    wait here, not on a worker that may be lost. Closing the generator (or
    Ctrl-C) cancels the rest.
    """
    todo = list(tasks)
    if not todo:
        return
    client = connect(where, log_dir)
    running: dict = {}  # future key -> (task, future)
    flow = as_completed()

    def top_up() -> None:
        while todo and len(running) < max(1, sum(client.nthreads().values())):
            task = todo.pop()
            future = _send(client, task)
            running[future.key] = (task, future)
            flow.add(future)

    try:
        todo.reverse()
        top_up()
        for future in flow:
            task, _ = running.pop(future.key)
            yield _receive(task, future)
            top_up()
    finally:
        if running:
            client.cancel([future for _, future in running.values()], force=True)
        close(client)
