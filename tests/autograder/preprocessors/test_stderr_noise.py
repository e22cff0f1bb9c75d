"""The StderrIsNotFailure preprocessor: stderr in a test cell costs nothing, an error still costs everything."""
from __future__ import annotations

import nbformat
from nbgrader.utils import determine_grade

from autograder.preprocessors.stderr_noise import StderrIsNotFailure


def _test_cell(*outputs):
    cell = nbformat.v4.new_code_cell("check()")
    cell.metadata = {"nbgrader": {"grade": True, "solution": False, "points": 3, "grade_id": "t", "schema_version": 3}}
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


STDERR = {"output_type": "stream", "name": "stderr", "text": "W0000 port.cc:153] oneDNN custom operations are on\n"}
ERROR = {"output_type": "error", "ename": "AssertionError", "evalue": "wrong", "traceback": []}


def _run(cell):
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = StderrIsNotFailure().preprocess(nb, {})
    return nb.cells[0]


def test_plain_nbgrader_zeroes_stderr():
    """Without the preprocessor, does nbgrader score a stderr-only test cell zero (the problem we fix)?"""
    assert determine_grade(_test_cell(STDERR))[0] == 0


def test_stderr_only_cell_gets_full_marks():
    """With the preprocessor, does a test cell whose only fault is stderr output get its points?"""
    cell = _run(_test_cell(STDERR))
    assert determine_grade(cell) == (3, 3)
    assert cell.outputs[0]["text"].startswith("[stderr] W0000"), "the text must stay visible"


def test_error_still_scores_zero():
    """Does a test cell that raised still score zero when it also wrote to stderr?"""
    assert determine_grade(_run(_test_cell(STDERR, ERROR)))[0] == 0


def test_student_cells_are_untouched():
    """Are stderr outputs of non-test cells left as they are?"""
    cell = _test_cell(STDERR)
    cell.metadata["nbgrader"].update(grade=False, solution=True)
    assert _run(cell).outputs[0]["name"] == "stderr"
