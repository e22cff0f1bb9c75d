"""``tfcourse grade``: autograde submissions in parallel, with the same results as serial nbgrader.

How it works:

1. Each submission (student x assignment) gets a private course root in a
   temporary folder: a copy of the submission and a small SQLite gradebook
   holding the assignment's cells (``autograder.grading.private_gradebooks``).
2. Worker processes (``autograder.grading.worker``, kept running by
   ``autograder.grading.worker_pool``) run nbgrader's own ``autograde``
   there, with the course's nbgrader settings and preprocessors.
3. This process alone writes the real gradebook: it merges each result as it
   arrives and moves the autograded notebooks into place. No two writers, so
   no "database is locked", at any number of workers.

A submission that fails to grade keeps whatever was graded before; the other
submissions are unaffected. Failures are reported with their reason.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from nbgrader.api import Gradebook

from autograder.grading import private_gradebooks
from autograder.grading.worker_pool import run_tasks
from autograder.nbgrader_api import last_error_line, log_of, open_api, require_success
from autograder.paths import assignments as known_assignments
from autograder.paths import course_root, resolve_assignment

#: What a grading log says, and the reason we report for it.
PROBLEMS = {
    "timeout": ("Timeout waiting for", "CellTimeoutError", "timed out"),
    "kernel died": ("DeadKernelError", "Kernel died", "kernel died"),
    "invalid notebook": (
        "NotJSONError", "does not appear to be JSON", "Unreadable Notebook", "NBFormatError",
        "ValidationError", "JSONDecodeError",
    ),
    "missing cells": ("Missing grade cell", "does not exist in the database"),
    "missing notebook": ("No submitted file", "No notebooks found"),
    "integrity flag": ("FLAGGED ",),  # the grading defences held the notebook at zero
}


@dataclass
class Outcome:
    """What happened to one submission."""

    assignment: str
    student: str
    graded: bool
    score: float | None = None
    max_score: float | None = None
    problems: list[str] = field(default_factory=list)
    detail: str = ""
    #: Per notebook: (seconds waited for the kernel before the first cell, how the kernel started).
    kernel_starts: list[tuple[float, str]] = field(default_factory=list)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def problems_in(text: str) -> list[str]:
    """The reasons (``timeout``, ``kernel died``, ...) that a grading log mentions."""
    return [reason for reason, marks in PROBLEMS.items() if any(m in text for m in marks)]


def _select(root: Path, which: str, gb: Gradebook) -> list[str]:
    in_gradebook = {a.name for a in gb.assignments}
    if which == "all":
        submitted = {p.name for p in (root / "submitted").glob("*/*") if p.is_dir()}
        return sorted(submitted & (in_gradebook | set(known_assignments())))
    if which in in_gradebook:
        return [which]
    return [resolve_assignment(which)]


def _ensure_in_gradebook(root: Path, chosen: Sequence[str], gb: Gradebook) -> None:
    """Add assignments the gradebook does not know yet, as ``nbgrader generate_assignment`` does."""
    missing = [a for a in chosen if a not in {x.name for x in gb.assignments}]
    if not missing:
        return
    api = open_api(root)
    api.coursedir.release_directory = str(root / "release")
    for assignment in missing:
        result = api.generate_assignment(assignment, force=True, create=True)
        require_success(result, f"add {assignment} to the gradebook")


def _wrong_assignment(folder: Path, assignment: str) -> str | None:
    """A note when the folder holds another assignment's notebook instead of this one's."""
    if (folder / f"{assignment}.ipynb").exists():
        return None
    others = sorted(p.name for p in folder.glob("*.ipynb") if p.stem in known_assignments())
    if others:
        return f"submission for another assignment: found {', '.join(others)}, expected {assignment}.ipynb"
    return None


class Grader:
    """Grades the submissions of one course root; see ``grade``."""

    def __init__(self, root: Path, gb: Gradebook, scratch: Path):
        self.root, self.gb, self.scratch = root, gb, scratch
        self.templates: dict[str, Path] = {}

    def _template(self, assignment: str) -> Path:
        if assignment not in self.templates:
            path = self.scratch / "templates" / f"{assignment}.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            private_gradebooks.create_like(self.gb, path)
            with Gradebook(f"sqlite:///{path}", self.gb.course_id) as target:
                private_gradebooks.copy_assignment(self.gb, target, assignment)
            self.templates[assignment] = path
        return self.templates[assignment]

    def prepare(self, task_id: int, assignment: str, student: str) -> dict:
        """A private course root for one submission, ready for a worker."""
        task_root = self.scratch / f"task-{task_id}"
        dest = task_root / "submitted" / student / assignment
        shutil.copytree(self.root / "submitted" / student / assignment, dest)
        shutil.copyfile(self._template(assignment), task_root / "gradebook.db")
        with Gradebook(f"sqlite:///{task_root / 'gradebook.db'}", self.gb.course_id) as target:
            private_gradebooks.seed_submission(self.gb, target, assignment, student)
        return {"id": task_id, "root": str(task_root), "config_root": str(self.root),
                "assignment": assignment, "student": student}

    def finish(self, task: dict, reply: dict) -> Outcome:
        """Merge a worker's result into the real gradebook and course root."""
        assignment, student = task["assignment"], task["student"]
        text = reply.get("log", "") + "\n" + reply.get("error", "")
        outcome = Outcome(assignment, student, bool(reply["success"]), problems=problems_in(text),
                          kernel_starts=[tuple(k) for k in reply.get("kernel_starts", [])])
        if reply.get("crashed"):
            outcome.problems.append("worker crashed")
        if not outcome.graded:
            outcome.detail = last_error_line(log_of(reply))
            return outcome
        task_root = Path(task["root"])
        written = task_root / "autograded" / student / assignment
        if not written.is_dir():
            outcome.graded, outcome.detail = False, "nbgrader reported success but wrote no autograded notebook"
            return outcome
        with Gradebook(f"sqlite:///{task_root / 'gradebook.db'}", self.gb.course_id) as worker:
            private_gradebooks.merge_submission(worker, self.gb, assignment, student)
        target = self.root / "autograded" / student / assignment
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(written), str(target))
        sub = self.gb.find_submission(assignment, student)
        outcome.score, outcome.max_score = sub.score, sub.max_score
        shutil.rmtree(task_root, ignore_errors=True)
        return outcome


def grade(
    which: str = "all",
    root: str | Path | None = None,
    students: Sequence[str] | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[int, int, Outcome], None] | None = None,
    cluster: str | None = None,
) -> list[Outcome]:
    """Autograde submissions in ``<root>/submitted/STUDENT/ASSIGNMENT/``.

    Args:
        which: An assignment (``"01"``, ``"01-training-steps"``) or ``"all"``
            (every assignment with submissions). Defaults to ``"all"``.
        root: The course root. Defaults to ``autograder.paths.course_root()``.
        students: Grade only these students. Defaults to everyone.
        workers: Worker processes. Defaults to the number of cores.
        force: Regrade submissions that were already autograded. Defaults to
            ``False``: those are skipped, like ``nbgrader autograde`` does.
        progress: Called as ``progress(done, total, outcome)`` after each one.
        cluster: Grade on Dask instead of local workers: a scheduler address
            (``"tcp://host:8786"``) or ``"local:N"`` for a ``LocalCluster`` of
            N worker processes (``autograder.grading.on_dask``); ``workers``
            is then ignored. Defaults to ``None``: the local worker pool.

    Returns:
        One ``Outcome`` per submission attempted, in (assignment, student) order.

    Raises:
        FileNotFoundError: the course root or its submitted/ folder is missing.
        ValueError: an unknown assignment or student.

    >>> grade("01", root="classroom", workers=2)  # doctest: +SKIP
    """
    resolved = course_root(root)
    if not (resolved / "submitted").is_dir():
        raise FileNotFoundError(
            f"{resolved} has no submitted/ folder: pass the --course-root of a class, "
            "or put submissions there with `tfcourse import` or `tfcourse collect`"
        )
    api = open_api(resolved)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        chosen = _select(resolved, which, gb)
        pairs = [
            (a, p.name) for a in chosen
            for p in sorted((resolved / "submitted").iterdir())
            if (p / a).is_dir() and (not students or p.name in students)
        ]
        if students and not {s for _, s in pairs} >= set(students):
            unknown = sorted(set(students) - {s for _, s in pairs})
            raise ValueError(f"no submission from {', '.join(unknown)} for {', '.join(chosen)}")
        if not force:
            pairs = [(a, s) for a, s in pairs if not (resolved / "autograded" / s / a).exists()]
        _ensure_in_gradebook(resolved, sorted({a for a, _ in pairs}), gb)
        gb.db.expire_all()
        return _run(resolved, gb, pairs, workers or default_workers(), progress, cluster)


def _replies(tasks: list[dict], workers: int, log_dir: Path, cluster: str | None):
    if cluster is None:
        return run_tasks(tasks, workers, log_dir)
    from autograder.grading.on_dask import run_on_dask  # Dask is imported only when asked for

    return run_on_dask(tasks, cluster, log_dir)


def _run(root: Path, gb: Gradebook, pairs: list[tuple[str, str]], workers: int,
         progress: Callable[[int, int, Outcome], None] | None, cluster: str | None = None) -> list[Outcome]:
    outcomes: dict[tuple[str, str], Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="tfcourse-grade-") as scratch:
        grader = Grader(root, gb, Path(scratch))
        tasks = {}
        for i, (assignment, student) in enumerate(pairs):
            wrong = _wrong_assignment(root / "submitted" / student / assignment, assignment)
            if wrong:
                outcomes[(assignment, student)] = Outcome(
                    assignment, student, False, problems=["wrong assignment"], detail=wrong)
                continue
            tasks[i] = grader.prepare(i, assignment, student)
        done = 0
        for outcome in outcomes.values():
            done += 1
            if progress:
                progress(done, len(pairs), outcome)
        log_dir = root / ".tfcourse" / "logs"
        with closing(_replies(list(tasks.values()), workers, log_dir, cluster)) as replies:
            for reply in replies:
                task = tasks[reply["id"]]
                try:
                    outcome = grader.finish(task, reply)
                except Exception as exc:  # one result that cannot be merged must not stop the batch
                    gb.db.rollback()
                    outcome = Outcome(task["assignment"], task["student"], False, problems=["merge failed"],
                                      detail=f"{type(exc).__name__}: {exc}")
                outcomes[(task["assignment"], task["student"])] = outcome
                done += 1
                if progress:
                    progress(done, len(pairs), outcome)
    return [outcomes[p] for p in sorted(outcomes)]
