"""``tfcourse grade``: autograde in parallel (``autograder.grading``), draw a progress bar, then summarise.

The summary gives the counts, then each submission that failed to grade and
each one graded with problems, with its reason.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Sequence, TextIO

from autograder.grading.autograde import Outcome, default_workers, grade
from autograder.grading.progress import ProgressBar


def print_grade_summary(outcomes: Sequence[Outcome], seconds: float, workers: int | str,
                        stream: TextIO | None = None) -> None:
    """The end of ``tfcourse grade``: counts, then each failure and warning with its reason.

    Args:
        outcomes: What ``grade`` returned.
        seconds: How long grading took.
        workers: How many workers graded, or the Dask cluster that did.
        stream: Where to write. Defaults to ``sys.stdout``.
    """
    stream = stream or sys.stdout
    failed = [o for o in outcomes if not o.graded]
    noted = [o for o in outcomes if o.graded and o.problems]
    on = f"on Dask ({workers})" if isinstance(workers, str) else f"with {workers} worker(s)"
    print(f"graded {len(outcomes) - len(failed)} of {len(outcomes)} submission(s) in {seconds:.0f} s {on}",
          file=stream)
    for o in failed:
        print(f"  FAILED {o.student}/{o.assignment}: {', '.join(o.problems) or 'error'}: {o.detail}",
              file=stream)
    for o in noted:
        print(f"  graded with problems {o.student}/{o.assignment}: {', '.join(o.problems)} "
              f"(see its autograded notebook)", file=stream)


def grade_command(which: str, root: str | Path | None, students: Sequence[str] | None,
                  workers: int | None, force: bool, cluster: str | None = None) -> int:
    """Grade with a progress bar on stderr and a summary on stdout; the exit status.

    Args:
        which: An assignment or ``"all"``.
        root: The course root. ``None`` for the default.
        students: Only these students. ``None`` for everyone.
        workers: Grading workers. ``None`` for the number of cores.
        force: Regrade what is graded already.
        cluster: A Dask scheduler address or ``local:N`` (``autograder.grading.on_dask``).
            Defaults to ``None``: local workers.

    Returns:
        0 when everything was graded (or nothing needed grading), else 1.

    Raises:
        autograder.kernels.jail.SandboxUnavailable: no sandbox here (and no ``--unsafe-no-sandbox``).
    """
    from autograder.kernels import jail

    if not jail.unsafe():
        jail.require()  # SandboxUnavailable says what to install; nothing is graded
    workers = workers or default_workers()
    started = time.monotonic()
    outcomes = grade(which, root, students, workers, force, progress=ProgressBar(), cluster=cluster)
    if not outcomes:
        print("nothing to grade: every submission is graded already (use --force to regrade)")
        return 0
    print_grade_summary(outcomes, time.monotonic() - started, cluster or workers)
    return 1 if any(not o.graded for o in outcomes) else 0
