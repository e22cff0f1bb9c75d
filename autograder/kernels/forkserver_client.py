"""The grader's side of ``autograder.kernels.forkserver``: kernels forked from a warm process.

A grading process (a ``tfcourse grade`` worker, or one ``nbgrader autograde``
run) starts a fork server the first time a notebook needs a kernel (and a
new one if the kernels' interpreter or environment changes), and asks it for
a kernel for every notebook:
about 0.4 s instead of about 4 s, and none of the CPU time of importing
TensorFlow again. The kernel is a fresh process under its own supervisor
(``autograder.kernels.sandbox``), with the same limits, environment and view
of the world as a kernel started on its own
(``tests/autograder/kernels/test_forkserver.py`` compares them).

The supervisor is the fork server's child, not ours, so it is handed out as a
``ForkedProcess``: a ``subprocess.Popen`` look-alike around a pidfd. When the
server is gone (killed by another notebook's code, say), the next notebook
gets a new one; when it cannot answer, ``fork`` returns ``None`` and the
caller starts the kernel on its own. The server gets end of file, and exits,
when this process closes its ``ForkServerClient`` or dies.

Used by ``autograder.kernels.manager.SandboxProvisioner``.
"""
from __future__ import annotations

import atexit
import itertools
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.launcher import launch_kernel

from autograder.kernels import jail

#: How long to wait for the server's answer before starting the kernel on its own.
ANSWER_SECONDS = 120.0


def host_pid(pidfd: int) -> int | None:
    """The pid, in our PID namespace, of the process behind ``pidfd`` (the server numbers it in its own)."""
    try:
        for line in Path(f"/proc/self/fdinfo/{pidfd}").read_text().splitlines():
            if line.startswith("Pid:"):
                pid = int(line.split()[1])
                return pid if pid > 0 else None
    except (OSError, ValueError, IndexError):
        pass
    return None


class ForkedProcess:
    """A ``Popen``-like handle on a process that is not our child, through a pidfd.

    Its exit status is not ours to collect: ``returncode`` is 0 once it has
    ended (the supervisor's report says how its kernel ended).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int):
        self.pid = pid
        self._pidfd = pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout)
            self._ended()
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self._pidfd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _ended(self) -> None:
        self.returncode = 0
        os.close(self._pidfd)


@dataclass
class ForkServer:
    """One ``autograder.kernels.forkserver`` process and our end of its request socket."""

    process: subprocess.Popen
    control: socket.socket

    def fork(self, request: dict) -> ForkedProcess | None:
        """A supervised kernel for ``request``, or ``None`` when the server cannot give one."""
        try:
            os.kill(self.process.pid, signal.SIGCONT)  # another notebook's code may have stopped it
            self.control.settimeout(ANSWER_SECONDS)
            self.control.sendall((json.dumps(request) + "\n").encode())
            message, fds, _, _ = socket.recv_fds(self.control, 65536, 1)
        except OSError:
            return None
        answer = json.loads(message or b"{}")
        if "pid" not in answer or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return None
        return ForkedProcess(host_pid(fds[0]) or answer["pid"], fds[0])

    def close(self) -> None:
        self.control.close()  # end of file: the server exits
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ForkServerClient:
    """This process's one fork server, for the interpreter and environment its kernels get.

    Kernels that need another interpreter or environment get a new server, and the old one ends.
    """

    def __init__(self) -> None:
        self.server: ForkServer | None = None
        self._key = ""  # the interpreter and environment the server was started with
        self._folder: Path | None = None
        self.sandboxed = True
        self._numbers = itertools.count(1)

    def folder(self) -> Path:
        """A private folder: the server's working folder, the kernels' own folders and the supervisors' reports.

        It belongs to the sandbox user (``autograder.kernels.jail.sandbox_user``);
        the fork server sees all of it, each kernel only its own folder.
        """
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="tfk-"))
            atexit.register(self.close)
            (self._folder / "reports").mkdir()
            user = jail.sandbox_user()
            jail.give(self._folder / "reports", user)
            jail.give(self._folder, user, 0o711 if user else 0o700)
        return self._folder

    def report_path(self) -> str:
        """A fresh path for one kernel supervisor's report (an empty file the sandbox user may write)."""
        path = self.folder() / "reports" / f"kernel-{next(self._numbers)}.json"
        path.touch()
        jail.give(path, jail.sandbox_user(), 0o600)
        return str(path)

    def kernel_folder(self) -> Path:
        """A fresh private folder for one kernel (its connection file, ipc sockets and working copy)."""
        path = self.folder() / f"k{next(self._numbers)}"
        path.mkdir()
        jail.give(path, jail.sandbox_user())
        return path

    def fork(self, python: str, launch: dict[str, Any], request: dict,
             idle_seconds: float = 600.0) -> tuple[ForkedProcess, bool] | None:
        """A kernel forked for ``request``, and whether its server was already running.

        Args:
            python: The kernel's interpreter.
            launch: Keyword arguments for ``jupyter_client.launcher.launch_kernel`` (``env``, ...).
            request: What the kernel needs: ``argv`` (``ipykernel_launcher``'s
                arguments), ``cwd``, ``report`` and ``limits`` (``autograder.kernels.sandbox``).
            idle_seconds: A new server exits after this long without a request. Defaults to 600.

        Returns:
            ``None`` when no server could fork it: start the kernel on its own.
        """
        if self.sandboxed:  # what the sandboxed server gets of the environment is what matters
            launch = {**launch, "env": jail.kernel_env(launch.get("env"))}
        key = json.dumps([python, launch, self.sandboxed], sort_keys=True, default=str)
        warm = self.server is not None and self._key == key and self.server.process.poll() is None
        if not warm:
            self._end_server()
            self.server, self._key = self._start(python, launch, idle_seconds), key
        forked = self.server.fork(request)
        if forked is None:  # the server died or hung: the next notebook gets a new one
            self._end_server()
            return None
        return forked, warm

    def _end_server(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _start(self, python: str, launch: dict[str, Any], idle_seconds: float) -> ForkServer:
        ours, theirs = socket.socketpair()
        command = [python, "-m", "autograder.kernels.forkserver", f"--idle-seconds={idle_seconds}"]
        launch = dict(launch)
        if self.sandboxed:  # the server in a sandbox of its own, seeing only its kernels' folders
            folder = self.folder()
            launch["env"] = jail.kernel_env(launch.get("env"))
            command = jail.command(command, [folder], launch["env"], folder)
            launch["preexec_fn"] = jail.demote(jail.sandbox_user(), [*jail.read_only_paths(), folder])
        try:
            process = launch_kernel(command, stdin=theirs.fileno(), cwd=str(self.folder()), **launch)
        except Exception:
            ours.close()
            raise
        finally:
            theirs.close()
        return ForkServer(process, ours)

    def close(self) -> None:
        """End the server and remove the private folder."""
        self._end_server()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


#: This process's client (a grading worker, or one ``nbgrader autograde`` run).
CLIENT = ForkServerClient()
