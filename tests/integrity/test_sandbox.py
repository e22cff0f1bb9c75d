"""The kernel supervisor on its own: limits, leftover processes, and the report that explains a death."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.kernels.manager import SandboxedKernelManager

pytestmark = pytest.mark.sandbox


def supervise(tmp_path: Path, code: str, *limits: str) -> tuple[subprocess.CompletedProcess, dict]:
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "autograder.kernels.sandbox", *limits, f"--report={report}", "--",
         sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60,
    )
    return done, json.loads(report.read_text())


def _running(marker: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in text:
            found.append(text)
    return found


def test_memory_limit_turns_a_bomb_into_memory_error(tmp_path):
    """Does a 2 GiB allocation under a 1 GiB limit fail with MemoryError instead of taking the memory?"""
    done, report = supervise(tmp_path, "bytearray(2 * 1024**3)", "--memory-mb=1024")
    assert "MemoryError" in done.stderr
    assert report["status"] == 1


@pytest.mark.parametrize("code, reason", [
    ("import os; os._exit(3)", "exited with status 3"),
    ("import ctypes; ctypes.string_at(0)", "SIGSEGV"),
    ("import time\nwhile True: time.process_time()", "SIGXCPU"),
])
def test_report_says_why_the_kernel_ended(tmp_path, code, reason):
    """Does the report name the exit status, the crash signal, or the CPU limit that ended the process?"""
    _, report = supervise(tmp_path, code, "--cpu-seconds=1")
    assert reason in report["reason"], report


def test_processes_left_behind_are_killed(tmp_path):
    """Are a daemon in its own session and a plain child both killed when the supervised process ends?"""
    code = ("import subprocess\n"
            "subprocess.Popen(['sh', '-c', 'sleep 1003.5 &'], start_new_session=True)\n"
            "subprocess.Popen(['sleep', '1004.5'])\n"
            "import time; time.sleep(0.5)\n")
    _, report = supervise(tmp_path, code)
    assert report["leftover_processes_killed"] >= 2
    assert not _running("sleep 1003.5") and not _running("sleep 1004.5")


def test_kernel_command_is_wrapped_with_the_configured_limits():
    """Does the kernel manager start kernels through the supervisor with its configured limits?"""
    km = SandboxedKernelManager(kernel_name="python3", memory_mb=1234)
    command = km.format_kernel_cmd()
    assert command[1:3] == ["-m", "autograder.kernels.sandbox"] and "--memory-mb=1234" in command
    assert "ipykernel_launcher" in " ".join(command[command.index("--"):])
