"""One real ``nbgrader autograde`` run per notebook, shared by all notebook tests.

Each assignment is graded in its own temporary course root (its own
gradebook), two at a time, with these students:

- ``reference``: the released notebook with the solutions' answers filled in;
- ``blank``: the released notebook, untouched;
- extra students that a notebook's own tests add in ``EXTRA_STUDENTS``.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import harness
from tests.notebooks.students import EXTRA_STUDENTS


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> dict:
    """``{assignment: (completed_process, {student: GradedNotebook})}`` for every notebook."""

    def grade(assignment: str):
        root = Path(tmp_path_factory.mktemp(f"root-{assignment[:2]}"))
        students = {
            "reference": harness.make_submission(assignment, harness.reference_answers(assignment)),
            "blank": harness.make_submission(assignment),
        }
        for name, build in EXTRA_STUDENTS.get(assignment, {}).items():
            students[name] = build()
        return assignment, harness.autograde(root, assignment, students)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(grade, harness.ALL_ASSIGNMENTS))
