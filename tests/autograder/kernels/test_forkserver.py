"""Kernels forked from the fork server (``autograder.kernels.forkserver`` and its client), for real.

A module-wide ``ForkServerClient`` forks three notebooks' worth of sandboxed IPython kernels
through ``SandboxedKernelManager``, and one kernel is started on its own for
comparison. Each is asked what a notebook would see.
"""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_core.utils import run_sync

from autograder.kernels import manager
from autograder.kernels.forkserver_client import ForkServerClient
from autograder.kernels.manager import SandboxedKernelManager, fork_plan

pytestmark = pytest.mark.sandbox

PROBE = """import json, os, sys, numpy
def _target(fd):
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return "closed"
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0), "cwd": os.getcwd(),
                  "path": sys.path, "tf": "tensorflow" in sys.modules, "stdin": sys.stdin.read(),
                  "names": sorted(n for n in globals() if not n.startswith("_")),
                  "mpl": os.environ.get("MPLBACKEND"), "draw": float(numpy.random.rand()),
                  "listing": sorted(os.listdir(".")),
                  "files": sorted(t for t in map(_target, os.listdir("/proc/self/fd"))
                                  if t.startswith("/") and not t.startswith("/proc") and "(deleted)" not in t)}))
"""


def _run(kc, code: str) -> str:
    msg_id = kc.execute(code)
    out = []
    while True:
        msg = run_sync(kc.get_iopub_msg)(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        if msg["msg_type"] == "error":
            out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}\n")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(out)


def kernel_for_one_notebook(folder: Path, fork_server: bool = True, code: str = PROBE) -> dict:
    """Start a kernel as a grading run does, run ``code`` (a JSON printer), shut it down; what happened.

    Open files are compared by path; pytest's capture files (deleted) differ from test to test.
    """
    km = SandboxedKernelManager(kernel_name="python3", fork_server=fork_server)
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}  # a grader's does not change
    run_sync(km.start_kernel)(cwd=str(folder), env=env, extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kc = km.client()
    kc.start_channels()
    run_sync(kc.wait_for_ready)(timeout=120)
    said = _run(kc, code)
    process = km.provisioner.process
    supervisor = km.provisioner.supervisor()
    below = _descendants(supervisor)  # the host's view: the kernel (a forked one under an intermediate process)
    groups, supervisor_group = {os.getpgid(pid) for pid in below}, os.getpgid(supervisor)
    run_sync(km.shutdown_kernel)()
    kc.stop_channels()
    report = json.loads(Path(km.report_path).read_text())
    return {**json.loads(said.splitlines()[-1]), "origin": km.kernel_origin, "supervisor": supervisor,
            "below": below, "groups": groups, "supervisor_group": supervisor_group,
            "supervisor_ended": process.poll() is not None, "kernel_status": report["status"]}


def _descendants(pid: int) -> list[int]:
    from autograder.kernels.sandbox import children

    found, pending = [], children(pid)
    while pending:
        found.append(pending.pop(0))
        pending += children(found[-1])
    return found


@pytest.fixture(scope="module")
def client():
    with pytest.MonkeyPatch.context() as mp:
        private = ForkServerClient()
        mp.setattr(manager, "CLIENT", private)
        yield private
        private.close()


@pytest.fixture(scope="module")
def kernels(client, tmp_path_factory) -> dict:
    folders = [tmp_path_factory.mktemp(f"notebook{i}") for i in range(4)]
    for i, folder in enumerate(folders):
        (folder / f"data{i}.csv").write_text("x\n1\n")
    forked = [kernel_for_one_notebook(folder) for folder in folders[:3]]
    cold = kernel_for_one_notebook(folders[3], fork_server=False)
    return {"forked": forked, "cold": cold, "folders": folders}


def _server(client: ForkServerClient):
    assert client.server is not None
    return client.server


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def _wait_gone(pid: int, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while _state(pid) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.2)
    return _state(pid)


def test_fork_plan_picks_out_sandboxed_ipykernel_commands():
    """Is a sandboxed ipykernel command split into interpreter and arguments, and anything else left alone?"""
    command = [sys.executable, "-m", "autograder.kernels.sandbox", "--memory-mb=1", "--report=/r.json", "--",
               "/py", "-m", "ipykernel_launcher", "-f", "/c.json"]
    assert fork_plan(command) == ("/py", ["-f", "/c.json"])
    assert fork_plan([*command[:6], "/usr/bin/R", "--slave", "-f", "/c.json"]) is None
    assert fork_plan(["/py", "-m", "ipykernel_launcher", "-f", "/c.json"]) is None


def test_one_fork_server_serves_every_notebook(kernels):
    """Does the first notebook start the fork server, and do the later ones get kernels forked from it?"""
    assert [k["origin"] for k in kernels["forked"]] == ["forked, fork server started for it", "forked", "forked"]
    assert kernels["cold"]["origin"] == "started on its own"


def test_every_notebook_gets_a_fresh_process_under_its_own_supervisor(kernels):
    """Does each notebook's kernel run in a process of its own, below its supervisor and in its process group
    (so an interrupt reaches it), in a PID namespace of its own (a forked kernel is its PID 1)?"""
    forked = kernels["forked"]
    assert len({k["below"][-1] for k in forked}) == 3
    for kernel in [*forked, kernels["cold"]]:
        assert kernel["below"], kernel
        assert kernel["groups"] == {kernel["supervisor_group"]}, kernel
    for kernel in forked:
        assert kernel["pid"] == 1 and kernel["ppid"] == 0, kernel  # its parent is outside its namespace


def test_a_forked_kernel_sees_what_a_cold_one_sees(kernels):
    """Do forked kernels see the cold kernel's sys.path, namespace, backend and open files, the notebook's
    folder, stdin at end of file, TensorFlow already imported, and numpy seeded afresh?"""
    cold = kernels["cold"]
    for i, (kernel, folder) in enumerate(zip([*kernels["forked"], cold], kernels["folders"])):
        # a private copy of the notebook's folder (autograder.kernels.jail), never the folder itself
        assert Path(kernel["cwd"]).name == "work" and Path(kernel["cwd"]) != folder
        assert kernel["listing"] == [f"data{i}.csv"]
        assert kernel["stdin"] == ""
    for kernel in kernels["forked"]:
        for seen in ("path", "names", "mpl", "files"):
            assert kernel[seen] == cold[seen], (seen, kernel[seen], cold[seen])
        assert kernel["tf"]
    assert len({k["draw"] for k in kernels["forked"]}) == 3, "every kernel draws its own random numbers"


def test_shutdown_ends_the_supervisor_and_its_kernel(kernels):
    """After shutdown, has each supervisor ended, its kernel ended by the supervisor's SIGTERM, not left to linger?"""
    for kernel in [*kernels["forked"], kernels["cold"]]:
        assert kernel["supervisor_ended"]
        assert kernel["kernel_status"] == -signal.SIGTERM
        assert [_wait_gone(pid, 10) for pid in kernel["below"]] == ["gone"] * len(kernel["below"])


def test_the_fork_servers_request_channel_cannot_be_reopened(client, kernels):
    """Can no other process of the same user reopen the fork server's request socket through /proc?"""
    server = _server(client).process.pid
    sockets = [fd for fd in os.listdir(f"/proc/{server}/fd")
               if os.readlink(f"/proc/{server}/fd/{fd}").startswith("socket:")]
    assert sockets
    for fd in sockets:
        with pytest.raises(OSError) as refused:
            open(f"/proc/{server}/fd/{fd}", "w")
        assert refused.value.errno == errno.ENXIO


def test_a_stopped_or_killed_fork_server_costs_no_notebook(client, kernels, tmp_path):
    """Is a stopped fork server woken up, and a killed one replaced, with the notebook graded either way?"""
    stopped = _server(client).process
    os.kill(stopped.pid, signal.SIGSTOP)
    woken = kernel_for_one_notebook(tmp_path)
    assert woken["origin"] == "forked" and _server(client).process is stopped
    os.kill(stopped.pid, signal.SIGKILL)
    stopped.wait()
    replaced = kernel_for_one_notebook(tmp_path)
    assert replaced["origin"] == "forked, fork server started for it"
    assert _server(client).process is not stopped


def test_fork_server_exits_when_its_grader_dies():
    """When the grading process is killed, does its fork server exit instead of lingering?"""
    script = (
        "import os, signal, sys\n"
        "from autograder.kernels.forkserver_client import CLIENT\n"
        "server = CLIENT._start(sys.executable, {'env': dict(os.environ)}, 600)\n"
        "print(server.process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert _wait_gone(int(done.stdout.split()[0])) in ("gone", "Z")


def test_idle_fork_server_exits(tmp_path):
    """Does a fork server with nothing to fork exit after its idle time?"""
    client = ForkServerClient()
    try:
        server = client._start(sys.executable, {"env": dict(os.environ)}, idle_seconds=1)
        assert server.process.wait(timeout=60) == 0
    finally:
        client.close()

