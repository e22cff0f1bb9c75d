"""``tfcourse start``: a student's own copy of the course notebooks, in a folder they own.

The notebooks come from the installed package (or the clone's course/).
A notebook already in the folder is the student's work: it is never
overwritten, only reported.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder import paths

DEFAULT_FOLDER = "tf-course"


@dataclass
class StartReport:
    folder: Path
    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def next_steps(self) -> str:
        first = sorted(self.copied + self.kept)[0] if self.copied or self.kept else "01-training-steps"
        return (f"next: cd {self.folder} && jupyter lab\n"
                f"then, to check your answers: tfcourse check {first[:2]} {self.folder / first / f'{first}.ipynb'}")


def start(folder: str | Path = DEFAULT_FOLDER) -> StartReport:
    """Copy each assignment's student notebook to ``folder/NN-name/NN-name.ipynb``.

    Args:
        folder: Where to put them. Defaults to ``tf-course`` in the current folder.

    Returns:
        A ``StartReport``: what was copied, what was already there and kept.

    >>> print(start("~/tf-course").next_steps())  # doctest: +SKIP
    """
    target = Path(folder).expanduser().resolve()
    report = StartReport(target)
    for assignment in sorted(p.name for p in paths.COURSE.iterdir() if p.is_dir() and p.name[:2].isdigit()):
        dest = target / assignment / f"{assignment}.ipynb"
        if dest.exists():
            report.kept.append(assignment)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.COURSE / assignment / f"{assignment}.ipynb", dest)
        report.copied.append(assignment)
    return report
