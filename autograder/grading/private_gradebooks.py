"""Private gradebooks for parallel grading, and merging their results into the real one.

SQLite allows one writer at a time, so parallel ``nbgrader autograde`` runs on
one gradebook fail with "database is locked". ``tfcourse grade`` instead gives
each submission a private SQLite gradebook that holds only what nbgrader's
autograde reads (the assignment's cells, and the student's manual scores and
extension, if any), and one process copies the results back: the same fields,
with the same values, that nbgrader's ``SaveAutoGrades`` and
``AssignLatePenalties`` would have written. The real gradebook may be any
database nbgrader accepts.
"""
from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import text
from sqlalchemy.exc import SAWarning


def create_like(source: Gradebook, path: Path) -> None:
    """Start an SQLite gradebook at ``path`` with ``source``'s schema version.

    ``Gradebook()`` on a new database runs ``alembic heads`` in a subprocess
    to learn that version (about 3 s); copying it from ``source`` instead
    leaves the same database. Open it with ``Gradebook`` to create the tables.
    """
    version = source.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version is None:
        return  # nbgrader will look it up itself
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (version,))
    db.close()


def copy_assignment(source: Gradebook, target: Gradebook, assignment: str) -> None:
    """Copy ``assignment``'s structure (notebooks and cells, not submissions) into ``target``."""
    found = source.find_assignment(assignment)
    target.update_or_create_assignment(assignment, duedate=found.duedate)
    for nb in found.notebooks:
        target.update_or_create_notebook(nb.name, assignment, kernelspec=nb.kernelspec)
        for cell in nb.grade_cells:
            target.update_or_create_grade_cell(
                cell.name, nb.name, assignment, max_score=cell.max_score, cell_type=cell.cell_type
            )
        for cell in nb.solution_cells:
            target.update_or_create_solution_cell(cell.name, nb.name, assignment)
        for cell in nb.task_cells:
            target.update_or_create_task_cell(
                cell.name, nb.name, assignment, max_score=cell.max_score, cell_type=cell.cell_type
            )
        for cell in nb.source_cells:
            target.update_or_create_source_cell(
                cell.name, nb.name, assignment, cell_type=cell.cell_type,
                locked=cell.locked, source=cell.source, checksum=cell.checksum,
            )


def seed_submission(source: Gradebook, target: Gradebook, assignment: str, student: str) -> None:
    """Give ``target`` the state of an earlier submission, which autograde reads and keeps.

    nbgrader keeps a grader's manual scores and comments, and marks such cells
    for review; a late penalty depends on the student's extension. Without an
    earlier submission there is nothing to copy.
    """
    try:
        old = source.find_submission(assignment, student)
    except MissingEntry:
        return
    target.update_or_create_student(student)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        target.update_or_create_submission(assignment, student, extension=old.extension)
    for old_nb in old.notebooks:
        mirror_notebook(old_nb, target, assignment, student)
    target.db.commit()


def merge_submission(worker: Gradebook, target: Gradebook, assignment: str, student: str) -> None:
    """Write the autograde results for one submission from ``worker`` into ``target``."""
    graded = worker.find_submission(assignment, student)
    target.update_or_create_student(student)
    with warnings.catch_warnings():  # nbgrader's add_submission autoflushes; autograde warns the same
        warnings.simplefilter("ignore", SAWarning)
        if graded.timestamp is not None:
            target.update_or_create_submission(assignment, student, timestamp=graded.timestamp)
        else:
            target.update_or_create_submission(assignment, student)
    for graded_nb in graded.notebooks:
        mirror_notebook(graded_nb, target, assignment, student)
    target.db.commit()


#: What autograde (nbgrader's preprocessors and ours) may write, per row type;
#: a private gradebook is seeded with the same fields, so copying them back
#: verbatim gives what a serial run would have left.
NOTEBOOK_FIELDS = ("flagged", "late_submission_penalty")
GRADE_FIELDS = ("auto_score", "manual_score", "extra_credit", "needs_manual_grade")
COMMENT_FIELDS = ("auto_comment", "manual_comment")


def mirror_notebook(source_nb, target: Gradebook, assignment: str, student: str) -> None:
    """Copy one submitted notebook's grade, comment and flag fields into ``target`` (no commit)."""
    nb = target.find_submission_notebook(source_nb.name, assignment, student)
    for name in NOTEBOOK_FIELDS:
        setattr(nb, name, getattr(source_nb, name))
    for source in source_nb.grades:
        grade = target.find_grade(source.name, source_nb.name, assignment, student)
        for name in GRADE_FIELDS:
            setattr(grade, name, getattr(source, name))
    for source in source_nb.comments:
        comment = target.find_comment(source.name, source_nb.name, assignment, student)
        for name in COMMENT_FIELDS:
            setattr(comment, name, getattr(source, name))


def dump(gradebook: Gradebook) -> dict:
    """Every submission's grades and comments, keyed by names: for comparing two gradebooks."""
    out = {}
    for assignment in gradebook.assignments:
        for sub in assignment.submissions:
            for nb in sub.notebooks:
                key = (assignment.name, sub.student_id, nb.name)
                out[key] = {
                    "timestamp": sub.timestamp,
                    "late_penalty": nb.late_submission_penalty,
                    "flagged": nb.flagged,
                    "grades": {
                        g.name: (g.auto_score, g.manual_score, g.needs_manual_grade, g.max_score)
                        for g in nb.grades
                    },
                    "comments": {c.name: (c.auto_comment, c.manual_comment) for c in nb.comments},
                }
    return out
