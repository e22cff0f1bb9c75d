"""Grade mutants in-process against a notebook's visible and hidden tests.

The solution notebook is executed once (``tests.harness.InProcessNotebook``:
one TensorFlow import, one run of the setup cells per notebook), up to the
last test cell of the exercises being mutated. Each mutant
then runs in a shallow copy of that namespace, with the names the exercise
cell binds removed first (a mutant that fails to define them must not fall
back on the reference), followed by the exercise's test cells, hidden regions
included. Grading a mutant stops at its first failing test cell.

Observed checks (``helpers.checks.observed``) send their observation through
the same JSON encoding as under real grading, so that an answer whose results
cannot cross from the kernel to the judge fails here too.

A mutant that runs past its time limit counts as killed: nbgrader would stop
the cell at ``Execute.timeout`` and score it zero.
"""
from __future__ import annotations

import contextlib
import gc
import io
import signal
import time
from dataclasses import dataclass
from typing import Iterator

from tests import harness
from tests.mutation.mutants import bound_names

#: The shortest time limit per mutant, in seconds; longer where the reference itself needs more.
MIN_LIMIT = 20.0
#: A mutant may take this many times as long as the reference before it counts as hanging.
LIMIT_FACTOR = 10.0


class MutantTimeout(BaseException):
    """A mutant ran past its time limit (a ``BaseException``, so that no ``except Exception`` swallows it)."""


@dataclass(frozen=True)
class Verdict:
    """How grading one answer went: ``killed`` by which test cell (or ``timeout``), in how many seconds."""

    killed: bool
    by: str
    seconds: float
    message: str = ""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise MutantTimeout(f"over {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _observations_as_graded() -> Iterator[None]:
    """Judge each observed check on its observation after a JSON round trip, as the grader's judge does."""
    try:
        from helpers.checks import observed
    except ImportError:  # a course without observed checks: nothing to route
        yield
        return
    original = observed.ObservedCheck.__call__

    def call(self, student, *args, **kwargs):
        arguments = self.arguments(*args, **kwargs)
        sent = observed.encode(self.observe(student, **arguments))
        self.judge(observed.decode(sent), **arguments)

    observed.ObservedCheck.__call__ = call
    try:
        yield
    finally:
        observed.ObservedCheck.__call__ = original


class _NotebookUpTo(harness.InProcessNotebook):
    """``InProcessNotebook`` that stops after the last test cell of the chosen exercises.

    Later cells (worked examples that train, plots) cannot change what those
    tests see, so executing them would only cost time.
    """

    def __init__(self, assignment: str, exercises: list[str] | None):
        self.assignment = assignment
        self.cells = [c for c in harness.solution_notebook(assignment).cells if c.cell_type == "code"]
        self.namespace = {"__name__": "__main__"}
        wanted = exercises or [harness.grade_id(c) for c in self.cells if harness.is_exercise(c)]
        ids = [harness.grade_id(c) for c in self.cells]
        last = max(ids.index(harness.grade_id(t)) for e in wanted for t in self.tests_for(e))
        for cell in self.cells[:last + 1]:
            self._exec(harness.strip_markers(cell.source), self.namespace, harness.grade_id(cell) or cell.get("id"))


class Grader:
    """A solution notebook executed once (up to the chosen exercises' last test), grading answers to them."""

    def __init__(self, assignment: str, exercises: list[str] | None = None):
        start = time.monotonic()
        with _quiet(), _observations_as_graded():
            self.notebook = _NotebookUpTo(assignment, exercises)
        self.seconds = time.monotonic() - start
        self.assignment = assignment
        self.exercises = {harness.grade_id(c): c.source for c in self.notebook.cells if harness.is_exercise(c)}
        self._tests = {
            exercise: [(harness.grade_id(t), compile(t.source, f"<{assignment}:{harness.grade_id(t)}>", "exec"))
                       for t in self.notebook.tests_for(exercise)]
            for exercise in self.exercises
        }

    def grade(self, exercise: str, source: str, limit: float) -> Verdict:
        """Run ``source`` as the answer to ``exercise``, then its tests until the first failure."""
        namespace = dict(self.notebook.namespace)
        for name in bound_names(self.exercises[exercise]):
            namespace.pop(name, None)
        start = time.monotonic()
        by = message = ""
        try:
            with _quiet(), _observations_as_graded(), _time_limit(limit):
                try:
                    exec(compile(source, f"<{self.assignment}:answer to {exercise}>", "exec"), namespace)
                except Exception:  # the answer cell errors; its tests still run, as in nbgrader
                    pass
                for test_id, code in self._tests[exercise]:
                    try:
                        exec(code, namespace)
                    except Exception as error:  # any error scores zero in nbgrader
                        by, message = f"{test_id}: {type(error).__name__}", str(error)[:2000]
                        break
        except MutantTimeout:
            by = "timeout"
        finally:
            _tidy()
        return Verdict(bool(by), by, time.monotonic() - start, message)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


_graded = {"count": 0}


def _tidy() -> None:
    import matplotlib.pyplot as plt

    plt.close("all")
    _graded["count"] += 1
    if _graded["count"] % 25 == 0:  # models and figures of earlier mutants; collecting each time costs seconds
        gc.collect()
