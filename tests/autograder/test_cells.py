"""``autograder.cells``: reading nbgrader cell metadata as nbgrader does, and where a deleted cell goes back."""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder import cells

EXERCISE = {"grade": False, "grade_id": "ex", "locked": False, "schema_version": 3, "solution": True}
TEST = {"grade": True, "grade_id": "ex_test", "locked": True, "points": 2, "schema_version": 3, "solution": False}


def _cell(meta: dict | None, cell_type: str = "code") -> dict:
    cell = nbformat.v4.new_code_cell("pass") if cell_type == "code" else nbformat.v4.new_markdown_cell("text")
    if meta is not None:
        cell.metadata["nbgrader"] = dict(meta)
    return cell


@pytest.mark.parametrize("as_json", [False, True], ids=["NotebookNode", "plain JSON"])
def test_exercises_and_tests_are_told_apart(as_json):
    """Are a solution cell, a graded code cell, and ungraded or markdown cells each classified as nbgrader would?"""
    kinds = [_cell(EXERCISE), _cell(TEST), _cell(None), _cell({**TEST, "grade_id": "md"}, "markdown")]
    if as_json:  # `tfcourse import` reads notebooks as plain JSON
        kinds = [json.loads(json.dumps(c)) for c in kinds]
    assert [cells.is_exercise(c) for c in kinds] == [True, False, False, False]
    assert [cells.is_test(c) for c in kinds] == [False, True, False, False]
    assert cells.grade_ids(kinds) == {"ex", "ex_test", "md"}
    assert [cells.points(c) for c in kinds] == [0.0, 2.0, 0.0, 2.0]


def test_reference_answers_drop_the_markers():
    """Are the instructor's answers returned without nbgrader's markers, keyed by exercise?"""
    answer = _cell(EXERCISE)
    answer.source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    nb = nbformat.v4.new_notebook(cells=[answer, _cell(TEST)])
    assert cells.reference_answers(nb) == {"ex": "def f():\n    return 1\n"}


@pytest.mark.parametrize("present, name, at", [
    (["setup", "b", "b_test"], "a", 1),          # after the nearest earlier cell still there
    ([None, "b", "b_test"], "a_test", 1),        # nothing earlier left: before the nearest later one
    ([None, "b_test"], "a", 1),
    (["setup", "a", "a_test", "b"], "b_test", 4),
    ([None, None], "b", 2),                      # nothing left at all: at the end
])
def test_a_deleted_cell_goes_back_next_to_its_neighbours(present, name, at):
    """Does a deleted cell go after its nearest earlier neighbour, else before its nearest later one, else last?"""
    order = ["setup", "a", "a_test", "b", "b_test"]
    assert cells.restore_position(order, name, present) == at
