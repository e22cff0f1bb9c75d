"""``tfcourse import``: LMS downloads into submitted/, and a report of what could not be placed."""
from __future__ import annotations

import shutil
import zipfile

import pytest

from autograder.commands.import_ import import_submissions
from autograder.paths import COURSE, REPO
from tests.autograder import tiny
from tests.autograder.cli_runner import tfcourse

NB01 = (COURSE / "01-training-steps" / "01-training-steps.ipynb").read_text()
A = "01-training-steps"


@pytest.fixture
def download(tmp_path):
    """A zip shaped like the downloads of Moodle, Canvas and by-hand collections, with some bad files."""
    path = tmp_path / "download.zip"
    files = {
        "Jane Doe_1234_assignsubmission_file_/01-training-steps.ipynb": NB01,
        "smithbob_LATE_55_66_01-training-steps.ipynb": NB01,
        "carol/my work.ipynb": NB01,
        "dave_01-training-steps.ipynb": NB01,
        "erin_01-training-steps.ipynb": '{"cells": [',
        "notes.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        "gina/01-training-steps.ipynb": NB01,
        "gina_01-training-steps.ipynb": NB01,
        "__MACOSX/._dave_01-training-steps.ipynb": "binary junk",
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def test_lms_names_are_placed_per_student(download, tmp_path):
    """Are Moodle, Canvas, per-folder and flat names each placed under the right student?"""
    report = import_submissions(download, tmp_path / "root")
    assert sorted((s, a) for _, s, a in report.placed) == [
        ("carol", A), ("dave", A), ("jane-doe", A), ("smithbob", A)]
    for student in ("carol", "dave", "jane-doe", "smithbob"):
        assert (tmp_path / "root" / "submitted" / student / A / f"{A}.ipynb").read_text() == NB01


def test_files_that_cannot_be_placed_are_reported_not_guessed(download, tmp_path):
    """Are a damaged file, an unidentifiable one and two files for one student reported and left out?"""
    report = import_submissions(download, tmp_path / "root")
    reasons = dict(report.unplaced)
    assert "not a readable notebook" in reasons["erin_01-training-steps.ipynb"]
    assert "cannot tell which assignment" in reasons["notes.ipynb"]
    assert "2 files for gina/01-training-steps" in reasons["gina_01-training-steps.ipynb"]
    assert "2 files for gina/01-training-steps" in reasons["gina/01-training-steps.ipynb"]
    assert not (tmp_path / "root" / "submitted" / "gina").exists()
    assert not any("MACOSX" in name for name, _ in report.unplaced)


def test_cli_import_reports_and_exits_nonzero_when_files_are_left_out(download, tmp_path):
    """Does the command list placed and unplaced files, and exit 1 when some were left out?"""
    code, out, err = tfcourse("--course-root", str(tmp_path / "root"), "import", str(download))
    assert code == 1
    assert "4 placed, 4 not placed" in out
    assert "NOT PLACED erin_01-training-steps.ipynb: not a readable notebook" in err


def test_another_assignments_notebook_is_refused(tmp_path):
    """With --assignment 01, is a notebook holding another assignment's exercises left out?"""
    folder = tmp_path / "downloads"
    (folder / "zoe").mkdir(parents=True)
    (folder / "zoe" / "homework.ipynb").write_text(
        (tiny.FIXTURES / tiny.TINY / f"{tiny.TINY}.ipynb").read_text())
    report = import_submissions(folder, tmp_path / "root", assignment="01")
    assert report.placed == []
    assert report.unplaced == [("zoe/homework.ipynb", f"holds none of {A}'s exercises")]


def test_reimport_says_it_replaced_the_earlier_submission(tmp_path):
    """Is replacing an earlier submission said, rather than done silently?"""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "dave_01-training-steps.ipynb").write_text(NB01)
    import_submissions(folder, tmp_path / "root")
    report = import_submissions(folder, tmp_path / "root")
    assert report.replaced == [f"dave/{A}"]


def test_not_a_zip_gets_one_line(tmp_path):
    """Is a file that is neither a folder nor a zip explained in one line?"""
    bogus = tmp_path / "grades.pdf"
    bogus.write_text("%PDF")
    code, _, err = tfcourse("--course-root", str(tmp_path / "root"), "import", str(bogus))
    assert code == 1 and "neither a folder nor a zip" in err and err.count("\n") == 1


def test_course_root_inside_the_checkout_is_git_ignored(tmp_path):
    """Does a course root made inside the checkout get a .gitignore that keeps its contents out of git?"""
    root = REPO / "tests" / "artifacts" / f"root-{tmp_path.name}"
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "dave_01-training-steps.ipynb").write_text(NB01)
    try:
        assert tfcourse("--course-root", str(root), "import", str(folder))[0] == 0
        assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    finally:
        shutil.rmtree(root, ignore_errors=True)
