"""``tfcourse grade`` on Dask distributed: a real ``dask scheduler`` and two ``dask worker`` processes.

The workers are separate processes on 127.0.0.1 with no folder in common
with the course root; one of them is killed when it starts grading the
student ``crasher``. The same class (without ``crasher``) is graded by plain
serial ``nbgrader autograde`` for comparison.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from autograder.grading import autograde  # noqa: E402
from autograder.paths import REPO  # noqa: E402
from tests.autograder import tiny  # noqa: E402
from tests.autograder.cli_runner import tfcourse  # noqa: E402
from tests.autograder.grading.dask_saboteur import KillWorkerOn  # noqa: E402
from tests.autograder.grading.test_grade import dump, without_run_times  # noqa: E402
from tests.harness import run_nbgrader  # noqa: E402

DASK = [sys.executable, "-m", "distributed.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real scheduler and two single-threaded worker processes (each under its nanny), in their own folders."""
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    logs = tmp_path_factory.mktemp("dask-logs")
    commands = [["dask_scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"]]
    commands += [["dask_worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                  "--no-dashboard", "--memory-limit", "0"]] * 2
    procs = []
    for i, command in enumerate(commands):
        folder = tmp_path_factory.mktemp(f"dask-{i}")
        with open(logs / f"{i}.log", "wb") as log:
            procs.append(subprocess.Popen([sys.executable, "-m", f"distributed.cli.{command[0]}", *command[1:]],
                                          cwd=folder, env=env, stdout=log, stderr=log))
    with distributed.Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    yield address
    for proc in reversed(procs):
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, dask_cluster) -> dict:
    serial = tmp_path_factory.mktemp("serial")
    on_dask = tmp_path_factory.mktemp("on-dask")
    students = tiny.tiny_class(tiny.add_tiny_assignment(serial), size=5)
    for student, nb in students.items():
        tiny.submit(serial, student, nb)
    done = {}
    nbgrader = threading.Thread(target=lambda: done.update(serial=run_nbgrader(
        serial, "autograde", tiny.TINY, "--force", f"--CourseDirectory.source_directory={tiny.FIXTURES}")))
    nbgrader.start()
    tiny.add_tiny_assignment(on_dask)
    for student, nb in {**students, "crasher": students["student00"]}.items():
        tiny.submit(on_dask, student, nb)
    with distributed.Client(dask_cluster) as client:
        client.register_plugin(KillWorkerOn("crasher"))
    started = time.monotonic()
    result = tfcourse("--course-root", str(on_dask), "grade", tiny.TINY, "--scheduler", dask_cluster)
    seconds = time.monotonic() - started
    nbgrader.join()
    assert done["serial"].returncode == 0, done["serial"].stderr[-3000:]
    return {"serial": serial, "on_dask": on_dask, "grade": result, "seconds": seconds,
            "students": sorted(students), "address": dask_cluster}


@pytest.mark.nbgrader
@pytest.mark.slow
def test_dask_grades_match_serial_nbgrader(graded):
    """Does --scheduler give the same grades, comments and flags as plain serial nbgrader, cell by cell?"""
    serial, on_dask = dump(graded["serial"]), dump(graded["on_dask"])
    on_dask.pop((tiny.TINY, "crasher", tiny.TINY), None)
    assert on_dask == serial
    scores = {k[1]: sum(g[0] for g in v["grades"].values()) for k, v in serial.items()}
    assert scores == {"student00": 5, "student01": 0, "student02": 2, "student03": 2, "student04": 5}


@pytest.mark.nbgrader
@pytest.mark.slow
def test_dask_autograded_notebooks_match_serial(graded):
    """Is each notebook autograded on a Dask worker identical to serial nbgrader's, but for when cells ran?"""
    for student in graded["students"]:
        name = f"autograded/{student}/{tiny.TINY}/{tiny.TINY}.ipynb"
        assert without_run_times(graded["on_dask"] / name) == without_run_times(graded["serial"] / name), name


@pytest.mark.nbgrader
@pytest.mark.slow
def test_killed_dask_worker_costs_only_its_submission(graded):
    """When a submission kills its Dask worker, is only that student reported, not retried, and everyone else graded?"""
    code, out, err = graded["grade"]
    assert code == 1, out + err[-3000:]
    assert "graded 5 of 6 submission(s)" in out, out
    assert "FAILED crasher/00-tiny: worker crashed: the Dask worker died or was lost" in out, out
    assert "ETA" in err and "6/6" in err
    assert not (graded["on_dask"] / "autograded" / "crasher").exists()


@pytest.mark.nbgrader
@pytest.mark.slow
def test_rerun_grades_only_what_is_missing(graded):
    """Does running grade again on the cluster grade only the submission that is missing, keeping the rest?"""
    before = dump(graded["on_dask"])
    with distributed.Client(graded["address"]) as client:
        client.unregister_worker_plugin(KillWorkerOn.name)
    code, out, _ = tfcourse("--course-root", str(graded["on_dask"]), "grade", tiny.TINY,
                            "--scheduler", graded["address"])
    assert code == 0 and "graded 1 of 1 submission(s)" in out, out
    after = dump(graded["on_dask"])
    assert after.pop((tiny.TINY, "crasher", tiny.TINY))["grades"]["00_add_test"][0] == 2
    assert after == {k: v for k, v in before.items() if k[1] != "crasher"}


@pytest.mark.nbgrader
@pytest.mark.slow
def test_each_dask_worker_keeps_one_fork_server(graded):
    """On a warm cluster, is every notebook's kernel forked from the fork server its worker process kept?"""
    outcomes = autograde.grade(tiny.TINY, root=graded["on_dask"], students=graded["students"][:4], force=True,
                               cluster=graded["address"])
    assert all(o.graded for o in outcomes)
    origins = [origin for o in outcomes for _, origin in o.kernel_starts]
    assert len(origins) == 4 and origins.count("forked") >= 3, origins
    assert max(seconds for o in outcomes for seconds, _ in o.kernel_starts) < 5


@pytest.mark.nbgrader
@pytest.mark.slow
def test_workers_with_other_grading_code_are_refused(graded, monkeypatch):
    """When the workers run other grading code than the client, does grade refuse with the fix?"""
    from autograder.grading import on_dask

    monkeypatch.setattr(on_dask, "GRADING_CODE", ("autograder",))
    code, _, err = tfcourse("--course-root", str(graded["on_dask"]), "grade", tiny.TINY, "--force",
                            "--student", "student00", "--scheduler", graded["address"])
    assert code == 1 and "run other grading code than this machine" in err
    assert "install the same tfcourse on the workers" in err


@pytest.mark.nbgrader
@pytest.mark.slow
def test_grade_on_a_local_cluster(tmp_path):
    """Does --cluster local:2 grade a class, with the progress bar alone on the terminal and the workers' noise in logs?"""
    students = tiny.tiny_class(tiny.add_tiny_assignment(tmp_path), size=3)
    for student, nb in students.items():
        tiny.submit(tmp_path, student, nb)
    code, out, err = tfcourse("--course-root", str(tmp_path), "grade", tiny.TINY, "--cluster", "local:2")
    assert code == 0, out + err[-3000:]
    assert "graded 3 of 3 submission(s)" in out and "on Dask (local:2)" in out
    assert "ETA" in err and "3/3" in err
    logs = "".join(p.read_text() for p in (tmp_path / ".tfcourse" / "logs").glob("dask-worker-*.log"))
    # The workers' nbgrader noise goes to their logs; the sandboxed kernels' own noise stays in their folders.
    assert "SAWarning" in logs and "SAWarning" not in err and "[IPKernelApp]" not in err
    scores = {k[1]: sum(g[0] for g in v["grades"].values()) for k, v in dump(tmp_path).items()}
    assert scores == {"student00": 5, "student01": 0, "student02": 2}


@pytest.mark.nbgrader
@pytest.mark.slow
def test_a_new_workers_first_kernel_is_forked(tmp_path):
    """Does each worker of a fresh cluster start its fork server when it joins, so even its first kernel is forked?"""
    students = tiny.tiny_class(tiny.add_tiny_assignment(tmp_path), size=2)
    for student, nb in students.items():
        tiny.submit(tmp_path, student, nb)
    outcomes = autograde.grade(tiny.TINY, root=tmp_path, students=sorted(students), force=True, cluster="local:2")
    assert all(o.graded for o in outcomes)
    assert [origin for o in outcomes for _, origin in o.kernel_starts] == ["forked", "forked"]


def test_bad_cluster_argument_gets_one_line(tmp_path):
    """Is --cluster with something other than local:N explained in one line?"""
    students = tiny.tiny_class(tiny.add_tiny_assignment(tmp_path), size=1)
    tiny.submit(tmp_path, "student00", students["student00"])
    code, _, err = tfcourse("--course-root", str(tmp_path), "grade", tiny.TINY, "--cluster", "local:zero")
    assert code == 1 and "local:N" in err and err.count("\n") == 1, err


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT back to its default in the child, so Python turns it into KeyboardInterrupt: a suite started in the
    background (``.ci/run &`` from a script) passes SIGINT on ignored, and an ignored SIGINT stays ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.nbgrader
@pytest.mark.slow
def test_ctrl_c_keeps_merged_grades(tmp_path, dask_cluster):
    """Does Ctrl-C during grading on a cluster stop it, keep every grade merged so far, and leave the rest to a rerun?"""
    students = tiny.tiny_class(tiny.add_tiny_assignment(tmp_path), size=6)
    for student, nb in students.items():
        tiny.submit(tmp_path, student, nb)
    with distributed.Client(dask_cluster) as client:  # the module's saboteur may still be registered
        if KillWorkerOn.name in client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.worker_plugins)):
            client.unregister_worker_plugin(KillWorkerOn.name)
    grading = subprocess.Popen(
        [sys.executable, "-m", "autograder.cli", "--course-root", str(tmp_path), "grade", tiny.TINY,
         "--scheduler", dask_cluster],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=_ctrl_c_as_in_a_terminal)
    for line in grading.stderr:
        if " 1/6 " in line:
            break
    grading.send_signal(signal.SIGINT)
    out, err = grading.communicate(timeout=120)
    assert grading.returncode == 130, out + err[-3000:]
    assert "interrupted; what was graded so far is kept" in err
    merged = {key[1] for key, row in dump(tmp_path).items() if row["grades"]["00_add_test"][0] is not None}
    placed = {p.name for p in (tmp_path / "autograded").iterdir()}
    assert merged == placed and 1 <= len(merged) < 6, (merged, placed)
    code, out, _ = tfcourse("--course-root", str(tmp_path), "grade", tiny.TINY, "--scheduler", dask_cluster)
    assert code == 0 and f"graded {6 - len(merged)} of {6 - len(merged)} submission(s)" in out, out
