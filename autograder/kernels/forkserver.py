"""A fork server for grading kernels: import TensorFlow once, fork a fresh kernel for every notebook.

Starting Python and importing TensorFlow costs each grading kernel about 4 s
of CPU before the notebook's first cell. ``autograder.kernels.forkserver_client``
starts this module once per grading process
(``python -m autograder.kernels.forkserver``, with the kernels' own
environment), and it:

1. imports what every graded notebook and the kernel guard import first
   (TensorFlow, quietly and without running a single operation, so no
   TensorFlow threads exist to be lost in a fork; numpy, ``helpers.checks``,
   ipykernel) and sets ``MPLBACKEND`` as ipykernel itself would;
2. makes itself undumpable, so that the grading kernels (same user, not root)
   can neither ptrace it nor open its ``/proc`` files;
3. reads requests from file descriptor 0, a socket that only the grader
   holds: ``{"argv": [...], "cwd": ..., "report": ..., "limits": {...}}``,
   and, when it runs in a sandbox (``autograder.kernels.jail``), ``"private"``
   (the kernel's own folder), ``"hide"`` (every kernel's folder) and
   ``"max_processes"``;
4. for each, forks a supervisor (a new session, the limits, child subreaper:
   ``autograder.kernels.sandbox.supervise_started``), which forks the kernel: it
   moves into namespaces of its own (``autograder.kernels.namespaces``: only
   its private folder visible, no network, its own PIDs, a process-count
   limit), reseeds numpy, moves to the notebook's folder and becomes an
   ordinary IPython kernel with ``ipykernel_launcher``'s arguments;
5. answers with the supervisor's pid, and a pidfd for it (``SCM_RIGHTS``), so
   the grader can watch and signal it although it is not the grader's child.

Every kernel is a fresh process that has run nothing but these imports, with
only stdin (at end of file), stdout and stderr open. The server exits at end
of file (its grader finished, or died) or after ``--idle-seconds`` without a
request.

Used by ``autograder.kernels.forkserver_client``.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import select
import signal
import socket
import sys
import time
import traceback
from pathlib import Path
from typing import NoReturn

from autograder.kernels import sandbox

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Replies are one JSON line; requests are read up to this many bytes at a time.
CHUNK = 65536


def preload() -> None:
    """Import what every grading kernel imports first, without starting TensorFlow's runtime."""
    # ipykernel sets this before any user code runs; importing TensorFlow also
    # imports matplotlib, which reads it once, so it must be set first.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    from helpers.quiet import (no_collection_while_importing, quiet_environment, silence_python_warnings,
                               stderr_fd_silenced)

    quiet_environment()
    with no_collection_while_importing():
        with stderr_fd_silenced():
            import tensorflow  # noqa: F401 - no operation runs here: TensorFlow's thread pools start after the fork
        silence_python_warnings()
        import numpy  # noqa: F401
        from ipykernel import kernelapp  # noqa: F401

        from autograder.kernels import guard, namespaces  # noqa: F401
        from helpers.checks import core  # noqa: F401 - the notebooks' checks (nbNN) are imported by each kernel's guard


def become_kernel(request: dict) -> NoReturn:
    """In the forked kernel process: run ``ipykernel_launcher`` with the request's arguments, then exit."""
    code = 1
    try:
        if request.get("private"):  # in the fork server's sandbox: namespaces of its own (autograder.kernels.jail)
            from autograder.kernels import namespaces

            namespaces.enter(request["private"], request["hide"], request.get("max_processes", 0),
                             read_only=tuple(request.get("read_only", ())))
        os.chdir(request["cwd"] or os.getcwd())
        launcher = importlib.util.find_spec("ipykernel_launcher")
        sys.argv = [launcher.origin if launcher else "ipykernel_launcher", *request["argv"]]
        if "numpy" in sys.modules:  # a fresh process would have seeded numpy from the OS, not copied it
            sys.modules["numpy"].random.seed()
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # report it; never return into the server's loop
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def fork_kernel(request: dict) -> int:
    """Fork the kernel process; returns its pid (in the supervisor)."""
    pid = os.fork()
    if pid == 0:
        become_kernel(request)
    return pid


def become_supervisor(request: dict, ready: int) -> NoReturn:
    """In the forked supervisor: a new session, only stdio open, then supervise the kernel and exit."""
    code = 70
    try:
        os.setsid()
        os.write(ready, b".")  # the server answers only now, so the grader can signal the whole group
        # stdin as a kernel started by jupyter_client has it: a pipe whose writing end is closed.
        # This also takes the server's request socket away from fd 0.
        stdin, writer = os.pipe()
        os.close(writer)
        os.dup2(stdin, 0)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        sandbox.set_dumpable(True)  # as a kernel started on its own is
        report = Path(request["report"]) if request.get("report") else None
        code = sandbox.supervise_started(lambda: fork_kernel(request), report, request["limits"])
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def start(request: dict) -> int:
    """Fork a supervisor for ``request``; returns its pid once it leads its own session."""
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_read)
        become_supervisor(request, ready_write)
    os.close(ready_write)
    os.read(ready_read, 1)
    os.close(ready_read)
    return pid


def serve(control: socket.socket, idle_seconds: float) -> int:
    """Answer requests until end of file, or until ``idle_seconds`` pass without one."""
    pending = b""
    last = time.monotonic()
    while True:
        sandbox.reap_children()  # supervisors that ended (the grader watches them through pidfds)
        while b"\n" not in pending:
            if time.monotonic() - last > idle_seconds:
                return 0
            if not select.select([control], [], [], 1.0)[0]:
                sandbox.reap_children()
                continue
            chunk = control.recv(CHUNK)
            if not chunk:
                return 0
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        last = time.monotonic()
        pid = None
        try:
            pid = start(json.loads(line))
            pidfd = os.pidfd_open(pid)
        except Exception as error:  # the grader starts this kernel on its own: this one must not run
            if pid is not None:
                os.killpg(pid, signal.SIGKILL)
            control.sendall((json.dumps({"error": f"{type(error).__name__}: {error}"}) + "\n").encode())
            continue
        try:
            socket.send_fds(control, [(json.dumps({"pid": pid}) + "\n").encode()], [pidfd])
        finally:
            os.close(pidfd)


def main(argv: list[str] | None = None) -> NoReturn:
    parser = argparse.ArgumentParser(description="Fork fresh grading kernels from one warm process.")
    parser.add_argument("--idle-seconds", type=float, default=600.0)
    args = parser.parse_args(argv)
    # As ipykernel_launcher does: the launch folder is not a notebook's, so it
    # must not be on sys.path (IPython adds '' for the working folder later).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    control = socket.socket(fileno=os.dup(0))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sandbox.set_dumpable(False)
    try:
        preload()
    except Exception as error:  # the notebooks' own imports will meet (and report) the same problem
        print(f"fork server: preloading failed ({type(error).__name__}: {error})", file=sys.stderr)
    code = serve(control, args.idle_seconds)
    sys.stderr.flush()
    os._exit(code)  # nothing to clean up: skip tearing down TensorFlow's modules (about a second)


if __name__ == "__main__":
    main()
