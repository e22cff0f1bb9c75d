"""LMS round trips: Canvas and Moodle downloads in (with their submission times), grades out in each LMS's format.

The samples are laid out as each LMS names its files: Canvas's "Download
Submissions" zip is flat, ``sortablename[_LATE]_USERID_SUBMISSIONID_file``;
Moodle's "Download all submissions" zip has one folder per participant,
``Full Name_PARTICIPANTID_assignsubmission_file_/file``. Each entry's time is
the submission's time. One real grading run of the tiny assignment is shared.
"""
from __future__ import annotations

import csv
import zipfile

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.commands.import_ import import_submissions, load_lms_ids
from autograder.commands.release import set_due_date
from autograder.grading.autograde import grade
from autograder.nbgrader_api import open_api
from tests.autograder import tiny
from tests.autograder.cli_runner import tfcourse

DUE = "2026-03-01 12:00"
ON_TIME, TWO_HOURS_LATE = (2026, 3, 1, 11, 30, 0), (2026, 3, 1, 14, 0, 0)


def lms_zip(path, entries: dict[str, tuple[tuple, str]]):
    with zipfile.ZipFile(path, "w") as zf:
        for name, (when, text) in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=when), text)
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("lms")
    root = base / "root"
    released = tiny.add_tiny_assignment(root)
    api = open_api(root)
    set_due_date([tiny.TINY], DUE, api.coursedir.db_url, api.coursedir.course_id)
    right = nbformat.writes(tiny.tiny_submission(released, tiny.tiny_answers()))
    blank = nbformat.writes(tiny.tiny_submission(released, {}))
    canvas = lms_zip(base / "submissions.zip", {
        f"doejane_12345_678_{tiny.TINY}.ipynb": (ON_TIME, right),
        f"smithbob_LATE_23456_789_{tiny.TINY}-1.ipynb": (TWO_HOURS_LATE, right),
    })
    moodle = lms_zip(base / "Course-Tiny-4242.zip", {
        f"Carol King_4321_assignsubmission_file_/{tiny.TINY}.ipynb": (ON_TIME, blank),
    })
    reports = [import_submissions(z, root, tiny.TINY) for z in (canvas, moodle)]
    assert all(not r.unplaced for r in reports), [r.unplaced for r in reports]
    assert all(o.graded for o in grade(tiny.TINY, root, workers=1, force=True))
    return root


def rows(path) -> list[list[str]]:
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def test_import_records_lms_ids_and_submission_times(course):
    """Are Canvas's user id, its _LATE_ marker, Moodle's participant id and each entry's time kept?"""
    ids = load_lms_ids(course)
    assert ids["doejane"] == {"lms": "canvas", "id": "12345", "name": "doejane", "late": False}
    assert ids["smithbob"]["late"] is True and ids["smithbob"]["id"] == "23456"
    assert ids["carol-king"] == {"lms": "moodle", "id": "4321", "name": "Carol King"}
    stamp = (course / "submitted" / "smithbob" / tiny.TINY / "timestamp.txt").read_text()
    assert stamp.startswith("2026-03-01 14:00:00")


@pytest.mark.nbgrader
def test_nbgrader_sees_lateness_against_the_due_date(course):
    """Does autograde count the imported time against `release --due`'s date (what late penalties use)?"""
    api = open_api(course)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        assert str(gb.find_assignment(tiny.TINY).duedate) == "2026-03-01 12:00:00"
        assert gb.find_submission(tiny.TINY, "smithbob").total_seconds_late == 7200
        assert gb.find_submission(tiny.TINY, "doejane").total_seconds_late == 0


@pytest.mark.nbgrader
def test_canvas_export_matches_students_by_their_canvas_id(course, tmp_path):
    """Is the Canvas file Canvas's gradebook layout, with the ids import recorded, and Moodle's student reported?"""
    out = tmp_path / "canvas.csv"
    code, stdout, err = tfcourse("--course-root", str(course), "export", tiny.TINY, "--format", "canvas",
                                 "--out", str(out), "--column", "Tiny (999)")
    assert code == 1 and "LEFT OUT carol-king: no canvas id recorded" in err
    assert rows(out) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Tiny (999)"],
        ["doejane", "12345", "", "", "", "5"],
        ["smithbob", "23456", "", "", "", "5"],
    ]


@pytest.mark.nbgrader
def test_moodle_export_is_a_grading_worksheet(course, tmp_path):
    """Is the Moodle file the grading worksheet Moodle uploads, keyed by participant id?"""
    out = tmp_path / "moodle.csv"
    code, _, err = tfcourse("--course-root", str(course), "export", tiny.TINY, "--format", "moodle", "--out", str(out))
    assert rows(out) == [["Identifier", "Full name", "Grade", "Maximum Grade"],
                         ["Participant 4321", "Carol King", "0", "5"]]


@pytest.mark.nbgrader
def test_csv_export_has_everyone(course, tmp_path):
    """Does the plain CSV hold every graded student, from either LMS?"""
    out = tmp_path / "grades.csv"
    assert tfcourse("--course-root", str(course), "export", "--format", "csv", "--out", str(out))[0] == 0
    assert [r[0] for r in rows(out)[1:]] == ["carol-king", "doejane", "smithbob"]


def test_a_mistyped_due_date_is_refused_in_one_line(tmp_path):
    """Is `release --due` with no date refused with an example, before anything is regenerated?"""
    code, out, err = tfcourse("--course-root", str(tmp_path), "release", "01", "--due", "next friday-ish")
    assert code == 1 and out == "" and "is not a date: write e.g." in err and err.count("\n") == 1
