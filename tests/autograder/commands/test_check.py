"""``tfcourse check``: a student's headless run of the visible tests, one row per exercise."""
from __future__ import annotations

import nbformat
import pytest

from autograder.commands.check import check
from autograder.paths import COURSE
from tests.autograder import tiny
from tests.autograder.cli_runner import tfcourse

NB01 = COURSE / "01-training-steps" / "01-training-steps.ipynb"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The student copy of the tiny assignment."""
    return tiny.add_tiny_assignment(tmp_path_factory.mktemp("root"))


def test_blank_notebook_01_lists_every_exercise_as_unanswered():
    """Does `tfcourse check 01` on the untouched notebook print a failed row per exercise, a total, and exit 1?"""
    exercises = [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(str(NB01), as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("solution")]
    code, out, _ = tfcourse("check", "01")
    assert code == 1
    rows = [line for line in out.splitlines() if line.split()[:1] and line.split()[0] in exercises]
    assert len(rows) == len(exercises)
    assert all("FAILED" in row and "not answered yet" in row for row in rows), out
    assert out.splitlines()[-1].split()[:3] == ["total", "FAILED", "0/8"]


@pytest.mark.nbgrader
def test_right_answers_pass(released, tmp_path):
    """Do correct answers give a passed row per exercise and full points?"""
    path = tmp_path / "mine.ipynb"
    nbformat.write(tiny.tiny_submission(released, tiny.tiny_answers()), str(path))
    report = check(tiny.TINY, path, released=released)
    assert report.passed and [r.exercise for r in report.rows] == ["00_add", "00_circle"]
    assert report.table().splitlines()[-1].split() == ["total", "passed", "5/5"]


@pytest.mark.nbgrader
def test_syntax_error_and_deleted_test_cell_are_explained(released, tmp_path):
    """Is a syntax error named as such, and a deleted test cell put back and said so?"""
    nb = tiny.tiny_submission(released, {**tiny.tiny_answers(), "00_add": "def add(a, b:\n    return a + b\n"})
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "00_circle_test"]
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    report = check(tiny.TINY, path, released=released)
    rows = {r.exercise: r for r in report.rows}
    assert not rows["00_add"].passed and "SyntaxError" in rows["00_add"].message
    assert rows["00_circle"].passed and rows["00_circle"].points == 3
    assert any("00_circle_test was deleted" in note for note in report.notes)


@pytest.mark.nbgrader
def test_deleted_first_exercise_goes_back_where_grading_puts_it(released, tmp_path):
    """Are a deleted first exercise and its test put back before the next exercise, as grading does, not last?"""
    nb = tiny.tiny_submission(released, tiny.tiny_answers())
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in ("00_add", "00_add_test")]
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    report = check(tiny.TINY, path, released=released)
    assert [(r.exercise, r.passed) for r in report.rows] == [("00_add", False), ("00_circle", True)]
    assert "not answered yet" in report.rows[0].message
    assert sum("was deleted" in note for note in report.notes) == 2


@pytest.mark.nbgrader
@pytest.mark.parametrize("content, message", [
    ('{"cells": [', "is not a readable notebook"),
    (None, "no notebook at"),
    ("TINY", "has none of 01-training-steps's exercises"),
])
def test_unusable_notebooks_get_one_line(released, tmp_path, content, message):
    """Is a damaged, missing or wrong-assignment notebook explained in one line, with exit 1?"""
    path = tmp_path / "mine.ipynb"
    if content == "TINY":
        path.write_text(released.read_text())
    elif content is not None:
        path.write_text(content)
    code, _, err = tfcourse("check", "01", str(path))
    assert code == 1 and message in err and err.count("\n") == 1, err
