"""``tfcourse feedback``: pages that keep hidden tests hidden, released to the exchange and fetched by a student.

One real round trip on the tiny assignment: release to an exchange folder,
a student fetches, answers (one answer passes the visible test but fails the
hidden one) and submits, the instructor collects, grades and releases
feedback, and the student fetches it, all through nbgrader's exchange.
"""
from __future__ import annotations

import getpass
import html as htmllib
import re

import nbformat
import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeSubmit
from traitlets.config import Config

from autograder.commands.exchange import exchange_api
from autograder.grading.autograde import grade
from autograder.paths import COURSE_ID
from tests.autograder import tiny
from tests.autograder.cli_runner import tfcourse

pytestmark = pytest.mark.nbgrader

HIDDEN_SOURCE = "assert add(-1, 1) == 0"
WRONG_FOR_NEGATIVES = "def add(a, b):\n    return a + b if a > 0 else 7\n"


def as_student(step, home, exchange) -> None:
    """A student's fetch, submit or fetch_feedback through nbgrader's exchange classes, with no course config."""
    config = Config()
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(home)
    config.CourseDirectory.course_id = COURSE_ID
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = tiny.TINY
    step(coursedir=coursedir, authenticator=Authenticator(config=config), config=config).start()


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """The course root, exchange and student folder after a graded submission."""
    base = tmp_path_factory.mktemp("feedback")
    root, exchange, home = base / "root", base / "exchange", base / "student"
    home.mkdir()
    tiny.add_tiny_assignment(root)
    api = exchange_api(root, exchange)
    api.coursedir.release_directory = str(root / "release")
    assert api.release_assignment(tiny.TINY)["success"]
    as_student(ExchangeFetchAssignment, home, exchange)
    mine = home / tiny.TINY / f"{tiny.TINY}.ipynb"
    answers = {**tiny.tiny_answers(), "00_add": WRONG_FOR_NEGATIVES}
    nbformat.write(tiny.tiny_submission(mine, answers), str(mine))
    as_student(ExchangeSubmit, home, exchange)
    assert api.collect(tiny.TINY)["success"]
    assert all(o.graded for o in grade(tiny.TINY, root, workers=1, force=True))
    return root, exchange, home


def text_of(html: str) -> str:
    """What a reader sees: the page without its tags (highlighting splits code into spans)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def page(root, show_hidden: bool) -> str:
    args = ["--course-root", str(root), "feedback", tiny.TINY] + (["--show-hidden"] if show_hidden else [])
    code, out, err = tfcourse(*args)
    assert code == 0, err
    return text_of((root / "feedback" / getpass.getuser() / tiny.TINY / f"{tiny.TINY}.html").read_text())


def test_feedback_hides_hidden_tests_but_keeps_their_result(round_trip):
    """Is no hidden-test code (nor its marker) on the page, while the failing test's message and score are?"""
    html = page(round_trip[0], show_hidden=False)
    assert HIDDEN_SOURCE not in html and "HIDDEN TESTS" not in html
    assert "hidden tests ran here" in html
    assert "add(-1, 1): expected 0" in html  # the hidden test's own message
    assert "Score: 3.0 / 5.0" in html and "Score: 0.0 / 2.0" in html  # the circle passed, the add cell did not


def test_show_hidden_keeps_their_code(round_trip):
    """With --show-hidden, is the hidden tests' code on the page, as nbgrader shows it?"""
    assert HIDDEN_SOURCE in page(round_trip[0], show_hidden=True)


def test_released_feedback_is_fetched_by_the_student(round_trip):
    """Does `feedback --release` put the page in the exchange, where the student's fetch_feedback finds it?"""
    root, exchange, home = round_trip
    code, out, err = tfcourse("--course-root", str(root), "feedback", tiny.TINY, "--release",
                              "--exchange", str(exchange))
    assert code == 0, err
    assert "released feedback" in out
    as_student(ExchangeFetchFeedback, home, exchange)
    fetched = list((home / tiny.TINY / "feedback").glob(f"*/{tiny.TINY}.html"))
    assert len(fetched) == 1
    html = text_of(fetched[0].read_text())
    assert HIDDEN_SOURCE not in html and "add(-1, 1): expected 0" in html
