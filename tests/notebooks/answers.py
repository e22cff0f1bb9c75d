"""The three generic answer tests every ``test_NN_slug.py`` module imports.

A notebook's test module defines ``ASSIGNMENT``, ``WRONG`` and ``RIGHT``
(exercise id -> {description: answer source}) and imports these functions;
``conftest.py`` parametrizes them from the module's dicts and provides the
module's ``notebook`` (the solution notebook, executed once in-process).
"""
from __future__ import annotations

from tests.harness import InProcessNotebook, reference_answers


def test_wrong_answer_is_rejected(notebook: InProcessNotebook, wrong_answer: tuple[str, str]):
    """Does at least one of the exercise's test cells fail for this realistic mistake?"""
    notebook.assert_rejected(*wrong_answer)


def test_differently_written_answer_is_accepted(notebook: InProcessNotebook, right_answer: tuple[str, str]):
    """Do all of the exercise's test cells pass for a correct answer unlike the reference?"""
    notebook.assert_accepted(*right_answer)


def test_reference_answers_pass_in_process(notebook: InProcessNotebook):
    """Does the harness itself accept the reference answers (so rejections mean something)?"""
    for exercise, source in reference_answers(notebook.assignment).items():
        notebook.assert_accepted(exercise, source)
