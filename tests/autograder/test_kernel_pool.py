"""Spare grading kernels (``autograder.kernel_pool``) with real sandboxed IPython kernels.

Three notebooks' worth of kernels are started once for the module through
``SandboxedKernelManager`` with one spare: the first on demand, the next two
from the spare. Each is asked what a notebook would see.
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

from autograder import sandbox
from autograder.kernel_manager import SandboxedKernelManager, warm_plan
from autograder.kernel_pool import KernelPool

PROBE = """import json, os, sys
print(json.dumps({"pid": os.getpid(), "cwd": os.getcwd(), "path": sys.path, "tf": "tensorflow" in sys.modules,
                  "names": sorted(n for n in globals() if not n.startswith("_")), "stdin": sys.stdin.read(),
                  "mpl": os.environ.get("MPLBACKEND")}))
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
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(out)


def _kernel_for_one_notebook(folder: Path, spares: int) -> dict:
    """Start a kernel as a grading run does, ask it what it sees, shut it down; what happened."""
    km = SandboxedKernelManager(kernel_name="python3", spare_kernels=spares)
    run_sync(km.start_kernel)(cwd=str(folder))
    kc = km.client()
    kc.start_channels()
    run_sync(kc.wait_for_ready)(timeout=120)
    seen = json.loads(_run(kc, PROBE).splitlines()[-1])
    supervisor = km.provisioner.process
    run_sync(km.shutdown_kernel)()
    kc.stop_channels()
    report = json.loads(Path(km.report_path).read_text())
    return {**seen, "head_start": km.head_start, "supervisor": supervisor.pid,
            "supervisor_exit": supervisor.poll(), "kernel_status": report["status"]}


@pytest.fixture(scope="module")
def kernels(tmp_path_factory, monkeypatch_module) -> dict:
    from autograder import kernel_manager

    pool = KernelPool()
    monkeypatch_module.setattr(kernel_manager, "POOL", pool)
    folders = [tmp_path_factory.mktemp(f"notebook{i}") for i in range(3)]
    seen = []
    for i, folder in enumerate(folders):
        if i == 2:
            time.sleep(0.5)  # let the spare get far into its imports before it is taken
        seen.append(_kernel_for_one_notebook(folder, spares=1 if i < 2 else 0))
    leftover = [s.process for s in pool.spares]
    pool.close()
    return {"seen": seen, "folders": folders, "leftover": leftover}


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_warm_plan_splits_only_sandboxed_ipykernel_commands():
    """Is a sandboxed ipykernel command split for the pool, and anything else left to start as it is?"""
    command = [sys.executable, "-m", "autograder.sandbox", "--memory-mb=1", "--report=/r.json", "--",
               "/py", "-m", "ipykernel_launcher", "-f", "/c.json"]
    assert warm_plan(command) == ([sys.executable, "-m", "autograder.sandbox", "--memory-mb=1"],
                                  ["/py", "-m", "autograder.warm_kernel"], ["-f", "/c.json"])
    assert warm_plan([*command[:6], "/usr/bin/R", "--slave", "-f", "/c.json"]) is None
    assert warm_plan(["/py", "-m", "ipykernel_launcher", "-f", "/c.json"]) is None


def test_later_notebooks_get_kernels_started_ahead(kernels):
    """Is only the first kernel started on demand, and were the later ones running before they were needed?"""
    head_starts = [k["head_start"] for k in kernels["seen"]]
    assert head_starts[0] == 0.0
    assert all(h > 0 for h in head_starts[1:]), head_starts


def test_every_notebook_gets_a_fresh_process(kernels):
    """Does each notebook's kernel run in a process of its own, with a cold kernel's namespace (no preloaded names)?"""
    seen = kernels["seen"]
    assert len({k["pid"] for k in seen}) == 3
    assert all(k["names"] == seen[0]["names"] for k in seen), [k["names"] for k in seen]
    assert not {"tf", "tensorflow", "np", "numpy", "helpers"} & set(seen[0]["names"])


def test_a_spare_kernel_looks_like_a_cold_one(kernels):
    """Does a spare see the notebook's folder, the cold kernel's sys.path, stdin at end of file and the inline backend?"""
    cold, *warm = kernels["seen"]
    for kernel, folder in zip(kernels["seen"], kernels["folders"]):
        assert Path(kernel["cwd"]) == folder
        assert kernel["stdin"] == ""
    for kernel in warm:
        assert kernel["path"] == cold["path"]
        assert kernel["mpl"] == cold["mpl"]
        assert kernel["tf"], "a spare has TensorFlow imported before the first cell"


def test_shutdown_ends_the_supervisor_and_its_kernel(kernels):
    """After shutdown, have the supervisor and its kernel exited, the kernel ended by the supervisor's SIGTERM?"""
    for kernel in kernels["seen"]:
        assert kernel["supervisor_exit"] is not None
        assert kernel["kernel_status"] == -signal.SIGTERM  # not left to finish its own clean-up
        assert not Path(f"/proc/{kernel['pid']}").exists() or "zombie" in _state(kernel["pid"])


def test_no_spare_is_started_when_none_is_wanted(kernels):
    """When the last notebook asks for no spare (nothing more is queued), is none started for nothing?"""
    assert kernels["leftover"] == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].splitlines()[0]
    except (OSError, IndexError):
        return "gone"


def _spare(pool: KernelPool, folder: Path):
    """A spare from ``pool``, started as SandboxedKernelManager would start one."""
    km = SandboxedKernelManager(kernel_name="python3")
    wrapper, kernel, _ = warm_plan(km.format_kernel_cmd())
    launch = {"env": {**os.environ}}
    pool.spares.append(pool._launch("key", wrapper, kernel, launch))
    return pool.spares[-1], (wrapper, kernel, launch)


def test_a_spare_cannot_be_given_an_order_through_proc(tmp_path):
    """Can another process of the same user not reopen a spare's order channel (its stdin) through /proc?"""
    pool = KernelPool()
    try:
        spare, _ = _spare(pool, tmp_path)
        deadline = time.monotonic() + 30
        while not sandbox.children(spare.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        kernel = sandbox.children(spare.process.pid)[0]
        with pytest.raises(OSError) as refused:
            open(f"/proc/{kernel}/fd/0", "w")
        assert refused.value.errno == errno.ENXIO
    finally:
        pool.close()


def test_a_killed_or_stopped_spare_does_not_cost_the_next_notebook(tmp_path):
    """Is a spare that was killed replaced by a kernel started on demand, and a stopped one woken up?"""
    pool = KernelPool()
    started = []
    try:
        killed, (wrapper, kernel, launch) = _spare(pool, tmp_path)
        started.append(killed.process)
        stopped = pool._launch(json.dumps([wrapper, kernel, launch], sort_keys=True, default=str),
                               wrapper, kernel, launch)
        started.append(stopped.process)
        killed.key = stopped.key
        os.killpg(killed.process.pid, signal.SIGKILL)
        killed.process.wait()
        os.killpg(stopped.process.pid, signal.SIGSTOP)
        pool.spares.append(stopped)
        taken = pool.take(wrapper, kernel, launch, ["--version"], str(tmp_path))
        assert taken.process is stopped.process and taken.head_start > 0
        assert taken.process.wait(timeout=60) == 0  # `ipykernel --version` ran: the stopped spare was woken
    finally:
        pool.close()
        for process in started:  # a taken spare is no longer the pool's to end
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_spares_exit_when_the_grader_dies(tmp_path):
    """When the process that holds a spare is killed, does the spare exit on its own instead of lingering?"""
    script = (
        "import os, signal, sys, time\n"
        "from autograder.kernel_manager import SandboxedKernelManager, warm_plan\n"
        "from autograder.kernel_pool import POOL\n"
        "wrapper, kernel, _ = warm_plan(SandboxedKernelManager(kernel_name='python3').format_kernel_cmd())\n"
        "POOL.spares.append(POOL._launch('k', wrapper, kernel, {'env': dict(os.environ)}))\n"
        "print(POOL.spares[0].process.pid, flush=True)\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    supervisor = int(done.stdout.split()[0])
    deadline = time.monotonic() + 60  # the spare finishes importing TensorFlow, then reads end of file
    while _state(supervisor) not in ("gone",) and "zombie" not in _state(supervisor) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _state(supervisor) == "gone" or "zombie" in _state(supervisor)
