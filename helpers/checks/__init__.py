"""The checks that the notebooks' test cells call, one module per notebook.

A test cell is a few lines that call named checks on the student's function::

    from helpers import checks
    checks.nb07.train_step(train_step)       # notebook 07's visible test

Each ``nbNN`` module holds that notebook's checks and the instruments they
need (probe models, scripted logs, generated inputs). A check calls the
student's function on inputs it chooses, compares what comes back with the
reference answer (``helpers.reference``) and raises ``CheckFailed`` with an
expected / got / hint message. Hidden tests call the same checks with other
arguments (a seed, other sizes) from nbgrader's hidden regions.

The building blocks (``check``, ``check_close``, ``fail``, ...) live in
``helpers.checks.core`` and are re-exported here. The per-notebook modules
are imported on first use, so ``from helpers import checks`` stays cheap.
"""
from __future__ import annotations

from typing import Any

from helpers.checks.core import (
    CheckFailed,
    check,
    check_close,
    check_equal,
    check_instance,
    check_model_matches,
    fail,
    passed,
    show,
)

__all__ = [
    "CheckFailed", "check", "check_close", "check_equal", "check_instance", "check_model_matches",
    "fail", "passed", "show",
]

NOTEBOOK_MODULES = tuple(f"nb{n:02d}" for n in range(1, 11))


def __getattr__(name: str) -> Any:
    if name in NOTEBOOK_MODULES:
        import importlib  # here, so that no `importlib` attribute is reachable from this package

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
