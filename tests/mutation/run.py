"""One mutation run: choose notebooks and exercises, make their mutants, grade them, collect the results."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterator

from tests import harness
from tests.mutation.mutants import make_mutants
from tests.mutation.runner import LIMIT_FACTOR, MIN_LIMIT, Grader

ROOT = Path(__file__).resolve().parents[2]


def check_worktree() -> None:
    """Refuse to run when ``helpers`` or ``autograder`` come from another checkout than these tests.

    Raises:
        RuntimeError: naming the package and where it was imported from. Run
            from the worktree's root (``python -m tests.mutation``), where
            ``pyproject.toml``'s ``pythonpath`` puts that worktree first.
    """
    import autograder
    import helpers

    for package in (helpers, autograder):
        where = Path(package.__file__).resolve()
        if ROOT not in where.parents:
            raise RuntimeError(f"{package.__name__} was imported from {where}, not from {ROOT}: "
                               f"run `python -m tests.mutation` from {ROOT}")


def select(selection: list[str]) -> dict[str, list[str] | None]:
    """``{assignment: exercise ids, or None for all}`` for command-line words like ``02``, ``02-fit`` or ``02_train``.

    Raises:
        SystemExit: for a word that names no notebook and no exercise.
    """
    chosen: dict[str, list[str] | None] = {}
    if not selection:
        return {a: None for a in harness.ALL_ASSIGNMENTS}
    for word in selection:
        notebooks = [a for a in harness.assignments() if a.startswith(word)]
        exercise_of = [a for a in harness.assignments() if word.startswith(a[:3].replace("-", "_"))]
        if notebooks:
            chosen.update({a: None for a in notebooks})
        elif exercise_of:
            current = chosen.setdefault(exercise_of[0], [])
            if current is not None:
                current.append(word)
        else:
            raise SystemExit(f"{word!r} names no notebook (like 02) and no exercise (like 02_train)")
    return chosen


def machine() -> str:
    """Cores and load, for the report: timings on a busy machine are upper bounds."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load {load:.1f}"


def grade_exercise(grader: Grader, exercise: str, progress: Callable[[str], None]) -> dict:
    """Every mutant of one exercise, graded: counts, survivors and timings."""
    cell_source = grader.exercises[exercise]
    start = time.monotonic()
    reference = grader.grade(exercise, cell_source, limit=max(MIN_LIMIT, 600.0))
    if reference.killed:
        raise RuntimeError(f"the reference answer to {exercise} fails its own tests ({reference.by})")
    limit = max(MIN_LIMIT, LIMIT_FACTOR * reference.seconds)
    killed, timeouts, survivors = 0, 0, []
    mutants = make_mutants(exercise, cell_source)
    for mutant in mutants:
        verdict = grader.grade(exercise, mutant.source, limit)
        killed += verdict.killed
        timeouts += verdict.by == "timeout"
        if not verdict.killed:
            survivors.append({"id": mutant.id, "operator": mutant.operator, "diff": mutant.diff})
    seconds = time.monotonic() - start
    progress(f"  {exercise}: {len(mutants)} mutants, {killed} killed, {len(survivors)} survived ({seconds:.0f} s)")
    return {"made": len(mutants), "killed": killed, "timeouts": timeouts, "survivors": survivors,
            "reference_seconds": round(reference.seconds, 2), "limit": round(limit, 1), "seconds": round(seconds, 1)}


def run_assignments(
    chosen: dict[str, list[str] | None], progress: Callable[[str], None] = lambda _: None
) -> Iterator[tuple[str, dict]]:
    """``(assignment, {"exercises": {id: entry}, "seconds", "cpu_seconds", "notebook_seconds", "machine", "partial"})``
    for each chosen notebook, as soon as its mutants are graded."""
    for assignment, exercises in chosen.items():
        start, cpu = time.monotonic(), time.process_time()
        progress(f"{assignment}: executing the solution notebook once")
        known = list(harness.reference_answers(assignment))
        unknown = sorted(set(exercises or ()) - set(known))
        if unknown:
            raise SystemExit(f"{assignment} has no exercise {', '.join(unknown)}")
        wanted = exercises or known
        grader = Grader(assignment, wanted)
        entries = {exercise: grade_exercise(grader, exercise, progress) for exercise in wanted}
        yield assignment, {
            "exercises": entries, "partial": exercises is not None, "machine": machine(),
            "notebook_seconds": round(grader.seconds, 1), "seconds": round(time.monotonic() - start, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
        }
        del grader
