"""Why a surviving mutant is not a grading gap, keyed by its stable id (``exercise/operator/hash``).

Two kinds, both left out of an exercise's kill rate:

- ``EQUIVALENT``: the mutant computes what the reference computes, for every
  input the exercise's text allows;
- ``TOLERATED``: the code differs, but Keras behaves the same (a default
  argument spelled out, a flag the model's layers ignore).

A survivor listed in neither is a grading gap: a wrong answer that earns the
points. An id listed here whose mutant is killed is reported as stale.
Each reason is one line, read in ``tests/notebooks/mutation_report.md``.
"""
from __future__ import annotations

EQUIVALENT: dict[str, str] = {}

TOLERATED: dict[str, str] = {}


def reason(mutant_id: str) -> tuple[str, str] | None:
    """``("equivalent" | "tolerated by Keras", reason)`` for a listed mutant, else ``None``."""
    if mutant_id in EQUIVALENT:
        return "equivalent", EQUIVALENT[mutant_id]
    if mutant_id in TOLERATED:
        return "tolerated by Keras", TOLERATED[mutant_id]
    return None
