"""``tfcourse release``: regenerate course/ from solutions/ with nbgrader's generate_assignment."""
from __future__ import annotations

import shutil
from pathlib import Path

from autograder.nbgrader_api import log_of, open_api
from autograder.paths import COURSE, assignments, resolve_assignment


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment; the message holds its log."""


def release(
    which: str = "all", root: str | Path | None = None, release_dir: str | Path | None = None
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
    api = open_api(root)
    out = Path(release_dir) if release_dir else COURSE
    api.coursedir.release_directory = str(out)
    for assignment in chosen:
        target = out / assignment
        if target.exists():
            shutil.rmtree(target)
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise ReleaseError(f"nbgrader could not generate {assignment}:\n{log_of(result)}")
    return chosen
