"""Two real ``nbgrader autograde`` runs over crafted notebook-01 submissions, shared by the integrity tests.

- ``full``: the course's configuration, every defence on.
- ``runtime``: the static scan switched off, to show that the run-time
  defences (sandbox, sentinels, kernel guard, death records) hold on their own.

Both run at once, each in its own course root, once per test session.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests import harness
from tests.integrity import students as s


@dataclass
class Run:
    root: Path
    done: object
    grades: dict
    seconds: float

    def notebook(self, student: str):
        return nbformat.read(str(self.root / "autograded" / student / s.A / f"{s.A}.ipynb"), as_version=4)

    def findings(self, student: str) -> list[str]:
        from nbgrader.api import Gradebook

        from autograder.findings import read_findings

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            return read_findings(gb, s.A, s.A, student)


FULL = {
    "tamperer": s.tamperer, "hog": s.hog, "noisy_a": s.noisy_wrong_kernel, "noisy_b": s.noisy_wrong_kernel,
    **{name: s.static(name) for name in s.STATIC},
}
# Short timeouts keep the run quick; the legitimate cells of notebook 01 need a few seconds each.
# Kernels are forked (the course's default): every hostile notebook runs beside the fork server that
# forks the next student's kernel.
FULL_ARGS = ["--Execute.timeout=20", "--SandboxedKernelManager.memory_mb=4096"]
RUNTIME_ARGS = ["--Execute.timeout=15", "--ScanStudentCode.enabled=False"]


def _grade(root: Path, submissions: dict, files: dict[str, tuple[str, str]], args: list[str]) -> Run:
    start = time.monotonic()
    harness.prepare_root(root, s.A)
    for student, build in submissions.items():
        harness.submit(root, s.A, student, build())
    for student, (name, text) in files.items():
        path = root / "submitted" / student / s.A / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    done = harness.run_nbgrader(root, "autograde", s.A, "--force", *args)
    (root / "autograde.log").write_text(done.stdout + done.stderr)  # for reading when a test fails
    grades = {}
    for student in [*submissions, *files]:
        try:
            grades[student] = harness.read_grades(root, s.A, student)
        except Exception as error:  # no record at all is a failure the tests report
            grades[student] = error
    return Run(root, done, grades, time.monotonic() - start)


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict[str, Run]:
    valid = nbformat.writes(s.submission())
    files = {
        "broken_json": (f"{s.A}.ipynb", valid[: len(valid) // 2]),
        "renamed": ("my-notebook.ipynb", nbformat.writes(s.submission(s.answers()))),
    }
    jobs = {
        "full": (FULL, files, FULL_ARGS),
        "runtime": ({name: (lambda n=name: s.run_time(n)) for name in s.RUN_TIME}, {}, RUNTIME_ARGS),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {k: pool.submit(_grade, Path(tmp_path_factory.mktemp(k)), *v) for k, v in jobs.items()}
        return {k: f.result() for k, f in futures.items()}
