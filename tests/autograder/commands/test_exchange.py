"""Release to the nbgrader exchange and ``tfcourse collect`` back, with a student fetching and submitting in between."""
from __future__ import annotations

import getpass

import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
from traitlets.config import Config

from autograder.commands.exchange import release_to_exchange
from autograder.paths import COURSE_ID
from autograder.commands.release import release
from tests.autograder.cli_runner import tfcourse

pytestmark = pytest.mark.nbgrader

A = "01-training-steps"


def as_student(step, student, exchange) -> None:
    """A student's fetch or submit, through nbgrader's exchange classes: no course config, just the exchange."""
    config = Config()
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(student)
    config.CourseDirectory.course_id = COURSE_ID
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = A
    step(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


def test_release_fetch_submit_collect(tmp_path):
    """Does a released assignment reach a student through the exchange, and their submission reach submitted/?"""
    root, exchange, student = tmp_path / "root", tmp_path / "exchange", tmp_path / "student"
    student.mkdir()
    release(A, root, release_dir=root / "release")  # the gradebook must know the assignment
    assert release_to_exchange("01", root, exchange) == [A]
    as_student(ExchangeFetchAssignment, student, exchange)
    assert (student / A / f"{A}.ipynb").is_file()
    as_student(ExchangeSubmit, student, exchange)
    code, out, err = tfcourse("--course-root", str(root), "collect", "01", "--exchange", str(exchange))
    assert code == 0, err
    assert f"{A}: 1 submission(s) in submitted/" in out
    assert (root / "submitted" / getpass.getuser() / A / f"{A}.ipynb").is_file()
