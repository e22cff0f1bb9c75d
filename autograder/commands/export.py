"""``tfcourse export``: grades from the gradebook in the file each LMS imports.

- ``canvas``: Canvas's gradebook CSV: ``Student, ID, SIS User ID, SIS Login ID,
  Section``, then one column per assignment. Canvas matches rows by ``ID``, its
  user id, which ``tfcourse import`` read from each file's name
  (``login_LATE_USERID_SUBMISSIONID_file``). Name a column as Canvas does
  (``Homework 1 (1234)``) with ``columns`` to fill an existing assignment.
- ``moodle``: the assignment's grading worksheet (Assignment > View all
  submissions > Grading action > Upload grading worksheet): ``Identifier``
  (``Participant ID``, from the ``Name_ID_assignsubmission_file_`` folder),
  ``Full name``, ``Grade``, ``Maximum Grade``; one assignment per file.
- ``csv``: one row per student and assignment, with score, maximum and late
  penalty (for any other system).

Scores are nbgrader's, after its late penalty. A student with no LMS id
recorded (their notebook did not come from that LMS's download) is left out
of a Canvas or Moodle file and reported.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.commands.import_ import load_lms_ids
from autograder.nbgrader_api import open_api
from autograder.paths import course_root, resolve_assignment

FORMATS = ("canvas", "moodle", "csv")
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["Identifier", "Full name", "Grade", "Maximum Grade"]


@dataclass
class Export:
    """The file written, and the students left out of it with why."""

    path: Path
    rows: int = 0
    left_out: list[str] = field(default_factory=list)


def _scores(gb: Gradebook, chosen: list[str]) -> dict[str, dict[str, tuple[float, float, float]]]:
    """``{student: {assignment: (score, max_score, late_penalty)}}`` for graded submissions."""
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for student in gb.students:
        for assignment in chosen:
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                continue
            out.setdefault(student.id, {})[assignment] = (sub.score, sub.max_score, sub.late_submission_penalty)
    return out


def _rows(fmt: str, scores: dict, chosen: list[str], ids: dict, export: Export) -> tuple[list[str], list[list]]:
    if fmt == "csv":
        rows = [[s, a, f"{v[0]:g}", f"{v[1]:g}", f"{v[2]:g}"] for s, by in sorted(scores.items())
                for a, v in sorted(by.items())]
        return ["student", "assignment", "score", "max_score", "late_penalty"], rows
    rows = []
    for student, by in sorted(scores.items()):
        record = ids.get(student)
        if not record or record.get("lms") != fmt:
            export.left_out.append(f"{student}: no {fmt} id recorded (import their {fmt} download)")
            continue
        if fmt == "canvas":
            rows.append([record["name"], record["id"], "", "", ""]
                        + [f"{by[a][0]:g}" if a in by else "" for a in chosen])
        else:
            score, top, _ = by[chosen[0]]
            rows.append([f"Participant {record['id']}", record["name"], f"{score:g}", f"{top:g}"])
    return [], rows


def export_grades(
    fmt: str, which: str = "all", root: str | Path | None = None, out: str | Path | None = None,
    columns: list[str] | None = None,
) -> Export:
    """Write the grades of ``which`` for ``fmt`` (``canvas``, ``moodle`` or ``csv``).

    Args:
        fmt: The LMS's format.
        which: ``"01"``, an assignment id or ``"all"`` (Moodle: one assignment).
            Defaults to ``"all"``.
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        out: The file to write. Defaults to ``<root>/exports/FMT-WHICH.csv``.
        columns: Canvas column titles, one per assignment. Defaults to the ids.

    Returns:
        An ``Export``: the path, the number of rows, and who was left out.

    >>> export_grades("canvas", "01", "classroom").path  # doctest: +SKIP
    PosixPath('classroom/exports/canvas-01-training-steps.csv')
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    resolved = course_root(root)
    api = open_api(resolved)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        known = [a.name for a in gb.assignments]
        chosen = known if which == "all" else [which if which in known else resolve_assignment(which)]
        if fmt == "moodle" and len(chosen) != 1:
            raise ValueError("a Moodle grading worksheet holds one assignment: pass one, e.g. `export 01`")
        scores = _scores(gb, chosen)
    if columns and len(columns) != len(chosen):
        raise ValueError(f"{len(columns)} column title(s) for {len(chosen)} assignment(s)")
    export = Export(Path(out) if out else resolved / "exports" / f"{fmt}-{which}.csv")
    header, rows = _rows(fmt, scores, chosen, load_lms_ids(resolved), export)
    header = header or (CANVAS_HEADER + (columns or chosen) if fmt == "canvas" else MOODLE_HEADER)
    export.path.parent.mkdir(parents=True, exist_ok=True)
    with export.path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    export.rows = len(rows)
    return export
