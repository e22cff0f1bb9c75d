"""Correct answers written the ways students write them get full marks: in-process, in the code scan, in nbgrader.

The corpus is ``alternatives.py``. The code scan and notebook 01's answers
run in the quick subset; the other notebooks' answers need their notebook
executed, so they are ``slow`` (as in ``conftest.py``). The real ``nbgrader
autograde`` run grades them as ``alternative-N`` students (``students.py``).
"""
from __future__ import annotations

import pytest

from tests import harness
from tests.integrity.test_code_rules import context_for, rules
from tests.mutation.runner import Grader
from tests.notebooks.alternatives import ALTERNATIVES, FAILING, assignment_of, students
from tests.notebooks.conftest import QUICK_NOTEBOOK

CORPUS = [(exercise, name) for exercise, named in ALTERNATIVES.items() for name in named]


def _params(slow_unless_quick: bool) -> list:
    params = []
    for exercise, name in CORPUS:
        marks = []
        if (exercise, name) in FAILING:
            marks.append(pytest.mark.xfail(reason=FAILING[exercise, name], strict=True))
        if slow_unless_quick and assignment_of(exercise) != QUICK_NOTEBOOK:
            marks.append(pytest.mark.slow)
        params.append(pytest.param(exercise, name, marks=marks, id=f"{exercise}: {name}"))
    return params


_graders: dict[str, Grader] = {}


def test_corpus_covers_exercises_01_to_09():
    """Does every exercise of notebooks 01-09 have at least one differently written correct answer?"""
    wanted = {e for a in harness.ALL_ASSIGNMENTS if a[:2] <= "09" for e in harness.reference_answers(a)}
    assert wanted <= set(ALTERNATIVES), sorted(wanted - set(ALTERNATIVES))


@pytest.mark.parametrize(("exercise", "name"), [(e, n) for e, n in CORPUS], ids=[f"{e}: {n}" for e, n in CORPUS])
def test_alternative_passes_the_code_scan(exercise, name):
    """Does the static scan leave the answer alone (no zeroed notebook for ``vars``, ``input`` or a layer name)?"""
    assert not rules(ALTERNATIVES[exercise][name], context_for(assignment_of(exercise)))


@pytest.mark.parametrize(("exercise", "name"), _params(slow_unless_quick=True))
def test_alternative_passes_visible_and_hidden_tests(exercise, name):
    """Do all of the exercise's test cells, hidden regions included, pass for this correct answer?"""
    assignment = assignment_of(exercise)
    if assignment not in _graders:
        _graders.clear()  # one executed notebook at a time
        _graders[assignment] = Grader(assignment)
    verdict = _graders[assignment].grade(exercise, ALTERNATIVES[exercise][name], limit=300)
    assert not verdict.killed, f"{verdict.by}: {verdict.message}"


@pytest.mark.parametrize("assignment", sorted({assignment_of(e) for e in ALTERNATIVES}))
def test_alternative_students_get_full_marks(graded, assignment):
    """Does real ``nbgrader autograde`` give every ``alternative-N`` student full marks, with nothing flagged?

    A flag holds every test cell at zero, so full marks also mean unflagged.
    """
    _, results = graded[assignment]
    for student in students(assignment):
        result = results[student]
        lost = {cell: score for cell, score in result.cells.items() if score[0] != score[1]}
        assert not lost, f"{student} of {assignment} lost points: {lost}"
        assert result.score == result.max_score > 0 and not result.needs_manual_grade
