"""The kernel manager of grading runs: every kernel runs under ``autograder.kernels.sandbox``'s supervisor.

``SandboxedKernelManager`` wraps the kernel command in the supervisor, with the
limits set in ``autograder/nbgrader_config.py`` (``c.SandboxedKernelManager``).
Its provisioner, ``SandboxProvisioner``, changes two things about an IPython
kernel's life:

- **Start**: with ``fork_server`` on (the default), the kernel and its
  supervisor are forked from ``autograder.kernels.forkserver``, a process that
  imported TensorFlow once for the whole grading run
  (``autograder.kernels.forkserver_client``).
  It is still a fresh process that runs this notebook only. Any other kernel,
  or any failure of the fork server, starts the kernel on its own, as before.
- **Shutdown**: once the kernel has been asked to shut down, the supervisor gets
  SIGTERM, ends the kernel at once and kills whatever it left behind, instead
  of the grader waiting out the kernel's own clean-up (about 1.5 s with
  TensorFlow loaded).

Used by ``autograder.preprocessors.GuardedExecute``.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, Float, Integer, Unicode, default

from autograder.kernels import jail, sandbox
from autograder.kernels.forkserver_client import CLIENT

IPYKERNEL = ["-m", "ipykernel_launcher"]


def fork_plan(command: list[str]) -> tuple[str, list[str]] | None:
    """The interpreter and ``ipykernel_launcher`` arguments of a sandboxed IPython kernel command.

    Returns:
        ``(python, arguments)``, or ``None`` for a command that is not a
        sandboxed ``python -m ipykernel_launcher`` (that one starts on its own).
    """
    if "--" not in command:
        return None
    kernel = command[command.index("--") + 1:]
    if kernel[1:3] != IPYKERNEL:
        return None
    return kernel[0], kernel[3:]


class SandboxProvisioner(LocalProvisioner):
    """Forks IPython kernels from the fork server; shuts kernels down through their supervisor."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        km = self.parent
        plan = fork_plan(cmd) if km.fork_server else None
        launch = LocalProvisioner._scrub_kwargs(kwargs)
        cwd = launch.pop("cwd", None)
        forked = None
        sandboxed = km.private is not None
        if sandboxed:
            jail.give(Path(km.connection_file), jail.sandbox_user(), 0o600)
        if plan is not None:
            python, argv = plan
            request = {"argv": argv, "cwd": str(cwd or Path.cwd()), "report": km.report_path, "limits": km.limits()}
            if sandboxed:
                request.update(private=str(km.private), hide=str(CLIENT.folder()), max_processes=km.max_processes,
                               read_only=[str(path) for path in jail.read_only_paths()])
            CLIENT.sandboxed = sandboxed
            forked = CLIENT.fork(python, launch, request, km.fork_server_idle_seconds)
        if forked is None:
            km.kernel_origin = "started on its own"
            if sandboxed:  # a sandbox of its own: the kernel's folder and its report writable, nothing else
                env = jail.kernel_env(kwargs.get("env"))
                cmd = jail.command(cmd, [km.private, km.report_path], env, cwd or km.private)
                kwargs = {**kwargs, "env": env,
                          "preexec_fn": jail.demote(jail.sandbox_user(), [*jail.read_only_paths(), km.private,
                                                                          Path(km.report_path)])}
            return await super().launch_kernel(cmd, **kwargs)
        self.process, warm = forked
        self.pid = self.pgid = self.process.pid  # the supervisor leads its own session
        self.cwd = cwd or Path.cwd()
        km.kernel_origin = "forked" if warm else "forked, fork server started for it"
        return self.connection_info

    def supervisor(self) -> int | None:
        """The host pid of the kernel's supervisor: our process, or, in a cold sandbox, bwrap's grandchild."""
        if self.process is None or self.process.poll() is not None:
            return None
        if not self.parent.private or self.parent.kernel_origin != "started on its own":
            return self.process.pid
        pending = [self.process.pid]
        while pending:
            pid = pending.pop(0)
            try:
                if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1:3] == [b"-m", b"autograder.kernels.sandbox"]:
                    return pid
            except OSError:
                continue
            pending += sandbox.children(pid)
        return None

    async def send_signal(self, signum: int) -> None:
        target = self.supervisor()
        if target is None or target == getattr(self.process, "pid", None):
            return await super().send_signal(signum)
        try:  # the sandbox's own session: its process group is the supervisor's, not bwrap's
            os.killpg(os.getpgid(target), signum)
        except ProcessLookupError:
            pass

    async def shutdown_requested(self, restart: bool = False) -> None:
        # SIGTERM to the supervisor alone: it ends the kernel and cleans up its process tree.
        target = self.supervisor()
        if target is not None:
            try:
                os.kill(target, signal.SIGTERM)
            except ProcessLookupError:
                pass


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under ``autograder.kernels.sandbox``'s supervisor."""

    memory_mb = Integer(6144, help="Address-space limit of a grading kernel, in MiB (0: none).").tag(config=True)
    cpu_seconds = Integer(1800, help="CPU-time limit of a grading kernel, in seconds (0: none).").tag(config=True)
    file_mb = Integer(512, help="Largest file a grading kernel may write, in MiB (0: none).").tag(config=True)
    fork_server = Bool(
        True, help="Fork each IPython kernel from a process that imported TensorFlow once "
                   "(autograder.kernels.forkserver) instead of starting Python and importing TensorFlow for every "
                   "notebook."
    ).tag(config=True)
    fork_server_idle_seconds = Float(
        600.0, help="A fork server with no kernel to fork for this long exits (the next notebook starts another)."
    ).tag(config=True)
    max_processes = Integer(
        jail.MAX_PROCESSES, help="Most processes and threads a sandboxed grading kernel may run at once (0: no limit)."
    ).tag(config=True)
    unsafe_no_sandbox = Bool(
        help="UNSAFE: run grading kernels with the grader's own rights, without the bubblewrap sandbox "
             "(autograder.kernels.jail): student code can then read and change every file the grader can, use the "
             "network and reach other kernels. Default: $TFCOURSE_UNSAFE_NO_SANDBOX (tfcourse --unsafe-no-sandbox)."
    ).tag(config=True)
    report_path = Unicode("", help="Where the supervisor writes how the kernel ended.")
    kernel_origin = Unicode("", help="How the last kernel started: forked, or started on its own.")

    private: Path | None = None  # the sandboxed kernel's own folder (None: not sandboxed)

    @default("unsafe_no_sandbox")
    def _unsafe_no_sandbox_default(self) -> bool:
        return jail.unsafe()

    def limits(self) -> dict[str, int]:
        """The supervisor's limits (``autograder.kernels.sandbox.set_limits``)."""
        return {"memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds, "file_mb": self.file_mb}

    def _enter_sandbox(self, kw: dict[str, Any]) -> None:
        """A private folder holding a copy of the notebook's folder, and Unix sockets in it instead of TCP ports.

        Raises:
            autograder.kernels.jail.SandboxUnavailable: no bubblewrap works here.
        """
        jail.require()
        if self.private is not None:  # a restart: a fresh folder
            shutil.rmtree(self.private, ignore_errors=True)
        self.private = CLIENT.kernel_folder()
        source = Path(kw.get("cwd") or os.getcwd())
        kw["cwd"] = str(jail.private_copy(source, self.private, jail.sandbox_user()))
        self.transport = "ipc"
        self.connection_file = str(self.private / "kernel.json")
        self.ip = str(self.private / "ipc")
        self.report_path = CLIENT.report_path()

    async def _async_pre_start_kernel(self, **kw: Any):
        if not self.unsafe_no_sandbox:
            self._enter_sandbox(kw)
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self.private is not None and not restart:
            shutil.rmtree(self.private, ignore_errors=True)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if not self.report_path:
            self.report_path = CLIENT.report_path()
        wrapper = [
            sys.executable, "-m", "autograder.kernels.sandbox",
            f"--memory-mb={self.memory_mb}", f"--cpu-seconds={self.cpu_seconds}", f"--file-mb={self.file_mb}",
            f"--report={self.report_path}",
        ]
        if not self.unsafe_no_sandbox:  # inside a kernel's own sandbox (a forked kernel sets it in its namespace)
            wrapper.insert(-1, f"--max-processes={self.max_processes}")
        return [*wrapper, "--", *command]


async def warm_up(config=None) -> str:
    """Start the fork server now: start one kernel as a grading run would, then shut it down.

    A Dask worker calls it when it joins (``autograder.grading.on_dask.ForkServerPlugin``),
    so that its first submission's kernel is forked from a server that is already up.

    Args:
        config: The course's nbgrader settings (``c.SandboxedKernelManager``). Defaults to none.

    Returns:
        How the kernel started: ``"forked, fork server started for it"`` when the
        server started here, ``"started on its own"`` when there is none.
    """
    import tempfile

    folder = tempfile.mkdtemp(prefix="tfcourse-warm-up-")
    km = SandboxedKernelManager(kernel_name="python3", **({"config": config} if config is not None else {}))
    try:
        await km.start_kernel(cwd=folder)
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=120)
        finally:
            client.stop_channels()
        return km.kernel_origin
    finally:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        shutil.rmtree(folder, ignore_errors=True)
