"""Which checks a test cell calls, with which arguments, learned by replaying its source with a recorder.

The test cell's source is the grader's own copy (``RestoreMissingCells`` puts
it back from the gradebook before anything runs), so the arguments come from
the grader, never from the kernel. The source runs with ``checks`` bound to a
recorder: each ``checks.nbNN.name(student, *args)`` call is noted, and every
name the cell does not define (the student's functions) is a placeholder.

Used by ``autograder.judge.server``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.judge.coverage import judged_cell


class NotObserved(Exception):
    """The cell calls something that is not an observed check: it keeps nbgrader's own scoring."""


@dataclass
class Call:
    name: str
    args: tuple
    kwargs: dict


class _Student:
    """Stands for a name the test cell uses but does not define: the student's function."""

    def __init__(self, name: str):
        self.name = name


class _Names(dict):
    def __missing__(self, name: str) -> Any:
        return _Student(name)


class _Module:
    def __init__(self, module: str, calls: list[Call]):
        self._module, self._calls = module, calls

    def __getattr__(self, name: str) -> Any:
        from helpers.checks.observed import REGISTRY

        full = f"{self._module}.{name}"
        if full not in REGISTRY:
            raise NotObserved(full)
        return lambda student, *args, **kwargs: self._calls.append(Call(full, args, kwargs))


class _Checks:
    def __init__(self, calls: list[Call]):
        self._calls = calls

    def passed(self, name: str) -> None:
        """The closing line a student sees; nothing to judge."""

    def __getattr__(self, name: str) -> Any:
        from helpers.checks import NOTEBOOK_MODULES

        if name not in NOTEBOOK_MODULES:
            raise NotObserved(f"checks.{name}")
        __import__(f"helpers.checks.{name}")  # registers its checks
        return _Module(name, self._calls)


def calls(source: str) -> list[Call]:
    """The observed checks that ``source`` calls, in order; ``NotObserved`` if it calls anything else.

    Only a cell whose every statement calls an observed check (or ``checks.passed``)
    is replayed: any other cell (plain ``assert``s on the student's functions)
    keeps nbgrader's own scoring, as ``autograder.judge.coverage`` decides.
    """
    if not judged_cell(source):
        raise NotObserved("the cell does more than call observed checks")
    recorded: list[Call] = []
    namespace = {"checks": _Checks(recorded), "np": np, "__builtins__": __builtins__}
    exec(compile(source, "<test cell>", "exec"), namespace, _Names(namespace))
    return recorded
