"""What the grading defences found in a submission: flags and notes, kept in the notebook's metadata.

The preprocessors record their findings as they go (``record``):

- *flags*: the submission tampered with grading, or cannot be graded; every
  test cell is held at zero;
- *notes*: something the instructor should know (a duplicated or deleted
  cell, a kernel that died and why).

``autograder.preprocessors.record_verdict.RecordVerdict`` turns them into
grades and gradebook comments (lines starting with ``FLAG`` or ``NOTE``), which
``read_findings`` reads back for a report.
"""
from __future__ import annotations

from typing import Any

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.api import Gradebook

from autograder.cells import grade_id, is_exercise

KEY = "tfcourse_grading"
FLAG = "[integrity flag]"
NOTE = "[grading note]"


def reset(nb: NotebookNode) -> None:
    """Forget anything a submission brought in under our metadata key."""
    nb.metadata[KEY] = {"flags": [], "notes": []}


def record(nb: NotebookNode, kind: str, text: str, cell_index: int | None = None) -> None:
    """Add a flag (``kind="flags"``) or a note (``kind="notes"``) about cell ``cell_index``."""
    entry = {"text": text, "exercise": exercise_of(nb, cell_index)}
    nb.metadata.setdefault(KEY, {"flags": [], "notes": []}).setdefault(kind, []).append(entry)


def findings(nb: NotebookNode, kind: str) -> list[dict[str, Any]]:
    """The flags (``kind="flags"``) or notes (``kind="notes"``) recorded so far, as ``{"text", "exercise"}``."""
    return list(nb.metadata.get(KEY, {}).get(kind, []))


def exercise_of(nb: NotebookNode, cell_index: int | None) -> str | None:
    """The grade id of the exercise cell a cell belongs to: the last one above it, else the first."""
    exercises = [(i, grade_id(c)) for i, c in enumerate(nb.cells) if is_exercise(c)]
    if not exercises:
        return None
    if cell_index is None:
        return exercises[0][1]
    above = [gid for i, gid in exercises if i <= cell_index]
    return above[-1] if above else exercises[0][1]


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output for a cell: it scores a test cell zero, and ``evalue`` says why."""
    return from_dict({"output_type": "error", "ename": ename, "evalue": evalue,
                      "traceback": [f"{ename}: {evalue}"]})


def read_findings(gb: Gradebook, assignment: str, notebook: str, student: str) -> list[str]:
    """The flags and notes the grader left for one submitted notebook, for a grade report."""
    found: list[str] = []
    submission = gb.find_submission_notebook(notebook, assignment, student)
    for comment in submission.comments:
        for line in (comment.auto_comment or "").splitlines():
            if line.startswith((FLAG, NOTE)) and line not in found:
                found.append(line)
    return found
