"""``tfcourse release``: regenerate course/ from solutions/ with nbgrader's generate_assignment.

``--due DATE`` also sets the assignment's due date in the gradebook, against
which nbgrader's autograde computes each submission's lateness (from its
``timestamp.txt``) and applies the late policy (``LateSubmissionPlugin``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.utils import parse_utc

from autograder.nbgrader_api import cause, open_api
from autograder import paths
from autograder.paths import assignments, resolve_assignment


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment; the message says why."""


def release(
    which: str = "all", root: str | Path | None = None, release_dir: str | Path | None = None,
    due: str | None = None,
) -> list[str]:
    """Regenerate the student notebooks in course/ from solutions/.

    Args:
        which: An assignment (``"01"`` or ``"01-training-steps"``) or
            ``"all"``. Defaults to ``"all"``.
        root: The course root holding the gradebook. Defaults to the
            documented default (see ``autograder.paths``).
        release_dir: Where to write the student notebooks. Defaults to the
            repository's course/.

    Returns:
        The assignment ids released.

    Raises:
        ReleaseError: nbgrader failed; the message includes its log.
    """
    chosen = assignments() if which == "all" else [resolve_assignment(which)]
    if due:
        parse_due(due)  # a mistyped date is refused before anything is regenerated
    api = open_api(root)
    out = Path(release_dir) if release_dir else paths.COURSE
    api.coursedir.release_directory = str(out)
    for assignment in chosen:
        target = out / assignment
        if target.exists():
            shutil.rmtree(target)
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise ReleaseError(f"nbgrader could not generate {assignment}: {cause(result)}")
    if due:
        set_due_date(chosen, due, api.coursedir.db_url, api.coursedir.course_id)
    return chosen


def parse_due(due: str):
    """``due`` as naive UTC, as nbgrader stores due dates.

    >>> parse_due("2026-12-08 23:59 Europe/Paris")
    datetime.datetime(2026, 12, 8, 22, 59)
    """
    try:
        return parse_utc(due)
    except (ValueError, OverflowError):
        raise ValueError(f"--due {due!r} is not a date: write e.g. '2026-12-08 23:59' (UTC) "
                         "or '2026-12-08 23:59 Europe/Paris'") from None


def set_due_date(chosen: list[str], due: str, db_url: str, course_id: str):
    """Set each assignment's due date in the gradebook; return it as naive UTC (nbgrader's way).

    Raises:
        ValueError: ``due`` is not a date.
    """
    when = parse_due(due)
    with Gradebook(db_url, course_id) as gb:
        for assignment in chosen:
            gb.update_or_create_assignment(assignment, duedate=when)
    return when
