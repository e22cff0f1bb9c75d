"""A tiny assignment without TensorFlow (tests/fixtures/00-tiny), and a synthetic class for it.

Grading it costs a kernel start, not a TensorFlow import, so the grading
engine can be tested on many students cheaply.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import grade_id, reference_answers
from autograder.nbgrader_api import open_api

TINY = "00-tiny"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def add_tiny_assignment(root: Path) -> Path:
    """Put 00-tiny into ``root``'s gradebook; return the released (student) notebook."""
    api = open_api(root)
    api.coursedir.source_directory = str(FIXTURES)
    api.coursedir.release_directory = str(root / "release")
    result = api.generate_assignment(TINY, force=True, create=True)
    assert result["success"], result.get("error") or result.get("log")
    return root / "release" / TINY / f"{TINY}.ipynb"


def tiny_answers() -> dict[str, str]:
    """The tiny assignment's answers, by exercise grade id."""
    return reference_answers(nbformat.read(str(FIXTURES / TINY / f"{TINY}.ipynb"), as_version=4))


def tiny_submission(released: Path, answers: dict[str, str]) -> NotebookNode:
    nb = copy.deepcopy(nbformat.read(str(released), as_version=4))
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def tiny_class(released: Path, size: int = 6) -> dict[str, NotebookNode]:
    """``size`` students cycling through correct, blank, partial and wrong answers."""
    right = tiny_answers()
    kinds = [
        right,
        {},
        {"00_add": right["00_add"]},
        {**right, "00_circle": "def circle_area(r):\n    return 3 * r * r\n"},
    ]
    return {f"student{i:02d}": tiny_submission(released, kinds[i % len(kinds)]) for i in range(size)}


def submit(root: Path, student: str, nb: NotebookNode, assignment: str = TINY) -> None:
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
