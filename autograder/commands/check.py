"""``tfcourse check``: a student runs a notebook's visible tests headless and reads one row per exercise.

The notebook runs in a fresh kernel (in the grading sandbox where there is
one: ``autograder.kernels.jail``) from top to bottom, carrying on past
errors, as "Restart and run all" would if nothing stopped it. Each exercise
(solution cell) owns the test cells that follow it. An exercise or test cell
deleted by mistake is put back from the released copy where the grader puts
it back (``autograder.cells.restore_position``), and said so.
Hidden tests are not in the student's copy: they run at grading time.
"""
from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from autograder.cells import grade_id, grade_ids, is_exercise, is_test, points, restore_position
from autograder import paths
from autograder.paths import resolve_assignment
from helpers.quiet import QUIET_ENV


@dataclass
class ExerciseResult:
    """One exercise's row: did its visible tests pass, and what did they say?"""

    exercise: str
    points: float
    earned: float
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.earned == self.points


@dataclass
class CheckReport:
    notebook: Path
    rows: list[ExerciseResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(r.passed for r in self.rows)

    def table(self) -> str:
        width = max([len(r.exercise) for r in self.rows] + [8])
        lines = [f"{'exercise':<{width}}  result  points  message"]
        for r in self.rows:
            first, *rest = (r.message or "").splitlines() or [""]
            mark = "passed" if r.passed else "FAILED"
            lines.append(f"{r.exercise:<{width}}  {mark}  {r.earned:g}/{r.points:g}{'':<4}{first}")
            lines += [f"{'':<{width + 20}}{line}" for line in rest]
        earned, points = sum(r.earned for r in self.rows), sum(r.points for r in self.rows)
        lines.append(f"{'total':<{width}}  {'passed' if self.passed else 'FAILED'}  {earned:g}/{points:g}")
        return "\n".join([*(f"note: {n}" for n in self.notes), *lines])


def read_student_notebook(path: Path) -> NotebookNode:
    """Read a notebook, or say in one line why it cannot be read."""
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}: pass the path of your copy")
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as exc:  # nbformat raises several types for a damaged file
        raise ValueError(
            f"{path} is not a readable notebook ({type(exc).__name__}): "
            "restore it from a backup, or start again from the course/ copy"
        ) from None


def _restore_deleted_cells(nb: NotebookNode, released: NotebookNode) -> list[str]:
    """Put back deleted exercise and test cells, where grading puts them back; returns their grade ids."""
    order = [grade_id(c) for c in released.cells if grade_id(c) is not None]
    restored = []
    for cell in released.cells:
        gid = grade_id(cell)
        present = [grade_id(c) for c in nb.cells]
        if (is_exercise(cell) or is_test(cell)) and gid not in present:
            nb.cells.insert(restore_position(order, gid, present), copy.deepcopy(cell))
            restored.append(gid)
    return restored


def _error(cell: NotebookNode) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


def _explain(error: dict) -> str:
    name, value = error.get("ename", "Error"), str(error.get("evalue", ""))
    if name == "NotImplementedError":
        return "not answered yet: replace `raise NotImplementedError()` with your code"
    if name in ("SyntaxError", "IndentationError"):
        return f"your answer has a {name}: {value}"
    return value if name in ("CheckFailed", "AssertionError") and value else f"{name}: {value}"


def summarise(nb: NotebookNode) -> list[ExerciseResult]:
    """One row per exercise of an executed notebook."""
    rows: list[ExerciseResult] = []
    answer_error: dict | None = None
    for cell in nb.cells:
        if is_exercise(cell) and cell.cell_type == "code":
            rows.append(ExerciseResult(grade_id(cell), 0.0, 0.0))
            answer_error = _error(cell)
        elif is_test(cell) and rows:
            row, worth = rows[-1], points(cell)
            row.points += worth
            error = _error(cell)
            if error is None:
                row.earned += worth
            elif not row.message:
                row.message = _explain(answer_error or error)
    return rows


def _kernel_manager() -> dict:
    """The grading kernel's sandbox (``autograder.kernels.jail``) where there is one: an instructor may be checking
    a student's notebook. Without one, a student checking their own notebook still can, with a warning."""
    from traitlets.config import Config

    from autograder.kernels import jail
    from autograder.kernels.manager import SandboxedKernelManager

    if not jail.unsafe():
        try:
            jail.require()
        except jail.SandboxUnavailable:
            print("tfcourse check: no sandbox here (bubblewrap): the notebook runs with your rights; check only "
                  "notebooks you trust", file=sys.stderr)
            return {}
    config = Config()
    config.SandboxedKernelManager.fork_server = False  # one notebook: a fork server would not pay for itself
    return {"kernel_manager_class": SandboxedKernelManager, "config": config}


def check(
    which: str, notebook: str | Path | None = None, timeout: int = 120,
    released: str | Path | None = None,
) -> CheckReport:
    """Run a notebook's visible tests in a fresh kernel.

    Args:
        which: The assignment, ``"01"`` or ``"01-training-steps"``.
        notebook: The notebook to check. Defaults to the course/ copy.
        timeout: Seconds a cell may run. Defaults to 120, as in grading.
        released: The released copy to restore deleted cells from. Defaults
            to the course/ copy of ``which``.

    Returns:
        A ``CheckReport``: ``report.table()`` is what the command prints.

    >>> print(check("01").table())  # doctest: +SKIP
    """
    assignment = which if released else resolve_assignment(which)
    release_path = Path(released) if released else paths.COURSE / assignment / f"{assignment}.ipynb"
    path = Path(notebook) if notebook else release_path
    nb = read_student_notebook(path)
    report = CheckReport(path)
    original = read_student_notebook(release_path)
    exercises = {grade_id(c) for c in original.cells if is_exercise(c)}
    if not grade_ids(nb.cells) & grade_ids(original.cells):
        raise ValueError(f"{path.name} has none of {assignment}'s exercises: is it another assignment's notebook?")
    for gid in _restore_deleted_cells(nb, original):
        kind = "exercise" if gid in exercises else "test"
        report.notes.append(f"{kind} cell {gid} was deleted; checked with the original from "
                            f"course/{assignment}/ (copy it back into your notebook)")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.update(QUIET_ENV)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.resolve().parent)}}, **_kernel_manager())
    client.execute()
    report.rows = summarise(nb)
    return report
