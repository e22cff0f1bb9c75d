"""``tfcourse feedback``: one HTML page per student and assignment, with nbgrader's generate_feedback."""
from __future__ import annotations

from pathlib import Path

from autograder.nbgrader_api import open_api, require_success
from autograder.paths import course_root, resolve_assignment


def generate_feedback(
    which: str = "all", root: str | Path | None = None, student: str | None = None
) -> list[Path]:
    """Write ``<root>/feedback/STUDENT/ASSIGNMENT/*.html`` from the autograded notebooks.

    Args:
        which: ``"01"``, an assignment id, or ``"all"`` (every graded one).
            Defaults to ``"all"``.
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        student: Only this student. Defaults to everyone graded.

    Returns:
        The HTML files written.

    Raises:
        FileNotFoundError: nothing has been graded yet.
    """
    resolved = course_root(root)
    autograded = resolved / "autograded"
    graded = sorted({p.name for p in autograded.glob("*/*") if p.is_dir()})
    if not graded:
        raise FileNotFoundError(f"nothing is graded in {resolved}: run `tfcourse grade` first")
    chosen = graded if which == "all" else [which if which in graded else resolve_assignment(which)]
    api = open_api(resolved)
    for assignment in chosen:
        require_success(api.generate_feedback(assignment, student, force=True), f"write feedback for {assignment}")
    pattern = f"{student or '*'}/*/*.html"
    return sorted(p for p in (resolved / "feedback").glob(pattern) if p.parent.name in chosen)
