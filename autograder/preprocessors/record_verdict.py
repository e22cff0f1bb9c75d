"""Turn what the grading defences found into grades and gradebook comments.

The other preprocessors record their findings in the notebook's metadata
(``autograder.findings``): *flags* (the submission tampered with grading:
every test cell is held at zero) and *notes* (something the instructor should
know: a duplicated cell, a kernel that died and why). ``RecordVerdict`` runs after
``SaveAutoGrades``. It zeroes the test cells of a flagged notebook, with an
error output that says why, and writes every flag and note as a comment on the
exercise cells in the gradebook, where the formgrader and
``autograder.findings.read_findings`` show them. A flagged notebook is never
left in "needs manual grade": its grade is zero until an instructor overrides
it.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.cells import is_test
from autograder.findings import FLAG, NOTE, error_output, findings


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
