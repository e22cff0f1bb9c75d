"""The kernel manager of grading runs: every kernel starts under ``python -m autograder.sandbox``.

``SandboxedKernelManager`` wraps the kernel command in the supervisor, with the
limits set in ``autograder/nbgrader_config.py`` (``c.SandboxedKernelManager``).
Its provisioner, ``SandboxProvisioner``, changes two things about an IPython
kernel's life:

- **Start**: the kernel comes from ``autograder.kernel_pool``: a spare process
  that imported TensorFlow before the notebook needed it, or, when there is
  none, one started on the spot. Either way it is a fresh process that runs
  this notebook only.
- **Shutdown**: once the kernel has been asked to shut down, the supervisor gets
  SIGTERM, ends the kernel at once and kills whatever it left behind, instead
  of the grader waiting out the kernel's own clean-up (about 1.5 s with
  TensorFlow loaded).

Used by ``autograder.preprocessors.GuardedExecute``.
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Float, Integer, Unicode

from autograder.kernel_pool import POOL

IPYKERNEL = ["-m", "ipykernel_launcher"]
WARM_KERNEL = ["-m", "autograder.warm_kernel"]


def warm_plan(command: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """Split a sandboxed IPython kernel command into what ``KernelPool.take`` needs.

    Returns:
        ``(supervisor command without --report, warm kernel command, ipykernel
        arguments)``, or ``None`` for a command that is not a sandboxed
        ``python -m ipykernel_launcher`` (that one starts as it is).
    """
    if "--" not in command:
        return None
    split = command.index("--")
    kernel = command[split + 1:]
    if kernel[1:3] != IPYKERNEL:
        return None
    wrapper = [arg for arg in command[:split] if not arg.startswith("--report=")]
    return wrapper, [kernel[0], *WARM_KERNEL], kernel[3:]


class SandboxProvisioner(LocalProvisioner):
    """Starts IPython kernels from the spare pool; shuts them down through their supervisor."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        plan = warm_plan(cmd)
        if plan is None:
            return await super().launch_kernel(cmd, **kwargs)
        wrapper, kernel, argv = plan
        launch = LocalProvisioner._scrub_kwargs(kwargs)
        cwd = launch.pop("cwd", None)
        km = self.parent
        taken = POOL.take(wrapper, kernel, launch, argv, cwd and str(cwd), spares=km.spare_kernels)
        self.process = taken.process
        self.pid = taken.process.pid
        self.pgid = os.getpgid(self.pid)
        self.cwd = cwd or Path.cwd()
        km.report_path = taken.report
        km.head_start = taken.head_start
        return self.connection_info

    async def shutdown_requested(self, restart: bool = False) -> None:
        # SIGTERM to the supervisor alone: it ends the kernel and cleans up its process tree.
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under ``python -m autograder.sandbox``."""

    memory_mb = Integer(6144, help="Address-space limit of a grading kernel, in MiB (0: none).").tag(config=True)
    cpu_seconds = Integer(1800, help="CPU-time limit of a grading kernel, in seconds (0: none).").tag(config=True)
    file_mb = Integer(512, help="Largest file a grading kernel may write, in MiB (0: none).").tag(config=True)
    spare_kernels = Integer(
        0, help="Kernels to start ahead, each importing TensorFlow while the current notebook runs "
                "(tfcourse grade sets 1 while more submissions are queued)."
    ).tag(config=True)
    report_path = Unicode("", help="Where the supervisor writes how the kernel ended.")
    head_start = Float(0.0, help="Seconds the kernel process had been running before this notebook took it.")

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if not self.report_path:
            self.report_path = POOL.report_path()
        wrapper = [
            sys.executable, "-m", "autograder.sandbox",
            f"--memory-mb={self.memory_mb}", f"--cpu-seconds={self.cpu_seconds}", f"--file-mb={self.file_mb}",
            f"--report={self.report_path}",
        ]
        return [*wrapper, "--", *command]
