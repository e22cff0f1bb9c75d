"""The kernel manager of grading runs: every kernel starts under ``python -m autograder.sandbox``.

Used by ``autograder.preprocessors.GuardedExecute``; its limits are set in
``autograder/nbgrader_config.py`` (``c.SandboxedKernelManager``).
"""
from __future__ import annotations

import sys

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, Unicode


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under ``python -m autograder.sandbox``."""

    memory_mb = Integer(6144, help="Address-space limit of a grading kernel, in MiB (0: none).").tag(config=True)
    cpu_seconds = Integer(1800, help="CPU-time limit of a grading kernel, in seconds (0: none).").tag(config=True)
    file_mb = Integer(512, help="Largest file a grading kernel may write, in MiB (0: none).").tag(config=True)
    report_path = Unicode("", help="Where the supervisor writes how the kernel ended.")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        wrapper = [
            sys.executable, "-m", "autograder.sandbox",
            f"--memory-mb={self.memory_mb}", f"--cpu-seconds={self.cpu_seconds}", f"--file-mb={self.file_mb}",
        ]
        if self.report_path:
            wrapper.append(f"--report={self.report_path}")
        return [*wrapper, "--", *command]
