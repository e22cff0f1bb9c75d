"""Submissions that cannot be graded get a clear zero with the reason, and the batch goes on.

- ``TolerantNotebookExporter`` (``c.Autograde.exporter_class``): a submitted
  file that is not a readable notebook (invalid JSON, wrong format) becomes an
  empty notebook flagged "ungradable" with the reader's error. The deleted
  graded cells are put back, nothing runs, and every test scores zero.
- ``record_missing_notebooks`` (``c.Autograde.pre_convert_hook``): when the
  expected notebook is missing (for example renamed), each of its grades is
  set to zero, with the file names found, before nbgrader reports the error.

A wrong kernel needs nothing here: ``OverwriteKernelspec`` restores the
instructor's kernelspec, so the notebook is graded normally.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbgrader.api import Gradebook, MissingEntry

from autograder import findings

RESOURCE = "tfcourse_ungradable"


class TolerantNotebookExporter(NotebookExporter):
    """Read a submitted notebook; an unreadable one becomes an empty notebook marked ungradable."""

    def from_file(self, file_stream, resources=None, **kw):
        try:
            nb = nbformat.read(file_stream, as_version=4)
        except Exception as error:  # any reader failure: JSON, schema, encoding
            self.log.error("Ungradable notebook %s: %s", getattr(file_stream, "name", "?"), error)
            nb = nbformat.v4.new_notebook()
            resources = resources if resources is not None else {}
            resources[RESOURCE] = f"ungradable: the file is not a readable notebook ({type(error).__name__}: " \
                                  f"{str(error)[:200]})"
        return self.from_notebook_node(nb, resources=resources, **kw)


def flag_if_ungradable(nb, resources) -> None:
    """Turn the exporter's mark into a flag on the notebook (called by the sanitize step)."""
    reason = (resources or {}).get(RESOURCE)
    if reason:
        findings.record(nb, "flags", reason)


def _db_url(notebooks: list[str]) -> str | None:
    """The running nbgrader app's gradebook, else the default one of the course root the files are in."""
    from traitlets.config import Application

    app = Application.instance() if Application.initialized() else None
    while app is not None:
        coursedir = getattr(app, "coursedir", None)
        if coursedir is not None:
            return coursedir.db_url
        app = getattr(app, "subapp", None)
    if not notebooks:
        return None
    database = Path(notebooks[0]).resolve().parents[3] / "gradebook.db"
    return f"sqlite:///{database}" if database.exists() else None


def record_missing_notebooks(assignment: str, student: str, notebooks: list[str]) -> None:
    """Zero, with a comment naming the files found, every notebook of the submission that is missing.

    nbgrader passes the command line's patterns as ``assignment`` and
    ``student`` (``*`` when grading everyone), so both are read from the
    submitted files' paths: ``submitted/<student>/<assignment>/<file>``.
    """
    db_url = _db_url(notebooks)
    if db_url is None or not notebooks:
        return
    folder = Path(notebooks[0]).parent
    assignment, student = folder.name, folder.parent.name
    found = sorted(Path(p).name for p in notebooks)
    with Gradebook(db_url) as gb:
        try:
            expected = gb.find_assignment(assignment).notebooks
        except MissingEntry:
            return
        missing = [n for n in expected if f"{n.name}.ipynb" not in found]
        if not missing:
            return
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        for notebook in missing:
            text = (f"{findings.FLAG} ungradable: no file named {notebook.name}.ipynb was submitted "
                    f"(found: {', '.join(found) or 'no notebooks'}); rename it and grade again.")
            submission = gb.find_submission_notebook(notebook.name, assignment, student)
            for grade in submission.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
            for comment in submission.comments:
                comment.auto_comment = text
        gb.db.commit()
