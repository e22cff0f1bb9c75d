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


@pytest.fixture(scope="module")
def notebook(request) -> harness.InProcessNotebook:
    """The module's solution notebook (``ASSIGNMENT``), executed once in this process."""
    return harness.InProcessNotebook(request.module.ASSIGNMENT)


def pytest_generate_tests(metafunc):
    """Parametrize ``wrong_answer`` / ``right_answer`` from the module's ``WRONG`` / ``RIGHT`` dicts."""
    for argument, table in (("wrong_answer", "WRONG"), ("right_answer", "RIGHT")):
        if argument in metafunc.fixturenames:
            cases = getattr(metafunc.module, table)
            metafunc.parametrize(
                argument,
                [(exercise, source) for exercise, named in cases.items() for source in named.values()],
                ids=[f"{exercise}: {name}" for exercise, named in cases.items() for name in named],
            )
