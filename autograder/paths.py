"""Where the course's folders are: solutions/ and course/, and the course root.

solutions/ (the instructor notebooks) and course/ (the student notebooks):

- in a clone (or an editable install), the repository's own folders;
- in an installed wheel, the copies it installed as data files, in
  ``{sys.prefix}/share/tfcourse/`` (see ``pyproject.toml``);
- ``--source DIR`` (``$TFCOURSE_SOURCE``): an instructor's own edited copy of
  solutions/; its student notebooks are then generated into the course root's
  ``release/`` (``$TFCOURSE_RELEASE``), never over the shipped ones.

The course root holds everything a class produces (submissions, autograded
copies, feedback, the gradebook). It is never the package tree:

- ``--course-root`` on the command line, else
- the ``TFCOURSE_ROOT`` environment variable, else
- ``classroom/`` in the repository (git-ignored).
"""
from __future__ import annotations

import os
import re
import site
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "autograder" / "nbgrader_config.py"
COURSE_ID = "tf-training-process"


def _shipped() -> Path:
    """The folder holding solutions/ and course/: the clone, else where the wheel put them."""
    if (REPO / "solutions").is_dir():
        return REPO
    for prefix in (sys.prefix, site.getuserbase()):
        if (Path(prefix) / "share" / "tfcourse" / "solutions").is_dir():
            return Path(prefix) / "share" / "tfcourse"
    return REPO  # nothing installed: messages will name the clone's folders


IN_CLONE = (REPO / "solutions").is_dir()
SOLUTIONS = Path(os.environ.get("TFCOURSE_SOURCE") or _shipped() / "solutions").expanduser().resolve()
COURSE = Path(os.environ.get("TFCOURSE_RELEASE") or _shipped() / "course").expanduser().resolve()
# A clone keeps its class in classroom/ (git-ignored); an installed package in the user's home.
DEFAULT_COURSE_ROOT = REPO / "classroom" if IN_CLONE else Path.home() / "tfcourse-classroom"


def use_source(source: str | os.PathLike, root: str | os.PathLike | None = None) -> None:
    """Use an instructor's edited copy of solutions/ (``--source``), in this process and its workers.

    The student notebooks generated from it go to ``<course root>/release``.

    Raises:
        FileNotFoundError: ``source`` holds no assignment folder.
    """
    global SOLUTIONS, COURSE
    folder = Path(source).expanduser().resolve()
    if not any(p.is_dir() and _ASSIGNMENT.match(p.name) for p in folder.glob("*")):
        raise FileNotFoundError(f"{folder} holds no assignment folder (NN-name/NN-name.ipynb): pass your "
                                "copy of solutions/")
    SOLUTIONS, COURSE = folder, course_root(root) / "release"
    os.environ["TFCOURSE_SOURCE"], os.environ["TFCOURSE_RELEASE"] = str(SOLUTIONS), str(COURSE)

_ASSIGNMENT = re.compile(r"^\d\d-[a-z0-9-]+$")


def course_root(explicit: str | os.PathLike | None = None) -> Path:
    """The course root: ``explicit``, else ``$TFCOURSE_ROOT``, else ``classroom/``."""
    chosen = explicit or os.environ.get("TFCOURSE_ROOT") or DEFAULT_COURSE_ROOT
    return Path(chosen).expanduser().resolve()


def assignments() -> list[str]:
    """Assignment ids (``01-training-steps``, ...) in course order, from solutions/."""
    if not SOLUTIONS.is_dir():
        raise FileNotFoundError(f"no solutions folder at {SOLUTIONS}: reinstall tfcourse, or pass --source DIR")
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
