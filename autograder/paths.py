"""Where the course's folders are: the repository's solutions/ and course/, and the course root.

The course root holds everything a class produces (submissions, autograded
copies, feedback, the gradebook). It is never the package tree:

- ``--course-root`` on the command line, else
- the ``TFCOURSE_ROOT`` environment variable, else
- ``classroom/`` in the repository (git-ignored).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"
CONFIG = REPO / "autograder" / "nbgrader_config.py"
DEFAULT_COURSE_ROOT = REPO / "classroom"
COURSE_ID = "tf-training-process"

_ASSIGNMENT = re.compile(r"^\d\d-[a-z0-9-]+$")


def course_root(explicit: str | os.PathLike | None = None) -> Path:
    """The course root: ``explicit``, else ``$TFCOURSE_ROOT``, else ``classroom/``."""
    chosen = explicit or os.environ.get("TFCOURSE_ROOT") or DEFAULT_COURSE_ROOT
    return Path(chosen).expanduser().resolve()


def assignments() -> list[str]:
    """Assignment ids (``01-training-steps``, ...) in course order, from solutions/."""
    return sorted(
        p.name for p in SOLUTIONS.iterdir() if p.is_dir() and _ASSIGNMENT.match(p.name)
    )


def resolve_assignment(name: str) -> str:
    """Turn ``"1"``, ``"01"`` or a full id into the assignment id.

    Raises:
        ValueError: no such assignment; the message lists the known ones.
    """
    known = assignments()
    if name in known:
        return name
    if name.isdigit():
        for assignment in known:
            if assignment.startswith(f"{int(name):02d}-"):
                return assignment
    raise ValueError(
        f"unknown assignment {name!r}; choose one of: {', '.join(known)} (or a number like 01)"
    )


def write_course_root_config(root: Path) -> Path:
    """Create ``root`` with an ``nbgrader_config.py`` that loads the course's config.

    With it, plain ``nbgrader`` commands and the formgrader work when started
    from the course root.
    """
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    text = (
        "# Written by tfcourse: this course root uses the course's nbgrader settings.\n"
        f"load_subconfig({str(CONFIG)!r})\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
    )
    if not config.exists() or config.read_text() != text:
        config.write_text(text)
    return config
