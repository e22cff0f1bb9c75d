"""Every notebook under real ``nbgrader autograde``: the reference answers score full marks, the blank release scores zero."""
from __future__ import annotations

import pytest

from tests.harness import ALL_ASSIGNMENTS


@pytest.mark.parametrize("assignment", ALL_ASSIGNMENTS)
def test_autograde_finishes_cleanly(graded, assignment):
    """Does ``nbgrader autograde`` exit 0 for the reference and the blank submission?"""
    done, _ = graded[assignment]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]


@pytest.mark.parametrize("assignment", ALL_ASSIGNMENTS)
def test_reference_answers_get_full_marks(graded, assignment):
    """Does a student who wrote the reference answers get every point, cell by cell?"""
    _, students = graded[assignment]
    result = students["reference"]
    lost = {cell: score for cell, score in result.cells.items() if score[0] != score[1]}
    assert not lost, f"reference answers lost points in {assignment}: {lost}"
    assert result.max_score > 0 and result.score == result.max_score
    assert not result.needs_manual_grade


@pytest.mark.parametrize("assignment", ALL_ASSIGNMENTS)
def test_blank_release_gets_zero(graded, assignment):
    """Does the untouched student notebook score zero on each graded cell, with nothing left for manual grading?"""
    _, students = graded[assignment]
    result = students["blank"]
    earned = {cell: score for cell, score in result.cells.items() if score[1] and score[0] != 0}
    assert not earned, f"the blank notebook earned points in {assignment}: {earned}"
    assert result.score == 0 and result.max_score > 0
    assert not result.needs_manual_grade


@pytest.mark.parametrize("assignment", [a for a in ALL_ASSIGNMENTS if a.startswith("01-")])
def test_stderr_noise_during_tests_costs_no_points(graded, assignment):
    """Does a correct answer still get full marks when its test cells write warnings and C++-style logs to stderr?"""
    _, students = graded[assignment]
    result = students["noisy"]
    assert result.score == result.max_score, result.cells
