"""``tfcourse import``: students' notebooks from a folder or a zip (as LMS downloads come) into submitted/.

Each notebook lands at ``submitted/STUDENT/ASSIGNMENT/ASSIGNMENT.ipynb``, where
nbgrader's autograde looks for it. The student comes from the file's name
or folder, in the shapes learning platforms produce:

- Moodle: ``Jane Doe_1234_assignsubmission_file_/anything.ipynb`` -> ``jane-doe``
- Canvas: ``doejane_LATE_1234_5678_anything.ipynb`` -> ``doejane``
- one folder per student: ``jane/anything.ipynb`` -> ``jane``
- flat: ``jane_01-training-steps.ipynb`` or ``01-training-steps-jane.ipynb`` -> ``jane``

The assignment comes from the notebook's own graded cells (their ids start
with the notebook number), checked against the file's name and ``--assignment``.
Whatever cannot be placed with certainty is reported, never guessed.

Two things travel with each submission, for the way back to the LMS:

- its time, in ``timestamp.txt`` beside the notebook, where nbgrader's
  autograde reads it and computes lateness against the assignment's due date
  (``tfcourse release --due``): the file's time, which for a zip is the entry's
  time (read as UTC, as LMS servers write them). Canvas's ``_LATE_`` marker is
  recorded too.
- the LMS's id of the student (Canvas's user id, Moodle's participant id), in
  ``<root>/lms_ids.json``, which ``tfcourse export`` uses to match grades.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder.cells import grade_ids
from autograder.paths import assignments as known_assignments
from autograder.paths import course_root, resolve_assignment

MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_\w*$")
CANVAS = re.compile(r"^(?P<login>[A-Za-z0-9.\-]+?)(?P<late>_LATE)?_(?P<id>\d+)_\d+_")
LMS_IDS = "lms_ids.json"
SKIP = ("__MACOSX", ".ipynb_checkpoints")


@dataclass
class ImportReport:
    """What was placed where, and what was not placed and why."""

    placed: list[tuple[str, str, str]] = field(default_factory=list)  # (file, student, assignment)
    replaced: list[str] = field(default_factory=list)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def slug(text: str) -> str:
    """A student id safe for folder names: ``"Jane Doe"`` -> ``"jane-doe"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _gradebook_assignments(root: Path) -> set[str]:
    """Assignments the course root's gradebook knows (an instructor may add their own)."""
    if not (root / "gradebook.db").exists() and not os.environ.get("TFCOURSE_DB"):
        return set()
    from nbgrader.api import Gradebook

    from autograder.nbgrader_api import open_api

    api = open_api(root)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        return {a.name for a in gb.assignments}


def _grade_ids(nb: dict) -> set[str]:
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    return grade_ids(c for c in cells if isinstance(c, dict))


def _content_assignment(nb: dict, known: list[str]) -> str | None:
    numbers = {gid[:2] for gid in _grade_ids(nb)}
    matches = [a for a in known if a[:2] in numbers]
    return matches[0] if len(matches) == 1 else None


def _named_assignment(rel: Path, known: list[str]) -> str | None:
    named = [a for a in known if a in str(rel)]
    return max(named, key=len) if named else None


def lms_record(rel: Path) -> dict | None:
    """The LMS's own id of the student whose file this is, or None for names no LMS made.

    >>> lms_record(Path("doejane_LATE_1234_5678_nb.ipynb"))
    {'lms': 'canvas', 'id': '1234', 'name': 'doejane', 'late': True}
    """
    for part in rel.parts[:-1]:
        if m := MOODLE.match(part):
            return {"lms": "moodle", "id": m["id"], "name": m["name"]}
    if m := CANVAS.match(rel.name):
        return {"lms": "canvas", "id": m["id"], "name": m["login"], "late": bool(m["late"])}
    return None


def load_lms_ids(root: Path) -> dict[str, dict]:
    """``{student: {"lms": ..., "id": ..., "name": ...}}`` as imports recorded them in ``root``."""
    path = root / LMS_IDS
    return json.loads(path.read_text()) if path.is_file() else {}


def write_timestamp(folder: Path, source: Path) -> str:
    """Write nbgrader's ``timestamp.txt`` in ``folder`` from ``source``'s modification time; return it."""
    when = datetime.fromtimestamp(source.stat().st_mtime, timezone.utc)
    text = when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    (folder / "timestamp.txt").write_text(text)
    return text


def _student(rel: Path, assignment: str | None, known: list[str]) -> str | None:
    for part in rel.parts[:-1]:
        if m := MOODLE.match(part):
            return slug(m["name"])
    if m := CANVAS.match(rel.name):
        return slug(m["login"])
    if len(rel.parts) > 1 and rel.parts[0] not in known:
        return slug(rel.parts[0])
    stem = rel.stem.replace(assignment, "") if assignment else rel.stem
    return slug(stem) or None


def _unpack(source: Path, scratch: Path) -> Path:
    if source.is_dir():
        return source
    if not zipfile.is_zipfile(source):
        raise ValueError(f"{source} is neither a folder nor a zip file: pass the LMS download")
    with zipfile.ZipFile(source) as archive:
        archive.extractall(scratch)
        for info in archive.infolist():  # extractall drops the entries' times: the submission times
            when = datetime(*info.date_time, tzinfo=timezone.utc).timestamp()
            target = scratch / info.filename
            if target.is_file():
                os.utime(target, (when, when))
    tops = [p for p in scratch.iterdir() if p.name not in SKIP]
    only = tops[0] if len(tops) == 1 and tops[0].is_dir() else None
    return only if only and not MOODLE.match(only.name) else scratch


def import_submissions(
    source: str | Path, root: str | Path | None = None, assignment: str | None = None
) -> ImportReport:
    """Copy students' notebooks into ``<root>/submitted/``.

    Args:
        source: A folder or a ``.zip`` of notebooks.
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        assignment: The assignment every notebook belongs to (``"01"`` or the
            id). Defaults to telling from each notebook.

    Returns:
        An ``ImportReport``; nothing is placed for a file it lists as unplaced.

    >>> import_submissions("downloads.zip", "classroom", "01")  # doctest: +SKIP
    """
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist: pass the folder or zip of submissions")
    resolved = course_root(root)
    known = sorted(set(known_assignments()) | _gradebook_assignments(resolved))
    if assignment and assignment not in known:
        assignment = resolve_assignment(assignment)
    report = ImportReport()
    submitted = resolved / "submitted"
    with tempfile.TemporaryDirectory(prefix="tfcourse-import-") as scratch:
        base = _unpack(source, Path(scratch))
        found: dict[tuple[str, str], list[Path]] = defaultdict(list)
        ids = load_lms_ids(resolved)
        for path in sorted(base.rglob("*.ipynb")):
            rel = path.relative_to(base)
            if any(part in SKIP or part.startswith(".") for part in rel.parts):
                continue
            placed = _place(path, rel, known, assignment, report)
            if placed:
                found[placed].append(path)
        for (student, target), paths in sorted(found.items()):
            names = [str(p.relative_to(base)) for p in paths]
            if len(paths) > 1:
                for name in names:
                    report.unplaced.append((name, f"{len(paths)} files for {student}/{target}: "
                                                  f"{', '.join(names)}; keep one and import again"))
                continue
            dest = submitted / student / target / f"{target}.ipynb"
            if dest.exists():
                report.replaced.append(f"{student}/{target}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paths[0], dest)
            write_timestamp(dest.parent, paths[0])
            if record := lms_record(Path(names[0])):
                ids[student] = record
            report.placed.append((names[0], student, target))
        if ids:
            resolved.mkdir(parents=True, exist_ok=True)
            (resolved / LMS_IDS).write_text(json.dumps(ids, indent=1, sort_keys=True) + "\n")
    return report


def _place(path: Path, rel: Path, known: list[str], assignment: str | None,
           report: ImportReport) -> tuple[str, str] | None:
    """(student, assignment) for one file, or None after noting why it cannot be placed."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        report.unplaced.append((str(rel), "not a readable notebook (damaged or not JSON)"))
        return None
    inside = _content_assignment(nb, known)
    named = _named_assignment(rel, known)
    if assignment and inside and inside != assignment:
        report.unplaced.append((str(rel), f"holds {inside}'s exercises, not {assignment}'s"))
        return None
    if assignment and not inside and _grade_ids(nb):
        report.unplaced.append((str(rel), f"holds none of {assignment}'s exercises"))
        return None
    if not assignment and inside and named and inside != named:
        report.unplaced.append((str(rel), f"named for {named} but holds {inside}'s exercises"))
        return None
    target = assignment or inside or named
    if target is None:
        report.unplaced.append((str(rel), "cannot tell which assignment it is: pass --assignment NN"))
        return None
    student = _student(rel, named or target, known)
    if not student:
        report.unplaced.append((str(rel), "no student name in the file or folder name"))
        return None
    return student, target
