"""Run a grading kernel in its own process tree, with resource limits, and clean up after it.

``autograder.kernels.manager.SandboxedKernelManager`` starts every grading
kernel through ``python -m autograder.kernels.sandbox``. That small supervisor
(standard library only, so it starts fast):

- sets ``resource`` limits that the kernel and everything it starts inherit:
  address space (a memory bomb gets ``MemoryError`` or kills only its
  kernel), CPU seconds, size of written files, and no core dumps;
- makes itself a child subreaper, so processes that the student's code
  starts, even double-forked daemons in a new session, stay its descendants;
- waits for the kernel, then kills every descendant that is still running;
- writes a short JSON report (exit status or signal, peak memory) that the
  grader turns into the reason a kernel died.

Used by ``autograder.preprocessors.GuardedExecute``.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

PR_SET_CHILD_SUBREAPER = 36
PR_SET_DUMPABLE = 4
MIB = 1024 * 1024


def set_limits(memory_mb: int, cpu_seconds: int, file_mb: int, max_processes: int = 0) -> None:
    """Apply the limits to this process (and so to everything it starts). 0 means no limit.

    ``max_processes`` (processes and threads of this user) binds only a
    non-root user: in a sandbox (``autograder.kernels.jail``) it counts the
    sandbox's own processes.
    """
    for name, value, grace in (
        (resource.RLIMIT_AS, memory_mb * MIB, 0),
        (resource.RLIMIT_CPU, cpu_seconds, 5),  # SIGXCPU first, SIGKILL 5 s later
        (resource.RLIMIT_FSIZE, file_mb * MIB, 0),
        (resource.RLIMIT_NPROC, max_processes, 0),
    ):
        if value > 0:
            resource.setrlimit(name, (value, value + grace))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _prctl(option: int, value: int) -> bool:
    """``prctl(option, value)``; ``False`` where that is not possible (not Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def set_dumpable(dumpable: bool) -> bool:
    """Allow or forbid other processes of this user to ptrace this one or read its ``/proc`` files.

    Root keeps access either way. ``False`` where that is not possible (not Linux).
    """
    return _prctl(PR_SET_DUMPABLE, int(dumpable))


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux only); ``False`` where that is not possible."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def children(pid: int) -> list[int]:
    """The direct children of ``pid``, from ``/proc`` (empty where /proc is missing)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def kill_descendants(rounds: int = 50) -> int:
    """SIGKILL every descendant of this process, reaping them; returns how many were killed."""
    killed = 0
    for _ in range(rounds):
        pids = children(os.getpid())
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        reap_children()
        time.sleep(0.02)
    reap_children()
    return killed


def reap_children() -> None:
    """Collect every child of this process that has ended, without waiting for the others."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def describe(status: int, peak_mb: float, limits: dict) -> str:
    """A sentence that says why the kernel ended, for the grade report."""
    if status >= 0:
        return f"the kernel exited with status {status} (sys.exit, os._exit or exit() in the notebook?)"
    sig = signal.Signals(-status)
    why = {
        signal.SIGSEGV: "a crash in native code (segmentation fault)",
        signal.SIGABRT: "a crash in native code (abort), often an allocation that exceeded the memory limit",
        signal.SIGBUS: "a crash in native code (bus error)",
        signal.SIGXCPU: f"the CPU-time limit of {limits['cpu_seconds']} s",
        signal.SIGXFSZ: f"the file-size limit of {limits['file_mb']} MiB",
        signal.SIGKILL: "it was killed (out of memory, or stopped by the grader)",
        signal.SIGTERM: "it was ended by the grader",
    }.get(sig, "a signal")
    return f"the kernel was ended by {sig.name}: {why}; peak memory {peak_mb:.0f} MiB"


def supervise(command: list[str], report: Path | None, limits: dict) -> int:
    """Run ``command`` under the limits, clean up its process tree, and report how it ended."""
    return supervise_started(lambda: subprocess.Popen(command).pid, report, limits)


def supervise_started(start: Callable[[], int], report: Path | None, limits: dict) -> int:
    """Like ``supervise``, for a kernel that ``start()`` starts (or forks) and returns the pid of.

    Used by ``autograder.kernels.forkserver`` for kernels forked from a warm process.
    """
    set_limits(**limits)
    become_subreaper()
    kernel = start()
    # The kernel gets SIGINT (interrupt) from the process group; the supervisor stays.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _signal(kernel, signal.SIGTERM))
    while True:
        try:
            _, wait_status, usage = os.wait4(kernel, 0)
            break
        except InterruptedError:
            continue
    status = os.waitstatus_to_exitcode(wait_status)
    leftovers = kill_descendants()
    if report is not None:
        peak_mb = usage.ru_maxrss / 1024
        report.write_text(json.dumps({
            "status": status, "peak_mb": round(peak_mb), "leftover_processes_killed": leftovers,
            "reason": describe(status, peak_mb, limits),
        }))
    return status if status >= 0 else 128 - status


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a kernel under resource limits and clean up after it.")
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--cpu-seconds", type=int, default=0)
    parser.add_argument("--file-mb", type=int, default=0)
    parser.add_argument("--max-processes", type=int, default=0)
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the kernel command after --")
    limits = {"memory_mb": args.memory_mb, "cpu_seconds": args.cpu_seconds, "file_mb": args.file_mb,
              "max_processes": args.max_processes}
    return supervise(command, args.report, limits)


if __name__ == "__main__":
    sys.exit(main())
