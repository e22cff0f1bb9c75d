"""Mutation testing: each exercise's tests reject at least 95% of the non-equivalent mutants of its reference.

The quick subset grades the mutants of notebook 01's three model-building
exercises (the cheapest notebook: about 50 mutants) and checks that the
committed report says the same. The ``slow`` tests grade every exercise of
every notebook. Regenerate the report with ``python -m tests.mutation``.
"""
from __future__ import annotations

import pytest

from tests import harness
from tests.mutation import report
from tests.mutation.run import run_assignments

pytestmark = pytest.mark.mutation

QUICK = "01-training-steps"
QUICK_EXERCISES = ["01_build_sequential", "01_build_functional", "01_build_subclassed"]

#: Exercises whose tests let non-equivalent mutants survive, with the survivors' gist. The
#: owners of those checks raise the rates; the xfail is strict, so a fixed exercise must leave this table.
BELOW_TARGET: dict[str, str] = {}

#: Exercises whose mutants the suite does not grade, with why; ``python -m tests.mutation EXERCISE`` still does.
NOT_IN_SUITE: dict[str, str] = {
    "10_train_best_model": ("the challenge: each of its 99 mutants trains a model and is scored on hidden images "
                            "(about 6 minutes); it accepts any model over the thresholds, so its survivors are "
                            "other right answers (tests/mutation/equivalent.py: _CHALLENGE)"),
}


def _entries(assignment: str, exercises: list[str] | None = None) -> dict:
    return dict(run_assignments({assignment: exercises}))[assignment]["exercises"]


def _rate_params(assignments: list[str]) -> list:
    params = []
    for assignment in assignments:
        for exercise in harness.reference_answers(assignment):
            if exercise in NOT_IN_SUITE:
                continue
            marks = [pytest.mark.xfail(reason=BELOW_TARGET[exercise], strict=True)] if exercise in BELOW_TARGET else []
            marks.append(pytest.mark.xdist_group(f"mutants-{assignment}"))  # one worker fills _cache[assignment]
            params.append(pytest.param(assignment, exercise, marks=marks, id=exercise))
    return params


@pytest.fixture(scope="module")
def quick_entries() -> dict:
    """The quick exercises' mutants, graded in this process."""
    return _entries(QUICK, QUICK_EXERCISES)


@pytest.mark.parametrize("exercise", QUICK_EXERCISES)
def test_quick_exercise_kills_its_mutants(quick_entries, exercise):
    """Do notebook 01's model-building tests reject at least 95% of the non-equivalent mutants?"""
    score = report.score(quick_entries[exercise])
    assert score.rate >= report.TARGET, f"{exercise}: grading gaps {score.gaps}"


def test_quick_counts_match_the_committed_report(quick_entries):
    """Do the committed report and the README's kill-rate table give the counts and survivors this run found?"""
    saved = report.load()[QUICK]["exercises"]
    for exercise, entry in quick_entries.items():
        assert (saved[exercise]["made"], saved[exercise]["killed"]) == (entry["made"], entry["killed"]), exercise
        assert [s["id"] for s in saved[exercise]["survivors"]] == [s["id"] for s in entry["survivors"]], exercise
    assert report.REPORT.read_text() == report.render(report.load()), "run `python -m tests.mutation --render`"
    assert report.rates_table(report.load()) in report.README.read_text(), "run `python -m tests.mutation --render`"


_cache: dict[str, dict] = {}


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize(("assignment", "exercise"), _rate_params(harness.ALL_ASSIGNMENTS))
def test_exercise_kills_its_mutants(assignment, exercise):
    """Do the exercise's visible and hidden tests reject at least 95% of its non-equivalent mutants?"""
    if assignment not in _cache:
        chosen = [name for name in harness.reference_answers(assignment) if name not in NOT_IN_SUITE]
        _cache[assignment] = _entries(assignment, chosen)
    score = report.score(_cache[assignment][exercise])
    assert score.rate >= report.TARGET, f"{exercise}: {100 * score.rate:.1f}%, grading gaps {score.gaps}"
