"""nbgrader's cells: what a cell's metadata says it is, and where a deleted graded cell goes back.

Built on ``nbgrader.utils`` (``is_grade``, ``is_solution``), so the course reads
cell metadata exactly as nbgrader does. An *exercise* is a solution cell (the
student's answer); a *test* is a graded code cell that is not a solution.

Used by ``tfcourse check``, ``demo`` and ``import``, the grading preprocessors
and the test harness.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from nbformat import NotebookNode
from nbformat.notebooknode import from_dict
from nbgrader import utils

#: nbgrader's region markers; without them a solution is what a student would write.
_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)[ \t]*\n?", re.M)


def _node(cell: Mapping) -> NotebookNode:
    return cell if isinstance(cell, NotebookNode) else from_dict(dict(cell))


def grade_id(cell: Mapping) -> str | None:
    """The cell's nbgrader ``grade_id``; ``None`` for a cell nbgrader does not track."""
    meta = cell.get("metadata", {}) if isinstance(cell, Mapping) else {}
    nbgrader = meta.get("nbgrader", {}) if isinstance(meta, Mapping) else {}
    return nbgrader.get("grade_id") if isinstance(nbgrader, Mapping) else None


def is_exercise(cell: Mapping) -> bool:
    """Is this a solution cell, where the student writes an answer?"""
    return bool(grade_id(cell) is not None and utils.is_solution(_node(cell)))


def is_test(cell: Mapping) -> bool:
    """Is this a test: a graded code cell that is not a solution?"""
    node = _node(cell)
    return (node.get("cell_type") == "code" and grade_id(node) is not None
            and bool(utils.is_grade(node)) and not utils.is_solution(node))


def points(cell: Mapping) -> float:
    """The points a graded cell is worth (0 for any other cell)."""
    return float(cell.get("metadata", {}).get("nbgrader", {}).get("points", 0) or 0)


def grade_ids(cells: Iterable[Mapping]) -> set[str]:
    """The grade ids of ``cells``, for cells nbgrader tracks."""
    return {gid for gid in map(grade_id, cells) if gid is not None}


def strip_markers(source: str) -> str:
    """Drop nbgrader's region markers, leaving what a student would write."""
    return _MARKER.sub("", source)


def reference_answers(nb: NotebookNode) -> dict[str, str]:
    """The instructor notebook's answers as a student would write them, by exercise grade id."""
    return {grade_id(c): strip_markers(c.source) for c in nb.cells if is_exercise(c)}


def restore_position(order: list[str], name: str, present: list[str | None]) -> int:
    """Where deleted cell ``name`` goes back: one rule for ``tfcourse check`` and grading.

    After the nearest earlier cell (in the instructor's ``order``) that is
    still present, else before the nearest later one, else at the end.

    Args:
        order: The grade ids of the instructor's notebook, in order.
        name: The grade id of the deleted cell.
        present: The grade id (or ``None``) of each cell of the student's notebook.

    Returns:
        The index to insert the restored cell at.

    >>> restore_position(["a", "b", "c"], "b", ["a", None, "c"])
    1
    >>> restore_position(["a", "b", "c"], "a", [None, "c"])
    1
    """
    at = order.index(name)
    for earlier in reversed(order[:at]):
        if earlier in present:
            return present.index(earlier) + 1
    for later in order[at + 1:]:
        if later in present:
            return present.index(later)
    return len(present)
