"""Turn what the grading defences found into grades and gradebook comments.

The other preprocessors record their findings in the notebook's metadata
(``record``): *flags* (the submission tampered with grading: every test cell
is held at zero) and *notes* (something the instructor should know: a
duplicated cell, a kernel that died and why). ``RecordVerdict`` runs after
``SaveAutoGrades``. It zeroes the test cells of a flagged notebook, with an
error output that says why, and writes every flag and note as a comment on the
exercise cells in the gradebook, where the formgrader and ``read_findings``
show them. A flagged notebook is never left in "needs manual grade": its
grade is zero until an instructor overrides it.
"""
from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

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
    return list(nb.metadata.get(KEY, {}).get(kind, []))


def exercise_of(nb: NotebookNode, cell_index: int | None) -> str | None:
    """The grade id of the exercise cell a cell belongs to: the last one above it, else the first."""
    exercises = [(i, c.metadata["nbgrader"]["grade_id"]) for i, c in enumerate(nb.cells) if utils.is_solution(c)]
    if not exercises:
        return None
    if cell_index is None:
        return exercises[0][1]
    above = [gid for i, gid in exercises if i <= cell_index]
    return above[-1] if above else exercises[0][1]


def is_test(cell: NotebookNode) -> bool:
    return (cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)
            and "grade_id" in cell.metadata["nbgrader"])


def error_output(ename: str, evalue: str) -> NotebookNode:
    return from_dict({"output_type": "error", "ename": ename, "evalue": evalue,
                      "traceback": [f"{ename}: {evalue}"]})


class RecordVerdict(NbGraderPreprocessor):
    """Hold flagged notebooks at zero and put every flag and note in the gradebook."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        flags, notes = findings(nb, "flags"), findings(nb, "notes")
        if not flags and not notes:
            return nb, resources
        summary = "; ".join(dict.fromkeys(f["text"] for f in flags))
        who = f"{info['student']}/{info['assignment']}/{info['notebook']}"
        if flags:
            self.log.warning("FLAGGED %s: every test held at zero: %s", who, summary)
        for note in notes:
            self.log.warning("NOTE %s: %s", who, note["text"])
        with Gradebook(info["db_url"]) as gb:
            if flags:
                for cell in nb.cells:
                    if is_test(cell):
                        cell.outputs.append(error_output("GradingHeld", f"held at zero by an integrity flag: {summary}"))
                submission = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                for grade in submission.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
            for cell in gb.find_notebook(info["notebook"], info["assignment"]).solution_cells:
                self._comment(gb, cell.name, info, flags, notes)
            gb.db.commit()
        return nb, resources

    def _comment(self, gb: Gradebook, gid: str, info: dict, flags: list, notes: list) -> None:
        lines = [f"{FLAG} {f['text']}" for f in flags]
        if flags:
            lines.append(f"{FLAG} every test in this notebook is held at zero; review the code and "
                         "give points by hand in the formgrader if this is a false positive.")
        lines += [f"{NOTE} {n['text']}" for n in notes if n["exercise"] in (gid, None)]
        if not lines:
            return
        comment = gb.find_comment(gid, info["notebook"], info["assignment"], info["student"])
        comment.auto_comment = "\n".join([*(([comment.auto_comment]) if comment.auto_comment else []), *lines])


def read_findings(gb: Gradebook, assignment: str, notebook: str, student: str) -> list[str]:
    """The flags and notes the grader left for one submitted notebook, for a grade report."""
    found: list[str] = []
    submission = gb.find_submission_notebook(notebook, assignment, student)
    for comment in submission.comments:
        for line in (comment.auto_comment or "").splitlines():
            if line.startswith((FLAG, NOTE)) and line not in found:
                found.append(line)
    return found
