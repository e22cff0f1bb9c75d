"""One real ``nbgrader autograde`` run per notebook, shared by all notebook tests.

Only the notebooks whose selected tests need the grades are graded
(``pytest -k 03`` grades notebook 03 alone), each in its own temporary course
root (its own gradebook), two at a time, with these students:

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


HERE = Path(__file__).parent


def _needs_grades(item: pytest.Item) -> bool:
    return "graded" in getattr(item, "fixturenames", ()) and HERE in item.path.parents


def _assignment_of(item: pytest.Item) -> str | None:
    """The notebook a test is about: its ``assignment`` parameter, else its module's ``ASSIGNMENT``."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "assignment" in callspec.params:
        return callspec.params["assignment"]
    return getattr(item.module, "ASSIGNMENT", None)


#: The notebook whose answers are also judged in the quick subset (``pytest -m "not slow"``); the other
#: notebooks' checks are covered there by ``tests/helpers/checks``, without executing the whole notebook.
QUICK_NOTEBOOK = "01-training-steps"


#: Seconds for a test that reads grades, ``graded``'s set-up included: grading the ten notebooks took 454 s alone on
#: 2 cores, more beside the other xdist worker (``pytest -n 2``); the suite's default (600 s) is too tight.
GRADING_TIMEOUT = 1800


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that read real nbgrader grades, and the slow in-process ones, before ``-m`` selects."""
    for item in items:
        if _needs_grades(item):
            item.add_marker(pytest.mark.nbgrader)
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.timeout(GRADING_TIMEOUT))  # the first one's set-up grades every notebook
        elif "notebook" in getattr(item, "fixturenames", ()) and _assignment_of(item) != QUICK_NOTEBOOK:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def graded(tmp_path_factory, request) -> dict:
    """``{assignment: (completed_process, {student: GradedNotebook})}`` for the notebooks the selected tests need."""
    needed = {_assignment_of(item) for item in request.session.items if _needs_grades(item)}
    chosen = [a for a in harness.ALL_ASSIGNMENTS if None in needed or a in needed]

    # Made here, not in the threads: the first mktemp of a pytest process creates its base folder, and two threads
    # doing that at once race (FileExistsError on pytest-N/popen-gwK).
    roots = {a: Path(tmp_path_factory.mktemp(f"root-{a[:2]}")) for a in chosen}

    def grade(assignment: str):
        root = roots[assignment]
        students = {
            "reference": harness.make_submission(assignment, harness.reference_answers(assignment)),
            "blank": harness.make_submission(assignment),
        }
        for name, build in EXTRA_STUDENTS.get(assignment, {}).items():
            students[name] = build()
        return assignment, harness.autograde(root, assignment, students)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(grade, chosen))


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
