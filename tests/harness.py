"""Shared machinery for the notebook tests: submissions, real nbgrader runs, in-process mutant checks.

Two ways of running a notebook's tests, for two purposes:

- ``autograde`` runs real ``nbgrader autograde`` on real submissions, in a
  fresh course root, exactly as an instructor would: one kernel per notebook.
- ``InProcessNotebook`` runs the solution notebook's cells once in this
  process, then checks many answers (mutants) against the notebook's own test
  cells, each in a copy of that namespace: no kernel per mutant.

Cells are told apart by their nbgrader metadata with ``autograder.cells``, as
the grader tells them apart.
"""
from __future__ import annotations

import copy
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import nbformat
from nbformat import NotebookNode

from autograder import cells
from autograder.cells import grade_id, is_exercise, is_test, strip_markers  # noqa: F401 - tests use them from here
from autograder.paths import COURSE, SOLUTIONS, assignments, write_course_root_config

NBGRADER = [sys.executable, "-m", "nbgrader"]


def read_notebook(path: Path) -> NotebookNode:
    """A notebook file, as nbformat version 4."""
    return nbformat.read(str(path), as_version=4)


def solution_notebook(assignment: str) -> NotebookNode:
    """The instructor notebook, from solutions/."""
    return read_notebook(SOLUTIONS / assignment / f"{assignment}.ipynb")


def release_notebook(assignment: str) -> NotebookNode:
    """The student notebook, from course/."""
    return read_notebook(COURSE / assignment / f"{assignment}.ipynb")


def reference_answers(assignment: str) -> dict[str, str]:
    """The solution notebook's answers, keyed by the exercise cell's grade_id."""
    return cells.reference_answers(solution_notebook(assignment))


def make_submission(assignment: str, answers: Mapping[str, str] | None = None) -> NotebookNode:
    """The released notebook with some exercise cells filled in, as a student would hand it in."""
    nb = copy.deepcopy(release_notebook(assignment))
    for cell in nb.cells:
        if answers and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


# --- real nbgrader ---------------------------------------------------------------------------


@dataclass
class GradedNotebook:
    """One student's autograded notebook, read back from the gradebook."""

    score: float
    max_score: float
    needs_manual_grade: bool
    cells: dict[str, tuple[float | None, float]] = field(default_factory=dict)


def run_nbgrader(root: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run a real ``nbgrader`` command in course root ``root``."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [*NBGRADER, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def prepare_root(root: Path, assignment: str) -> None:
    """Make ``root`` a course root whose gradebook knows ``assignment``."""
    write_course_root_config(root)
    done = run_nbgrader(
        root, "generate_assignment", assignment, "--force",
        f"--CourseDirectory.release_directory={root / 'release'}",
    )
    if done.returncode != 0:
        raise RuntimeError(f"generate_assignment {assignment} failed:\n{done.stderr[-3000:]}")


def submit(root: Path, assignment: str, student: str, nb: NotebookNode) -> Path:
    """Hand in ``nb`` as ``student``'s submission of ``assignment``; returns where it lies."""
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def read_grades(root: Path, assignment: str, student: str) -> GradedNotebook:
    """``student``'s grades for ``assignment`` from ``root``'s gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(assignment, assignment, student)
        cells = {g.name: (g.score, g.max_score) for g in nb.grades}
        return GradedNotebook(nb.score, nb.max_score, nb.needs_manual_grade, cells)


def autograde(
    root: Path, assignment: str, submissions: Mapping[str, NotebookNode]
) -> tuple[subprocess.CompletedProcess, dict[str, GradedNotebook]]:
    """Grade ``submissions`` (student -> notebook) with one real ``nbgrader autograde`` run."""
    prepare_root(root, assignment)
    for student, nb in submissions.items():
        submit(root, assignment, student, nb)
    done = run_nbgrader(root, "autograde", assignment, "--force")
    return done, {s: read_grades(root, assignment, s) for s in submissions}


# --- in-process mutant checks ----------------------------------------------------------------


class InProcessNotebook:
    """The solution notebook executed once in this process, ready to judge other answers.

    ``judge(exercise_id, source)`` runs ``source`` in place of the exercise
    cell and then every test cell up to the next exercise, in a shallow copy
    of the notebook's namespace. It returns ``{test_id: error or None}``.
    """

    def __init__(self, assignment: str):
        self.assignment = assignment
        self.cells = [c for c in solution_notebook(assignment).cells if c.cell_type == "code"]
        self.namespace: dict = {"__name__": "__main__"}
        for cell in self.cells:
            self._exec(strip_markers(cell.source), self.namespace, grade_id(cell) or cell.get("id"))

    def _exec(self, source: str, namespace: dict, name: str | None) -> None:
        exec(compile(source, f"<{self.assignment}:{name}>", "exec"), namespace)

    def tests_for(self, exercise_id: str) -> list[NotebookNode]:
        ids = [grade_id(c) for c in self.cells]
        if exercise_id not in ids:
            raise KeyError(f"{self.assignment} has no exercise cell {exercise_id!r}")
        tests = []
        for cell in self.cells[ids.index(exercise_id) + 1:]:
            if is_exercise(cell):
                break
            if is_test(cell):
                tests.append(cell)
        return tests

    def judge(self, exercise_id: str, source: str) -> dict[str, BaseException | None]:
        namespace = dict(self.namespace)
        self._exec(source, namespace, f"answer to {exercise_id}")
        results: dict[str, BaseException | None] = {}
        for cell in self.tests_for(exercise_id):
            try:
                self._exec(cell.source, namespace, grade_id(cell))
                results[grade_id(cell)] = None
            except Exception as error:  # any error scores zero in nbgrader
                results[grade_id(cell)] = error
        return results

    def assert_rejected(self, exercise_id: str, source: str) -> None:
        results = self.judge(exercise_id, source)
        assert any(e is not None for e in results.values()), (
            f"a wrong answer to {exercise_id} passed every test: {sorted(results)}"
        )

    def assert_accepted(self, exercise_id: str, source: str) -> None:
        results = self.judge(exercise_id, source)
        failed = {k: f"{type(e).__name__}: {e}" for k, e in results.items() if e is not None}
        assert not failed, f"a correct answer to {exercise_id} failed: {failed}"


def _selected_assignments() -> list[str]:
    """All assignments, or those whose ids start with one of ``$TFCOURSE_ONLY`` (comma-separated)."""
    only = [p for p in os.environ.get("TFCOURSE_ONLY", "").split(",") if p]
    chosen = assignments()
    return [a for a in chosen if any(a.startswith(p) for p in only)] if only else chosen


#: The assignments the notebook tests cover; ``TFCOURSE_ONLY=02,03 pytest ...`` narrows them while developing.
ALL_ASSIGNMENTS: list[str] = _selected_assignments()
